//! Finding the documents below folders given as inputs: recursively, with `--include`/`--exclude`
//! globs, hidden files and folders (`.git`, the `.chachong` index) left out, symlink loops
//! survived, and files that are not documents (images, archives) skipped with a note.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::ingest::is_supported;

/// Which files below a folder are wanted. Globs match the path relative to the folder given,
/// with `/` separators; `*` also crosses folders, so `*.docx` means every .docx at any depth.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    /// A filter from `--include` and `--exclude` globs; no include means every document.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        Ok(Filter { include: glob_set(include)?, exclude: glob_set(exclude)? })
    }

    /// Whether the file at `rel` (relative, `/`-separated) is wanted.
    pub fn allows(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

fn glob_set(globs: &[String]) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("bad glob {g:?}: {e}"))?);
    }
    b.build().map(Some).map_err(|e| format!("bad globs: {e}"))
}

/// What a walk found: documents to read, sorted by path, and one line per file or folder it
/// passed over and why (not a document, cannot be listed, a symlink loop).
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub notes: Vec<String>,
}

/// Documents below `root` (a folder) that `filter` allows, recursively. Symlinked folders are
/// followed once each (by their real path), so a link back up the tree ends there.
pub fn walk(root: &Path, filter: &Filter) -> Walk {
    let mut out = Walk::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        match std::fs::canonicalize(&dir) {
            Ok(real) => {
                if !seen.insert(real) {
                    out.notes.push(format!(
                        "{}: skipped, a folder already visited (symlink loop?)",
                        dir.display()
                    ));
                    continue;
                }
            }
            Err(e) => {
                out.notes.push(format!("{}: cannot open folder: {e}", dir.display()));
                continue;
            }
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.notes.push(format!("{}: cannot list folder: {e}", dir.display()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.notes.push(format!("{}: cannot list folder: {e}", dir.display()));
                    continue;
                }
            };
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            // Follows symlinks: a link to a document is a document.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    out.notes.push(format!("{}: skipped, cannot read it: {e}", path.display()));
                    continue;
                }
            };
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            if !filter.allows(&crate::corpus::relative_name(root, &path)) {
                continue;
            }
            if is_supported(&path) {
                out.files.push(path);
            } else {
                out.notes.push(format!("{}: skipped, {}", path.display(), not_a_document(&path)));
            }
        }
    }
    out.files.sort();
    out.notes.sort();
    out
}

fn not_a_document(path: &Path) -> String {
    match path.extension() {
        Some(e) => format!("not a document chachong reads (.{})", e.to_string_lossy()),
        None => "not a document chachong reads (no extension)".into(),
    }
}

/// The inputs of `check`: files as given (whatever the filter says; unsupported ones fail with
/// their reason when read), folders walked with `filter`.
pub fn expand_inputs(inputs: &[PathBuf], filter: &Filter) -> Walk {
    let mut out = Walk::default();
    for input in inputs {
        if input.is_dir() {
            let w = walk(input, filter);
            if w.files.is_empty() {
                out.notes.push(format!("{}: no documents found in this folder", input.display()));
            }
            out.files.extend(w.files);
            out.notes.extend(w.notes);
        } else {
            out.files.push(input.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(root: &Path, w: &Walk) -> Vec<String> {
        w.files.iter().map(|p| crate::corpus::relative_name(root, p)).collect()
    }

    #[test]
    fn walks_filters_and_survives_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.txt",
            "sub/b.docx",
            "sub/deep/c.html",
            "sub/photo.png",
            ".hidden.txt",
            ".chachong/x.txt",
            "README",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
        let w = walk(root, &Filter::default());
        assert_eq!(names(root, &w), ["a.txt", "sub/b.docx", "sub/deep/c.html"]);
        let notes: Vec<String> =
            w.notes.iter().map(|n| n.replace(&root.display().to_string(), "R")).collect();
        let mut expected = vec![
            "R/README: skipped, not a document chachong reads (no extension)".to_string(),
            "R/sub/photo.png: skipped, not a document chachong reads (.png)".to_string(),
        ];
        #[cfg(unix)]
        expected.push("R/sub/loop: skipped, a folder already visited (symlink loop?)".to_string());
        expected.sort();
        assert_eq!(notes, expected);

        let f = Filter::new(&["*.docx".into(), "*.html".into()], &["sub/deep/**".into()]).unwrap();
        assert_eq!(names(root, &walk(root, &f)), ["sub/b.docx"]);
        assert!(Filter::new(&["a[".into()], &[]).unwrap_err().contains("bad glob"));
    }

    #[test]
    fn inputs_mix_files_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.txt"), "x").unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let given = PathBuf::from("given.pdf");
        let w = expand_inputs(&[given.clone(), dir.path().to_path_buf(), empty.clone()], &Filter::default());
        assert_eq!(w.files, [given, dir.path().join("d.txt")]);
        assert_eq!(w.notes, [format!("{}: no documents found in this folder", empty.display())]);
    }
}
