//! The stored index: the same reports as an in-memory check, incremental updates equal to a fresh
//! build, a build killed mid-way leaving the old index usable, and indexes it must refuse.

mod common;

use chachong::check::Corpus;
use chachong::index::segment::{FileKind, IndexFile, Section};
use chachong::index::store::{self, Progress, UpdateOptions, UpdateReport};
use chachong::report::{write_reports, DraftReport};
use common::{analyzer, check, corpus_without, load, root};
use std::path::{Path, PathBuf};
use std::process::Command;

const QUIET: Progress = Progress { files_found: &|_| {}, tick: &|_| {}, say: &|_| {} };

fn open_indexed(corpus: &Path, dir: &Path) -> (Corpus, UpdateReport) {
    Corpus::open_indexed(corpus, dir, &analyzer, UpdateOptions::default(), &QUIET).expect("index opens")
}

/// The three CSVs as bytes, as `check` writes them.
fn report_bytes(reports: &[DraftReport]) -> Vec<Vec<u8>> {
    let out = tempfile::tempdir().expect("tmp");
    write_reports(out.path(), reports, &[], true, chachong::table::Lang::En).expect("reports written");
    ["paragraphs.csv", "spans.csv", "documents.csv"]
        .iter()
        .map(|f| std::fs::read(out.path().join(f)).expect("report"))
        .collect()
}

fn drafts() -> Vec<PathBuf> {
    vec![
        root().join("examples/draft.docx"),
        root().join("examples/draft.txt"),
        root().join("tests/fixtures/check/gbk_draft.txt"),
    ]
}

