//! `chachong-run.txt`: what a check read, written beside its reports, so that `chachong review`
//! can find the draft and corpus files again (the CSVs name drafts as given on the command line,
//! which means nothing from another folder, and sources relative to a corpus root they do not
//! name). It also records a hash of each file's decoded text, so review can say when a file has
//! changed since the check and the report's offsets may no longer point at the right text.
//!
//! The format is plain text, one record a line, fields separated by tabs (shown as `→` here):
//!
//! ```text
//! # chachong run: the files this report was made from (read by `chachong review`)
//! version→0.1.0
//! corpus→/abs/path/corpus
//! draft→examples/draft.docx→/abs/path/examples/draft.docx→0c3dc35596d2c137
//! source→govreports/national/2025_国务院_政府工作报告.txt→4e4e2043ff99da2c
//! source→../speeches/2020_讲话.txt→9a1c0e5d2b7f4431→/abs/path/speeches/2020_讲话.txt
//! rows→paragraphs.csv→5d41402abc4b2a76
//! ```
//!
//! `draft` is the name the reports use, the absolute path and the text's XXH3-64 in hex; `source`
//! is a corpus document that spans.csv cites and its hash, and its absolute path when it is not
//! below the corpus folder (an audit's reference corpus, `audit --against`), whose name alone
//! would not find it from another folder. An audit records every audited document as a `draft`
//! (named as in its reports, relative to the corpus). `rows` is a CSV of the run and a digest
//! of the rows it holds (see `report::read::digests`), by which review tells a set of one run's
//! files from a mix. Paths are written as reports show names ([`crate::names`]: a name that is not
//! UTF-8 is kept, not made lossy). A tab, newline or backslash in a field is written `\t`, `\n`,
//! `\\`. Unknown records are ignored, so later versions can add some.

use crate::atomic::{FileSet, SetError};
use crate::names::{path_of, shown_path};
use crate::report::schema::MANIFEST_FILE;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How a manifest begins: by it a folder walk knows a report folder, whose files are never
/// documents to check or index.
pub const MANIFEST_HEADER: &str = "# chachong run:";

/// What a run read.
/// A known line of a manifest that cannot be read: its number (from 1) and text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: cannot read {text:?}")]
pub struct BadLine {
    pub line: usize,
    pub text: String,
}

/// Why a report folder's manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{}: {bad}", path.display())]
    Bad { path: PathBuf, bad: BadLine },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The chachong version that wrote the reports.
    pub version: String,
    /// The corpus folder, absolute.
    pub corpus: Option<PathBuf>,
    /// The drafts, in report order.
    pub drafts: Vec<ManifestDraft>,
    /// Cited corpus documents.
    pub sources: Vec<ManifestSource>,
    /// The run's CSVs (file name) and what each says ([`crate::report::read::digests`]).
    pub rows: Vec<(String, u64)>,
}

/// A corpus document that the reports cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestSource {
    /// Its name in the reports.
    pub name: String,
    /// XXH3-64 of its decoded text.
    pub hash: u64,
    /// Its absolute path, recorded only for a document outside the corpus folder.
    pub path: Option<PathBuf>,
}

/// One draft of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestDraft {
    /// The name the reports use (the path as given on the command line).
    pub name: String,
    /// Its absolute path.
    pub path: PathBuf,
    /// XXH3-64 of its decoded text.
    pub hash: u64,
}

