//! Helpers shared by the integration tests: the shipped corpus, copied without some files.

#![allow(dead_code)]

use chachong::analyze::Analyzer;
use chachong::check::{Checker, Corpus};
use chachong::params::Settings;
use chachong::report::DraftReport;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One analyzer for all tests of a binary (jieba takes 0.15 s to load).
pub fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::new)
}

/// A copy of `corpus/` without the files whose relative paths are in `without`.
pub fn corpus_without(without: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&root().join("corpus"), dir.path(), Path::new(""), without);
    dir
}

fn copy_tree(from: &Path, to: &Path, rel: &Path, without: &[&str]) {
    for entry in std::fs::read_dir(from.join(rel)).expect("corpus folder") {
        let entry = entry.expect("entry");
        let rel = rel.join(entry.file_name());
        let name = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(to.join(&rel)).expect("mkdir");
            copy_tree(from, to, &rel, without);
        } else if !without.contains(&name.as_str()) {
            std::fs::copy(entry.path(), to.join(&rel)).expect("copy");
        }
    }
}

/// Loads a corpus folder; panics on unreadable files (the shipped corpus has none).
pub fn load(dir: &Path) -> Corpus {
    let (corpus, errors) = Corpus::load(dir, analyzer(), &|_| {}, &|_| {}).expect("corpus loads");
    assert!(errors.is_empty(), "{errors:?}");
    corpus
}

/// Checks one draft file against a loaded corpus with default settings.
pub fn check(corpus: &Corpus, draft: &Path) -> DraftReport {
    let checker = Checker { analyzer: analyzer(), corpus, settings: Settings::default() };
    checker.check_file(draft, &draft.display().to_string()).expect("draft reads")
}

/// The chars `start..end` of `text`.
pub fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Says that a tool a test needs is missing. Under `CI=true` this fails the test (.ci/run installs
/// every such tool, so a missing one means the run tested less than it claims); elsewhere it
/// prints a `SKIPPED` line past the test harness's capture, so the skip shows in `cargo test`.
pub fn missing_tool(test: &str, what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {what}, and CI=true: .ci/run installs it, so this run cannot skip it");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {what}");
}
