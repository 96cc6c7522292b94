//! The PDF report (`check --pdf FILE`): the HTML report ([`crate::review::html`]) printed by
//! headless Chromium with its print stylesheet — A4, each draft opening with a cover of the
//! figures a 报告单 shows (总文字复制比, 单篇最大复制比, 重复字数, 相似文献列表), then its paragraphs with
//! the copied ones beside their sources.
//!
//! A browser lays out Chinese text, fonts and page breaks as the reader's own browser shows the
//! HTML report, which no PDF crate does; Chromium (or Chrome, or Edge on Windows) is on most
//! machines or one install away. The page is written into a private temporary folder with a
//! private browser profile (so a running browser's lock does not matter), and the PDF is copied
//! into place atomically ([`crate::atomic`]).

use crate::atomic::write_atomic;
use crate::ingest::legacy::{file_url, TempDir};
use crate::params::PDF_TIMEOUT_SECS;
use crate::review::{html, Review};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why the PDF report was not written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "no Chromium found to print it: install it (Debian/Ubuntu: apt-get install chromium; \
         Windows: Microsoft Edge or Google Chrome) or set CHACHONG_CHROMIUM to the browser program"
    )]
    NoBrowser,
    #[error("cannot make a temporary folder for the browser: {0}")]
    Temp(io::Error),
    #[error("cannot start {}: {source}", browser.display())]
    Start { browser: PathBuf, source: io::Error },
    #[error("{} took over {PDF_TIMEOUT_SECS} s to print it; stopped", browser.display())]
    Timeout { browser: PathBuf },
    #[error("{} could not print it ({status}){detail}", browser.display())]
    Failed { browser: PathBuf, status: String, detail: String },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// The browser that prints: `$CHACHONG_CHROMIUM` when set, else Chromium, Chrome or Edge on PATH
/// or where their installers put them.
pub fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHACHONG_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let names: &[&str] = if cfg!(windows) {
        &["chrome.exe", "msedge.exe", "chromium.exe"]
    } else {
        &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge"]
    };
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)));
    on_path.chain(installed()).find(|p| p.is_file())
}

/// Where the Windows installers of Chrome and Edge put the browser (they do not add it to PATH).
fn installed() -> Vec<PathBuf> {
    if !cfg!(windows) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for var in ["ProgramFiles", "ProgramFiles(x86)", "LocalAppData"] {
        if let Some(base) = std::env::var_os(var) {
            let base = PathBuf::from(base);
            out.push(base.join(r"Google\Chrome\Application\chrome.exe"));
            out.push(base.join(r"Microsoft\Edge\Application\msedge.exe"));
        }
    }
    out
}

/// Prints `review` as the PDF report at `path`, atomically.
pub fn write(path: &Path, review: &Review) -> Result<(), PdfError> {
    let bytes = print(review)?;
    write_atomic(path, |w| w.write_all(&bytes))?;
    Ok(())
}

/// The PDF report of `review`, as the bytes of a .pdf file (for a download, say).
pub fn print(review: &Review) -> Result<Vec<u8>, PdfError> {
    let browser = browser().ok_or(PdfError::NoBrowser)?;
    let tmp = TempDir::new("pdf").map_err(PdfError::Temp)?;
    let page = tmp.0.join("report.html");
    std::fs::write(&page, html::render(review)).map_err(PdfError::Temp)?;
    let pdf = tmp.0.join("report.pdf");
    let log = std::fs::File::create(tmp.0.join("browser.log")).map_err(PdfError::Temp)?;
    let mut cmd = Command::new(&browser);
    cmd.args(["--headless", "--disable-gpu", "--no-first-run", "--disable-extensions"])
        .args(["--no-pdf-header-footer", "--print-to-pdf-no-header"])
        .arg(format!("--user-data-dir={}", tmp.0.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    if running_as_root() {
        // Chromium refuses to start as root with its sandbox; the page is chachong's own, with a
        // Content-Security-Policy that lets nothing but its own script run.
        cmd.arg("--no-sandbox");
    }
    let mut child = cmd.spawn().map_err(|source| PdfError::Start { browser: browser.clone(), source })?;
    let deadline = Instant::now() + Duration::from_secs(PDF_TIMEOUT_SECS);
    let status = loop {
        match child.try_wait()? {
            Some(status) => break status,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            None => {
                // Best effort: the browser may have ended just now.
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Timeout { browser });
            }
        }
    };
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF") {
        let said = std::fs::read_to_string(tmp.0.join("browser.log")).unwrap_or_default();
        let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        let detail = if last.is_empty() { String::new() } else { format!(": {}", last.trim()) };
        return Err(PdfError::Failed { browser, status: status.to_string(), detail });
    }
    Ok(bytes)
}

/// Whether this process runs as root, which Chromium's sandbox refuses.
fn running_as_root() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
    #[cfg(not(target_os = "linux"))]
    false
}
