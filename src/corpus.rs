//! A corpus: finding and reading its documents, and the index over them, in memory or stored.

use crate::analyze::Analyzer;
use crate::index::build::{SegmentDoc, StoredText};
use crate::index::store::{self, Progress, StoreError, UpdateOptions, UpdateReport};
use crate::index::{fingerprint_document, Index};
use crate::ingest::{read_document, read_document_with, Document, IngestError, Paragraph};
use crate::walk::{walk, Filter, Note, Walk};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Why a corpus folder gives no corpus.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{}: cannot open the corpus folder: {source}", root.display())]
    Open { root: PathBuf, source: std::io::Error },
    /// The folder is gone, and the index that could stand in for it too.
    #[error("{}: cannot open the corpus folder", root.display())]
    Missing { root: PathBuf },
    #[error("{}: the corpus must be a folder", root.display())]
    NotAFolder { root: PathBuf },
    /// No file below the folder is a document; `unreadable` is the first folder that could not
    /// be listed, which may be why.
    #[error(
        "{}: no documents ({}) found in the corpus folder{}",
        root.display(),
        crate::ingest::SUPPORTED,
        unreadable.as_ref().map_or(String::new(), |n| format!(" ({n})"))
    )]
    NoDocuments { root: PathBuf, unreadable: Option<Note> },
    /// Every document failed to read: `first` is the first error, `more` the number of others.
    #[error(
        "{}: none of the corpus files could be read{}",
        root.display(),
        first.as_ref().map_or(String::new(), |e| if *more > 0 {
            format!(" ({e}; and {more} more)")
        } else {
            format!(" ({e})")
        })
    )]
    NoneReadable { root: PathBuf, first: Option<Box<IngestError>>, more: usize },
}

impl CorpusError {
    /// [`CorpusError::NoneReadable`] for the corpus below `root`, whose files all failed so.
    pub fn none_readable(root: &Path, errors: Vec<IngestError>) -> CorpusError {
        let more = errors.len().saturating_sub(1);
        let first = errors.into_iter().next().map(Box::new);
        CorpusError::NoneReadable { root: root.to_path_buf(), first, more }
    }
}

/// A document whose text stored in the index is damaged and whose file differs or is gone: it
/// is checked as empty paragraphs, so that offsets stay valid. The caller tells the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{}: the stored text of {name} is damaged and the file differs or is gone; rebuild the index \
     with `chachong index --rebuild`",
    index_file.display()
)]
pub struct DamagedText {
    /// The index file holding the text.
    pub index_file: PathBuf,
    /// The document's report name.
    pub name: String,
}

/// A corpus document and its name in reports: the path relative to the corpus root, `/`-separated,
/// shown losslessly ([`crate::names`]), so two files never share one.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    pub name: String,
    pub doc: Document,
}

/// Supported regular files below `root`, recursively, sorted by path so that results do not
/// depend on the file system's order; see [`walk`]. Its notes keep what the user should hear
/// of (unreadable folders, special files, chachong's own reports); files that are not documents
/// pass silently, as a corpus folder holds many. Lock files are only counted, for the caller's
/// one note per run ([`Note::lock_files`]).
pub fn corpus_files(root: &Path) -> Result<Walk, CorpusError> {
    let meta =
        std::fs::metadata(root).map_err(|source| CorpusError::Open { root: root.to_path_buf(), source })?;
    if !meta.is_dir() {
        return Err(CorpusError::NotAFolder { root: root.to_path_buf() });
    }
    let mut found = walk(root, &Filter::default());
    if found.files.is_empty() {
        let unreadable = found.notes.iter().find(|n| matches!(n, Note::Unreadable { .. })).cloned();
        return Err(CorpusError::NoDocuments { root: root.to_path_buf(), unreadable });
    }
    found.notes.retain(|n| !matches!(n, Note::NotADocument(_)));
    Ok(found)
}

/// The report name of `path` below `root` (see [`crate::names`]).
pub fn relative_name(root: &Path, path: &Path) -> String {
    crate::names::shown(&crate::names::relative_bytes(root, path)).into_owned()
}

