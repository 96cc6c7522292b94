//! Files in a folder that are not documents a person wrote: Word/WPS lock files, a FIFO, a link
//! to /dev/zero, chachong's own reports inside the corpus. Each is skipped with a note, the run
//! finishes within seconds, and the documents around them get exactly the verdicts they get
//! without them.

mod common;

use common::{corpus_without, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than any run here takes on a loaded machine; a hang shows as this test failing.
const TIMEOUT: Duration = Duration::from_secs(120);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `cwd`, killing it and failing the test should it outlast [`TIMEOUT`]
/// (a FIFO opened for reading blocks forever). Output goes to files, so no pipe can fill.
fn chachong(cwd: &Path, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().expect("tmp");
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chachong {args:?} still running after {TIMEOUT:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |p: &Path| std::fs::read_to_string(p).expect("log");
    Run { code: status.code(), stdout: read(&out), stderr: read(&err) }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// documents.csv without its header: one row per draft.
fn document_rows(out: &Path) -> Vec<String> {
    read(&out.join("documents.csv")).lines().skip(1).map(str::to_string).collect()
}

/// paragraphs.csv with the draft column (its path) replaced by its file name.
fn paragraph_rows(out: &Path) -> Vec<String> {
    read(&out.join("paragraphs.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let (draft, rest) = l.split_once(',').expect("a draft column");
            let name = Path::new(draft).file_name().expect("file name").to_string_lossy().into_owned();
            format!("{name},{rest}")
        })
        .collect()
}

/// A copy of the shipped corpus without the index other tests may have stored in it, so that a
/// check here builds its own and says so.
fn fresh_corpus() -> tempfile::TempDir {
    let dir = corpus_without(&[]);
    let index = dir.path().join(".chachong");
    if index.exists() {
        std::fs::remove_dir_all(&index).expect("remove the copied index");
    }
    dir
}

/// The stderr line that says how a default-folder index was updated.
fn index_line(corpus: &Path, docs: usize) -> String {
    format!(
        "chachong: index {}/.chachong updated: {docs} added, 0 changed, 0 removed, 0 unchanged; {docs} documents",
        corpus.display()
    )
}

/// What Word writes as `~$name.docx` beside an open document: the owner's name, padded to 162 bytes.
fn word_owner_file(path: &Path) {
    let mut bytes = vec![5u8];
    bytes.extend(b"alice");
    bytes.resize(54, 0);
    bytes.extend("alice".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(162, 0);
    std::fs::write(path, bytes).expect("write lock file");
}

/// A LibreOffice lock file: one line naming who holds the document.
fn libreoffice_lock(path: &Path) {
    std::fs::write(
        path,
        "alice,office-pc,/home/alice,05.03.2025 09:12,file:///home/alice/.config/libreoffice/4;",
    )
    .expect("write lock file");
}

/// Word's save temporary: a partial copy of the document, here the first bytes of a real .docx.
fn word_temp(path: &Path, docx: &Path) {
    let bytes = std::fs::read(docx).expect("docx");
    std::fs::write(path, &bytes[..4096]).expect("write temp file");
}

/// The sample draft (examples/README.md lists what each paragraph is).
fn draft_docx() -> PathBuf {
    root().join("examples/draft.docx")
}

/// The sample draft's verdicts against the shipped corpus, as its documents.csv row after its name
/// (the findings' columns after `status`: none found).
const DOCX_ROW: &str = ",13,1969,0.472,0.117,govreports/national/2024_国务院_政府工作报告.txt,0.145,\
                        watermark:笔杆儿网;placeholder:*区;placeholder:XXX同;placeholder:X次,ok,0,,,,0,";

#[test]
fn lock_files_in_drafts_and_corpus_are_skipped_with_one_note() {
    let work = tempfile::tempdir().expect("tmp");
    let drafts = work.path().join("drafts");
    std::fs::create_dir_all(drafts.join("old")).expect("mkdir");
    std::fs::copy(draft_docx(), drafts.join("draft.docx")).expect("copy draft");
    word_owner_file(&drafts.join("~$draft.docx"));
    libreoffice_lock(&drafts.join(".~lock.draft.docx#"));
    word_temp(&drafts.join("~WRL0001.tmp"), &draft_docx());
    word_owner_file(&drafts.join("old/~$讲话稿.doc"));
    word_owner_file(&drafts.join("old/~$总结.wps"));
    let corpus = fresh_corpus();
    word_owner_file(&corpus.path().join("govreports/~$2026_政府工作报告.docx"));
    libreoffice_lock(&corpus.path().join("seeds/.~lock.000_9947b52c349c4fd4.txt#"));
    let out = work.path().join("reports");

    // A lock file named on the command line is skipped too, and counted in the same note.
    let given = drafts.join("~$draft.docx");
    let run = chachong(
        work.path(),
        &["check", "--corpus", s(corpus.path()), "--out", s(&out), s(&drafts), s(&given)],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "chachong: skipped 6 Word/WPS lock files".to_string(),
            "chachong: skipped 2 Word/WPS lock files in the corpus".to_string(),
            index_line(corpus.path(), 46),
        ]
    );
    assert_eq!(document_rows(&out), [format!("{}/draft.docx{DOCX_ROW}", drafts.display())]);
    assert!(run.stdout.contains("复制比 copied 47.2%"), "{}", run.stdout);

    // The same verdicts, paragraph by paragraph, as the draft alone against the corpus alone;
    // and without the index, the same notes.
    let clean = fresh_corpus();
    let alone = work.path().join("alone");
    let run =
        chachong(work.path(), &["check", "--corpus", s(clean.path()), "--out", s(&alone), s(&draft_docx())]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let memory = work.path().join("memory");
    let run = chachong(
        work.path(),
        &["check", "--no-index", "--corpus", s(corpus.path()), "--out", s(&memory), s(&drafts)],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        ["chachong: skipped 5 Word/WPS lock files", "chachong: skipped 2 Word/WPS lock files in the corpus"]
    );
    assert_eq!(paragraph_rows(&out), paragraph_rows(&alone));
    assert_eq!(paragraph_rows(&memory), paragraph_rows(&alone));
    assert_eq!(paragraph_rows(&out).len(), 13);
    assert!(
        run.stdout.contains("13 paragraphs: 4 copy, 1 partial, 1 boilerplate, 7 original"),
        "{}",
        run.stdout
    );
}

/// Makes a FIFO at `path` with the system's `mkfifo` (coreutils; present wherever the tests run).
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_fifo_and_a_dev_zero_link_neither_block_nor_flood_a_check() {
    let work = tempfile::tempdir().expect("tmp");
    let drafts = work.path().join("drafts");
    std::fs::create_dir_all(drafts.join("sub")).expect("mkdir");
    std::fs::copy(draft_docx(), drafts.join("draft.docx")).expect("copy draft");
    mkfifo(&drafts.join("sub/pipe.txt"));
    std::os::unix::fs::symlink("/dev/zero", drafts.join("zero.txt")).expect("symlink");
    let corpus = fresh_corpus();
    mkfifo(&corpus.path().join("seeds/pipe.docx"));
    std::os::unix::fs::symlink("/dev/zero", corpus.path().join("govreports/zero.txt")).expect("symlink");
    let c = corpus.path().display();
    let d = drafts.display();
    let corpus_notes = [
        format!("chachong: {c}/govreports/zero.txt: skipped, a character device, not a regular file"),
        format!("chachong: {c}/seeds/pipe.docx: skipped, a FIFO (named pipe), not a regular file"),
    ];
    let draft_notes = [
        format!("chachong: {d}/sub/pipe.txt: skipped, a FIFO (named pipe), not a regular file"),
        format!("chachong: {d}/zero.txt: skipped, a character device, not a regular file"),
    ];

    for no_index in [false, true] {
        let out = work.path().join(format!("reports-{no_index}"));
        let mut args = vec!["check", "--corpus", s(corpus.path()), "--out", s(&out), s(&drafts)];
        if no_index {
            args.insert(1, "--no-index");
        }
        let run = chachong(work.path(), &args);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let mut expected: Vec<String> = draft_notes.iter().chain(&corpus_notes).cloned().collect();
        if !no_index {
            expected.push(index_line(corpus.path(), 46));
        }
        assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected, "--no-index {no_index}");
        assert_eq!(document_rows(&out), [format!("{d}/draft.docx{DOCX_ROW}")]);
    }

    // Named on the command line, they are refused unopened (exit 2) and the other draft is checked.
    let out = work.path().join("given");
    let pipe = drafts.join("sub/pipe.txt");
    let zero = drafts.join("zero.txt");
    let docx = drafts.join("draft.docx");
    let run = chachong(
        work.path(),
        &[
            "check",
            "--no-index",
            "--corpus",
            s(corpus.path()),
            "--out",
            s(&out),
            s(&pipe),
            s(&zero),
            s(&docx),
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let mut expected: Vec<String> = corpus_notes.to_vec();
    expected.extend([
        format!("chachong: cannot check {}: is a FIFO (named pipe), not a regular file", pipe.display()),
        format!("chachong: cannot check {}: is a character device, not a regular file", zero.display()),
        format!(
            "chachong: checked 1 of 3 drafts; 2 could not be read: {}, {}",
            pipe.display(),
            zero.display()
        ),
    ]);
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected);
    assert_eq!(
        document_rows(&out),
        [
            format!("{d}/draft.docx{DOCX_ROW}"),
            format!(
                "{},,,,,,,,\"unreadable: is a FIFO (named pipe), not a regular file\",,,,,,",
                pipe.display()
            ),
            format!(
                "{},,,,,,,,\"unreadable: is a character device, not a regular file\",,,,,,",
                zero.display()
            ),
        ]
    );
}

/// A file whose reported size is 0 but which holds more: the limit counts the bytes read.
#[cfg(target_os = "linux")]
#[test]
fn the_size_limit_counts_bytes_read_not_the_size_reported() {
    let work = tempfile::tempdir().expect("tmp");
    let corpus = work.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::write(corpus.join("c.txt"), "关于做好明年春节期间安全生产工作。\n").expect("write");
    let smaps = work.path().join("smaps.txt");
    std::os::unix::fs::symlink("/proc/self/smaps", &smaps).expect("symlink");
    assert_eq!(std::fs::metadata(&smaps).expect("stat").len(), 0, "/proc says its files are empty");
    let out = work.path().join("reports");
    let run = chachong(
        work.path(),
        &[
            "check",
            "--no-index",
            "--corpus",
            s(&corpus),
            "--out",
            s(&out),
            "--max-file-mb",
            "0.01",
            s(&smaps),
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    // 0.01 MiB is 10485 bytes; the process's memory map is longer.
    assert_eq!(
        run.stderr.lines().next().unwrap_or(""),
        format!(
            "chachong: cannot check {}: file holds more than the limit of 10485 bytes (raise it with --max-file-mb)",
            smaps.display()
        )
    );
}

#[test]
fn reports_written_inside_the_corpus_are_not_its_sources() {
    let corpus = fresh_corpus();
    let draft = root().join("examples/draft.docx");
    let args = ["check", "--corpus", ".", "--out", "reports", "--html", "r.html", s(&draft)];
    let row = format!("{}{DOCX_ROW}", draft.display());

    let first = chachong(corpus.path(), &args);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(
        first.stderr.trim_end(),
        "chachong: index ./.chachong updated: 46 added, 0 changed, 0 removed, 0 unchanged; 46 documents"
    );
    let documents = read(&corpus.path().join("reports/documents.csv"));
    assert_eq!(document_rows(&corpus.path().join("reports")), [row]);
    assert!(first.stdout.contains("复制比 copied 47.2%"), "{}", first.stdout);

    // The second run finds r.html and reports/chachong-run.txt in the corpus, and leaves them out.
    let notes = [
        "chachong: ./r.html: skipped, a report chachong wrote",
        "chachong: ./reports: skipped, a report folder chachong wrote (chachong-run.txt)",
    ];
    let second = chachong(corpus.path(), &args);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    let mut expected = notes.to_vec();
    expected.push("chachong: index ./.chachong is up to date (46 documents)");
    assert_eq!(second.stderr.lines().collect::<Vec<_>>(), expected);
    assert_eq!(read(&corpus.path().join("reports/documents.csv")), documents);
    assert!(second.stdout.contains("复制比 copied 47.2%"), "{}", second.stdout);

    // Read for the run only, the corpus is walked the same way.
    let third = chachong(corpus.path(), &[&["check", "--no-index"][..], &args[1..]].concat());
    assert_eq!(third.code, Some(0), "{}", third.stderr);
    assert_eq!(third.stderr.lines().collect::<Vec<_>>(), notes);
    assert_eq!(read(&corpus.path().join("reports/documents.csv")), documents);
}
