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
    // Columns after the contract's (findings) come at the end.
    assert!(spans.starts_with("\u{feff}draft,para,start,end,source,source_start,source_end,kind,"));
    assert!(spans.contains(
        "examples/draft.txt,6,669,964,govreports/national/2025_国务院_政府工作报告.txt,6974,7269,copy,\n"
    ));
    let documents = read(&out.path().join("documents.csv"));
    let row = documents.lines().nth(1).expect("one row");
    assert!(row.starts_with("examples/draft.txt,13,"), "{row}");
    assert!(
        row.ends_with(",watermark:笔杆儿网;placeholder:*区;placeholder:XXX同;placeholder:X次,ok,0,,,,0,"),
        "{row}"
    );
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

/// The sample draft's 复制比 is shown as 47.2 %: `--fail-over` compares that figure, takes it as a
/// percentage too, and says which draft was over and by how much.
#[test]
fn fail_over_compares_the_figure_shown() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let run = chachong(&["check", "--fail-over", "47%", "--out", o, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("复制比 copied 47.2%"), "{stdout}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("examples/draft.txt: 复制比 47.2% is over --fail-over 47.0% by 0.2 points"),
        "{stderr}"
    );
    for limit in ["47.2%", "0.472", "0.5"] {
        let run = chachong(&["check", "--fail-over", limit, "--out", o, "examples/draft.txt"]);
        assert_eq!(run.status.code(), Some(0), "{limit}: {}", String::from_utf8_lossy(&run.stderr));
    }
}

/// A draft with no text to compare is 0 % copied only because nothing was compared: it is said,
/// `status` says `empty`, and under `--fail-over` it fails the run as a draft that could not be
/// checked.
#[test]
fn an_empty_draft_is_said_and_fails_the_gate() {
    let dir = tempfile::tempdir().expect("tmp");
    let empty = dir.path().join("empty.txt");
    let punctuation = dir.path().join("punctuation.txt");
    std::fs::write(&empty, "").expect("write");
    std::fs::write(&punctuation, "，。——\n（）\n").expect("write");
    let out = dir.path().join("out");
    let (e, p, o) = (empty.to_str().unwrap(), punctuation.to_str().unwrap(), out.to_str().unwrap());
    let run = chachong(&["check", "--out", o, e, p, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&format!("{e}: no text to check")), "{stderr}");
    assert!(stderr.contains(&format!("checked 1 of 3 drafts; 2 had no text to check: {e}, {p}")), "{stderr}");
    let documents = read(&out.join("documents.csv"));
    // `status` is the ninth column (the findings' columns follow it).
    let status: Vec<&str> = documents.lines().skip(1).map(|l| l.split(',').nth(8).unwrap_or("")).collect();
    assert_eq!(status, ["empty", "empty", "ok"], "{documents}");
    let run = chachong(&["check", "--fail-over", "0.9", "--out", o, e, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains(&format!("--fail-over: {e} had no text to check")));
}

/// A mistyped draft name leaves the previous reports as they were; a batch with one unreadable
/// draft lists it in documents.csv with the reason and ends with a total.
#[test]
fn a_run_with_no_readable_draft_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out");
    let o = out.to_str().expect("utf-8 path");
    assert_eq!(chachong(&["check", "--out", o, "examples/draft.txt"]).status.code(), Some(0));
    let before = read(&out.join("paragraphs.csv"));
    let run = chachong(&["check", "--out", o, "nosuch.docx"]);
    assert_eq!(run.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(!stdout.contains("reports written"), "{stdout}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cannot check nosuch.docx"), "{stderr}");
    assert!(
        stderr.contains(&format!("no draft could be read (1 given): no report written, {o} is as it was")),
        "{stderr}"
    );
    assert_eq!(read(&out.join("paragraphs.csv")), before, "the previous report is kept");
    let documents = read(&out.join("documents.csv"));
    assert_eq!(documents.lines().count(), 2, "{documents}");
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
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("cannot check examples/no-such-draft.txt"), "{stderr}");
    assert_eq!(lines[1], "chachong: checked 1 of 2 drafts; 1 could not be read: examples/no-such-draft.txt");
    let paragraphs = read(&out.path().join("paragraphs.csv"));
    assert_eq!(paragraphs.lines().filter(|l| l.starts_with("examples/draft.txt,")).count(), 13);
    let documents = read(&out.path().join("documents.csv"));
    let rows: Vec<&str> = documents.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{documents}");
    assert!(rows[0].starts_with("examples/draft.txt,13,") && rows[0].contains(",ok,"), "{documents}");
    assert_eq!(
        rows[1],
        "examples/no-such-draft.txt,,,,,,,,unreadable: cannot read file: No such file or directory (os error 2),,,,,,"
    );
    let review = chachong(&["review", "--color", "never", o]);
    assert_eq!(review.status.code(), Some(0), "the draft that was read is shown");
    assert!(String::from_utf8_lossy(&review.stderr).contains(
        "draft examples/no-such-draft.txt was not checked: cannot read file: No such file or directory"
    ));
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