/// Reads the files in parallel. Unreadable files are returned apart, so one bad file does not
/// stop the corpus from loading.
pub fn read_corpus(
    root: &Path,
    files: &[PathBuf],
    progress: &(dyn Fn(u64) + Sync),
) -> (Vec<CorpusDoc>, Vec<IngestError>) {
    let results: Vec<Result<CorpusDoc, IngestError>> = files
        .par_iter()
        .map(|path| {
            let doc = read_document(path);
            progress(1);
            doc.map(|doc| CorpusDoc { name: relative_name(root, path), doc })
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
    }
    (docs, errors)
}

/// A corpus ready to check against: its index and a way to its documents' text.
pub struct Corpus {
    pub root: PathBuf,
    pub index: Index,
    /// What the walk of the corpus folder passed over that the user should hear of (see
    /// [`corpus_files`]); the library does not print, the caller says them.
    pub notes: Vec<Note>,
    docs: Docs,
    /// Stored texts found damaged so far, for [`Corpus::take_damaged`].
    damaged: Mutex<Vec<DamagedText>>,
}

/// Where documents' texts come from.
enum Docs {
    /// Read for this run, in index order.
    Memory(Vec<CorpusDoc>),
    /// Inflated from the stored index on first use: a check reads only the paragraphs it aligns.
    Stored(Vec<OnceLock<CorpusDoc>>),
}

impl Corpus {
    /// Reads and fingerprints every document below `root`, in parallel, into an in-memory index.
    /// `tick` is called once per file (for a progress bar). Files that cannot be read are returned
    /// apart, with the reason.
    pub fn load(
        root: &Path,
        analyzer: &Analyzer,
        tick: &(dyn Fn(u64) + Sync),
        files_found: &(dyn Fn(u64) + Sync),
    ) -> Result<(Corpus, Vec<IngestError>), CorpusError> {
        Corpus::load_roots(&[root], analyzer, tick, files_found)
    }

    /// As [`Corpus::load`], for several folders read as one corpus: documents of the first are
    /// named relative to it, those of the others (an audit's reference corpus) by their path as
    /// given, so the two never share a name.
    pub fn load_roots(
        roots: &[&Path],
        analyzer: &Analyzer,
        tick: &(dyn Fn(u64) + Sync),
        files_found: &(dyn Fn(u64) + Sync),
    ) -> Result<(Corpus, Vec<IngestError>), CorpusError> {
        let mut files = Vec::new();
        let mut notes = Vec::new();
        let mut lock_files = 0;
        for (i, root) in roots.iter().enumerate() {
            let found = corpus_files(root)?;
            notes.extend(found.notes);
            lock_files += found.lock_files;
            for path in found.files {
                let name = if i == 0 {
                    relative_name(root, &path)
                } else {
                    crate::names::shown_path(&path).replace('\\', "/")
                };
                files.push((path, name));
            }
        }
        notes.extend(Note::lock_files(lock_files, true));
        let root = roots.first().copied().unwrap_or(Path::new(""));
        files_found(files.len() as u64);
        let results: Vec<Result<(CorpusDoc, SegmentDoc), IngestError>> = files
            .into_par_iter()
            .map(|(path, name)| {
                let doc = read_document_with(&path, &analyzer.limits).map(|doc| {
                    let doc = CorpusDoc { name, doc };
                    let prints = fingerprint_document(analyzer, &doc);
                    let seg =
                        SegmentDoc { name: doc.name.clone(), meta: Default::default(), prints, stored: None };
                    (doc, seg)
                });
                tick(1);
                doc
            })
            .collect();
        let mut docs = Vec::with_capacity(results.len());
        let mut segment = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok((d, s)) => {
                    docs.push(d);
                    segment.push(s);
                }
                Err(e) => errors.push(e),
            }
        }
        if docs.is_empty() {
            return Err(CorpusError::none_readable(root, errors));
        }
        // Documents are numbered by name, as in a stored index.
        docs.sort_by_cached_key(|d| crate::names::bytes_of(&d.name).into_owned());
        let index = Index::build_with(segment, analyzer.stamp());
        Ok((Corpus::new(root, Docs::Memory(docs), index, notes), errors))
    }

    /// An in-memory corpus of documents already read, named as given (names must differ): a batch
    /// of drafts compared with each other ([`crate::findings::batch`]).
    pub fn from_documents(root: &Path, analyzer: &Analyzer, mut docs: Vec<CorpusDoc>) -> Corpus {
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        let segment = docs
            .par_iter()
            .map(|d| SegmentDoc {
                name: d.name.clone(),
                meta: Default::default(),
                prints: fingerprint_document(analyzer, d),
                stored: None,
            })
            .collect();
        let index = Index::build_with(segment, analyzer.stamp());
        Corpus::new(root, Docs::Memory(docs), index, Vec::new())
    }

    fn new(root: &Path, docs: Docs, index: Index, notes: Vec<Note>) -> Corpus {
        Corpus { root: root.to_path_buf(), index, notes, docs, damaged: Mutex::new(Vec::new()) }
    }

    /// The stored texts found damaged since the last call (see [`DamagedText`]), each once.
    pub fn take_damaged(&self) -> Vec<DamagedText> {
        std::mem::take(&mut *self.damaged.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Brings the stored index in `dir` up to date with the corpus below `root` (see
    /// [`store::update`]) and opens it.
    pub fn open_indexed<'a>(
        root: &Path,
        dir: &Path,
        analyzer: &(dyn Fn() -> &'a Analyzer + Sync),
        opts: UpdateOptions,
        progress: &Progress,
    ) -> Result<(Corpus, UpdateReport), StoreError> {
        let (index, mut report) = store::update(dir, root, analyzer, opts, progress)?;
        if index.docs == 0 {
            return Err(StoreError::Corpus(CorpusError::none_readable(
                root,
                std::mem::take(&mut report.errors),
            )));
        }
        let mut corpus = Corpus::from_index(root, index);
        corpus.notes = std::mem::take(&mut report.notes);
        Ok((corpus, report))
    }

    /// A corpus answered by an opened stored index, as it is.
    pub fn from_index(root: &Path, index: Index) -> Corpus {
        let docs = Docs::Stored((0..index.docs).map(|_| OnceLock::new()).collect());
        Corpus::new(root, docs, index, Vec::new())
    }

    /// The number of documents; ids run from 0 to `len() - 1`.
    pub fn len(&self) -> usize {
        self.index.docs
    }

    /// Whether the corpus holds no document (a loaded corpus never does).
    pub fn is_empty(&self) -> bool {
        self.index.docs == 0
    }

    /// Document `id` (as in [`crate::index::ParaRef::doc`]) with its text.
    pub fn doc(&self, id: u32) -> &CorpusDoc {
        match &self.docs {
            Docs::Memory(docs) => &docs[id as usize],
            Docs::Stored(cells) => cells[id as usize].get_or_init(|| self.stored_doc(id)),
        }
    }

    /// The id of the document reports call `name`.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.index.find(name)
    }

    /// A document's text from the index. Should the stored text be damaged, the file is read
    /// again; should that fail too, the document keeps its paragraphs, empty, so that offsets
    /// stay valid, and the user is told.
    fn stored_doc(&self, id: u32) -> CorpusDoc {
        let name = self.index.name(id).to_string();
        let path = crate::names::join(&self.root, &name);
        let (part, d) = self.index.doc_at(id);
        if let Some(StoredText { text, paragraphs }) = part.stored(d) {
            return CorpusDoc { name, doc: Document { path, text, paragraphs } };
        }
        let paras = (self.index.global(crate::index::ParaRef { doc: id + 1, para: 0 })
            - self.index.global(crate::index::ParaRef { doc: id, para: 0 })) as usize;
        match read_document(&path) {
            Ok(doc) if doc.paragraphs.len() == paras => CorpusDoc { name, doc },
            _ => {
                let damaged = DamagedText { index_file: part.file.path.clone(), name: name.clone() };
                self.damaged.lock().unwrap_or_else(|e| e.into_inner()).push(damaged);
                let empty = Paragraph { start: 0, end: 0, byte_start: 0, byte_end: 0 };
                CorpusDoc {
                    name,
                    doc: Document { path, text: String::new(), paragraphs: vec![empty; paras] },
                }
            }
        }
    }
}
