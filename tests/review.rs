//! `chachong review` as a user runs it: on the sample draft's reports as check wrote them and as
//! Excel and WPS save them (tests/fixtures/review, made by make_fixtures.py there), with files
//! missing or changed, with filters, and as HTML.

mod common;

use common::root;
use std::path::Path;
use std::process::{Command, Output};

fn chachong_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn chachong(args: &[&str]) -> Output {
    chachong_in(&root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn expected() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/review/expected.txt")).expect("expected output")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn reports_saved_by_excel_and_wps_review_exactly_as_expected() {
    // excel/: UTF-8 with BOM, CRLF, General-format numbers, rows sorted by score.
    // wps-gbk/: GBK without BOM, CRLF, a reviewer's column added, rows in verdict order.
    for dir in ["tests/fixtures/review/excel", "tests/fixtures/review/wps-gbk"] {
        let run = chachong(&["review", dir]);
        assert_eq!(run.status.code(), Some(0), "{dir}: {}", stderr(&run));
        assert_eq!(stderr(&run), "", "{dir}");
        assert_eq!(stdout(&run), expected(), "{dir}");
    }
}

#[test]
fn a_fresh_report_is_found_again_through_its_manifest_from_anywhere() {
    let out = tempfile::tempdir().expect("tmp");
    let o = path_str(out.path());
    let run = chachong(&["check", "--out", o, "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let manifest = std::fs::read_to_string(out.path().join("chachong-run.txt")).expect("manifest written");
    let draft_abs = root().join("examples/draft.txt");
    assert!(
        manifest.contains(&format!("draft\texamples/draft.txt\t{}\t", draft_abs.display())),
        "{manifest}"
    );
    assert!(manifest.contains(&format!("corpus\t{}\n", root().join("corpus").display())), "{manifest}");
    assert!(manifest.contains("source\tgovreports/national/2025_国务院_政府工作报告.txt\t"), "{manifest}");
    // From another folder, where neither examples/ nor corpus/ exist.
    let run = chachong_in(out.path(), &["review", "."]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(stdout(&run), expected());
}

#[test]
fn check_html_and_review_html_are_the_same_page() {
    let out = tempfile::tempdir().expect("tmp");
    let o = path_str(out.path());
    let a = out.path().join("a.html");
    let b = out.path().join("b.html");
    let run = chachong(&["check", "--out", o, "--html", path_str(&a), "examples/draft.txt"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stdout(&run).contains(&format!("HTML report written to {}", a.display())));
    let run = chachong(&["review", o, "--html", path_str(&b)]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(stdout(&run), format!("HTML report written to {}\n", b.display()));
    let (a, b) = (std::fs::read_to_string(a).expect("a"), std::fs::read_to_string(b).expect("b"));
    // The sources' shares review works out from spans.csv are check's own figures.
    assert_eq!(a, b);
    // Self-contained: nothing to fetch.
    for outside in ["http:", "https:", "src=", "<link", "@import", "url("] {
        assert!(!a.contains(outside), "{outside}");
    }
    assert_eq!(a.matches("<script").count(), 1);
}

#[test]
fn missing_and_changed_files_are_said_and_the_rest_is_shown() {
    let tmp = tempfile::tempdir().expect("tmp");
    let draft = tmp.path().join("draft.txt");
    std::fs::copy(root().join("examples/draft.txt"), &draft).expect("copy");
    let corpus = root().join("corpus");
    let run = chachong_in(tmp.path(), &["check", "--corpus", path_str(&corpus), "--out", "out", "draft.txt"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));

    // The draft moved away: the report and the sources are still shown.
    std::fs::rename(&draft, tmp.path().join("moved.txt")).expect("move");
    let run = chachong_in(tmp.path(), &["review", "out"]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("chachong: draft draft.txt: cannot read {}: ", draft.display())),
        "{err}"
    );
    assert!(err.contains("showing its report without the text"), "{err}");
    let out = stdout(&run);
    assert!(out.contains("复制比 copied 47.2%"), "{out}");
    assert!(
        out.contains("    (draft text not found; the report's excerpt:) 实施提振消费专项行动。"),
        "{out}"
    );
    assert!(out.contains("      【实施提振消费专项行动。"), "the source paragraph is shown: {out}");
    // Without the text, only documents.csv's top source is known.
    assert!(
        out.contains(
            "  top sources:\n    14.5% govreports/national/2024_国务院_政府工作报告.txt\n  template"
        ),
        "{out}"
    );
    // The HTML page says the same, and shows the report's excerpts.
    let run = chachong_in(tmp.path(), &["review", "out", "--html", "r.html"]);
    assert_eq!(run.status.code(), Some(2));
    let page = std::fs::read_to_string(tmp.path().join("r.html")).expect("page written all the same");
    assert!(page.contains("<ul class=\"problems\">\n<li>draft draft.txt: cannot read "), "{page}");
    assert!(page.contains(
        "<p class=\"txt missing\">实施提振消费专项行动。制定提升消费能力、增加优质供给、改善消费环境专项措施，释放…</p>"
    ));
    assert_eq!(page.matches("<p class=\"txt missing\">").count(), 13);

    // Back, but edited since the check.
    let text = std::fs::read_to_string(tmp.path().join("moved.txt")).expect("read");
    std::fs::write(&draft, text.replace("同志们，任务已经明确", "同志们，任务已经非常明确")).expect("write");
    let run = chachong_in(tmp.path(), &["review", "out"]);
    assert_eq!(run.status.code(), Some(0));
    let err = stderr(&run);
    assert!(err.contains("draft draft.txt: ") && err.contains("has changed since the check"), "{err}");
    assert!(err.contains("paragraph 13 is not at chars 2161–2226"), "{err}");

    // A corpus that is not there: the drafts are shown, the sources are not.
    std::fs::write(&draft, &text).expect("restore");
    let run = chachong_in(tmp.path(), &["review", "out", "--corpus", "no-such-corpus"]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(
        err.contains("chachong: source govreports/national/2025_国务院_政府工作报告.txt: cannot read ")
            && err.contains("no-such-corpus/govreports/national/2025_国务院_政府工作报告.txt")
            && !err.contains("give the corpus folder"),
        "{err}"
    );
    let out = stdout(&run);
    assert!(out.contains("    【实施提振消费专项行动。"), "{out}");
    assert!(out.contains("      (source text not found)"), "{out}");

    // No report at all.
    let run = chachong_in(tmp.path(), &["review", "nowhere"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("nowhere: cannot open the report folder"), "{}", stderr(&run));
    let run = chachong_in(tmp.path(), &["review", "."]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("paragraphs.csv: not found"), "{}", stderr(&run));
}

#[test]
fn verdict_score_and_draft_filters() {
    let out = tempfile::tempdir().expect("tmp");
    let o = path_str(out.path());
    let run = chachong(&["check", "--out", o, "examples/draft.txt", "examples/draft.docx"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let heads = |args: &[&str]| -> Vec<String> {
        let run = chachong(&[&["review", o][..], args].concat());
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
        stdout(&run).lines().filter(|l| l.starts_with("  ¶")).map(|l| l.trim().to_string()).collect()
    };
    let both = heads(&["--verdict", "partial"]);
    assert_eq!(both.len(), 2, "one per draft: {both:?}");
    assert!(both[0].starts_with("¶5 partial 部分复制 · score 0.185"), "{both:?}");
    let strong = heads(&["--min-score", "0.95", "--draft", "draft.docx"]);
    let paras: Vec<&str> = strong.iter().filter_map(|h| h.split_whitespace().next()).collect();
    assert_eq!(paras, ["¶6", "¶9"], "{strong:?}");
    let flagged = heads(&["--verdict", "flagged", "--draft", "examples/draft.txt"]);
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert_eq!(heads(&["--verdict", "all", "--draft", "draft.txt"]).len(), 13);

    let run = chachong(&["review", o, "--draft", "nope.txt"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run)
        .contains("no draft \"nope.txt\" in the report (it has: examples/draft.txt, examples/draft.docx)"));
    let run = chachong(&["review", o, "--verdict", "copied"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("unknown \"copied\""), "{}", stderr(&run));
    assert_eq!(chachong(&["review", o, "--min-score", "2"]).status.code(), Some(2));

    // Colors on request; never the bracket markers then.
    let run = chachong(&["review", o, "--color", "always", "--draft", "draft.txt"]);
    let text = stdout(&run);
    assert!(text.contains("\x1b[1;31m实施提振消费专项行动。"), "{text}");
    assert!(text.contains("\x1b[4;33mX次\x1b[0m"), "{text}");
    assert!(!text.contains('【'));
}