/// A paragraph that starts like a formula is written so Excel and WPS show it as text (a leading
/// `'`), and review reads the original text back.
#[test]
fn formula_like_cells_are_text_in_the_csv_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let draft = dir.path().join("=draft.txt");
    let formula = "=HYPERLINK(\"http://example.com\",\"点击查看全文\")";
    let list_item = "-加快建设现代化产业体系，推动传统产业转型升级。";
    std::fs::write(&draft, format!("{formula}\n{list_item}\n")).expect("write");
    let out = dir.path().join("out");
    let (d, o) = (draft.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let run = chachong(&["check", "--no-bom", "--out", o, d]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let paragraphs = read(&out.join("paragraphs.csv"));
    let mut reader = csv::Reader::from_reader(paragraphs.as_bytes());
    let excerpts: Vec<String> = reader.records().map(|r| r.expect("row")[12].to_string()).collect();
    assert_eq!(excerpts.len(), 2, "{paragraphs}");
    assert!(excerpts[0].starts_with("'=HYPERLINK(\"http://example.com\""), "{paragraphs}");
    assert_eq!(excerpts[1], format!("'{list_item}"));
    let review = chachong(&["review", "--verdict", "all", "--color", "never", o]);
    assert_eq!(review.status.code(), Some(0), "{}", String::from_utf8_lossy(&review.stderr));
    let shown = String::from_utf8_lossy(&review.stdout);
    assert!(shown.contains(formula) && !shown.contains(&format!("'{formula}")), "{shown}");
    assert!(shown.contains(d), "{shown}");
}

/// A draft named twice is checked once; a draft that is itself a file of the corpus is checked
/// against the other documents (it is no source of itself), while a copy of it outside the corpus
/// is that file's copy.
#[test]
fn a_draft_given_twice_or_from_the_corpus() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out");
    let o = out.to_str().expect("utf-8 path");
    let seed = "corpus/seeds/003_68c3191184ca8c9f.txt";
    let copy = dir.path().join("copy.txt");
    std::fs::copy(root().join(seed), &copy).expect("copy");
    let c = copy.to_str().expect("utf-8 path");
    let run = chachong(&["check", "--no-index", "--out", o, seed, &format!("./{seed}"), c]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&format!("./{seed}: given more than once, checked once")), "{stderr}");
    assert!(
        stderr.contains(&format!("{seed}: a file of the corpus, checked against the other corpus documents"))
    );
    let documents = read(&out.join("documents.csv"));
    let mut reader = csv::Reader::from_reader(documents.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<(String, String)> =
        reader.records().map(|r| r.expect("row")).map(|r| (r[0].to_string(), r[5].to_string())).collect();
    assert_eq!(rows.len(), 2, "{documents}");
    assert_eq!(rows[0].0, seed);
    assert_ne!(rows[0].1, "seeds/003_68c3191184ca8c9f.txt", "not its own source");
    assert_eq!(rows[1], (c.to_string(), "seeds/003_68c3191184ca8c9f.txt".to_string()));
}
