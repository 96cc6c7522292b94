//! A stored index that a killed rebuild, a flipped byte or a damaged length field has touched:
//! every check either gives exactly the report of `check --no-index` or fails, naming the file,
//! with "index damaged: run chachong index --rebuild" — never a panic, an abort or a wrong report.

mod common;

use common::{corpus_without, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn chachong(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chachong")).args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What a check wrote: its exit status, stderr, and the three CSVs' bytes (empty when absent).
struct Checked {
    code: Option<i32>,
    stderr: String,
    reports: Vec<Vec<u8>>,
}

/// Checks the sample draft against `corpus`, with the index in `index` or without an index.
fn check(corpus: &Path, index: Option<&Path>) -> Checked {
    let out = tempfile::tempdir().expect("tmp");
    let draft = root().join("examples/draft.txt");
    let mut args = vec!["check", "--corpus", corpus.to_str().unwrap(), "--out", out.path().to_str().unwrap()];
    match index {
        Some(i) => args.extend(["--index", i.to_str().unwrap()]),
        None => args.push("--no-index"),
    }
    args.push(draft.to_str().unwrap());
    let run = chachong(&args);
    let reports = ["paragraphs.csv", "spans.csv", "documents.csv"]
        .iter()
        .map(|f| std::fs::read(out.path().join(f)).unwrap_or_default())
        .collect();
    Checked { code: run.status.code(), stderr: text(&run.stderr), reports }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Adds `copies` copies of every document of the corpus, each with one char changed per sentence,
/// so that a build takes long enough to be killed part-way.
fn grow(corpus: &Path, copies: usize) {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(rel) = dirs.pop() {
        for entry in std::fs::read_dir(corpus.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                dirs.push(rel.join(entry.file_name()));
            } else {
                files.push(rel.join(entry.file_name()));
            }
        }
    }
    for n in 0..copies {
        for rel in &files {
            let to = corpus.join(format!("copies{n}")).join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            let text = std::fs::read_to_string(corpus.join(rel)).unwrap().replace('。', &format!("。{n}"));
            std::fs::write(to, text).unwrap();
        }
    }
}

#[test]
fn a_rebuild_killed_at_any_point_leaves_an_index_that_answers_like_no_index() {
    let corpus = corpus_without(&[]);
    grow(corpus.path(), 8);
    let dir = tempfile::tempdir().unwrap();
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());
    let expected = check(corpus.path(), None);
    assert_eq!(expected.code, Some(0), "{}", expected.stderr);
    assert!(!expected.reports[0].is_empty());

    let built = chachong(&["index", "--corpus", c, "--index", i]);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let started = Instant::now();
    let rebuilt = chachong(&["index", "--corpus", c, "--index", i, "--rebuild"]);
    let full = started.elapsed();
    assert_eq!(rebuilt.status.code(), Some(0), "{}", text(&rebuilt.stderr));

    // Kills spread through a whole rebuild: loading, fingerprinting, writing, switching.
    let mut kills = 0;
    for percent in [3, 10, 20, 35, 50, 65, 80, 90, 97] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chachong"))
            .args(["index", "--corpus", c, "--index", i, "--rebuild"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full * percent / 100);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix: no cleanup runs.
            kills += 1;
        }
        child.wait().unwrap();

        let after = check(corpus.path(), Some(dir.path()));
        assert_eq!(after.code, Some(0), "killed at {percent} % of {full:?}: {}", after.stderr);
        assert!(after.reports == expected.reports, "killed at {percent} % of {full:?}: another report");
        // The check removed what the killed build left: the lock, the manifest and one segment.
        let files = files_in(dir.path());
        assert!(
            files.len() == 3 && files[0] == "lock" && files[1] == "manifest" && files[2].starts_with("seg-"),
            "killed at {percent} %: {files:?}"
        );
    }
    assert!(
        kills >= 5,
        "only {kills} rebuilds were killed mid-way: the corpus builds too fast for this test"
    );
}

#[test]
fn a_rebuild_replaces_a_damaged_manifest() {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());
    assert_eq!(chachong(&["index", "--corpus", c, "--index", i]).status.code(), Some(0));
    std::fs::write(dir.path().join("manifest"), "garbage\n").unwrap();
    let damaged = check(corpus.path(), Some(dir.path()));
    assert_eq!(damaged.code, Some(2));
    assert!(damaged.stderr.contains("not a chachong index manifest"), "{}", damaged.stderr);

    let rebuilt = chachong(&["index", "--corpus", c, "--index", i, "--rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", text(&rebuilt.stderr));
    assert_eq!(files_in(dir.path()), vec!["lock", "manifest", "seg-000001.ccx"]);
    let after = check(corpus.path(), Some(dir.path()));
    assert!(after.code == Some(0) && after.reports == check(corpus.path(), None).reports, "{}", after.stderr);
}
