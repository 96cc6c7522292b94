//! The findings that follow classification, on real text: another locality's names left in a copy
//! (tests/fixtures/findings) and a government work report recycled as next year's (corpus/).

mod common;

use chachong::check::Checker;
use chachong::classify::Verdict;
use chachong::findings::Options;
use chachong::marks::Flag;
use chachong::params::Settings;
use chachong::report::DraftReport;
use common::{analyzer, chars, load, root};
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/findings")
}

fn check_with(corpus: &chachong::check::Corpus, draft: &Path, units: &[&str]) -> DraftReport {
    let checker = Checker { analyzer: analyzer(), corpus, settings: Settings::default() };
    let opts = Options { units: units.iter().map(|u| u.to_string()).collect() };
    checker.check_file_with(draft, "draft.txt", &opts).expect("draft reads")
}

const ZIBO: &str = "淄博市太河水库饮用水源地保护管理条例(2021-05-31).txt";

/// (paragraph, draft start, draft end, name, source start, source end) of each foreign name.
fn foreign(r: &DraftReport) -> Vec<(usize, usize, usize, String, usize, usize)> {
    r.findings
        .foreign
        .iter()
        .map(|f| {
            assert_eq!(f.source, ZIBO);
            (f.para, f.start, f.end, f.name.clone(), f.source_start, f.source_end)
        })
        .collect()
}

#[test]
fn a_neighbours_township_names_left_in_are_flagged_where_they_are() {
    let corpus = load(&fixtures().join("corpus"));
    let draft = fixtures().join("drafts/names_left_in.txt");
    let text = std::fs::read_to_string(&draft).expect("draft");
    let source = std::fs::read_to_string(fixtures().join("corpus").join(ZIBO)).expect("source");
    let expected = [
        (3, 99, 102, "博山区", 1474, 1477),
        (3, 102, 105, "石马镇", 1477, 1480),
        (3, 106, 109, "博山镇", 1481, 1484),
        (3, 110, 113, "池上镇", 1485, 1488),
        (3, 118, 121, "博山区", 1493, 1496),
        (3, 121, 124, "源泉镇", 1496, 1499),
        (3, 125, 128, "淄川区", 1500, 1503),
        (3, 128, 131, "太河镇", 1503, 1506),
        (3, 132, 135, "西河镇", 1507, 1510),
        (4, 210, 213, "博山区", 927, 930),
        (4, 214, 217, "淄川区", 931, 934),
    ]
    .map(|(p, s, e, n, ss, se)| (p, s, e, n.to_string(), ss, se));
    // The draft's locality from --unit, and from its own title (安化县…方案) when not given.
    for units in [&["安化县"][..], &[]] {
        let r = check_with(&corpus, &draft, units);
        assert_eq!(foreign(&r), expected, "--unit {units:?}");
        for (_, s, e, name, ss, se) in &expected {
            assert_eq!(&chars(&text, *s, *e), name);
            assert_eq!(&chars(&source, *ss, *se), name);
        }
        let verdicts: Vec<Verdict> = r.paragraphs.iter().map(|p| p.verdict).collect();
        assert_eq!(verdicts, [Verdict::Original, Verdict::Original, Verdict::Copy, Verdict::Copy]);
        let flags: Vec<String> = r.paragraphs[3].flags.iter().map(|f| f.to_string()).collect();
        assert_eq!(flags, ["foreign_name:博山区", "foreign_name:淄川区"]);
        assert!(r.paragraphs[..2].iter().all(|p| p.flags.is_empty()));
        assert!(r.summary.flags.contains(&Flag::ForeignName("石马镇".into())));
        let summary = chachong::report::summary(&r);
        assert!(
            summary.contains("another locality's names left in (foreign_name, 11): ¶3 博山区、石马镇、博山镇、池上镇、源泉镇、淄川区、太河镇、西河镇 · ¶4 博山区、淄川区"),
            "{summary}"
        );
    }
    // A draft of 淄博市 itself, or of 博山区, copying its own city's regulation leaves nothing foreign.
    for own in ["淄博市", "山东省淄博市博山区"] {
        assert_eq!(foreign(&check_with(&corpus, &draft, &[own])), [], "--unit {own}");
    }
}

