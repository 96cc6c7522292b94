//! Copy ≠ 套话 as a corpus grows: versions of one document (the same report saved in several
//! folders, a draft beside its final text) count once in document frequency, so a copy of it stays
//! a copy however many versions the office has kept; a phrase two independent reports share is no
//! copy of either.

mod common;

use chachong::classify::Verdict;
use common::{analyzer, check, load, root};
use std::path::Path;

const REPORT: &str = "2024_国务院_政府工作报告.txt";

/// A corpus of the 2021–2023 national reports and the 2024 report saved in `versions` folders,
/// the last of them a revised draft with one sentence changed.
fn corpus_with_versions(dir: &Path, versions: usize) {
    let national = root().join("corpus/govreports/national");
    for year in ["2021", "2022", "2023"] {
        let name = format!("{year}_国务院_政府工作报告.txt");
        std::fs::copy(national.join(&name), dir.join(&name)).expect("copy");
    }
    let text = std::fs::read_to_string(national.join(REPORT)).expect("2024 report");
    for v in 0..versions {
        let folder = dir.join(format!("存档{v}"));
        std::fs::create_dir(&folder).expect("mkdir");
        let body = if v + 1 == versions {
            text.replace("城镇新增就业1244万人", "城镇新增就业超过1200万人")
        } else {
            text.clone()
        };
        std::fs::write(folder.join(REPORT), body).expect("write");
    }
}

/// Verdict and source of the draft paragraph that starts with `start`.
fn verdict_of(dir: &Path, draft: &str, start: &str) -> (Verdict, String) {
    let corpus = load(dir);
    let path = dir.parent().expect("parent").join("draft.txt");
    std::fs::write(&path, draft).expect("draft");
    let report = check(&corpus, &path);
    let text = std::fs::read_to_string(&path).expect("draft");
    let row = report
        .paragraphs
        .iter()
        .find(|p| text.chars().skip(p.start).collect::<String>().starts_with(start))
        .expect("paragraph");
    (row.verdict, row.source.clone())
}

const COPIED: &str = "——安全发展基础巩固夯实。粮食产量1.39万亿斤，再创历史新高。能源资源供应稳定。\
重要产业链供应链自主可控能力提升。经济金融重点领域风险稳步化解。现代化基础设施建设不断加强。";

#[test]
fn a_copy_of_a_report_saved_six_times_is_a_copy_of_its_first_version() {
    let _ = analyzer();
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    corpus_with_versions(&corpus, 6);
    let draft = format!("县政府工作报告\n过去一年，我县上下团结奋斗。\n{COPIED}\n");
    // Counted document by document, each of its phrases is held by six of nine documents: a
    // formula. Counted once per independent document, by one: the report's own wording.
    let (verdict, source) = verdict_of(&corpus, &draft, "——安全发展");
    assert_eq!((verdict, source.as_str()), (Verdict::Copy, "存档0/2024_国务院_政府工作报告.txt"));
}

#[test]
fn a_formula_two_reports_share_is_no_copy_of_either() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    corpus_with_versions(&corpus, 1);
    // 「政治建军、改革强军、科技强军、人才强军、依法治军」 is in the 2021 and 2023 reports, written a
    // year apart by independent drafting groups: the 13-char rule alone called it `partial`.
    let draft = "县人武部工作要点\n我县将全面推进政治建军、改革强军、科技强军、人才强军、依法治军，\
支持驻县部队和民兵队伍建设，做好退役军人安置。\n";
    let (verdict, _) = verdict_of(&corpus, draft, "我县将全面推进");
    assert_eq!(verdict, Verdict::Original);
}
