//! Nothing half-written, nothing mixed: a report folder replaced as a set, review refusing a set
//! of files of different runs (but not one saved again by Excel), a full disk, the leftovers of a
//! killed write, an index on a read-only mount and one whose lock another process holds.
#![cfg(unix)]

mod common;

use common::{corpus_without, missing_tool, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than any run here takes on a loaded machine; a run waiting on a lock shows as a failure.
const TIMEOUT: Duration = Duration::from_secs(120);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `cwd`, killed and failed should it outlast [`TIMEOUT`].
fn chachong(cwd: &Path, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chachong {args:?} still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    Run { code: status.code(), stdout: read(&out), stderr: read(&err) }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const FILES: [&str; 4] = ["paragraphs.csv", "spans.csv", "documents.csv", "chachong-run.txt"];

fn files(out: &Path) -> Vec<Vec<u8>> {
    FILES.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect()
}

/// The folder's entries, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The sample draft's first `n` lines, as another draft.
fn part_of_draft(dir: &Path, n: usize) -> PathBuf {
    let text = std::fs::read_to_string(root().join("examples/draft.txt")).unwrap();
    let path = dir.join(format!("part{n}.txt"));
    std::fs::write(&path, text.lines().take(n).collect::<Vec<_>>().join("\n")).unwrap();
    path
}

#[test]
fn review_refuses_a_set_of_files_of_different_runs_but_not_one_saved_again() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let draft = root().join("examples/draft.txt");
    let other = part_of_draft(tmp.path(), 6);
    let run = chachong(&root(), &["check", "--out", s(&out), s(&draft)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let manifest = std::fs::read_to_string(out.join("chachong-run.txt")).unwrap();
    for f in &FILES[..3] {
        assert!(manifest.contains(&format!("\nrows\t{f}\t")), "{manifest}");
    }
    let reviewed = chachong(&root(), &["review", s(&out), "--color", "never"]);
    assert_eq!(reviewed.code, Some(0), "{}", reviewed.stderr);
    let first_spans = std::fs::read(out.join("spans.csv")).unwrap();

    // Another run's spans.csv beside this run's other files, as a check killed between two
    // renames would leave them.
    let run = chachong(&root(), &["check", "--out", s(&out), s(&other)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    std::fs::write(out.join("spans.csv"), &first_spans).unwrap();
    let mixed = chachong(&root(), &["review", s(&out)]);
    assert_eq!(mixed.code, Some(2), "{}", mixed.stdout);
    assert_eq!(
        mixed.stderr,
        format!(
            "chachong: {}: the reports are not of one run: spans.csv is not what the run recorded in \
             chachong-run.txt wrote (a check stopped while it replaced the reports, or a file copied \
             in or edited since); run the check again\n",
            out.display()
        )
    );
    assert_eq!(mixed.stdout, "");

    // The run again, and its paragraphs.csv saved by WPS in GBK ("ANSI"), CRLF, rows in another
    // order: the same rows, so the same run, reviewed as before.
    let run = chachong(&root(), &["check", "--out", s(&out), s(&draft)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(out.join("paragraphs.csv")).unwrap();
    let mut lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    lines[1..].reverse();
    let saved = lines.join("\r\n");
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&saved);
    assert!(!lossy);
    std::fs::write(out.join("paragraphs.csv"), &gbk).unwrap();
    let resaved = chachong(&root(), &["review", s(&out), "--color", "never"]);
    assert_eq!(resaved.code, Some(0), "{}", resaved.stderr);
    assert_eq!(resaved.stdout, reviewed.stdout);
}

/// An audit's CSVs carry the manifest's digests as a check's do: review refuses a folder holding
/// another audit's spans.csv.
#[test]
fn review_refuses_the_files_of_two_audits() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, out) = (tmp.path().join("corpus"), tmp.path().join("out"));
    std::fs::create_dir_all(&corpus).unwrap();
    let seeds = root().join("corpus/seeds");
    for seed in ["000_9947b52c349c4fd4.txt", "001_440a4fa48f8209b1.txt", "003_68c3191184ca8c9f.txt"] {
        std::fs::copy(seeds.join(seed), corpus.join(seed)).unwrap();
    }
    let audit = || chachong(tmp.path(), &["audit", "--corpus", "corpus", "--out", "out"]);
    let first = audit();
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let manifest = std::fs::read_to_string(out.join("chachong-run.txt")).unwrap();
    for f in &FILES[..3] {
        assert!(manifest.contains(&format!("\nrows\t{f}\t")), "{manifest}");
    }
    let reviewed = chachong(tmp.path(), &["review", "out", "--color", "never"]);
    assert_eq!(reviewed.code, Some(0), "{}", reviewed.stderr);
    let first_spans = std::fs::read(out.join("spans.csv")).unwrap();
    // A second audit, of a corpus with a copy in it, and the first audit's spans.csv put back.
    let text = std::fs::read_to_string(seeds.join("000_9947b52c349c4fd4.txt")).unwrap();
    std::fs::write(corpus.join("copy.txt"), text.lines().take(8).collect::<Vec<_>>().join("\n")).unwrap();
    let second = audit();
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert_ne!(std::fs::read(out.join("spans.csv")).unwrap(), first_spans);
    std::fs::write(out.join("spans.csv"), &first_spans).unwrap();
    let mixed = chachong(tmp.path(), &["review", "out"]);
    assert_eq!(mixed.code, Some(2), "{}", mixed.stdout);
    assert_eq!(
        mixed.stderr,
        "chachong: out: the reports are not of one run: spans.csv is not what the run recorded in \
         chachong-run.txt wrote (a check stopped while it replaced the reports, or a file copied in or \
         edited since); run the check again\n"
    );
    assert_eq!(mixed.stdout, "");
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Mounts `args` at `at`; `None` (and a skip, or a failure under CI=true) where the test may
    /// not mount (not root, no mount namespace rights).
    fn new(test: &str, at: &Path, args: &[&str]) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount").args(args).arg(at).status().is_ok_and(|s| s.success());
        if !ok {
            missing_tool(test, "the right to mount a file system (root)");
            return None;
        }
        Some(Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_names_the_file_and_leaves_the_old_reports_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("mnt");
    let Some(_mount) = Mount::new("full_disk", &mnt, &["-t", "tmpfs", "-o", "size=512k", "tmpfs"]) else {
        return;
    };
    let out = mnt.join("out");
    let small = part_of_draft(tmp.path(), 4);
    let run = chachong(&root(), &["check", "--out", s(&out), s(&small)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let old = files(&out);

    // Fill the disk, then free room for the first CSV of the next run but not for the others.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![b'x'; 4096];
        while f.write_all(&block).is_ok() {}
    }
    let draft = root().join("examples/draft.txt");
    let whole = tempfile::tempdir().unwrap();
    assert_eq!(chachong(&root(), &["check", "--out", s(whole.path()), s(&draft)]).code, Some(0));
    let first_csv = std::fs::metadata(whole.path().join("paragraphs.csv")).unwrap().len();
    let keep = std::fs::metadata(&filler).unwrap().len().saturating_sub(first_csv + 8192);
    std::fs::OpenOptions::new().write(true).open(&filler).unwrap().set_len(keep).unwrap();

    let full = chachong(&root(), &["check", "--out", s(&out), s(&draft)]);
    assert_eq!(full.code, Some(2), "{}", full.stderr);
    let named = FILES
        .iter()
        .find(|f| full.stderr.contains(&format!("cannot write the report {}: ", out.join(f).display())));
    assert!(named.is_some_and(|f| *f != "paragraphs.csv"), "{}", full.stderr);
    assert!(full.stderr.contains("No space left on device"), "{}", full.stderr);
    assert_eq!(files(&out), old, "the old set, whole");
    assert_eq!(entries(&out), ["chachong-run.txt", "documents.csv", "paragraphs.csv", "spans.csv"]);
    let reviewed = chachong(&root(), &["review", s(&out), "--color", "never"]);
    assert_eq!(reviewed.code, Some(0), "{}", reviewed.stderr);

    std::fs::remove_file(&filler).unwrap();
    let run = chachong(&root(), &["check", "--out", s(&out), s(&draft)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(files(&out)[..3], files(whole.path())[..3]);
}

#[test]
fn temporary_files_of_a_killed_write_are_removed_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A process that has ended, as a killed check has.
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let left = [format!(".paragraphs.csv.{dead}.tmp"), format!(".chachong-run.txt.{dead}.tmp")];
    // This test's own process is running: its file is another writer's, at work.
    let live = format!(".spans.csv.{}.tmp", std::process::id());
    for f in left.iter().chain([&live]) {
        std::fs::write(out.join(f), "half a report").unwrap();
    }
    std::fs::write(out.join(".notes.txt.123.tmp"), "not chachong's").unwrap();
    let run = chachong(&root(), &["check", "--out", s(&out), "examples/draft.txt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut want = vec![live, ".notes.txt.123.tmp".to_string()];
    want.extend(["chachong-run.txt", "documents.csv", "paragraphs.csv", "spans.csv"].map(String::from));
    want.sort();
    assert_eq!(entries(&out), want);
}

#[test]
fn an_up_to_date_index_on_a_read_only_mount_is_used_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = corpus_without(&[]);
    let (writable, ro) = (tmp.path().join("index"), tmp.path().join("index-ro"));
    let run = chachong(&root(), &["index", "--corpus", s(corpus.path()), "--index", s(&writable)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let Some(_bind) = Mount::new("read_only_index", &ro, &["--bind", s(&writable)]) else { return };
    let remounted = Command::new("mount").args(["-o", "remount,bind,ro"]).arg(&ro).status().unwrap();
    assert!(remounted.success());
    assert!(std::fs::write(ro.join("probe"), "x").is_err(), "the mount is read-only");

    let draft = root().join("examples/draft.txt");
    let check = |index: &Path, out: &Path| {
        chachong(
            &root(),
            &["check", "--corpus", s(corpus.path()), "--index", s(index), "--out", s(out), s(&draft)],
        )
    };
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let run = check(&ro, &a);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "chachong: index {} is up to date (46 documents); its folder is read-only, so it is used as it is\n",
            ro.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("for this run only"), "{}", run.stderr);
    assert_eq!(check(&writable, &b).code, Some(0));
    assert_eq!(files(&a)[..3], files(&b)[..3], "the same reports as from the writable index");

    // A corpus changed since cannot go into that index: it is read for this run instead.
    std::fs::write(corpus.path().join("new.txt"), std::fs::read(&draft).unwrap()).unwrap();
    let run = check(&ro, &a);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("Read-only file system")
            && run.stderr.contains("reading the corpus for this run only"),
        "{}",
        run.stderr
    );
    let documents = std::fs::read_to_string(a.join("documents.csv")).unwrap();
    assert!(documents.contains(",new.txt,"), "the new file is the draft's top source: {documents}");
}

#[test]
fn a_check_reads_an_up_to_date_index_while_another_process_holds_its_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = corpus_without(&[]);
    let index = tmp.path().join("index");
    let c = s(corpus.path());
    assert_eq!(chachong(&root(), &["index", "--corpus", c, "--index", s(&index)]).code, Some(0));
    // As a `chachong index --rebuild` running beside it holds it.
    let lock = std::fs::File::options().write(true).open(index.join("lock")).unwrap();
    lock.lock().unwrap();
    let out = tmp.path().join("out");
    let run = chachong(
        &root(),
        &["check", "--corpus", c, "--index", s(&index), "--out", s(&out), "examples/draft.txt"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("waiting for another chachong"), "{}", run.stderr);
    assert!(run.stderr.contains("is up to date (46 documents)\n"), "{}", run.stderr);
    lock.unlock().unwrap();
}

#[test]
fn the_corpus_hint_is_given_only_when_the_corpus_was_not() {
    let tmp = tempfile::tempdir().unwrap();
    let draft = root().join("examples/draft.txt");
    let out = tmp.path().join("out");
    let hint = "give the corpus folder with --corpus DIR";
    let given = chachong(tmp.path(), &["check", "--corpus", "elsewhere", "--out", s(&out), s(&draft)]);
    assert_eq!(given.code, Some(2));
    assert!(given.stderr.contains("elsewhere: cannot open the corpus folder"), "{}", given.stderr);
    assert!(!given.stderr.contains(hint), "{}", given.stderr);
    let default = chachong(tmp.path(), &["check", "--out", s(&out), s(&draft)]);
    assert_eq!(default.code, Some(2));
    assert!(default.stderr.contains("corpus: cannot open the corpus folder"), "{}", default.stderr);
    assert!(default.stderr.contains(hint), "{}", default.stderr);
}

#[test]
fn files_that_cannot_be_read_are_not_counted_as_added() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, text) in [("a.txt", "examples/draft.txt"), ("b.txt", "corpus/seeds/000_9947b52c349c4fd4.txt")]
    {
        std::fs::copy(root().join(text), corpus.join(name)).unwrap();
    }
    std::fs::write(corpus.join("bad.docx"), "not a zip").unwrap();
    let c = s(&corpus);
    let run = chachong(tmp.path(), &["index", "--corpus", c]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("bad.docx"), "{}", run.stderr);
    assert!(
        run.stderr.contains("updated: 2 added, 0 changed, 0 removed, 0 unchanged; 2 documents"),
        "{}",
        run.stderr
    );
    // A changed file that can no longer be read is gone from the index.
    std::fs::write(corpus.join("b.txt"), [0u8; 2000]).unwrap();
    let run = chachong(tmp.path(), &["index", "--corpus", c]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("updated: 0 added, 0 changed, 1 removed, 1 unchanged; 1 documents"),
        "{}",
        run.stderr
    );
}

/// `index` names `--max-file-mb` for a file over the limit, and takes it; a corpus of which no
/// file could be read says which and why.
#[test]
fn index_takes_the_max_file_mb_it_suggests() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let seed = root().join("corpus/seeds/000_9947b52c349c4fd4.txt");
    std::fs::copy(&seed, corpus.join("a.txt")).unwrap();
    let bytes = std::fs::metadata(&seed).unwrap().len();
    let c = s(&corpus);
    let small = chachong(tmp.path(), &["index", "--corpus", c, "--max-file-mb", "0.001"]);
    assert_eq!(small.code, Some(2), "{}", small.stderr);
    assert!(
        small.stderr.contains(&format!(
            "none of the corpus files could be read ({c}/a.txt: file is {bytes} bytes (0.0 MiB), over the \
             limit of 1048 bytes (raise it with --max-file-mb))"
        )),
        "{}",
        small.stderr
    );
    let raised = chachong(tmp.path(), &["index", "--corpus", c, "--max-file-mb", "1"]);
    assert_eq!(raised.code, Some(0), "{}", raised.stderr);
    assert!(
        raised.stderr.contains("1 added, 0 changed, 0 removed, 0 unchanged; 1 documents"),
        "{}",
        raised.stderr
    );
}