#[test]
fn the_same_copy_with_the_names_changed_is_a_copy_without_the_flag() {
    let corpus = load(&fixtures().join("corpus"));
    let draft = fixtures().join("drafts/names_changed.txt");
    for units in [&["安化县"][..], &[]] {
        let r = check_with(&corpus, &draft, units);
        let verdicts: Vec<(Verdict, &str)> =
            r.paragraphs.iter().map(|p| (p.verdict, p.source.as_str())).collect();
        assert_eq!(
            verdicts,
            [(Verdict::Original, ""), (Verdict::Original, ""), (Verdict::Copy, ZIBO), (Verdict::Copy, ZIBO)]
        );
        assert_eq!(foreign(&r), []);
        assert!(r.paragraphs.iter().all(|p| p.flags.is_empty()), "{:?}", r.paragraphs);
    }
}

#[test]
fn the_csvs_carry_the_names_and_their_count() {
    let corpus = load(&fixtures().join("corpus"));
    let r = check_with(&corpus, &fixtures().join("drafts/names_left_in.txt"), &[]);
    let out = tempfile::tempdir().expect("temp dir");
    let en = chachong::table::Lang::En;
    chachong::report::write_reports(out.path(), std::slice::from_ref(&r), &[], false, en).expect("written");
    let spans = std::fs::read_to_string(out.path().join("spans.csv")).expect("spans");
    assert!(spans.starts_with("draft,para,start,end,source,source_start,source_end,kind,detail\n"));
    assert!(
        spans.contains(&format!("draft.txt,3,102,105,{ZIBO},1477,1480,foreign_name,石马镇\n")),
        "{spans}"
    );
    let docs = std::fs::read_to_string(out.path().join("documents.csv")).expect("documents");
    let mut lines = docs.lines();
    let header = lines.next().expect("header");
    assert!(header.ends_with(
        ",status,foreign_names,recycled_from,recycled_years,numbers_changed,batch_paragraphs,batch_partner"
    ));
    assert!(lines.next().expect("row").ends_with(",ok,11,,,,0,"), "{docs}");
    // chachong review reads the report back, the names' rows left out of the runs it marks.
    let tables = chachong::report::read::read_tables(out.path()).expect("read back");
    assert!(tables.spans.iter().all(|s| s.kind == chachong::classify::SpanKind::Copy));
    assert_eq!(tables.foreign.len(), 11);
    let shimazhen = tables.foreign.iter().find(|n| n.name == "石马镇").expect("石马镇 read back");
    assert_eq!((shimazhen.para, shimazhen.start, shimazhen.end), (3, 102, 105));
    assert_eq!((shimazhen.source_start, shimazhen.source_end), (1477, 1480));
    assert_eq!(tables.documents[0].findings.foreign_names, Some(11));
    let digests = chachong::report::read::digests(&tables);
    assert_eq!(
        digests,
        chachong::report::read::digests(&chachong::report::read::from_reports(std::slice::from_ref(&r)))
    );

    // In Chinese: the same rows under Chinese names, read back to the same tables.
    let zh = tempfile::tempdir().expect("temp dir");
    chachong::report::write_reports(zh.path(), &[r], &[], false, chachong::table::Lang::Zh).expect("written");
    let spans = std::fs::read_to_string(zh.path().join("spans.csv")).expect("spans");
    assert!(spans.starts_with("草稿,段落号,起始,结束,来源,来源起始,来源结束,类型,说明\n"), "{spans}");
    assert!(spans.contains(&format!("draft.txt,3,102,105,{ZIBO},1477,1480,外地地名,石马镇\n")), "{spans}");
    let docs = std::fs::read_to_string(zh.path().join("documents.csv")).expect("documents");
    assert!(docs
        .lines()
        .next()
        .expect("header")
        .ends_with(",状态,外地地名数,旧稿来源,旧稿年份,改动数字数,同批相同段落数,同批相同草稿"));
    let zh_tables = chachong::report::read::read_tables(zh.path()).expect("read back");
    assert_eq!(zh_tables.foreign, tables.foreign);
    assert_eq!(zh_tables.documents[0].findings, tables.documents[0].findings);
    // The spans' digest, the names' rows in it, is the English one's (documents.csv's holds
    // `status` as written: 正常).
    assert_eq!(chachong::report::read::digests(&zh_tables)[1], digests[1]);
}

