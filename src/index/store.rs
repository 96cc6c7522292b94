//! The index folder (by default `CORPUS/.chachong/`): segment files, a deletes file, a manifest
//! naming the current ones, and a lock.
//!
//! ```text
//! manifest          "chachong index 1", then "segment N" lines and at most one "deletes N" line
//! seg-000001.ccx    a segment (see `segment`)
//! del-000002.ccx    documents removed from segments, and the document frequencies they held
//! lock              held by the one process that may write
//! ```
//!
//! Every file is written under a temporary name, fsynced and renamed; the manifest is replaced
//! last. A reader sees the old manifest and its files or the new ones, and a writer killed at any
//! moment leaves the old index whole; the next writer removes what no manifest names.

use super::build::{segment_words, FileMeta, SegmentDoc, StoredText};
use super::merge::{compact, kmerge};
use super::segment::{Damage, FileKind, FormatError, IndexFile, Section, Stamp, Writer};
use super::{fingerprint_document, Index, Removed};
use crate::analyze::Analyzer;
use crate::corpus::{corpus_files, relative_name, CorpusDoc, CorpusError};
use crate::ingest::{
    document_from_bytes_with, read_bytes, read_document_with, Document, Format, IngestError,
};
use crate::params::{COMPACT_DELETED_SHARE, COMPACT_MAX_SEGMENTS, SEGMENT_BATCH_BYTES};
use crate::walk::Note;
use rayon::prelude::*;
use std::fs::{self, File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use xxhash_rust::xxh3::xxh3_64;

const MANIFEST: &str = "manifest";
const MANIFEST_HEADER: &str = "chachong index 1";
const LOCK: &str = "lock";

/// The default index folder of a corpus.
pub fn default_dir(corpus: &Path) -> PathBuf {
    corpus.join(".chachong")
}

/// Which files make up the index.
#[derive(Debug, Default, Clone, PartialEq)]
struct Manifest {
    segments: Vec<u32>,
    deletes: Option<u32>,
}

impl Manifest {
    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != MANIFEST_HEADER {
            return None;
        }
        let mut m = Manifest::default();
        for line in lines.filter(|l| !l.is_empty()) {
            let (kind, n) = line.split_once(' ')?;
            let n: u32 = n.parse().ok()?;
            match kind {
                "segment" => m.segments.push(n),
                "deletes" if m.deletes.is_none() => m.deletes = Some(n),
                _ => return None,
            }
        }
        Some(m)
    }

    fn render(&self) -> String {
        let mut out = format!("{MANIFEST_HEADER}\n");
        for s in &self.segments {
            out.push_str(&format!("segment {s}\n"));
        }
        if let Some(d) = self.deletes {
            out.push_str(&format!("deletes {d}\n"));
        }
        out
    }

    fn files(&self) -> Vec<String> {
        let mut f: Vec<String> = self.segments.iter().map(|&n| segment_name(n)).collect();
        f.extend(self.deletes.map(deletes_name));
        f
    }

    fn next_number(&self) -> u32 {
        self.segments.iter().chain(&self.deletes).max().map_or(1, |m| m + 1)
    }
}

fn segment_name(n: u32) -> String {
    format!("seg-{n:06}.ccx")
}

fn deletes_name(n: u32) -> String {
    format!("del-{n:06}.ccx")
}

/// Why the stored index cannot be used or updated. Displays as advice to the user.
#[derive(Debug)]
pub enum StoreError {
    Io(PathBuf, io::Error),
    Format(FormatError),
    BadManifest(PathBuf),
    /// The corpus folder itself is unusable (missing, empty, unreadable).
    Corpus(CorpusError),
    /// The index was built with another analysis than the run's (`--fold-traditional`,
    /// `--marks`): its fingerprints are not the run's, and would match nothing.
    OtherAnalysis {
        dir: PathBuf,
        index: Stamp,
        run: Stamp,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            StoreError::Format(e @ FormatError::Incompatible(..)) => write!(
                f,
                "{e}.\nThe index was written by another version of chachong: rebuild it with \
                 `chachong index --rebuild --corpus DIR` (or check without it: --no-index)"
            ),
            StoreError::Format(FormatError::Corrupt(p, why)) => write!(
                f,
                "{}: index damaged: run chachong index --rebuild (or check without it: --no-index); {why}",
                p.display()
            ),
            StoreError::Format(e) => write!(
                f,
                "{e}.\nRebuild the index with `chachong index --rebuild --corpus DIR` (or check without it: --no-index)"
            ),
            StoreError::Corpus(why) => write!(f, "{why}"),
            StoreError::OtherAnalysis { dir, index, run } => write!(
                f,
                "{}: the index was built with {index}; this run uses {run}.\nBuild it anew with the \
                 run's options (`chachong index --rebuild --corpus DIR` and the same flags), or give \
                 another folder with --index DIR",
                dir.display()
            ),
            StoreError::BadManifest(p) => write!(
                f,
                "{}: not a chachong index manifest.\nRebuild the index with `chachong index --rebuild --corpus DIR`",
                p.display()
            ),
        }
    }
}

