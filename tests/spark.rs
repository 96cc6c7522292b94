//! The Spark path of an audit (docs/scale.md): `chachong export`, `spark/candidates.py` in local
//! mode, `chachong audit --candidates`, on the shipped corpus and on the audit fixtures' corpus
//! (tests/fixtures/audit), gives byte for byte the reports of the in-process `chachong audit`.
//! Needs Java and pyspark (.ci/run installs both); built with `--features spark`.

#![cfg(feature = "spark")]

mod common;

use chachong::export::columns::{Table, Values};
use common::{missing_tool, root};
use std::path::Path;
use std::process::Command;

const REPORTS: [&str; 6] =
    ["paragraphs.csv", "spans.csv", "documents.csv", "pairs.csv", "clusters.csv", "cluster_members.csv"];

fn chachong(args: &[&str]) -> std::process::Output {
    let out =
        Command::new(env!("CARGO_BIN_EXE_chachong")).args(args).current_dir(root()).output().expect("runs");
    assert!(out.status.success(), "chachong {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Whether Spark can run here, saying so (and failing under CI=true) when it cannot.
fn spark_available(test: &str) -> bool {
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    let pyspark =
        Command::new("python3").args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    if !java || !pyspark {
        missing_tool(test, "Java or pyspark (pip install pyspark) is missing");
    }
    java && pyspark
}

fn spark_candidates(export: &Path, out: &Path) {
    let job = root().join("spark/candidates.py");
    let run = Command::new("python3")
        .arg(&job)
        .args([export, out])
        .args(["--files", "3", "--master", "local[2]"])
        .output()
        .expect("python3 runs");
    assert!(run.status.success(), "candidates.py: {}", String::from_utf8_lossy(&run.stderr));
}

/// Audits `corpus` both ways and compares every report byte for byte.
fn same_reports(corpus: &str, part_paragraphs: &str) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let p = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    // Small parts, so that the job reads a table of several files as a cluster would.
    chachong(&["export", "--corpus", corpus, "--out", &p("export"), "--part-paragraphs", part_paragraphs]);
    let parts = std::fs::read_dir(tmp.path().join("export/shingles")).expect("shingles").count();
    assert!(parts >= 2, "{corpus}: {parts} parts");
    spark_candidates(&tmp.path().join("export"), &tmp.path().join("cand"));
    chachong(&["audit", "--corpus", corpus, "--out", &p("in")]);
    chachong(&["audit", "--corpus", corpus, "--candidates", &p("cand"), "--out", &p("spark")]);
    for name in REPORTS {
        let a = std::fs::read(tmp.path().join("in").join(name)).expect("in-process report");
        let b = std::fs::read(tmp.path().join("spark").join(name)).expect("Spark-path report");
        assert!(a.len() > 200, "{corpus} {name}: {} bytes", a.len());
        assert!(a == b, "{corpus} {name} differs between the in-process and the Spark path");
    }
}

#[test]
fn the_spark_path_gives_the_reports_of_the_in_process_audit() {
    if !spark_available("the_spark_path_gives_the_reports_of_the_in_process_audit") {
        return;
    }
    same_reports("corpus", "700");
    same_reports("tests/fixtures/audit/corpus", "40");
}

/// Candidates of another export version, or a candidates table without one of its columns, are
/// refused with one line naming the file and the reason.
#[test]
fn candidates_of_another_version_or_without_a_column_are_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let write = |table: &str, t: Table| {
        std::fs::create_dir_all(dir.join(table)).expect("mkdir");
        t.write(std::fs::File::create(dir.join(table).join("part-00000.parquet")).expect("file"))
            .expect("writes");
    };
    let meta = |version: &str| Table {
        columns: vec![
            ("key", Values::Str(["format", "format_version"].map(String::from).to_vec())),
            ("value", Values::Str(vec!["chachong-export".into(), version.into()])),
        ],
    };
    let audit = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_chachong"))
            .args(["audit", "--corpus", "corpus", "--out"])
            .arg(dir.join("reports"))
            .arg("--candidates")
            .arg(dir)
            .current_dir(root())
            .output()
            .expect("runs")
    };
    write("meta", meta("0"));
    write(
        "candidates",
        Table { columns: vec![("doc", Values::I32(vec![0])), ("para", Values::I32(vec![0]))] },
    );
    let out = audit(dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.trim_end().ends_with(&format!(
            "{}: export format version 0, this chachong reads version 2: export the corpus again",
            dir.join("meta").display()
        )),
        "{err}"
    );
    assert!(!dir.join("reports").exists());
    // The right version and corpus, but the candidates lack their `candidate` column.
    let keys = ["format", "format_version", "documents", "paragraphs", "min_run"];
    let values = ["chachong-export", "2", "46", "3082", "13"];
    write(
        "meta",
        Table {
            columns: vec![
                ("key", Values::Str(keys.map(String::from).to_vec())),
                ("value", Values::Str(values.map(String::from).to_vec())),
            ],
        },
    );
    let out = audit(dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.trim_end().ends_with(&format!(
            "{}: missing column candidate",
            dir.join("candidates/part-00000.parquet").display()
        )),
        "{err}"
    );
}
