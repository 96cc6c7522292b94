//! Finding the documents below folders given as inputs: recursively, with `--include`/`--exclude`
//! globs, hidden files and folders (`.git`, the `.chachong` index) left out, symlink loops
//! survived, files that are not documents (images, archives) or not regular files (FIFOs,
//! devices) skipped with a note, Word/WPS lock files counted, and chachong's own reports left out.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::ingest::{is_supported, not_regular, Format};
use crate::manifest::MANIFEST_HEADER;
use crate::params::{LOCK_FILE_PATTERNS, REPORT_SNIFF_BYTES};
use crate::report::schema::MANIFEST_FILE;
use crate::review::html::GENERATOR_MARK;

/// A `--include` or `--exclude` glob that globset refuses.
#[derive(Debug, thiserror::Error)]
pub enum GlobError {
    #[error("bad glob {glob:?}: {source}")]
    Bad { glob: String, source: globset::Error },
    #[error("bad globs: {0}")]
    Set(globset::Error),
}

/// Which files below a folder are wanted. Globs match the path relative to the folder given,
/// with `/` separators; `*` also crosses folders, so `*.docx` means every .docx at any depth.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    /// A filter from `--include` and `--exclude` globs; no include means every document.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, GlobError> {
        Ok(Filter { include: glob_set(include)?, exclude: glob_set(exclude)? })
    }

    /// Whether the file at `rel` (relative, `/`-separated) is wanted.
    pub fn allows(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

fn glob_set(globs: &[String]) -> Result<Option<GlobSet>, GlobError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|source| GlobError::Bad { glob: g.clone(), source })?);
    }
    b.build().map(Some).map_err(GlobError::Set)
}

/// Something a walk passed over, and why. Displays as one line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A file that is not a document chachong reads (an image, an archive): routine in a corpus,
    /// so only draft walks report it.
    NotADocument(PathBuf),
    /// A folder or file that could not be opened, listed or looked at, or a folder already
    /// visited (a symlink loop); `reason` says which.
    Unreadable { path: PathBuf, reason: String },
    /// Not a regular file: opening a FIFO blocks until a writer comes, a device may never end.
    NotRegular { path: PathBuf, kind: &'static str },
    /// Word/WPS lock and temp files ([`LOCK_FILE_PATTERNS`]), counted: one line however many.
    LockFiles { count: usize, in_corpus: bool },
    /// A report chachong wrote: an HTML report or a run manifest.
    Report(PathBuf),
    /// A report folder chachong wrote: it holds a run manifest.
    ReportFolder(PathBuf),
    /// A folder given as input that holds no documents.
    NoDocuments(PathBuf),
}

impl Note {
    /// The one note for `count` lock files skipped in a run's drafts or corpus, if any were.
    pub fn lock_files(count: usize, in_corpus: bool) -> Option<Note> {
        (count > 0).then_some(Note::LockFiles { count, in_corpus })
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::NotADocument(p) => match p.extension() {
                Some(e) => {
                    write!(
                        f,
                        "{}: skipped, not a document chachong reads (.{})",
                        p.display(),
                        e.to_string_lossy()
                    )
                }
                None => write!(f, "{}: skipped, not a document chachong reads (no extension)", p.display()),
            },
            Note::Unreadable { path, reason } => write!(f, "{}: {reason}", path.display()),
            Note::NotRegular { path, kind } => {
                write!(f, "{}: skipped, {kind}, not a regular file", path.display())
            }
            Note::LockFiles { count, in_corpus } => write!(
                f,
                "skipped {count} Word/WPS lock file{}{}",
                if *count == 1 { "" } else { "s" },
                if *in_corpus { " in the corpus" } else { "" }
            ),
            Note::ReportFolder(p) => {
                write!(f, "{}: skipped, a report folder chachong wrote ({MANIFEST_FILE})", p.display())
            }
            Note::Report(p) => write!(f, "{}: skipped, a report chachong wrote", p.display()),
            Note::NoDocuments(p) => write!(f, "{}: no documents found in this folder", p.display()),
        }
    }
}