impl From<FormatError> for StoreError {
    fn from(e: FormatError) -> Self {
        StoreError::Format(e)
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |e| StoreError::Io(path.to_path_buf(), e)
}

fn read_manifest(dir: &Path) -> Result<Option<Manifest>, StoreError> {
    let path = dir.join(MANIFEST);
    match fs::read_to_string(&path) {
        Ok(text) => Manifest::parse(&text).map(Some).ok_or(StoreError::BadManifest(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::Io(path, e)),
    }
}

/// Opens the index in `dir`; `None` when there is none yet.
pub fn open(dir: &Path) -> Result<Option<Index>, StoreError> {
    // A writer may replace the manifest and remove the files it named between our reading it and
    // opening them; the new manifest then names files that exist.
    let mut attempts = 0;
    loop {
        let Some(m) = read_manifest(dir)? else { return Ok(None) };
        match open_files(dir, &m) {
            Err(StoreError::Format(FormatError::Io(_, e)))
                if e.kind() == io::ErrorKind::NotFound && attempts < 5 =>
            {
                attempts += 1;
            }
            other => return other.map(Some),
        }
    }
}

fn open_files(dir: &Path, m: &Manifest) -> Result<Index, StoreError> {
    let mut files = Vec::with_capacity(m.segments.len());
    for &n in &m.segments {
        files.push((n, IndexFile::open(&dir.join(segment_name(n)), FileKind::Segment)?));
    }
    let removed = match m.deletes {
        Some(n) => read_deletes(&IndexFile::open(&dir.join(deletes_name(n)), FileKind::Deletes)?)?,
        None => Removed::default(),
    };
    Ok(Index::from_parts(files, removed)?)
}

/// The removals a deletes file holds. Its keys must be sorted and have a count each, as lookups
/// binary-search them and index the counts by position.
fn read_deletes(f: &IndexFile) -> Result<Removed, FormatError> {
    let tombstones = f.u64s(Section::Tombstones);
    let deltas =
        [(Section::DfDeltaKeys, Section::DfDeltaCounts), (Section::PostDeltaKeys, Section::PostDeltaCounts)];
    let bad = [(Section::Tombstones, tombstones.is_sorted())]
        .into_iter()
        .chain(deltas.iter().map(|&(k, c)| (c, f.u64s(k).is_sorted() && f.u64s(k).len() == f.u32s(c).len())))
        .find(|&(_, ok)| !ok);
    if let Some((s, _)) = bad {
        return Err(FormatError::Corrupt(f.path.clone(), Damage::OutOfBounds(s)));
    }
    Ok(Removed {
        tombstones: tombstones.iter().map(|&t| ((t >> 32) as u32, t as u32)).collect(),
        df_keys: f.u64s(Section::DfDeltaKeys).to_vec(),
        df_counts: f.u32s(Section::DfDeltaCounts).to_vec(),
        post_keys: f.u64s(Section::PostDeltaKeys).to_vec(),
        post_counts: f.u32s(Section::PostDeltaCounts).to_vec(),
    })
}

fn deletes_words(r: &Removed, stamp: Stamp) -> Vec<u64> {
    let mut w = Writer::new(FileKind::Deletes, stamp);
    let tombstones: Vec<u64> = r.tombstones.iter().map(|&(s, d)| (s as u64) << 32 | d as u64).collect();
    w.u64s(Section::Tombstones, tombstones);
    w.u64s(Section::DfDeltaKeys, r.df_keys.clone());
    w.u32s(Section::DfDeltaCounts, r.df_counts.clone());
    w.u64s(Section::PostDeltaKeys, r.post_keys.clone());
    w.u32s(Section::PostDeltaCounts, r.post_counts.clone());
    w.finish()
}

/// What an update did.
#[derive(Debug, Default)]
pub struct UpdateReport {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Segment files written (compaction included).
    pub segments_written: usize,
    pub compacted: bool,
    /// Corpus files that could not be read; they are not in the index.
    pub errors: Vec<IngestError>,
    /// The index was up to date and its folder cannot be written (a read-only share): it was
    /// used as it is.
    pub read_only: bool,
    /// What the walk of the corpus passed over that the user should hear of (see
    /// [`crate::corpus::corpus_files`]); [`crate::corpus::Corpus::open_indexed`] hands them on
    /// as the corpus's notes.
    pub notes: Vec<Note>,
}

impl UpdateReport {
    /// Whether the index was written.
    pub fn wrote(&self) -> bool {
        self.segments_written > 0 || self.removed + self.changed > 0
    }
}

/// How to update.
#[derive(Debug, Default, Clone, Copy)]
pub struct UpdateOptions {
    /// Start from an empty index, whatever is there (also the way out of an incompatible one).
    pub rebuild: bool,
    /// Merge all segments into one even if the policy would not.
    pub compact: bool,
}

/// Progress callbacks: the number of files to fingerprint, then one tick per file; and a message
/// for the user (e.g. that another process holds the lock).
pub struct Progress<'a> {
    pub files_found: &'a (dyn Fn(u64) + Sync),
    pub tick: &'a (dyn Fn(u64) + Sync),
    pub say: &'a dyn Fn(&str),
}

/// The exclusive right to write the index in a folder, released on drop.
struct Lock(File);

fn lock(dir: &Path, say: &dyn Fn(&str)) -> Result<Lock, StoreError> {
    let path = dir.join(LOCK);
    let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io_err(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            say(&format!("waiting for another chachong that is updating the index in {}", dir.display()));
            file.lock().map_err(io_err(&path))?;
        }
        Err(TryLockError::Error(e)) => return Err(StoreError::Io(path, e)),
    }
    Ok(Lock(file))
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// A corpus file as found on disk.
struct Found {
    name: String,
    path: PathBuf,
    size: u64,
    mtime_ns: u64,
}

fn stat(root: &Path, path: PathBuf) -> Found {
    let meta = fs::metadata(&path).ok();
    let mtime_ns = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Found { name: relative_name(root, &path), size: meta.map_or(0, |m| m.len()), mtime_ns, path }
}

/// Brings the index in `dir` up to date with the corpus below `root`: documents added or changed
/// since (by size and mtime, confirmed by content hash) go into new segments, removed ones are
/// tombstoned, and segments are merged when the policy says so. Holds the lock throughout.
/// `analyzer` is called only when there are documents to fingerprint.
pub fn update<'a>(
    dir: &Path,
    root: &Path,
    analyzer: &(dyn Fn() -> &'a Analyzer + Sync),
    opts: UpdateOptions,
    progress: &Progress,
) -> Result<(Index, UpdateReport), StoreError> {
    let stamp = analyzer().stamp();
    if !root.is_dir() {
        // The corpus moved or its share is offline: a stored index still answers.
        return match open(dir)? {
            Some(index) if !opts.rebuild && index.docs > 0 => {
                same_analysis(dir, &index, stamp)?;
                (progress.say)(&format!(
                    "corpus folder {} not found; using the index as stored ({} documents)",
                    root.display(),
                    index.docs
                ));
                Ok((index, UpdateReport::default()))
            }
            _ => Err(StoreError::Corpus(
                corpus_files(root).err().unwrap_or(CorpusError::Missing { root: root.to_path_buf() }),
            )),
        };
    }
    let walked = corpus_files(root).map_err(StoreError::Corpus)?;
    // Index files (.ccx) are never corpus documents, wherever the index folder is.
    let found: Vec<Found> = walked.files.into_iter().map(|p| stat(root, p)).collect();
    let mut report = UpdateReport { notes: walked.notes, ..UpdateReport::default() };
    report.notes.extend(Note::lock_files(walked.lock_files, true));

    // An index that is up to date is read as it is, without the lock: so a check answers while
    // another process rebuilds, and from an index it cannot write (a read-only share).
    if !opts.rebuild && !opts.compact {
        if let Some(current) = open(dir)? {
            same_analysis(dir, &current, stamp)?;
            let diff = diff(&current, &found);
            if diff.is_empty() {
                report.unchanged = diff.unchanged;
                report.read_only = !clean_up(dir);
                return Ok((current, report));
            }
        }
    }

    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let _lock = lock(dir, progress.say)?;
    // A rebuild is the way out of a damaged manifest too: then no file of the old index answers.
    let on_disk = match read_manifest(dir) {
        Err(StoreError::BadManifest(_)) if opts.rebuild => Manifest::default(),
        other => other?.unwrap_or_default(),
    };
    remove_unnamed(dir, &on_disk);
    // A rebuild starts from nothing but keeps the old files, and numbers the new ones after them,
    // until the manifest naming only the new ones has replaced the old: killed before that, it
    // leaves the old index answering.
    let mut manifest = if opts.rebuild { Manifest::default() } else { on_disk.clone() };
    let current = open_files(dir, &manifest)?;
    same_analysis(dir, &current, stamp)?;
    let Diff { to_add, removed_docs, added, changed, removed, unchanged } = diff(&current, &found);
    (report.added, report.changed, report.removed, report.unchanged) = (added, changed, removed, unchanged);
    let to_add: Vec<&Found> = to_add.into_iter().map(|i| &found[i]).collect();

    let mut next = on_disk.next_number();
    // New and changed documents, a batch of SEGMENT_BATCH_BYTES per segment.
    (progress.files_found)(to_add.len() as u64);
    let mut batch: Vec<&Found> = Vec::new();
    let mut batch_bytes = 0usize;
    let mut new_segments = Vec::new();
    for (i, f) in to_add.iter().enumerate() {
        batch.push(f);
        batch_bytes += f.size as usize;
        if batch_bytes >= SEGMENT_BATCH_BYTES || i + 1 == to_add.len() {
            let docs = fingerprint_batch(analyzer(), &batch, progress, &mut report.errors);
            if !docs.is_empty() {
                write_file(dir, &segment_name(next), segment_words(&docs, stamp), FileKind::Segment)?;
                new_segments.push(next);
                next += 1;
                report.segments_written += 1;
            }
            batch.clear();
            batch_bytes = 0;
        }
    }
    // A file that could not be read is not in the index: it was not added, and a changed one
    // that can no longer be read is gone from it.
    for e in &report.errors {
        if current.find(&relative_name(root, &e.path)).is_some() {
            report.changed = report.changed.saturating_sub(1);
            report.removed += 1;
        } else {
            report.added = report.added.saturating_sub(1);
        }
    }

    if !removed_docs.is_empty() {
        let mut removed = match manifest.deletes {
            Some(n) => read_deletes(&IndexFile::open(&dir.join(deletes_name(n)), FileKind::Deletes)?)?,
            None => Removed::default(),
        };
        add_removals(&current, root, analyzer(), &removed_docs, &mut removed);
        write_file(dir, &deletes_name(next), deletes_words(&removed, current.stamp), FileKind::Deletes)?;
        manifest.deletes = Some(next);
        next += 1;
    }
    if new_segments.is_empty() && removed_docs.is_empty() && !opts.compact && !opts.rebuild {
        return Ok((current, report));
    }
    drop(current);
    let new_segments_count = new_segments.len();
    manifest.segments.extend(new_segments);
    write_manifest(dir, &manifest)?;
    let mut index = open_files(dir, &manifest)?;

    let too_many = manifest.segments.len() > COMPACT_MAX_SEGMENTS;
    let deleted =
        index.removed_docs() as f64 > COMPACT_DELETED_SHARE * (index.docs + index.removed_docs()) as f64;
    // A build that wrote several batches merges them, so that a fresh index is one segment.
    let batches = new_segments_count > 1;
    if manifest.segments.len() > 1 && (opts.compact || too_many || deleted || batches)
        || manifest.deletes.is_some() && (opts.compact || deleted)
    {
        write_file(dir, &segment_name(next), compact(&index), FileKind::Segment)?;
        manifest = Manifest { segments: vec![next], deletes: None };
        drop(index);
        write_manifest(dir, &manifest)?;
        index = open_files(dir, &manifest)?;
        report.segments_written += 1;
        report.compacted = true;
    }
    remove_unnamed(dir, &manifest);
    Ok((index, report))
}

/// Refuses an index (in `dir`) built with another analysis than `run`: its fingerprints would
/// match nothing the run looks up. An index of no segment has no analysis yet.
fn same_analysis(dir: &Path, index: &Index, run: Stamp) -> Result<(), StoreError> {
    if index.parts().is_empty() || index.stamp == run {
        return Ok(());
    }
    Err(StoreError::OtherAnalysis { dir: dir.to_path_buf(), index: index.stamp, run })
}

/// How the corpus on disk differs from an index.
struct Diff {
    /// Files to fingerprint (new or changed), by their position in the walk.
    to_add: Vec<usize>,
    /// Index documents to strike out (removed or changed).
    removed_docs: Vec<u32>,
    added: usize,
    changed: usize,
    removed: usize,
    unchanged: usize,
}

impl Diff {
    fn is_empty(&self) -> bool {
        self.to_add.is_empty() && self.removed_docs.is_empty()
    }
}

/// Compares the files found with the documents of `current`: by size and mtime, and for a file
/// touched since, by a hash of its bytes.
fn diff(current: &Index, found: &[Found]) -> Diff {
    let mut d =
        Diff { to_add: Vec::new(), removed_docs: Vec::new(), added: 0, changed: 0, removed: 0, unchanged: 0 };
    let mut seen = vec![false; current.docs];
    for (i, f) in found.iter().enumerate() {
        let Some(doc) = current.find(&f.name) else {
            d.to_add.push(i);
            d.added += 1;
            continue;
        };
        seen[doc as usize] = true;
        let (part, sd) = current.doc_at(doc);
        let old = part.meta(sd);
        if old.size == f.size && old.mtime_ns == f.mtime_ns {
            d.unchanged += 1;
            continue;
        }
        // Same bytes need the same size: only a touched file is read again, and no more of it.
        let same = old.size == f.size && read_bytes(&f.path, old.size).is_ok_and(|b| xxh3_64(&b) == old.hash);
        if same {
            d.unchanged += 1;
        } else {
            d.changed += 1;
            d.removed_docs.push(doc);
            d.to_add.push(i);
        }
    }
    for (doc, &s) in seen.iter().enumerate() {
        if !s {
            d.removed_docs.push(doc as u32);
            d.removed += 1;
        }
    }
    d
}

/// Removes what a killed writer left in `dir`, if the lock can be had at once; a writer at work
/// cleans up itself. Returns false when the folder cannot be written (the index is used read-only).
fn clean_up(dir: &Path) -> bool {
    let path = dir.join(LOCK);
    let Ok(file) = File::options().create(true).truncate(false).write(true).open(&path) else {
        return false;
    };
    if file.try_lock().is_ok() {
        let _lock = Lock(file);
        if let Ok(Some(m)) = read_manifest(dir) {
            remove_unnamed(dir, &m);
        }
    }
    true
}

/// Reads, hashes and fingerprints a batch of files, sorted by name for the segment.
fn fingerprint_batch(
    analyzer: &Analyzer,
    batch: &[&Found],
    progress: &Progress,
    errors: &mut Vec<IngestError>,
) -> Vec<SegmentDoc> {
    let results: Vec<Result<SegmentDoc, IngestError>> = batch
        .par_iter()
        .map(|f| {
            let r = read_bytes(&f.path, analyzer.limits.max_file_bytes).and_then(|bytes| {
                // Decoded from the bytes just hashed, not read again; LibreOffice converts
                // legacy formats from the file.
                let doc = match Format::of(&f.path) {
                    Ok(Format::Legacy) => read_document_with(&f.path, &analyzer.limits)?,
                    _ => document_from_bytes_with(&f.path, &bytes, &analyzer.limits)?,
                };
                let meta = FileMeta { size: f.size, mtime_ns: f.mtime_ns, hash: xxh3_64(&bytes) };
                let cd = CorpusDoc { name: f.name.clone(), doc };
                let prints = fingerprint_document(analyzer, &cd);
                let stored = StoredText { text: cd.doc.text, paragraphs: cd.doc.paragraphs };
                Ok(SegmentDoc { name: cd.name, meta, prints, stored: Some(stored) })
            });
            (progress.tick)(1);
            r
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    super::build::sort_by_name(&mut docs);
    docs
}

/// Tombstones documents and subtracts their document frequencies and postings, fingerprinting them
/// again from their stored text (exactly what was indexed, whatever the file holds now).
fn add_removals(index: &Index, root: &Path, analyzer: &Analyzer, docs: &[u32], removed: &mut Removed) {
    let prints: Vec<super::DocPrints> = docs
        .par_iter()
        .map(|&doc| {
            let (part, d) = index.doc_at(doc);
            let cd = part.stored(d).map(|s| CorpusDoc {
                name: index.name(doc).to_string(),
                doc: Document {
                    path: crate::names::join(root, index.name(doc)),
                    text: s.text,
                    paragraphs: s.paragraphs,
                },
            });
            cd.map(|cd| fingerprint_document(analyzer, &cd)).unwrap_or_default()
        })
        .collect();
    for &doc in docs {
        let (part, d) = index.doc_at(doc);
        removed.tombstones.push((part.id, d as u32));
    }
    removed.tombstones.sort_unstable();
    let shingles = prints.iter().flat_map(|p| p.shingles.iter().copied());
    (removed.df_keys, removed.df_counts) = counted(&removed.df_keys, &removed.df_counts, shingles);
    // A segment holds each (fingerprint, paragraph) once.
    let postings = prints.into_iter().flat_map(|mut p| {
        p.postings.sort_unstable();
        p.postings.dedup();
        p.postings.into_iter().map(|(h, _)| h)
    });
    (removed.post_keys, removed.post_counts) = counted(&removed.post_keys, &removed.post_counts, postings);
}

/// Counts of `more` added to the sorted counts `keys`/`counts`: merged as counts, never expanded
/// into one item per count (a count read from a file may be as large as a u32 holds).
fn counted(keys: &[u64], counts: &[u32], more: impl Iterator<Item = u64>) -> (Vec<u64>, Vec<u32>) {
    let mut more: Vec<u64> = more.collect();
    more.sort_unstable();
    let runs = more.chunk_by(|a, b| a == b).map(|run| (run[0], run.len() as u32));
    let old = keys.iter().copied().zip(counts.iter().copied());
    let mut out: (Vec<u64>, Vec<u32>) = (Vec::new(), Vec::new());
    for (k, c) in kmerge(vec![Box::new(old), Box::new(runs)]) {
        match (out.0.last(), out.1.last_mut()) {
            (Some(&last), Some(n)) if last == k => *n = n.saturating_add(c),
            _ => {
                out.0.push(k);
                out.1.push(c);
            }
        }
    }
    out
}

/// Writes an index file atomically, after checking that it reads back whole.
fn write_file(dir: &Path, name: &str, words: Vec<u64>, kind: FileKind) -> Result<(), StoreError> {
    let file = IndexFile::from_words(words, kind)?;
    file.verify()?;
    let path = dir.join(name);
    file.write_to(&path).map_err(io_err(&path))
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), StoreError> {
    let path = dir.join(MANIFEST);
    crate::atomic::write_atomic(&path, |w| w.write_all(m.render().as_bytes())).map_err(io_err(&path))
}

/// Removes what a killed writer or an old generation left: any file the manifest does not name.
fn remove_unnamed(dir: &Path, m: &Manifest) {
    let keep = m.files();
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name != MANIFEST && name != LOCK && !keep.contains(&name) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Reads every byte of every file of the index and checks its checksum.
pub fn verify(dir: &Path) -> Result<usize, StoreError> {
    let m = read_manifest(dir)?.ok_or_else(|| StoreError::BadManifest(dir.join(MANIFEST)))?;
    for name in m.files() {
        let kind = if name.starts_with("del-") { FileKind::Deletes } else { FileKind::Segment };
        IndexFile::open(&dir.join(&name), kind)?.verify()?;
    }
    Ok(m.files().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_round_trip_and_reject_garbage() {
        let m = Manifest { segments: vec![1, 4], deletes: Some(5) };
        assert_eq!(Manifest::parse(&m.render()), Some(m.clone()));
        assert_eq!(m.next_number(), 6);
        assert_eq!(m.files(), vec!["seg-000001.ccx", "seg-000004.ccx", "del-000005.ccx"]);
        assert_eq!(Manifest::parse("chachong index 2\nsegment 1\n"), None);
        assert_eq!(Manifest::parse("chachong index 1\nsegment x\n"), None);
    }
}
