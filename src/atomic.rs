//! Crash-safe file writes: a file is written under a temporary name beside its target, flushed
//! to disk, and renamed into place, so readers see the old file or the new one, never half of
//! each; [`FileSet`] replaces several files so that a reader can tell a set half replaced.
//! Reports and index files all go through here. A writer killed part-way leaves its temporary
//! file; the next write of the same file removes it.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The temporary name `path` is written under: hidden, and marked with the process id so that two
/// writers never share one.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// Writes `path` atomically: `fill` writes the contents into a buffered temporary file, which is
/// then fsynced and renamed over `path`. On any error the temporary file is removed and `path`
/// is left as it was.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temp_path(path);
    remove_stale_temps(path);
    let result = (|| {
        let mut out = BufWriter::new(File::create(&tmp)?);
        fill(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()?;
        std::fs::rename(&tmp, path)?;
        sync_dir(path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Files replaced as a set (a report folder's CSVs and their run manifest): each is written under
/// its temporary name and flushed, and only once all are written are they renamed into place, in
/// the order given, the last (the manifest, which says what the others hold) last. A run stopped
/// or a disk full while writing leaves the old set whole; one killed between two renames leaves
/// files whose manifest disagrees with them, which `chachong review` refuses to show. Temporary
/// files not renamed are removed when the set is dropped.
#[derive(Debug, Default)]
pub struct FileSet {
    /// (temporary name, target), in the order to rename.
    staged: Vec<(PathBuf, PathBuf)>,
}

/// A file of a set that could not be written or renamed into place.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct SetError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl FileSet {
    /// Writes what will replace `path` under its temporary name, flushed to disk, and returns that
    /// name (to read it back before the set is committed).
    pub fn stage(
        &mut self,
        path: &Path,
        fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
    ) -> Result<PathBuf, SetError> {
        let tmp = temp_path(path);
        remove_stale_temps(path);
        // Registered first, so that a failed write's temporary file is removed on drop too.
        self.staged.push((tmp.clone(), path.to_path_buf()));
        let written = (|| {
            let mut out = BufWriter::new(File::create(&tmp)?);
            fill(&mut out)?;
            out.flush()?;
            out.get_ref().sync_all()
        })();
        written.map_err(|source| SetError { path: path.to_path_buf(), source })?;
        Ok(tmp)
    }

    /// Renames every staged file into place, in the order staged.
    pub fn commit(mut self) -> Result<(), SetError> {
        for (tmp, path) in std::mem::take(&mut self.staged).iter() {
            let renamed = std::fs::rename(tmp, path).and_then(|()| sync_dir(path));
            if let Err(source) = renamed {
                let _ = std::fs::remove_file(tmp);
                return Err(SetError { path: path.clone(), source });
            }
        }
        Ok(())
    }
}

impl Drop for FileSet {
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Removes the temporary files that writers of `path` killed part-way left beside it: those of
/// [`temp_path`]'s form whose process has ended (on Linux, where that can be seen; elsewhere those
/// older than [`crate::params::STALE_TEMP_SECS`]). Another running writer's file is left alone.
pub fn remove_stale_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let prefix = crate::names::os_bytes(&prefix).to_vec();
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let bytes = crate::names::os_bytes(&file_name);
        let pid = bytes
            .strip_prefix(prefix.as_slice())
            .and_then(|rest| rest.strip_suffix(b".tmp"))
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| digits.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && writer_gone(pid, &e.path())) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether the writer `pid` of temporary file `tmp` has ended.
fn writer_gone(pid: u32, tmp: &Path) -> bool {
    if cfg!(target_os = "linux") {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    let age = std::fs::metadata(tmp).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_some_and(|a| a.as_secs() > crate::params::STALE_TEMP_SECS)
}

/// Flushes the directory entry of a rename to disk, where the platform allows it.
fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