/// What a walk found: documents to read, sorted by path, the lock files it skipped, and one note
/// per other file or folder it passed over and why.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub notes: Vec<Note>,
    /// Word/WPS lock and temp files skipped; said in one [`Note::LockFiles`] by the caller, once
    /// per run rather than once per folder.
    pub lock_files: usize,
}

/// Documents below `root` (a folder) that `filter` allows, recursively. Symlinked folders are
/// followed once each (by their real path), so a link back up the tree ends there. Only regular
/// files are taken; Word/WPS lock files and the reports chachong wrote (a folder holding a run
/// manifest, an HTML report) are left out, so a report inside the corpus is never its own source.
pub fn walk(root: &Path, filter: &Filter) -> Walk {
    let mut out = Walk::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        match std::fs::canonicalize(&dir) {
            Ok(real) => {
                if !seen.insert(real) {
                    out.notes.push(Note::Unreadable {
                        path: dir,
                        reason: "skipped, a folder already visited (symlink loop?)".into(),
                    });
                    continue;
                }
            }
            Err(e) => {
                out.notes.push(Note::Unreadable { path: dir, reason: format!("cannot open folder: {e}") });
                continue;
            }
        }
        // The root is what the user asked for; below it, a report folder is chachong's own.
        if dir != root && is_run_manifest(&dir.join(MANIFEST_FILE)) {
            out.notes.push(Note::ReportFolder(dir));
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.notes.push(Note::Unreadable { path: dir, reason: format!("cannot list folder: {e}") });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let reason = format!("cannot list folder: {e}");
                    out.notes.push(Note::Unreadable { path: dir.clone(), reason });
                    continue;
                }
            };
            // Before the hidden-file rule: LibreOffice's `.~lock.…#` files are counted too.
            if is_lock_file(&entry.file_name()) {
                out.lock_files += 1;
                continue;
            }
            if crate::names::os_bytes(&entry.file_name()).starts_with(b".") {
                continue;
            }
            let path = entry.path();
            // Follows symlinks: a link to a document is a document.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    out.notes
                        .push(Note::Unreadable { path, reason: format!("skipped, cannot read it: {e}") });
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
            if !is_supported(&path) {
                out.notes.push(Note::NotADocument(path));
            } else if let Some(kind) = not_regular(&meta.file_type()) {
                out.notes.push(Note::NotRegular { path, kind });
            } else if written_by_chachong(&path) {
                out.notes.push(Note::Report(path));
            } else {
                out.files.push(path);
            }
        }
    }
    out.files.sort();
    out.notes.sort_by_cached_key(|n| n.to_string());
    out
}

/// Whether a file name is a Word/WPS/LibreOffice lock or temp file ([`LOCK_FILE_PATTERNS`]).
pub fn is_lock_file(name: &OsStr) -> bool {
    let name = name.to_string_lossy().to_lowercase();
    LOCK_FILE_PATTERNS.iter().any(|(prefix, suffix)| {
        name.len() > prefix.len() + suffix.len() && name.starts_with(prefix) && name.ends_with(suffix)
    })
}

/// Whether a regular file is one chachong wrote: the run manifest of a report folder, or an HTML
/// report (by its generator mark). Reads at most [`REPORT_SNIFF_BYTES`], and only of those two.
fn written_by_chachong(path: &Path) -> bool {
    let html = matches!(Format::of(path), Ok(Format::Html));
    if html {
        head(path).is_some_and(|h| h.windows(GENERATOR_MARK.len()).any(|w| w == GENERATOR_MARK.as_bytes()))
    } else {
        path.file_name().is_some_and(|n| n == MANIFEST_FILE) && is_run_manifest(path)
    }
}

/// Whether `path` is a regular file that begins as a run manifest does (a BOM allowed, as an
/// editor may save one).
fn is_run_manifest(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
        && head(path).is_some_and(|h| {
            h.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&h).starts_with(MANIFEST_HEADER.as_bytes())
        })
}

