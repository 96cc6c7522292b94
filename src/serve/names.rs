//! File names that come with an upload. A browser sends only a base name, but any client can send
//! anything: `../../x`, `/etc/passwd`, `C:\x`, a name with a NUL, a Windows device name. No such
//! name reaches the file system; a name is either kept as it is or refused with the reason, never
//! silently changed, so the name the page shows is the name stored.

use crate::ingest::Format;
use crate::walk::is_lock_file;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The longest name kept, in bytes: well inside the 255 bytes most file systems allow, leaving room
/// for the atomic writer's temporary prefix and suffix.
const MAX_NAME_BYTES: usize = 200;

/// Names Windows gives to devices, with any extension (`NUL.txt` is the null device there).
const WINDOWS_DEVICES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why an uploaded file's name is refused; said on the page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("no file name")]
    Empty,
    #[error("the name holds a folder part ({0:?}): only a plain file name is taken")]
    Folder(String),
    #[error("the name holds a character no file name may have ({0:?})")]
    BadChar(char),
    #[error("names starting with a dot are hidden files, which chachong skips")]
    Hidden,
    #[error("names ending in a dot or a space are changed by Windows")]
    Trailing,
    #[error("{0} is the name of a device on Windows")]
    Device(String),
    #[error("the name is longer than {MAX_NAME_BYTES} bytes")]
    TooLong,
    #[error("a Word/WPS lock file, not a document")]
    LockFile,
    #[error("{0}")]
    Unsupported(String),
}

/// `name` if it is safe to store as one file inside a folder of ours and is a document chachong
/// reads; else why not.
pub fn safe_name(name: &str) -> Result<&str, NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.contains(['/', '\\']) || name == ".." || name == "." {
        return Err(NameError::Folder(name.to_string()));
    }
    if let Some(c) =
        name.chars().find(|&c| c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
    {
        return Err(NameError::BadChar(c));
    }
    if name.starts_with('.') {
        return Err(NameError::Hidden);
    }
    if name.ends_with(['.', ' ']) {
        return Err(NameError::Trailing);
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_lowercase();
    if WINDOWS_DEVICES.contains(&stem.as_str()) {
        return Err(NameError::Device(name.to_string()));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(NameError::TooLong);
    }
    if is_lock_file(OsStr::new(name)) {
        return Err(NameError::LockFile);
    }
    Format::of(Path::new(name)).map_err(|r| NameError::Unsupported(r.to_string()))?;
    Ok(name)
}

/// `name` inside `dir`, made distinct from the names already there by a ` (2)`, ` (3)` … before the
/// extension: two drafts uploaded under one name are both checked, under names the report tells
/// apart.
pub fn distinct_in(dir: &Path, name: &str, taken: &dyn Fn(&str) -> bool) -> PathBuf {
    if !taken(name) {
        return dir.join(name);
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) => name.split_at(dot),
        None => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|n| !taken(n))
        .map_or_else(|| dir.join(name), |n| dir.join(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_document_names_are_kept() {
        for name in
            ["2026年工作报告.docx", "讲话稿 (定稿).DOC", "a.b.c.txt", "x.wps", "报告.pdf", "页面.html"]
        {
            assert_eq!(safe_name(name), Ok(name));
        }
    }

    #[test]
    fn paths_and_tricks_are_refused() {
        assert_eq!(safe_name("../../x.docx"), Err(NameError::Folder("../../x.docx".into())));
        assert_eq!(safe_name("../../x"), Err(NameError::Folder("../../x".into())));
        assert_eq!(safe_name(".."), Err(NameError::Folder("..".into())));
        assert_eq!(safe_name("/etc/passwd.txt"), Err(NameError::Folder("/etc/passwd.txt".into())));
        assert_eq!(safe_name("C:\\x.txt"), Err(NameError::Folder("C:\\x.txt".into())));
        assert_eq!(safe_name("C:x.txt"), Err(NameError::BadChar(':')));
        assert_eq!(safe_name("a\0.txt"), Err(NameError::BadChar('\0')));
        assert_eq!(safe_name("a\n.txt"), Err(NameError::BadChar('\n')));
        assert_eq!(safe_name(".chachong.txt"), Err(NameError::Hidden));
        assert_eq!(safe_name("x.txt."), Err(NameError::Trailing));
        assert_eq!(safe_name("NUL.txt"), Err(NameError::Device("NUL.txt".into())));
        assert_eq!(safe_name("com1 .docx"), Err(NameError::Device("com1 .docx".into())));
        assert_eq!(safe_name("~$报告.docx"), Err(NameError::LockFile));
        assert_eq!(safe_name(""), Err(NameError::Empty));
        assert_eq!(safe_name(&format!("{}.txt", "长".repeat(70))), Err(NameError::TooLong));
        assert!(matches!(safe_name("run.exe"), Err(NameError::Unsupported(m)) if m.contains(".exe")));
        assert!(matches!(safe_name("README"), Err(NameError::Unsupported(m)) if m.contains("no extension")));
    }

    #[test]
    fn a_name_taken_gets_a_number() {
        let taken = ["稿.docx", "稿 (2).docx", "notes"];
        let is_taken = |n: &str| taken.contains(&n);
        let dir = Path::new("/w");
        assert_eq!(distinct_in(dir, "新.docx", &is_taken), dir.join("新.docx"));
        assert_eq!(distinct_in(dir, "稿.docx", &is_taken), dir.join("稿 (3).docx"));
        assert_eq!(distinct_in(dir, "notes", &is_taken), dir.join("notes (2)"));
    }
}
