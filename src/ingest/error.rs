//! Why a file could not be read: one error type for the whole ingest layer, so that callers can
//! tell the kinds apart (an audit counts them) without reading message text, and the messages the
//! user sees are written in one place.

use std::path::PathBuf;

use super::SUPPORTED;
use crate::params::SOFFICE_TIMEOUT_SECS;

/// Why a file could not be read; displays as one line, `<path>: <reason>`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct IngestError {
    pub path: PathBuf,
    pub reason: Reason,
}

/// The reason a file was not read, in the words the user sees.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    #[error("unsupported file type .{0} (supported: {SUPPORTED})")]
    Unsupported(String),
    #[error("unsupported file type: no extension (supported: {SUPPORTED})")]
    NoExtension,
    #[error("is a folder, not a file")]
    Folder,
    /// Neither a regular file nor a folder: `a FIFO (named pipe)`, … (see [`super::not_regular`]).
    #[error("is {0}, not a regular file")]
    NotRegular(&'static str),
    #[error(
        "file is {len} bytes ({:.1} MiB), over the limit of {max} bytes (raise it with --max-file-mb)",
        *len as f64 / (1u64 << 20) as f64
    )]
    TooLarge { len: u64, max: u64 },
    /// The file said it was smaller than it was (a growing or a `/proc` file).
    #[error("file holds more than the limit of {0} bytes (raise it with --max-file-mb)")]
    HoldsMore(u64),
    #[error("cannot read file: {0}")]
    Io(std::io::Error),
    /// More NUL bytes than text holds.
    #[error("{NOT_TEXT}: looks like a binary file ({0} NUL bytes)")]
    Binary(usize),
    /// Decoded, the bytes are mostly garbage.
    #[error(
        "{NOT_TEXT} (as {encoding} {percent:.1}% of the characters are undecodable or control \
         characters; a binary file?)"
    )]
    NotText { encoding: &'static str, percent: f64 },
    #[error(
        "not a .docx zip archive but an OLE2 file: a password-protected Word file or an old .doc \
         renamed to .docx; save it as an unprotected .docx"
    )]
    DocxOle2,
    #[error("not a Word .docx file (zip archive expected; damaged?): {0}")]
    NotZip(zip::result::ZipError),
    #[error("word/document.xml missing: not a Word .docx (an .xlsx or .pptx renamed?)")]
    NoDocumentPart,
    #[error("cannot open {part} in the .docx: {source}")]
    DocxPart { part: String, source: zip::result::ZipError },
    #[error("{part} is larger than {} MiB uncompressed; refused (zip bomb?)", limit >> 20)]
    DocxTooLarge { part: String, limit: u64 },
    #[error("cannot decompress {part} (damaged .docx?): {source}")]
    DocxInflate { part: String, source: std::io::Error },
    /// The main part is not a Word document's XML; `why` says how.
    #[error("{part}: {why}")]
    DocxXml { part: String, why: XmlProblem },
    /// A reader that is not ours panicked on the file.
    #[error("damaged {0} (the {1} reader failed)")]
    ReaderFailed(&'static str, &'static str),
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    #[error("damaged PDF file: {0}")]
    PdfDamaged(String),
    /// Pages that cannot be read, described: `page 2 of 3 cannot be read (…)`.
    #[error(
        "damaged PDF file: {0}, so none of it is checked: save it again from the program that made \
         it, or check the .docx it was made from"
    )]
    PdfPages(String),
    #[error("password-protected PDF: save an unprotected copy first")]
    PdfProtected,
    #[error("the PDF has over {0} characters; refused")]
    PdfTooManyGlyphs(usize),
    #[error("cannot read the PDF's text: {0}")]
    PdfText(String),
    /// The last page of a PDF could not be finished.
    #[error("{0}")]
    PdfPage(String),
    #[error(
        "the PDF has no text layer (a scanned PDF?): run OCR on it first, or check the .docx it \
         was made from"
    )]
    NoTextLayer,
    #[error("{INSTALL_HINT}")]
    NoSoffice,
    #[error("cannot make a temporary folder for LibreOffice: {0}")]
    SofficeTemp(std::io::Error),
    #[error("cannot start LibreOffice ({}): {source}; {INSTALL_HINT}", program.display())]
    SofficeStart { program: PathBuf, source: std::io::Error },
    #[error("LibreOffice took over {SOFFICE_TIMEOUT_SECS} s to convert it; stopped")]
    SofficeTimeout,
    #[error("cannot wait for LibreOffice: {0}")]
    SofficeWait(std::io::Error),
    /// LibreOffice ran and made no .docx; `format` is `Word` or `WPS`.
    #[error(
        "LibreOffice could not convert it to .docx (damaged, password-protected, or not a {format} file)"
    )]
    SofficeFailed { format: &'static str },
    #[error("cannot read LibreOffice's .docx: {0}")]
    SofficeOutput(std::io::Error),
    /// A .doc or .wps given as bytes: LibreOffice converts files on disk.
    #[error("a .doc/.wps file is converted from disk: use read_document")]
    LegacyFromBytes,
}