/// The 2024 report's 「二、2024年经济社会发展总体要求和政策取向」 section, made next year's by changing
/// its heading's year and four figures.
fn recycled_2024(dir: &Path) -> std::path::PathBuf {
    let report =
        std::fs::read_to_string(root().join("corpus/govreports/national/2024_国务院_政府工作报告.txt"))
            .expect("2024");
    let start = report.find("二、2024年经济社会发展总体要求").expect("section");
    let end = report.find("三、2024年政府工作任务").expect("next section");
    let mut body = report[start..end].to_string();
    for (from, to) in [
        ("二、2024年", "二、2025年"),
        ("成立75周年", "成立76周年"),
        ("1200万人以上", "1300万人以上"),
        ("赤字率拟按3%安排，赤字规模4.06万亿元", "赤字率拟按3.2%安排，赤字规模4.26万亿元"),
    ] {
        assert!(body.contains(from), "{from}");
        body = body.replacen(from, to, 1);
    }
    let path = dir.join("2025年政府工作报告（征求意见稿）.txt");
    let text = format!("2025年政府工作报告\n\n{body}");
    // The README's example is this draft.
    let shipped = fixtures().join("drafts/2025年政府工作报告（征求意见稿）.txt");
    assert_eq!(std::fs::read_to_string(shipped).expect("shipped draft"), text);
    std::fs::write(&path, text).expect("draft");
    path
}

#[test]
fn last_years_report_with_its_figures_changed_is_recycled() {
    let corpus = load(&root().join("corpus"));
    let dir = tempfile::tempdir().expect("temp dir");
    let r = check_with(&corpus, &recycled_2024(dir.path()), &[]);
    let x = r.findings.recycled.as_ref().expect("recycled");
    assert_eq!(x.source, "govreports/national/2024_国务院_政府工作报告.txt");
    assert_eq!((x.source_year, x.draft_year, x.years().as_str()), (Some(2024), Some(2025), "2024→2025"));
    // 76, 1300, 3.2 and 4.26; the heading's 2025 is 套话 matched with another year's report.
    assert_eq!(x.numbers_changed, 4);
    for p in &r.paragraphs {
        let flagged = p.flags.contains(&Flag::Recycled("2024".into()));
        assert_eq!(flagged, x.paragraphs.contains(&p.para), "¶{}", p.para);
        if flagged {
            assert!(matches!(p.verdict, Verdict::Copy | Verdict::Partial), "¶{} {}", p.para, p.verdict);
        }
    }
    // ¶3 (成立76周年) and ¶8 (the deficit); ¶5's 1300 counts, but the targets paragraph is 套话.
    assert_eq!(x.paragraphs, [3, 8]);
    let summary = chachong::report::summary(&r);
    assert!(summary.contains("旧稿翻新 recycled from govreports/national/2024_国务院_政府工作报告.txt (2024→2025): 4 figures changed"), "{summary}");
    // The report itself, unchanged, is a copy and no 旧稿翻新: nothing was brought forward.
    let same = dir.path().join("copy.txt");
    let report =
        std::fs::read_to_string(root().join("corpus/govreports/national/2024_国务院_政府工作报告.txt"))
            .expect("2024");
    std::fs::write(&same, &report).expect("copy");
    assert_eq!(check_with(&corpus, &same, &[]).findings.recycled, None);
}

#[test]
fn no_finding_on_a_paragraph_that_is_not_copied() {
    // The sample draft holds copies, 套话, template residue and original paragraphs.
    let corpus = load(&root().join("corpus"));
    for draft in ["examples/draft.txt", "tests/fixtures/findings/drafts/names_left_in.txt"] {
        let r = check_with(&corpus, &root().join(draft), &["安化县"]);
        for p in r.paragraphs.iter().filter(|p| !matches!(p.verdict, Verdict::Copy | Verdict::Partial)) {
            assert!(
                !p.flags.iter().any(chachong::report::is_finding),
                "{draft} ¶{} {} has {:?}",
                p.para,
                p.verdict,
                p.flags
            );
        }
    }
}

