//! Old binary Word (.doc) and Kingsoft WPS (.wps) files: LibreOffice converts them to .docx in a
//! temporary folder, which is then read like any .docx. No Rust crate reads these formats well
//! enough for Chinese text (pieces tables, GBK runs, fields), and LibreOffice does.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::docx::docx_text_limited;
use super::{Limits, Reason};
use crate::params::SOFFICE_TIMEOUT_SECS;

/// The LibreOffice program: `$CHACHONG_SOFFICE` when set, else `soffice` or `libreoffice` on PATH.
fn soffice() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHACHONG_SOFFICE") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Whether LibreOffice can be found, so callers (and tests) can say what they skip.
pub fn soffice_available() -> bool {
    soffice().is_some()
}

/// A temporary folder removed on drop, unique per process and call, so parallel conversions
/// neither share files nor a LibreOffice (or Chromium) profile, which the program locks.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    /// A new folder `chachong-{what}-…` in the system's temporary folder.
    pub(crate) fn new(what: &str) -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("chachong-{what}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Best effort: a leftover temp folder is harmless and the OS cleans it eventually.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A `file:` URL for an absolute path, every byte outside the unreserved set percent-encoded (a
/// temporary folder under a Chinese user name, spaces), with `/` separators on Windows too.
pub(crate) fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if text.starts_with('/') { "file://" } else { "file:///" });
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// The text of a .doc or .wps file, converted by LibreOffice to .docx, under `limits`.
pub fn legacy_text(path: &Path, limits: &Limits) -> Result<String, Reason> {
    let program = soffice().ok_or(Reason::NoSoffice)?;
    let tmp = TempDir::new("soffice").map_err(Reason::SofficeTemp)?;
    let profile = tmp.0.join("profile");
    let out = tmp.0.join("out");
    // LibreOffice names the output after the input's stem; a copy with a plain name avoids
    // trouble with odd characters and keeps the original untouched.
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let input = tmp.0.join(format!("input.{ext}"));
    std::fs::copy(path, &input).map_err(Reason::Io)?;
    let mut child = Command::new(&program)
        .arg(format!("-env:UserInstallation={}", file_url(&profile)))
        .args(["--headless", "--norestore", "--convert-to", "docx", "--outdir"])
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| Reason::SofficeStart { program: program.clone(), source })?;
    let deadline = Instant::now() + Duration::from_secs(SOFFICE_TIMEOUT_SECS);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                // Best effort: the child may have ended just now.
                let _ = child.kill();
                let _ = child.wait();
                return Err(Reason::SofficeTimeout);
            }
            Err(e) => return Err(Reason::SofficeWait(e)),
        }
    };
    let docx = out.join("input.docx");
    if !status.success() || !docx.is_file() {
        return Err(Reason::SofficeFailed { format: if ext == "wps" { "WPS" } else { "Word" } });
    }
    let bytes = std::fs::read(&docx).map_err(Reason::SofficeOutput)?;
    docx_text_limited(&bytes, limits.max_docx_xml_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_encode_what_a_url_cannot_hold() {
        assert_eq!(file_url(Path::new("/tmp/a b/报告.html")), "file:///tmp/a%20b/%E6%8A%A5%E5%91%8A.html");
        assert_eq!(file_url(Path::new(r"C:\Users\张\r.html")), "file:///C:/Users/%E5%BC%A0/r.html");
    }
}
