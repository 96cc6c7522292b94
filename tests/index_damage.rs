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
            // Hidden entries (an index the shipped corpus may hold) are no documents.
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
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

/// The index folder of a copy of the shipped corpus, built by `chachong index`, and the report of
/// `check --no-index` that every check with it must give.
struct Built {
    corpus: tempfile::TempDir,
    dir: tempfile::TempDir,
    expected: Checked,
}

fn built() -> Built {
    let corpus = corpus_without(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (c, i) = (corpus.path().to_str().unwrap(), dir.path().to_str().unwrap());
    let run = chachong(&["index", "--corpus", c, "--index", i]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let expected = check(corpus.path(), None);
    assert_eq!(expected.code, Some(0), "{}", expected.stderr);
    Built { corpus, dir, expected }
}

impl Built {
    fn segment(&self) -> PathBuf {
        self.dir.path().join("seg-000001.ccx")
    }

    /// Asserts that a check refuses the index, naming `file` and saying how to repair it, and
    /// writes no report.
    fn assert_refused(&self, file: &Path, what: &str) {
        let run = check(self.corpus.path(), Some(self.dir.path()));
        assert_eq!(run.code, Some(2), "{what}: {}", run.stderr);
        let named = format!("{}: index damaged: run chachong index --rebuild", file.display());
        assert!(run.stderr.contains(&named), "{what}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
        assert!(run.reports.iter().all(Vec::is_empty), "{what}: a report was written");
    }

    /// Asserts that a check gives exactly the report of `check --no-index`.
    fn assert_correct(&self, what: &str) {
        let run = check(self.corpus.path(), Some(self.dir.path()));
        assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
        assert!(run.reports == self.expected.reports, "{what}: another report");
    }
}

/// A section table entry of an index file (see `src/index/segment.rs`): id, byte offset, length.
fn sections(bytes: &[u8]) -> Vec<(u32, usize, usize)> {
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap()) as usize;
    (0..u32_at(32) as usize)
        .map(|k| 64 + 32 * k)
        .map(|e| (u32_at(e), u64_at(e + 8), u64_at(e + 16)))
        .collect()
}

/// Recomputes every checksum of an index file after its bytes were changed on purpose, so that
/// only the bounds checks stand between the change and a lookup.
fn reseal(bytes: &mut [u8]) {
    use xxhash_rust::xxh3::xxh3_64;
    let table: Vec<_> = sections(bytes);
    for (k, &(_, offset, len)) in table.iter().enumerate() {
        let sum = xxh3_64(&bytes[offset..offset + len]);
        bytes[64 + 32 * k + 24..64 + 32 * k + 32].copy_from_slice(&sum.to_le_bytes());
    }
    let body = xxh3_64(&bytes[64..]);
    bytes[48..56].copy_from_slice(&body.to_le_bytes());
    reseal_header(bytes);
}

/// Recomputes the header checksum (over the header's first 40 bytes, the mark digest and the
/// section table).
fn reseal_header(bytes: &mut [u8]) {
    let table_end = 64 + 32 * u32::from_le_bytes(bytes[32..36].try_into().unwrap()) as usize;
    let mut head = bytes[..40].to_vec();
    head.extend_from_slice(&bytes[56..64]);
    head.extend_from_slice(&bytes[64..table_end]);
    bytes[40..48].copy_from_slice(&xxhash_rust::xxh3::xxh3_64(&head).to_le_bytes());
}

#[test]
fn a_flipped_byte_in_any_section_is_refused_and_padding_changes_nothing() {
    let b = built();
    let seg = b.segment();
    let original = std::fs::read(&seg).unwrap();
    let table = sections(&original);
    assert!(table.len() >= 20, "{table:?}");

    // Every section's first, middle and last byte, and a byte of the section table.
    let mut flips: Vec<(usize, String)> = vec![(64 + 32 + 9, "the section table".to_string())];
    for &(id, offset, len) in table.iter().filter(|s| s.2 > 0) {
        for at in [offset, offset + len / 2, offset + len - 1] {
            flips.push((at, format!("section {id} at byte {at}")));
        }
    }
    flips.dedup();
    for (at, what) in &flips {
        let mut bytes = original.clone();
        bytes[*at] ^= 0x10;
        std::fs::write(&seg, &bytes).unwrap();
        b.assert_refused(&seg, what);
    }

    // Bytes between sections, which no lookup reads: the report is the right one.
    let mut ends: Vec<usize> = table.iter().map(|&(_, offset, len)| offset + len).collect();
    ends.sort_unstable();
    let padding: Vec<usize> = ends.iter().filter(|&&end| end % 8 != 0).copied().collect();
    assert!(!padding.is_empty(), "the shipped corpus's index has padding after a section");
    for at in padding {
        let mut bytes = original.clone();
        bytes[at] ^= 0x10;
        std::fs::write(&seg, &bytes).unwrap();
        b.assert_correct(&format!("padding at byte {at}"));
    }

    // `--verify` reads the padding too; the advice of the message repairs the index.
    let (c, i) = (b.corpus.path().to_str().unwrap(), b.dir.path().to_str().unwrap());
    let verify = chachong(&["index", "--corpus", c, "--index", i, "--verify"]);
    assert_eq!(verify.status.code(), Some(2));
    assert!(text(&verify.stderr).contains("body checksum mismatch"), "{}", text(&verify.stderr));
    let rebuilt = chachong(&["index", "--corpus", c, "--index", i, "--rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", text(&rebuilt.stderr));
    b.assert_correct("rebuilt");
}

/// Sets the `index`th u32 or u64 (by `width`) of section `id` of `bytes` to `value`.
fn set(bytes: &mut [u8], id: u32, width: usize, index: usize, value: u64) {
    let (_, offset, _) = sections(bytes).into_iter().find(|s| s.0 == id).expect("the section is there");
    let at = offset + width * index;
    bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
}

#[test]
fn huge_or_truncated_lengths_are_errors_not_allocations() {
    let b = built();
    let seg = b.segment();
    let original = std::fs::read(&seg).unwrap();
    let entry_of = |id: u32| 64 + 32 * sections(&original).iter().position(|s| s.0 == id).unwrap();
    // Section ids and widths, as src/index/segment.rs numbers them.
    const DOC_START: u32 = 1;
    const NAME_OFFSETS: u32 = 12;
    const NAMES: u32 = 13;
    const PARAS: u32 = 15;
    const TEXT_OFFSETS: u32 = 16;
    const TEXTS: u32 = 17;

    type Change<'a> = Box<dyn Fn(&mut Vec<u8>) + 'a>;
    let cases: Vec<(&str, Change)> = vec![
        ("file cut in half", Box::new(|b: &mut Vec<u8>| b.truncate(b.len() / 2))),
        // Damage, not a file of another version or other parameters: the header does not sum.
        ("a flipped bit in the format version", Box::new(|b: &mut Vec<u8>| b[8] ^= 1)),
        ("a flipped bit in the shingle words", Box::new(|b: &mut Vec<u8>| b[20] ^= 1)),
        ("a flipped bit in the analysis version", Box::new(|b: &mut Vec<u8>| b[28] ^= 4)),
        (
            "huge section count",
            Box::new(|b: &mut Vec<u8>| b[32..36].copy_from_slice(&u32::MAX.to_le_bytes())),
        ),
        (
            "huge section length",
            Box::new(move |b: &mut Vec<u8>| {
                let e = entry_of(TEXTS) + 16;
                b[e..e + 8].copy_from_slice(&(u64::MAX - 7).to_le_bytes());
                reseal_header(b);
            }),
        ),
        (
            "a document ending past the last paragraph",
            Box::new(|b: &mut Vec<u8>| {
                set(b, DOC_START, 4, 3, 0xFFFF_FFF0);
                reseal(b);
            }),
        ),
        (
            "a name offset past the names",
            Box::new(|b: &mut Vec<u8>| {
                set(b, NAME_OFFSETS, 8, 5, 1 << 40);
                reseal(b);
            }),
        ),
        (
            // Found by fuzz/index_sealed: one document's name made another's, the file summed again.
            "two documents with one name",
            Box::new(|b: &mut Vec<u8>| {
                let find = |b: &[u8], id: u32| sections(b).into_iter().find(|s| s.0 == id).unwrap();
                let (_, offsets_at, offsets_len) = find(b, NAME_OFFSETS);
                let offsets: Vec<usize> = (0..offsets_len / 8)
                    .map(|k| {
                        u64::from_le_bytes(b[offsets_at + 8 * k..offsets_at + 8 * k + 8].try_into().unwrap())
                            as usize
                    })
                    .collect();
                let (_, names_at, _) = find(b, NAMES);
                let len = |i: usize| offsets[i + 1] - offsets[i];
                let (i, j) = (0..offsets.len() - 2)
                    .flat_map(|i| (i + 1..offsets.len() - 1).map(move |j| (i, j)))
                    .find(|&(i, j)| len(i) == len(j))
                    .expect("two names of one length");
                let name = b[names_at + offsets[j]..names_at + offsets[j + 1]].to_vec();
                b[names_at + offsets[i]..names_at + offsets[i + 1]].copy_from_slice(&name);
                reseal(b);
            }),
        ),
        (
            "a text offset past the texts",
            Box::new(|b: &mut Vec<u8>| {
                set(b, TEXT_OFFSETS, 8, 46, u64::MAX);
                reseal(b);
            }),
        ),
    ];
    for (what, damage) in &cases {
        let mut bytes = original.clone();
        damage(&mut bytes);
        std::fs::write(&seg, &bytes).unwrap();
        b.assert_refused(&seg, what);
    }

    // A paragraph of a stored text said to end 4 GiB in: the text is read from the corpus file.
    let mut bytes = original.clone();
    for p in 0..20 {
        set(&mut bytes, PARAS, 4, 4 * p + 3, u32::MAX as u64);
    }
    reseal(&mut bytes);
    std::fs::write(&seg, &bytes).unwrap();
    b.assert_correct("paragraph ends past the text");
}

#[test]
fn every_stored_text_of_a_whole_index_is_accepted() {
    let b = built();
    let index = chachong::index::store::open(b.dir.path()).unwrap().unwrap();
    assert_eq!(index.docs, 46);
    for doc in 0..index.docs as u32 {
        let (part, d) = index.doc_at(doc);
        assert!(part.stored(d).is_some(), "{}", index.name(doc));
    }
}

#[test]
fn a_huge_count_in_a_deletes_file_is_merged_without_expanding_it() {
    let b = built();
    let (c, i) = (b.corpus.path().to_str().unwrap(), b.dir.path().to_str().unwrap());
    let remove = |name: &str| std::fs::remove_file(b.corpus.path().join(name)).unwrap();
    remove("govreports/provincial_2026/2026_四川省_政府工作报告.txt");
    let run = chachong(&["index", "--corpus", c, "--index", i]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let del = b.dir.path().join("del-000002.ccx");
    let mut bytes = std::fs::read(&del).unwrap();
    // Section 22: the document-frequency decrements; before, a count of u32::MAX became 4 G items.
    set(&mut bytes, 22, 4, 0, u32::MAX as u64);
    reseal(&mut bytes);
    std::fs::write(&del, &bytes).unwrap();

    remove("govreports/provincial_2026/2026_浙江省_政府工作报告.txt");
    let run = chachong(&["index", "--corpus", c, "--index", i]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("updated: 0 added, 0 changed, 1 removed, 44 unchanged; 44 documents"),
        "{stderr}"
    );
}
