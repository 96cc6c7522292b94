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
/// file system's order. Hidden files and folders (`.git`, `.chachong`) are skipped.
pub fn corpus_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(root)
        .map_err(|e| format!("{}: cannot open the corpus folder: {e}", root.display()))?;
    if !meta.is_dir() {
        return Err(format!("{}: the corpus must be a folder", root.display()));
    }
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    let mut errors = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("{}: cannot list folder: {e}", dir.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) if crate::ingest::is_supported(&path) && path.is_file() => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    if files.is_empty() {
        let mut msg =
            format!("{}: no documents (.txt, .md, .docx) found in the corpus folder", root.display());
        if let Some(e) = errors.first() {
            msg.push_str(&format!(" ({e})"));
        }
        return Err(msg);
    }
    Ok(files)
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