/// Three 谈心谈话 records, each with its own person and date and the same two paragraphs (from a
/// real 党建 report, seeds/003), one word changed in the third.
fn three_records(dir: &Path) -> Vec<std::path::PathBuf> {
    let seed = std::fs::read_to_string(root().join("corpus/seeds/003_68c3191184ca8c9f.txt")).expect("seed");
    let lines: Vec<&str> = seed.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let body = [lines[2], lines[3]];
    let people = [("张伟", "2024年3月5日"), ("李娜", "2024年3月6日"), ("王芳", "2024年3月8日")];
    people
        .iter()
        .enumerate()
        .map(|(k, (who, when))| {
            let mut second = body[1].to_string();
            if k == 2 {
                second = second.replacen("完善学习机制", "健全学习机制", 1);
            }
            let text = format!("谈心谈话记录\n谈话对象：{who}\n谈话时间：{when}\n{}\n{second}\n", body[0]);
            let name = format!("记录{}.txt", k + 1);
            // The README's example is these records.
            let shipped = fixtures().join("records").join(&name);
            assert_eq!(std::fs::read_to_string(shipped).expect("shipped record"), text);
            let path = dir.join(name);
            std::fs::write(&path, text).expect("record");
            path
        })
        .collect()
}

#[test]
fn three_near_identical_records_are_reported_within_the_batch() {
    let corpus_dir = common::corpus_without(&["seeds/003_68c3191184ca8c9f.txt"]);
    let corpus = load(corpus_dir.path());
    let dir = tempfile::tempdir().expect("temp dir");
    let files = three_records(dir.path());
    let drafts: Vec<(std::path::PathBuf, String)> =
        files.iter().map(|p| (p.clone(), p.file_name().unwrap().to_string_lossy().into_owned())).collect();
    let checker = Checker { analyzer: analyzer(), corpus: &corpus, settings: Settings::default() };
    let mut reports: Vec<DraftReport> =
        drafts.iter().map(|(p, n)| checker.check_file(p, n).expect("record reads")).collect();
    // Against the corpus the records are nobody's copy.
    assert!(reports.iter().all(|r| r.paragraphs.iter().all(|p| p.verdict != Verdict::Copy)));
    let twins = chachong::findings::batch::twins_of_files(analyzer(), &Settings::default(), &drafts);
    chachong::findings::batch::annotate(&mut reports, twins);
    for r in &reports {
        let found: Vec<(usize, &str, usize)> =
            r.findings.twins.iter().map(|t| (t.para, t.partner.as_str(), t.partner_para)).collect();
        // Each record's paragraphs 4 and 5 are the others'; its header lines are too short to count.
        assert_eq!(found.len(), 2, "{}: {found:?}", r.draft);
        assert_eq!(found.iter().map(|f| (f.0, f.2)).collect::<Vec<_>>(), [(4, 4), (5, 5)], "{}", r.draft);
        assert!(found.iter().all(|f| f.1 != r.draft));
        assert!(r.findings.twins.iter().all(|t| t.share >= 0.8 && t.share <= 1.0));
        assert!(r.paragraphs[..3].iter().all(|p| p.flags.is_empty()), "{}", r.draft);
        let flag = format!("batch:{}¶4", found[0].1);
        assert!(r.paragraphs[3].flags.iter().any(|f| f.to_string() == flag), "{:?}", r.paragraphs[3].flags);
    }
    // The first two records are one text: each is the other's partner, matched whole.
    let first = &reports[0].findings.twins;
    assert_eq!((first[0].partner.as_str(), first[0].share), ("记录2.txt", 1.0));

    // `chachong check FOLDER` does it by itself, and says so; `--no-batch` leaves it out.
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_chachong"))
            .arg("check")
            .arg("--no-index")
            .arg("--corpus")
            .arg(corpus_dir.path())
            .arg("--out")
            .arg(&out)
            .args(extra)
            .arg(dir.path())
            .output()
            .expect("chachong runs");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let docs = std::fs::read_to_string(out.join("documents.csv")).expect("documents");
        (String::from_utf8_lossy(&status.stdout).into_owned(), docs)
    };
    let (stdout, docs) = run(&[]);
    assert!(stdout.contains("same text as other drafts of this batch: ¶4 = "), "{stdout}");
    let rows: Vec<&str> = docs.lines().skip(1).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.contains(",ok,0,,,,2,")), "{docs}");
    let (stdout, docs) = run(&["--no-batch"]);
    assert!(!stdout.contains("same text"), "{stdout}");
    assert!(docs.lines().skip(1).all(|r| r.ends_with(",ok,0,,,,0,")), "{docs}");
}
