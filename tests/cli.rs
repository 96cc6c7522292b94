//! The `chachong` binary as a user runs it: reports on disk, exit codes, error lines.

mod common;

use common::root;
use std::process::{Command, Output};

fn chachong(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).expect("report written")
}

#[test]
fn check_writes_three_reports_with_bom_and_a_summary() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let run = chachong(&["check", "--out", o, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let paragraphs = read(&out.path().join("paragraphs.csv"));
    assert!(paragraphs.starts_with('\u{feff}'));
    let mut lines = paragraphs.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("draft,para,start,end,chars,verdict,score,source,source_para,simhash_distance,matched_chars,flags,excerpt,matched_text")
    );
    assert_eq!(lines.count(), 13);
    let spans = read(&out.path().join("spans.csv"));
    assert!(spans.starts_with("\u{feff}draft,para,start,end,source,source_start,source_end,kind\n"));
    assert!(spans.contains(
        "examples/draft.txt,6,669,964,govreports/national/2025_国务院_政府工作报告.txt,6974,7269,copy\n"
    ));
    let documents = read(&out.path().join("documents.csv"));
    let row = documents.lines().nth(1).expect("one row");
    assert!(row.starts_with("examples/draft.txt,13,"), "{row}");
    assert!(row.ends_with(",watermark:笔杆儿网;placeholder:*区;placeholder:XXX同;placeholder:X次"), "{row}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("复制比 copied 4"), "{stdout}");
    assert!(stdout.contains("4 copy, 1 partial, 1 boilerplate, 7 original"), "{stdout}");
    assert!(stdout.contains("¶11 watermark:笔杆儿网"), "{stdout}");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files remain");
}

#[test]
fn no_bom_and_fail_over_gate() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let run = chachong(&["check", "--no-bom", "--fail-over", "0.3", "--out", o, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(1), "copied ratio 0.47 > 0.3");
    assert!(read(&out.path().join("documents.csv")).starts_with("draft,"));
    let run = chachong(&["check", "--fail-over", "0.9", "--out", o, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(0));
    let run = chachong(&["check", "--fail-over", "30", "--out", o, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("between 0 and 1"));
}

#[test]
fn unreadable_drafts_are_named_and_the_rest_is_checked() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let run =
        chachong(&["check", "--no-index", "--out", o, "examples/no-such-draft.txt", "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("examples/no-such-draft.txt"), "{stderr}");
    let paragraphs = read(&out.path().join("paragraphs.csv"));
    assert_eq!(paragraphs.lines().filter(|l| l.starts_with("examples/draft.txt,")).count(), 13);
}

#[test]
fn missing_corpus_and_usage_errors() {
    let run = chachong(&["check", "--corpus", "no-such-corpus", "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no-such-corpus"));
    assert!(!root().join("no-such-corpus").exists(), "a missing corpus is not created");
    assert_eq!(chachong(&["check"]).status.code(), Some(2), "a draft is required");
    assert_eq!(chachong(&["frobnicate"]).status.code(), Some(2));
}

/// The military formula of the 2021 and 2023 reports (two documents of the corpus below, so
/// document frequency does not call it 套话, and two independent writers, so it is no copy of
/// either) counts as 套话 once a user's lexicon lists it.
#[test]
fn a_user_lexicon_makes_a_formula_boilerplate() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    for year in [2021, 2022, 2023] {
        let name = format!("{year}_国务院_政府工作报告.txt");
        std::fs::copy(root().join("corpus/govreports/national").join(&name), corpus.join(&name))
            .expect("copy");
    }
    let draft = dir.path().join("draft.txt");
    std::fs::write(&draft, "全面推进政治建军、改革强军、科技强军、人才强军、依法治军。\n").expect("write");
    let lexicon = dir.path().join("提法.txt");
    std::fs::write(&lexicon, "# 强军的提法\n政治建军、改革强军、科技强军、人才强军、依法治军\n")
        .expect("write");
    let verdict = |extra: &[&str]| {
        let out = dir.path().join(format!("out{}", extra.len()));
        let mut args = vec!["check", "--no-index", "--corpus"];
        let (corpus, out_s, draft) =
            (corpus.to_str().unwrap(), out.to_str().unwrap(), draft.to_str().unwrap());
        args.extend([corpus, "--out", out_s]);
        args.extend(extra);
        args.push(draft);
        let o = chachong(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let paragraphs = read(&out.join("paragraphs.csv"));
        paragraphs.lines().nth(1).expect("one paragraph").split(',').nth(5).expect("verdict").to_string()
    };
    assert_eq!(verdict(&[]), "original");
    assert_eq!(verdict(&["--taohua", lexicon.to_str().unwrap()]), "boilerplate");

    let missing = chachong(&["check", "--taohua", "无此文件.txt", "examples/draft.docx"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("无此文件.txt") && stderr.contains("cannot read the 套话 lexicon"), "{stderr}");
}