fn reports(corpus: &Corpus) -> Vec<Vec<u8>> {
    report_bytes(&drafts().iter().map(|d| check(corpus, d)).collect::<Vec<_>>())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn reports_with_the_index_are_byte_identical_to_reports_without() {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (indexed, built) = open_indexed(corpus.path(), dir.path());
    assert_eq!((built.added, built.changed, built.removed, built.segments_written), (46, 0, 0, 1));
    let in_memory = load(corpus.path());
    assert_eq!(reports(&indexed), reports(&in_memory));
    assert_eq!(files_in(dir.path()), vec!["lock", "manifest", "seg-000001.ccx"]);

    // Opened again, nothing to do; the answers come from the mapped files.
    let (again, report) = open_indexed(corpus.path(), dir.path());
    assert!(!report.wrote());
    assert_eq!(report.unchanged, 46);
    assert_eq!(reports(&again), reports(&in_memory));
    assert_eq!(store::verify(dir.path()).unwrap(), 1);
}

#[test]
fn an_incremental_update_answers_like_a_fresh_build() {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    open_indexed(corpus.path(), dir.path());

    let c = corpus.path();
    // Added: a seed under a new name. Changed: a report with a paragraph appended. Removed: one.
    std::fs::copy(c.join("seeds/000_9947b52c349c4fd4.txt"), c.join("seeds/000_copy.txt")).unwrap();
    let changed = c.join("govreports/national/2024_国务院_政府工作报告.txt");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\n坚持以人民为中心的发展思想，扎实推进共同富裕，办好人民满意的教育。\n");
    std::fs::write(&changed, text).unwrap();
    std::fs::remove_file(c.join("govreports/provincial_2026/2026_四川省_政府工作报告.txt")).unwrap();
    // Touched but not changed: size and mtime differ from the index, the content hash does not.
    let touched = c.join("seeds/001_440a4fa48f8209b1.txt");
    let bytes = std::fs::read(&touched).unwrap();
    std::fs::write(&touched, &bytes).unwrap();

    let (updated, report) = open_indexed(c, dir.path());
    assert_eq!((report.added, report.changed, report.removed, report.unchanged), (1, 1, 1, 44));
    assert!(!report.compacted);
    assert_eq!(
        files_in(dir.path()),
        vec!["del-000003.ccx", "lock", "manifest", "seg-000001.ccx", "seg-000002.ccx"]
    );

    let fresh_dir = tempfile::tempdir().unwrap();
    let (fresh, _) = open_indexed(c, fresh_dir.path());
    let in_memory = load(c);
    assert_eq!(updated.len(), 46);
    assert_eq!(reports(&updated), reports(&fresh));
    assert_eq!(reports(&updated), reports(&in_memory));

    // Compaction merges the segments and drops the removed documents: same answers again.
    let (compacted, report) = Corpus::open_indexed(
        c,
        dir.path(),
        &analyzer,
        UpdateOptions { compact: true, ..Default::default() },
        &QUIET,
    )
    .unwrap();
    assert!(report.compacted);
    assert_eq!(files_in(dir.path()), vec!["lock", "manifest", "seg-000004.ccx"]);
    assert_eq!(reports(&compacted), reports(&in_memory));
    // Section by section, the compacted segment is the fresh build's; only the touched file's
    // mtime differs (the index keeps the mtime it saw when it last read the file).
    let open = |p: PathBuf| IndexFile::open(&p, FileKind::Segment).unwrap();
    let (merged, built) =
        (open(dir.path().join("seg-000004.ccx")), open(fresh_dir.path().join("seg-000001.ccx")));
    for section in [
        Section::DocStart,
        Section::ParaDoc,
        Section::PostKeys,
        Section::PostParas,
        Section::DfKeys,
        Section::DfCounts,
        Section::Simhashes,
        Section::SimTable0,
        Section::SimTable3,
        Section::Names,
        Section::Paras,
        Section::TextOffsets,
        Section::Texts,
    ] {
        assert!(merged.raw(section) == built.raw(section), "{section:?} differs");
    }
}

#[test]
fn the_stored_text_answers_when_the_corpus_folder_is_gone() {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (indexed, _) = open_indexed(corpus.path(), dir.path());
    let before = reports(&indexed);
    drop(indexed);
    let moved = tempfile::tempdir().unwrap();
    let gone = corpus.path().to_path_buf();
    std::fs::rename(&gone, moved.path().join("elsewhere")).unwrap();
    let (stored, report) = open_indexed(&gone, dir.path());
    assert!(!report.wrote());
    assert_eq!(reports(&stored), before);
}

fn chachong(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chachong")).args(args).output().expect("the binary runs")
}

#[test]
fn an_index_of_another_format_version_is_refused_with_advice() {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    open_indexed(corpus.path(), dir.path());
    let seg = dir.path().join("seg-000001.ccx");
    let mut bytes = std::fs::read(&seg).unwrap();
    bytes[8] = 1;
    // As a file written by that version would be: its header sums right (a flipped version byte
    // alone is damage, tests/index_damage.rs).
    let table_end = 64 + 32 * u32::from_le_bytes(bytes[32..36].try_into().unwrap()) as usize;
    let mut head = bytes[..40].to_vec();
    head.extend_from_slice(&bytes[64..table_end]);
    let sum = xxhash_rust::xxh3::xxh3_64(&head);
    bytes[40..48].copy_from_slice(&sum.to_le_bytes());
    std::fs::write(&seg, bytes).unwrap();
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());
    let out = tempfile::tempdir().unwrap();
    let draft = root().join("examples/draft.txt");
    let run = chachong(&[
        "check",
        "--corpus",
        c,
        "--index",
        i,
        "--out",
        out.path().to_str().unwrap(),
        draft.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "index format version 1, this chachong reads versions {} to {}",
            chachong::params::OLDEST_READABLE_FORMAT_VERSION,
            chachong::params::INDEX_FORMAT_VERSION
        )) && stderr.contains("chachong index --rebuild --corpus DIR"),
        "{stderr}"
    );
    assert!(!out.path().join("paragraphs.csv").exists());

    let rebuilt = chachong(&["index", "--corpus", c, "--index", i, "--rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    let verified = chachong(&["index", "--corpus", c, "--index", i, "--verify"]);
    assert_eq!(
        String::from_utf8_lossy(&verified.stdout),
        format!("index {i}: 1 files, every checksum matches\n")
    );
}

/// Copies of the corpus's reports with one char changed per paragraph, so that a build takes long
/// enough to be killed part-way.
fn grow(corpus: &Path, copies: usize) {
    for n in 0..copies {
        let to = corpus.join(format!("copies/{n}"));
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(corpus.join("govreports/provincial_2026")).unwrap() {
            let entry = entry.unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap().replace('。', &format!("。{n}"));
            std::fs::write(to.join(entry.file_name()), text).unwrap();
        }
    }
}

#[test]
fn a_build_killed_mid_way_leaves_the_old_index_answering() {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (old, _) = open_indexed(corpus.path(), dir.path());
    let expected = reports(&old);
    drop(old);
    grow(corpus.path(), 6);
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());

    let mut kills = 0;
    for delay_ms in [30, 80, 150, 250, 400, 600] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chachong"))
            .args(["index", "--corpus", c, "--index", i])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix: no cleanup runs.
            kills += 1;
        }
        child.wait().unwrap();
        let index = store::open(dir.path()).expect("the index opens").expect("an index is there");
        if index.docs == 46 {
            let (current, _) = (Corpus::from_index(corpus.path(), index), ());
            assert_eq!(reports(&current), expected, "killed after {delay_ms} ms");
        } else {
            assert_eq!(index.docs, 46 + 6 * 16, "a finished build holds every document");
            break;
        }
    }
    assert!(kills > 0, "no build was killed mid-way: the corpus builds too fast for this test");

    // The next run cleans up what the killed builds left and completes.
    let (done, report) = open_indexed(corpus.path(), dir.path());
    assert_eq!(done.len(), 46 + 6 * 16);
    assert!(report.added == 6 * 16 || !report.wrote());
    assert!(files_in(dir.path()).iter().all(|f| !f.ends_with(".tmp")), "{:?}", files_in(dir.path()));
}

