//! Finding and reading the documents of a corpus folder.

use crate::ingest::{read_document, Document, IngestError};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A corpus document and its name in reports: the path relative to the corpus root, `/`-separated.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    pub name: String,
    pub doc: Document,
}

/// Supported files below `root`, recursively, sorted by path so that results do not depend on the
/// file system's order. Hidden files and folders (`.git`, `.chachong`) are skipped, and so are
/// files that are not documents; see [`crate::walk::walk`].
pub fn corpus_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(root)
        .map_err(|e| format!("{}: cannot open the corpus folder: {e}", root.display()))?;
    if !meta.is_dir() {
        return Err(format!("{}: the corpus must be a folder", root.display()));
    }
    let found = crate::walk::walk(root, &crate::walk::Filter::default());
    if found.files.is_empty() {
        let mut msg = format!(
            "{}: no documents ({}) found in the corpus folder",
            root.display(),
            crate::ingest::SUPPORTED
        );
        if let Some(e) = found.notes.iter().find(|n| n.contains("cannot")) {
            msg.push_str(&format!(" ({e})"));
        }
        return Err(msg);
    }
    Ok(found.files)
}

/// The report name of `path` below `root`.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
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