/// How a .docx's main part fails to be a Word document.
#[derive(Debug, thiserror::Error)]
pub enum XmlProblem {
    #[error("not well-formed XML: {0}")]
    Malformed(quick_xml::Error),
    #[error("no <w:document> root: not a Word document")]
    NoRoot,
    #[error("empty or not XML: not a Word document")]
    Empty,
}

pub(super) const NOT_TEXT: &str = "not valid UTF-8, GB18030 or UTF-16 text";

pub(super) const INSTALL_HINT: &str = "needs LibreOffice to convert it: install it (Debian/Ubuntu: \
     apt-get install libreoffice-writer-nogui; Windows/macOS: libreoffice.org) or set CHACHONG_SOFFICE \
     to the soffice program, or save the file as .docx in Word or WPS";

/// The kinds of [`Reason`] a summary counts: what the user would do about the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Not a format chachong reads.
    Unsupported,
    /// A folder, pipe or device.
    NotAFile,
    /// Over `--max-file-mb` or an inner limit.
    TooLarge,
    /// The file system refused it.
    Unreadable,
    /// Its bytes are not text, or not the format its extension says.
    NotText,
    /// The format is right but the file is damaged.
    Damaged,
    /// Password-protected.
    Protected,
    /// A PDF without a text layer (scanned).
    NoTextLayer,
    /// A .doc or .wps LibreOffice did not convert (missing, slow or failing).
    Conversion,
}

impl Kind {
    /// A few words for a summary line: `3 damaged, 1 too large`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Unsupported => "unsupported type",
            Kind::NotAFile => "not a regular file",
            Kind::TooLarge => "too large",
            Kind::Unreadable => "unreadable",
            Kind::NotText => "not text or not the format named",
            Kind::Damaged => "damaged",
            Kind::Protected => "password-protected",
            Kind::NoTextLayer => "PDF without text layer",
            Kind::Conversion => "not converted by LibreOffice",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Reason {
    /// Which kind of trouble this is.
    pub fn kind(&self) -> Kind {
        use Reason::*;
        match self {
            Unsupported(_) | NoExtension => Kind::Unsupported,
            Folder | NotRegular(_) => Kind::NotAFile,
            TooLarge { .. } | HoldsMore(_) | DocxTooLarge { .. } | PdfTooManyGlyphs(_) => Kind::TooLarge,
            Io(_) => Kind::Unreadable,
            Binary(_) | NotText { .. } | NotZip(_) | NoDocumentPart | NotPdf | DocxXml { .. } => {
                Kind::NotText
            }
            DocxPart { .. }
            | DocxInflate { .. }
            | ReaderFailed(..)
            | PdfDamaged(_)
            | PdfPages(_)
            | PdfText(_)
            | PdfPage(_) => Kind::Damaged,
            DocxOle2 | PdfProtected => Kind::Protected,
            NoTextLayer => Kind::NoTextLayer,
            NoSoffice
            | SofficeTemp(_)
            | SofficeStart { .. }
            | SofficeTimeout
            | SofficeWait(_)
            | SofficeFailed { .. }
            | SofficeOutput(_)
            | LegacyFromBytes => Kind::Conversion,
        }
    }
}

impl IngestError {
    pub fn new(path: impl Into<PathBuf>, reason: Reason) -> IngestError {
        IngestError { path: path.into(), reason }
    }

    /// The kind of [`IngestError::reason`].
    pub fn kind(&self) -> Kind {
        self.reason.kind()
    }
}

/// Counts of `errors` by kind, most first (ties in [`Kind`] order): `3 damaged, 1 too large`.
pub fn count_by_kind<'a>(errors: impl IntoIterator<Item = &'a IngestError>) -> Vec<(Kind, usize)> {
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for e in errors {
        match counts.iter_mut().find(|(k, _)| *k == e.kind()) {
            Some((_, n)) => *n += 1,
            None => counts.push((e.kind(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}