#[test]
fn two_builds_at_once_do_not_corrupt_the_index() {
    let corpus = corpus_without(&[]);
    grow(corpus.path(), 2);
    let dir = tempfile::tempdir().unwrap();
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());
    let spawn =
        || Command::new(env!("CARGO_BIN_EXE_chachong")).args(["index", "--corpus", c, "--index", i]).output();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_eq!((a.status.code(), b.status.code()), (Some(0), Some(0)));
    let said = format!("{}{}", String::from_utf8_lossy(&a.stderr), String::from_utf8_lossy(&b.stderr));
    assert!(said.contains("updated: 78 added"), "{said}");
    assert_eq!(files_in(dir.path()), vec!["lock", "manifest", "seg-000001.ccx"]);
    let index = store::open(dir.path()).unwrap().unwrap();
    assert_eq!(index.docs, 46 + 2 * 16);
    let in_memory = load(corpus.path());
    assert_eq!(reports(&Corpus::from_index(corpus.path(), index)), reports(&in_memory));
}

#[test]
fn review_shows_a_deleted_source_from_the_stored_text() {
    let corpus = corpus_without(&[]);
    let out = tempfile::tempdir().unwrap();
    let (c, o) = (corpus.path().to_str().unwrap(), out.path().to_str().unwrap());
    let draft = root().join("examples/draft.txt");
    let checked = chachong(&["check", "--corpus", c, "--out", o, draft.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(0), "{}", String::from_utf8_lossy(&checked.stderr));
    std::fs::remove_file(corpus.path().join("govreports/national/2025_国务院_政府工作报告.txt")).unwrap();

    let review = chachong(&["review", o, "--color", "never"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&review.stdout), String::from_utf8_lossy(&review.stderr));
    assert_eq!(review.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("cannot read"), "{stderr}");
    assert!(stdout.contains("← govreports/national/2025_国务院_政府工作报告.txt ¶"), "{stdout}");
}

/// The verdict of the one-paragraph draft `tests/fixtures/formats/traditional.txt` (a paragraph
/// of seed 003 in traditional chars) and the run's stderr.
fn traditional_verdict(corpus: &str, index: &str, flags: &[&str]) -> (String, String) {
    let out = tempfile::tempdir().unwrap();
    let draft = root().join("tests/fixtures/formats/traditional.txt");
    let o = out.path().to_str().unwrap();
    let args =
        [&["check", "--corpus", corpus, "--index", index, "--out", o][..], flags, &[draft.to_str().unwrap()]];
    let run = chachong(&args.concat());
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let text = std::fs::read_to_string(out.path().join("paragraphs.csv")).unwrap();
    let verdict = text.lines().nth(1).unwrap().split(',').nth(5).unwrap().to_string();
    (verdict, stderr)
}

#[test]
fn an_index_records_its_analysis_and_a_run_of_another_is_not_answered_from_it() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::create_dir(corpus.path().join("seeds")).unwrap();
    for e in std::fs::read_dir(root().join("corpus/seeds")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, corpus.path().join("seeds").join(p.file_name().unwrap())).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());

    // Built folded: a folded check is answered from it, with no reading of the corpus.
    let built = chachong(&["index", "--corpus", c, "--index", i, "--fold-traditional"]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    let (verdict, stderr) = traditional_verdict(c, i, &["--fold-traditional"]);
    assert_eq!(verdict, "copy");
    assert!(!stderr.contains("for this run only"), "{stderr}");

    // An unfolded check would look up unfolded fingerprints in a folded index and find none of
    // the seed's (the traditional draft stays `original` either way; a simplified copy would not).
    let (verdict, stderr) = traditional_verdict(c, i, &[]);
    assert_eq!(verdict, "original");
    assert!(
        stderr.contains(
            "was built with --fold-traditional, the built-in marks: reading the corpus for this run only"
        ),
        "{stderr}"
    );
    let simplified = std::fs::read_to_string(corpus.path().join("seeds/003_68c3191184ca8c9f.txt")).unwrap();
    let para = simplified.lines().map(str::trim).find(|l| l.starts_with("一是完善学习机制")).unwrap();
    let draft = dir.path().join("simplified.txt");
    std::fs::write(&draft, para).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let run = chachong(&["check", "--corpus", c, "--index", i, "--out", o, draft.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    let text = std::fs::read_to_string(out.path().join("paragraphs.csv")).unwrap();
    assert_eq!(text.lines().nth(1).unwrap().split(',').nth(5), Some("copy"));

    // Updating it with another analysis is refused, saying how; --rebuild makes it anew.
    let update = chachong(&["index", "--corpus", c, "--index", i]);
    let stderr = String::from_utf8_lossy(&update.stderr);
    assert_eq!(update.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the index was built with --fold-traditional, the built-in marks; this run uses no --fold-traditional")
            && stderr.contains("chachong index --rebuild"),
        "{stderr}"
    );
    let rebuilt = chachong(&["index", "--corpus", c, "--index", i, "--rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    let (_, stderr) = traditional_verdict(c, i, &[]);
    assert!(!stderr.contains("for this run only"), "{stderr}");
}

#[test]
fn added_mark_rules_flag_drafts_and_are_part_of_the_index_analysis() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("corpus/seeds/003_68c3191184ca8c9f.txt"), corpus.path().join("003.txt"))
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    let rules = work.path().join("marks.tsv");
    std::fs::write(&rules, "# 本单位收集的模板网站\nwatermark\t范文网\t本文来自范文网[^。\\n]{0,20}\n")
        .unwrap();
    let draft = work.path().join("draft.txt");
    std::fs::write(&draft, "县局工作总结\n本文来自范文网，更多精彩请访问。我局全年共舉行集体学习十二次。\n")
        .unwrap();
    let index = work.path().join("idx");
    let (c, i, r) = (corpus.path().to_str().unwrap(), index.to_str().unwrap(), rules.to_str().unwrap());
    let run = |flags: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let o = out.path().to_str().unwrap();
        let args =
            [&["check", "--corpus", c, "--index", i, "--out", o][..], flags, &[draft.to_str().unwrap()]];
        let run = chachong(&args.concat());
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert_eq!(run.status.code(), Some(0), "{stderr}");
        let text = std::fs::read_to_string(out.path().join("paragraphs.csv")).unwrap();
        let flags = text.lines().nth(2).unwrap().split(',').nth(11).unwrap().to_string();
        (flags, stderr)
    };
    let (flags, _) = run(&["--marks", r]);
    assert_eq!(flags, "watermark:范文网");
    // The index was built with the added rules: a run without them reads the corpus afresh.
    let (flags, stderr) = run(&[]);
    assert_eq!(flags, "");
    assert!(
        stderr.contains("was built with no --fold-traditional, the built-in marks and a --marks file"),
        "{stderr}"
    );

    std::fs::write(&rules, "watermark\t范文网\t(\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let bad = chachong(&[
        "check",
        "--corpus",
        c,
        "--out",
        out.path().to_str().unwrap(),
        "--marks",
        r,
        draft.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{r}: line 1: bad regex")), "{stderr}");
}
