//! How a run reaches its corpus: through the stored index, brought up to date first, when it can;
//! else read and fingerprinted afresh for this run only.

use crate::analyze::Loading;
use crate::check::Corpus;
use crate::index::store::{Progress, StoreError, UpdateOptions, UpdateReport};
use crate::ingest::IngestError;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Where a run's corpus comes from.
pub enum Access {
    /// The stored index in this folder, created or updated as the corpus changed.
    Index { dir: PathBuf, opts: UpdateOptions },
    /// Read for this run only; no index is used or written.
    ThisRunOnly,
}

/// A corpus ready to answer a check.
pub struct Opened {
    pub corpus: Corpus,
    /// Corpus files that could not be read, each with its reason; the rest were used.
    pub errors: Vec<IngestError>,
    /// What was done to the stored index, when one was used.
    pub update: Option<UpdateReport>,
}

/// Why no corpus could be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The corpus folders could not be read (missing, empty, nothing readable).
    Read(crate::corpus::CorpusError),
    /// The stored index could not be read or brought up to date.
    Index(StoreError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Read(e) => e.fmt(f),
            OpenError::Index(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OpenError {}

/// Opens the corpus below `roots` (the first is the corpus, the others reference corpora, see
/// [`Corpus::load_roots`]). A run whose analysis is not the stored index's (`--fold-traditional`
/// against an index built without it) reads the corpus afresh; so does a run whose index cannot
/// be written (a corpus on a read-only share). Both are said through `progress.say`.
pub fn open(
    roots: &[&Path],
    access: Access,
    loading: &Loading,
    progress: &Progress,
) -> Result<Opened, OpenError> {
    let (dir, opts) = match access {
        Access::Index { dir, opts } if roots.len() == 1 => (dir, opts),
        _ => return read_for_this_run(roots, loading, progress),
    };
    match Corpus::open_indexed(roots[0], &dir, &|| loading.get(), opts, progress) {
        Ok((corpus, mut report)) => {
            let errors = std::mem::take(&mut report.errors);
            Ok(Opened { corpus, errors, update: Some(report) })
        }
        Err(StoreError::Io(path, e)) if e.kind() != io::ErrorKind::NotFound => {
            (progress.say)(&format!(
                "cannot write the index ({}: {e}); reading the corpus for this run only",
                path.display()
            ));
            read_for_this_run(roots, loading, progress)
        }
        Err(StoreError::OtherAnalysis { dir, index, .. }) => {
            (progress.say)(&format!(
                "the index in {} was built with {index}: reading the corpus for this run only \
                 (`chachong index --rebuild` with this run's flags makes an index for them)",
                dir.display()
            ));
            read_for_this_run(roots, loading, progress)
        }
        Err(e) => Err(OpenError::Index(e)),
    }
}

fn read_for_this_run(roots: &[&Path], loading: &Loading, progress: &Progress) -> Result<Opened, OpenError> {
    let (corpus, errors) = Corpus::load_roots(roots, loading.get(), progress.tick, progress.files_found)
        .map_err(OpenError::Read)?;
    Ok(Opened { corpus, errors, update: None })
}