/// The first [`REPORT_SNIFF_BYTES`] of a file (checked to be regular by the caller).
fn head(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(REPORT_SNIFF_BYTES).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The inputs of `check`: files as given (whatever the filter says; unsupported ones fail with
/// their reason when read) except Word/WPS lock files, folders walked with `filter`. The lock
/// files skipped, in folders and given by name, are said in one note.
pub fn expand_inputs(inputs: &[PathBuf], filter: &Filter) -> Walk {
    let mut out = Walk::default();
    for input in inputs {
        if input.is_dir() {
            let w = walk(input, filter);
            if w.files.is_empty() {
                out.notes.push(Note::NoDocuments(input.clone()));
            }
            out.files.extend(w.files);
            out.notes.extend(w.notes);
            out.lock_files += w.lock_files;
        } else if input.file_name().is_some_and(is_lock_file) {
            out.lock_files += 1;
        } else {
            out.files.push(input.clone());
        }
    }
    out.notes.extend(Note::lock_files(out.lock_files, false));
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
            w.notes.iter().map(|n| n.to_string().replace(&root.display().to_string(), "R")).collect();
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
        assert!(
            matches!(Filter::new(&["a[".into()], &[]).unwrap_err(), GlobError::Bad { glob, .. } if glob == "a[")
        );
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
        assert_eq!(w.notes, [Note::NoDocuments(empty.clone())]);
        assert_eq!(w.notes[0].to_string(), format!("{}: no documents found in this folder", empty.display()));
    }

    #[test]
    fn lock_files_are_known_by_name() {
        for name in
            ["~$draft.docx", "~$报告.DOC", "~$x.wps", ".~lock.draft.docx#", "~WRL0001.tmp", "~wrd2.TMP"]
        {
            assert!(is_lock_file(OsStr::new(name)), "{name}");
        }
        for name in ["draft.docx", "~draft.docx", "~$", ".~lock.#", ".~lock.x", "~WRL0001.txt", "a~$b.docx"] {
            assert!(!is_lock_file(OsStr::new(name)), "{name}");
        }
        assert_eq!(Note::lock_files(0, false), None);
        assert_eq!(Note::lock_files(1, false).unwrap().to_string(), "skipped 1 Word/WPS lock file");
        assert_eq!(
            Note::lock_files(3, true).unwrap().to_string(),
            "skipped 3 Word/WPS lock files in the corpus"
        );
    }

    #[test]
    fn reports_chachong_wrote_are_left_out_below_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let manifest = format!("{MANIFEST_HEADER} the files this report was made from\nversion\t0.1.0\n");
        for (f, text) in [
            ("a.txt", "正文".to_string()),
            ("r.html", format!("<!DOCTYPE html>\n<head>\n{GENERATOR_MARK}0.1.0\">\n</head>")),
            ("page.html", "<html><body>chachong</body></html>".to_string()),
            ("reports/chachong-run.txt", manifest.clone()),
            ("reports/mine.txt", "正文".to_string()),
            ("notes/chachong-run.txt", "not a manifest".to_string()),
            ("chachong-run.txt", manifest),
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        let w = walk(root, &Filter::default());
        assert_eq!(names(root, &w), ["a.txt", "notes/chachong-run.txt", "page.html"]);
        let notes: Vec<String> =
            w.notes.iter().map(|n| n.to_string().replace(&root.display().to_string(), "R")).collect();
        assert_eq!(
            notes,
            [
                "R/chachong-run.txt: skipped, a report chachong wrote",
                "R/r.html: skipped, a report chachong wrote",
                "R/reports: skipped, a report folder chachong wrote (chachong-run.txt)",
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_taken() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "正文").unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.txt")).unwrap();
        let socket = std::os::unix::net::UnixListener::bind(root.join("s.md")).unwrap();
        let w = walk(root, &Filter::default());
        drop(socket);
        assert_eq!(names(root, &w), ["a.txt"]);
        let notes: Vec<String> =
            w.notes.iter().map(|n| n.to_string().replace(&root.display().to_string(), "R")).collect();
        assert_eq!(
            notes,
            [
                "R/s.md: skipped, a socket, not a regular file",
                "R/zero.txt: skipped, a character device, not a regular file",
            ]
        );
    }
}