/// The hash the manifest records for a document's decoded text.
pub fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// `path` made absolute against the current folder (without resolving links, which a
/// missing file would not allow).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Manifest {
    /// The text of the manifest file.
    pub fn to_text(&self) -> String {
        let mut out =
            format!("{MANIFEST_HEADER} the files this report was made from (read by `chachong review`)\n");
        out.push_str(&format!("version\t{}\n", escape(&self.version)));
        if let Some(c) = &self.corpus {
            out.push_str(&format!("corpus\t{}\n", escape(&shown_path(c))));
        }
        for d in &self.drafts {
            out.push_str(&format!(
                "draft\t{}\t{}\t{:016x}\n",
                escape(&d.name),
                escape(&shown_path(&d.path)),
                d.hash
            ));
        }
        for s in &self.sources {
            out.push_str(&format!("source\t{}\t{:016x}", escape(&s.name), s.hash));
            if let Some(path) = &s.path {
                out.push_str(&format!("\t{}", escape(&shown_path(path))));
            }
            out.push('\n');
        }
        for (file, digest) in &self.rows {
            out.push_str(&format!("rows\t{}\t{digest:016x}\n", escape(file)));
        }
        out
    }

    /// Parses a manifest; lines it does not know are skipped, broken known lines are errors.
    pub fn parse(text: &str) -> Result<Manifest, BadLine> {
        let mut m = Manifest::default();
        for (n, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<String> = line.split('\t').map(unescape).collect();
            let bad = || BadLine { line: n + 1, text: line.to_string() };
            let hash = |s: &str| u64::from_str_radix(s, 16).map_err(|_| bad());
            match fields[0].as_str() {
                "version" if fields.len() >= 2 => m.version = fields[1].clone(),
                "corpus" if fields.len() >= 2 => m.corpus = Some(path(&fields[1])),
                "draft" if fields.len() >= 4 => m.drafts.push(ManifestDraft {
                    name: fields[1].clone(),
                    path: path(&fields[2]),
                    hash: hash(&fields[3])?,
                }),
                "source" if fields.len() >= 3 => m.sources.push(ManifestSource {
                    name: fields[1].clone(),
                    hash: hash(&fields[2])?,
                    path: fields.get(3).filter(|p| !p.is_empty()).map(|p| path(p)),
                }),
                "rows" if fields.len() >= 3 => m.rows.push((fields[1].clone(), hash(&fields[2])?)),
                "version" | "corpus" | "draft" | "source" | "rows" => return Err(bad()),
                _ => {}
            }
        }
        Ok(m)
    }

    /// Writes the manifest into report folder `dir` as the last file of `set`.
    pub fn stage(&self, set: &mut FileSet, dir: &Path) -> Result<(), SetError> {
        let text = self.to_text();
        set.stage(&dir.join(MANIFEST_FILE), |w| w.write_all(text.as_bytes())).map(|_| ())
    }

    /// Writes the manifest alone into report folder `dir`, atomically: an audit's, whose CSVs
    /// carry no `rows` records.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut set = FileSet::default();
        self.stage(&mut set, dir).and_then(|()| set.commit()).map_err(|e| e.source)
    }

    /// Reads the manifest of report folder `dir`: `Ok(None)` when there is none (reports written
    /// by an older chachong, or copied without it).
    pub fn read(dir: &Path) -> Result<Option<Manifest>, ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                Manifest::parse(&text).map(Some).map_err(|bad| ManifestError::Bad { path, bad })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ManifestError::Read { path, source }),
        }
    }

    /// The recorded draft called `name` in the reports.
    pub fn draft(&self, name: &str) -> Option<&ManifestDraft> {
        self.drafts.iter().find(|d| d.name == name)
    }

    /// The recorded corpus document called `name` in the reports.
    pub fn source(&self, name: &str) -> Option<&ManifestSource> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// The recorded hash of corpus document `name`.
    pub fn source_hash(&self, name: &str) -> Option<u64> {
        self.source(name).map(|s| s.hash)
    }
}

/// The path a manifest field names (paths are written as [`shown_path`] shows them).
fn path(field: &str) -> PathBuf {
    path_of(field).unwrap_or_else(|| PathBuf::from(field))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest {
            version: "0.1.0".into(),
            corpus: Some(PathBuf::from("/data/语料 库")),
            drafts: vec![ManifestDraft {
                name: "a\tb\\c.txt".into(),
                path: PathBuf::from("/home/x/a\tb\\c.txt"),
                hash: 0x0123_4567_89ab_cdef,
            }],
            sources: vec![
                ManifestSource { name: "gov/2025.txt".into(), hash: 42, path: None },
                ManifestSource {
                    name: "../ref/讲话.txt".into(),
                    hash: 7,
                    path: Some(PathBuf::from("/data/ref/讲话.txt")),
                },
            ],
            rows: vec![(crate::report::schema::SPANS_CSV.into(), 7)],
        }
    }

    #[test]
    fn round_trips_with_tabs_and_backslashes() {
        let m = sample();
        let text = m.to_text();
        assert!(text.contains("draft\ta\\tb\\\\c.txt\t/home/x/a\\tb\\\\c.txt\t0123456789abcdef\n"), "{text}");
        assert!(text.contains("source\tgov/2025.txt\t000000000000002a\n"), "{text}");
        assert!(text.contains("source\t../ref/讲话.txt\t0000000000000007\t/data/ref/讲话.txt\n"), "{text}");
        assert_eq!(Manifest::parse(&text).unwrap(), m);
        // As a text editor on Windows may save it.
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        assert_eq!(Manifest::parse(&crlf).unwrap(), m);
    }

    #[test]
    fn unknown_records_are_skipped_and_broken_ones_refused() {
        let m = Manifest::parse("version\t9.9\nfuture\tthing\n").unwrap();
        assert_eq!(m.version, "9.9");
        assert!(Manifest::parse("draft\tonly-a-name\n").is_err());
        assert!(Manifest::parse("source\ta.txt\tnot-hex\n").is_err());
    }

    #[test]
    fn written_atomically_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        let mut set = FileSet::default();
        sample().stage(&mut set, dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None, "not in place before the set is");
        set.commit().unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(sample()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
