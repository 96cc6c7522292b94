//! Reading a file into a [`Document`]: decode it by format (plain text in UTF-8, GB18030 or
//! UTF-16; .docx; HTML; PDF with a text layer; legacy .doc/.wps through LibreOffice), then split
//! the text into paragraphs whose char and byte offsets point into the decoded text exactly as it
//! is (no newline normalisation), so reports can quote and locate passages without recounting.
//!
//! Every reader works under [`Limits`], so that no input, however large or malicious, exhausts
//! memory: a bad file is an [`IngestError`] naming the file and the reason, and a batch goes on.

mod docx;
mod error;
mod html;
pub(crate) mod legacy;
mod pdf;
pub mod radicals;
mod text;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::params::{MAX_DOCX_XML_BYTES, MAX_FILE_BYTES, MAX_PARAGRAPH_CHARS, PARAGRAPH_CUT_WINDOW};

pub use docx::docx_text;
pub use error::{count_by_kind, IngestError, Kind, Reason, XmlProblem};
pub use html::html_text;
pub use legacy::soffice_available;
pub use pdf::pdf_text;
pub use text::decode_text;

/// A paragraph of a document: char offsets (Unicode scalar values) into `Document::text`, end exclusive,
/// plus the same range in bytes (so callers can slice `&text[byte_start..byte_end]` without recounting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
}

/// Bounds on what one file may cost; [`Limits::default`] takes them from [`crate::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are refused before they are read.
    pub max_file_bytes: u64,
    /// A .docx whose `word/document.xml` inflates past this is refused (zip bombs).
    pub max_docx_xml_bytes: u64,
    /// Paragraphs longer than this (in chars) are cut at a sentence end, see [`split_paragraphs`].
    pub max_paragraph_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_docx_xml_bytes: MAX_DOCX_XML_BYTES,
            max_paragraph_chars: MAX_PARAGRAPH_CHARS,
        }
    }
}

/// The formats chachong reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
    Html,
    Pdf,
    /// Old binary Word (.doc) or Kingsoft WPS (.wps): converted to .docx by LibreOffice.
    Legacy,
}

/// What the error messages list as supported.
pub const SUPPORTED: &str = ".txt, .md, .docx, .html, .htm, .pdf, .doc, .wps";

impl Format {
    /// The format of `path` by its extension (any case), or why it is not a document chachong reads.
    pub fn of(path: &Path) -> Result<Format, Reason> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("txt" | "text" | "md") => Ok(Format::Text),
            Some("docx") => Ok(Format::Docx),
            Some("html" | "htm" | "xhtml" | "shtml") => Ok(Format::Html),
            Some("pdf") => Ok(Format::Pdf),
            Some("doc" | "wps") => Ok(Format::Legacy),
            Some(e) => Err(Reason::Unsupported(e.to_string())),
            None => Err(Reason::NoExtension),
        }
    }
}

/// Whether chachong reads files with `path`'s extension. Used when walking folders.
pub fn is_supported(path: &Path) -> bool {
    Format::of(path).is_ok()
}

/// Installs a panic hook that stays silent for panics raised inside dependencies (crates from a
/// registry or git), and hands every other panic to the hook installed before. The PDF, zip and
/// HTML parsers panic on some damaged files; the readers here catch those panics and report the
/// file as damaged, so the default message would only be noise on stderr, while a panic in
/// chachong's own code is still reported (and, under a fuzzer, still a crash).
pub fn quiet_dependency_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_dependency = info
            .location()
            .is_some_and(|l| l.file().contains("/registry/src/") || l.file().contains("/git/checkouts/"));
        if !in_dependency {
            previous(info);
        }
    }));
}

/// [`read_document_with`] under the default [`Limits`].
pub fn read_document(path: &Path) -> Result<Document, IngestError> {
    read_document_with(path, &Limits::default())
}

/// Reads and decodes a file by extension, then splits paragraphs. The extension, the kind of
/// file and the size are checked first, so unsupported, special or oversized files are never read.
pub fn read_document_with(path: &Path, limits: &Limits) -> Result<Document, IngestError> {
    let fail = |reason: Reason| IngestError::new(path, reason);
    let format = Format::of(path).map_err(fail)?;
    let text = if format == Format::Legacy {
        regular_file(path, limits.max_file_bytes)?;
        legacy::legacy_text(path, limits)
    } else {
        let bytes = read_bytes(path, limits.max_file_bytes)?;
        decode(format, &bytes, limits)
    }
    .map_err(fail)?;
    Ok(document_from_text(path, text, limits))
}

/// The bytes of the regular file at `path`, refused when there are more than `max_bytes`. Only
/// regular files are opened: opening a FIFO blocks until a writer comes and a device may never
/// end. The limit counts the bytes read, not the size the file system reports, which a growing
/// file or a `/proc` file (size 0) belies.
pub fn read_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>, IngestError> {
    let fail = |reason: Reason| IngestError::new(path, reason);
    let size = regular_file(path, max_bytes)?;
    let file = std::fs::File::open(path).map_err(|e| fail(Reason::Io(e)))?;
    // The file opened may not be the one looked at (renamed over meanwhile): look again.
    let meta = file.metadata().map_err(|e| fail(Reason::Io(e)))?;
    if let Some(kind) = not_regular(&meta.file_type()) {
        return Err(fail(Reason::NotRegular(kind)));
    }
    let mut bytes = Vec::with_capacity(size.min(max_bytes) as usize);
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| fail(Reason::Io(e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(fail(Reason::HoldsMore(max_bytes)));
    }
    Ok(bytes)
}

/// The reported size of `path`, when it is a regular file (links followed) within `max_bytes`.
fn regular_file(path: &Path, max_bytes: u64) -> Result<u64, IngestError> {
    let fail = |reason: Reason| IngestError::new(path, reason);
    let meta = std::fs::metadata(path).map_err(|e| fail(Reason::Io(e)))?;
    if meta.is_dir() {
        return Err(fail(Reason::Folder));
    }
    if let Some(kind) = not_regular(&meta.file_type()) {
        return Err(fail(Reason::NotRegular(kind)));
    }
    check_size(meta.len(), max_bytes).map_err(fail)?;
    Ok(meta.len())
}

/// What a file that is neither a regular file nor a folder is (`a FIFO (named pipe)`, …), to say
/// why it is not read; `None` for regular files and folders.
pub fn not_regular(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

/// [`document_from_bytes_with`] under the default [`Limits`].
pub fn document_from_bytes(path: &Path, bytes: &[u8]) -> Result<Document, IngestError> {
    document_from_bytes_with(path, bytes, &Limits::default())
}

/// Same as [`read_document_with`] from bytes already in memory (the path gives the format and
/// names the file in messages). Legacy formats need the file on disk for LibreOffice.
pub fn document_from_bytes_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Document, IngestError> {
    let fail = |reason: Reason| IngestError::new(path, reason);
    let format = Format::of(path).map_err(fail)?;
    check_size(bytes.len() as u64, limits.max_file_bytes).map_err(fail)?;
    let text = decode(format, bytes, limits).map_err(fail)?;
    Ok(document_from_text(path, text, limits))
}

fn decode(format: Format, bytes: &[u8], limits: &Limits) -> Result<String, Reason> {
    match format {
        Format::Text => decode_text(bytes),
        Format::Docx => docx::docx_text_limited(bytes, limits.max_docx_xml_bytes),
        Format::Html => html_text(bytes),
        Format::Pdf => pdf_text(bytes),
        // LibreOffice converts files, not bytes; read_document_with handles these.
        Format::Legacy => Err(Reason::LegacyFromBytes),
    }
}

fn check_size(len: u64, max_bytes: u64) -> Result<(), Reason> {
    if len > max_bytes {
        return Err(Reason::TooLarge { len, max: max_bytes });
    }
    Ok(())
}

fn document_from_text(path: &Path, text: String, limits: &Limits) -> Document {
    let paragraphs = split_paragraphs_limited(&text, limits.max_paragraph_chars);
    Document { path: path.to_path_buf(), text, paragraphs }
}

/// Whitespace as Python's `str.isspace` (the scorer's trim): Unicode White_Space, which
/// includes U+3000, NBSP and '\r', plus the separators U+001C..U+001F.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Paragraphs of decoded text: each line (split on '\n') trimmed of leading/trailing whitespace
/// (`is_space`); empty lines produce no paragraph. Inside a line, a run of two or more U+3000
/// (the indent scraped pages keep where a paragraph break was lost) ends the paragraph before
/// it and the next starts after the run. One linear pass; offsets are chars and bytes into `text`.
/// Paragraphs are not cut by length here; see [`split_paragraphs_limited`].
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    // (char, byte) offsets of the open paragraph's first non-space char, and past its last one.
    let mut open: Option<(usize, usize)> = None;
    let mut last_end = (0usize, 0usize);
    let mut ideographic_run = 0usize;
    let mut close = |open: &mut Option<(usize, usize)>, last_end: (usize, usize)| {
        if let Some((start, byte_start)) = open.take() {
            out.push(Paragraph { start, end: last_end.0, byte_start, byte_end: last_end.1 });
        }
    };
    for (char_idx, (byte_idx, c)) in text.char_indices().enumerate() {
        if c == '\u{3000}' {
            ideographic_run += 1;
        } else {
            ideographic_run = 0;
        }
        if c == '\n' || ideographic_run == 2 {
            close(&mut open, last_end);
        } else if !is_space(c) {
            if open.is_none() {
                open = Some((char_idx, byte_idx));
            }
            last_end = (char_idx + 1, byte_idx + c.len_utf8());
        }
    }
    close(&mut open, last_end);
    out
}

/// [`split_paragraphs`], then every paragraph longer than `max_chars` cut into pieces of at most
/// `max_chars`: at the last sentence end (。！？!? and closing quotes after them) in the last
/// [`PARAGRAPH_CUT_WINDOW`] chars before the limit, else at the last `；;，,`, else at the limit.
/// A text of megabytes without a line break (a PDF or web page flattened into one line) then
/// still aligns in bounded time per paragraph, and the pieces still tile it.
pub fn split_paragraphs_limited(text: &str, max_chars: usize) -> Vec<Paragraph> {
    let max_chars = max_chars.max(1);
    let mut out = Vec::new();
    for p in split_paragraphs(text) {
        if p.end - p.start <= max_chars {
            out.push(p);
            continue;
        }
        cut_long(text, p, max_chars, &mut out);
    }
    out
}

fn cut_long(text: &str, p: Paragraph, max_chars: usize, out: &mut Vec<Paragraph>) {
    // (char offset, byte offset, char) of the paragraph's chars, from the start of the piece.
    let mut start = (p.start, p.byte_start);
    let body = &text[p.byte_start..p.byte_end];
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let remaining = chars.len() - i;
        let take = if remaining <= max_chars { remaining } else { cut_point(&chars[i..i + max_chars]) };
        let end_idx = i + take;
        // Trim the piece's trailing and the next piece's leading whitespace.
        let mut last = end_idx;
        while last > i && is_space(chars[last - 1].1) {
            last -= 1;
        }
        if last > i {
            let byte_end = p.byte_start + chars[last - 1].0 + chars[last - 1].1.len_utf8();
            out.push(Paragraph { start: start.0, end: p.start + last, byte_start: start.1, byte_end });
        }
        i = end_idx;
        while i < chars.len() && is_space(chars[i].1) {
            i += 1;
        }
        if let Some(&(b, _)) = chars.get(i) {
            start = (p.start + i, p.byte_start + b);
        }
    }
}

/// How many chars of `window` (a full-length piece) to keep: up to and including the best break.
fn cut_point(window: &[(usize, char)]) -> usize {
    let lo = window.len().saturating_sub(PARAGRAPH_CUT_WINDOW.min(window.len() / 2));
    let find = |set: &[char]| {
        (lo..window.len()).rev().find(|&k| set.contains(&window[k].1)).map(|k| {
            // Keep closing quotes and brackets with the sentence they close.
            let mut k = k + 1;
            while k < window.len() && matches!(window[k].1, '”' | '’' | '」' | '』' | '）' | ')') {
                k += 1;
            }
            k
        })
    };
    find(&['。', '！', '？', '!', '?'])
        .or_else(|| find(&['；', ';']))
        .or_else(|| find(&['，', ',', '、']))
        .unwrap_or(window.len())
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub fn fixture(name: &str) -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest")).join(name)
    }

    pub fn fixture_bytes(name: &str) -> Vec<u8> {
        std::fs::read(fixture(name)).expect("fixture present")
    }

    pub fn para_texts<'a>(text: &'a str, paras: &[Paragraph]) -> Vec<&'a str> {
        paras.iter().map(|p| &text[p.byte_start..p.byte_end]).collect()
    }

    /// The definition spelled out slowly: lines, cut at runs of ≥2 U+3000, trimmed with
    /// Python's isspace, offsets by counting chars from the start.
    pub fn reference_split(text: &str) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut line_byte = 0;
        for line in text.split('\n') {
            let mut segs = Vec::new();
            let (mut seg_start, mut i) = (0, 0);
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            while i < chars.len() {
                if chars[i].1 == '\u{3000}' && chars.get(i + 1).map(|c| c.1) == Some('\u{3000}') {
                    segs.push((seg_start, chars[i].0));
                    while i < chars.len() && chars[i].1 == '\u{3000}' {
                        i += 1;
                    }
                    seg_start = chars.get(i).map_or(line.len(), |c| c.0);
                } else {
                    i += 1;
                }
            }
            segs.push((seg_start, line.len()));
            for (a, b) in segs {
                let seg = &line[a..b];
                let t = seg.trim_start_matches(is_space);
                let lead = seg.len() - t.len();
                let t = t.trim_end_matches(is_space);
                if !t.is_empty() {
                    let byte_start = line_byte + a + lead;
                    let start = text[..byte_start].chars().count();
                    out.push(Paragraph {
                        start,
                        end: start + t.chars().count(),
                        byte_start,
                        byte_end: byte_start + t.len(),
                    });
                }
            }
            line_byte += line.len() + 1;
        }
        out
    }

    pub fn check_offsets(doc: &Document) {
        assert_eq!(doc.paragraphs, reference_split(&doc.text));
        for p in &doc.paragraphs {
            let chars: String = doc.text.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(chars, &doc.text[p.byte_start..p.byte_end]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    // ---- split_paragraphs ----

    #[test]
    fn split_indents_crlf_and_empty_lines() {
        let text = "　　第一段，缩进。\r\n\r\n  \t\n　　第二段。\r\n";
        let ps = split_paragraphs(text);
        assert_eq!(
            ps,
            vec![
                Paragraph { start: 2, end: 9, byte_start: 6, byte_end: 27 },
                Paragraph { start: 19, end: 23, byte_start: 41, byte_end: 53 },
            ]
        );
        assert_eq!(para_texts(text, &ps), ["第一段，缩进。", "第二段。"]);
    }

    #[test]
    fn split_line_at_ideographic_indent_run() {
        let text = "甲。　　乙。";
        let ps = split_paragraphs(text);
        assert_eq!(
            ps,
            vec![
                Paragraph { start: 0, end: 2, byte_start: 0, byte_end: 6 },
                Paragraph { start: 4, end: 6, byte_start: 12, byte_end: 18 },
            ]
        );
        // A single U+3000 inside a line is just a space; three in a row is one break.
        let ps = split_paragraphs("甲　乙\n丙　　　丁　　");
        assert_eq!(para_texts("甲　乙\n丙　　　丁　　", &ps), ["甲　乙", "丙", "丁"]);
    }

    #[test]
    fn split_multibyte_offsets() {
        // 𠀀 is 4 bytes, é 2, 中 3: char and byte offsets diverge differently.
        let text = "a𠀀b\n\u{a0}é中 \n\u{2003}x";
        let ps = split_paragraphs(text);
        assert_eq!(
            ps,
            vec![
                Paragraph { start: 0, end: 3, byte_start: 0, byte_end: 6 },
                Paragraph { start: 5, end: 7, byte_start: 9, byte_end: 14 },
                Paragraph { start: 10, end: 11, byte_start: 19, byte_end: 20 },
            ]
        );
        assert_eq!(para_texts(text, &ps), ["a𠀀b", "é中", "x"]);
    }

    #[test]
    fn split_empty_and_blank() {
        assert!(split_paragraphs("").is_empty());
        assert!(split_paragraphs("\n\r\n　　\n \u{1c}\u{85}").is_empty());
        assert_eq!(split_paragraphs("x"), vec![Paragraph { start: 0, end: 1, byte_start: 0, byte_end: 1 }]);
    }

    #[test]
    fn whitespace_matches_python_isspace() {
        // [c for c in range(0x110000) if chr(c).isspace()] in Python 3.11
        let python: Vec<u32> = [0x9..=0xd, 0x1c..=0x20, 0x2000..=0x200a]
            .into_iter()
            .flatten()
            .chain([0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000])
            .collect();
        let ours: Vec<u32> =
            (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|&c| is_space(c)).map(u32::from).collect();
        let mut python = python;
        python.sort_unstable();
        assert_eq!(ours, python);
    }

    #[test]
    fn split_agrees_with_reference_on_generated_text() {
        let alphabet =
            ['a', ' ', '\n', '\r', '\t', '\u{3000}', '\u{3000}', '甲', '。', '𠀀', '\u{a0}', '\u{1f}'];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..3000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            let mut s = String::new();
            let mut x = state;
            for _ in 0..len {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            assert_eq!(split_paragraphs(&s), reference_split(&s), "{s:?}");
        }
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends_and_tile() {
        let sentence = "深入学习贯彻党的二十大精神。"; // 14 chars
        let text = format!("  {}\n短段。", sentence.repeat(10));
        let ps = split_paragraphs_limited(&text, 50);
        let texts = para_texts(&text, &ps);
        // 50 chars hold three whole sentences (42 chars); the cut falls after the third 。.
        assert_eq!(texts[0], sentence.repeat(3));
        assert_eq!(texts[1], sentence.repeat(3));
        assert_eq!(texts[2], sentence.repeat(3));
        assert_eq!(texts[3], sentence);
        assert_eq!(texts[4], "短段。");
        for p in &ps {
            let chars: String = text.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(chars, &text[p.byte_start..p.byte_end]);
        }
        // Without any punctuation the cut falls at the limit, and nothing is lost.
        let flat = "字".repeat(125);
        let ps = split_paragraphs_limited(&flat, 50);
        assert_eq!(ps.iter().map(|p| p.end - p.start).collect::<Vec<_>>(), [50, 50, 25]);
        assert_eq!(ps[1].start, 50);
        assert_eq!(ps[1].byte_start, 150);
        // A closing quote stays with its sentence; spaces at the cut belong to neither piece.
        let quoted = format!("{}“好。”  {}", "甲".repeat(40), "乙".repeat(30));
        let texts = para_texts(&quoted, &split_paragraphs_limited(&quoted, 50));
        assert_eq!(texts, [format!("{}“好。”", "甲".repeat(40)), "乙".repeat(30)]);
    }

    #[test]
    fn supported_extensions_and_messages() {
        for p in ["a.txt", "b.TXT", "c.md", "d.docx", "e.Docx", "f.text", "g.html", "h.HTM", "i.pdf", "j.doc"]
        {
            assert!(is_supported(Path::new(p)), "{p}");
        }
        for p in ["a.png", "b.xlsx", "c", ".txt", "d.txt.bak"] {
            assert!(!is_supported(Path::new(p)), "{p}");
        }
        let err = document_from_bytes(Path::new("r.png"), b"\x89PNG").unwrap_err();
        assert_eq!(
            err.to_string(),
            "r.png: unsupported file type .png (supported: .txt, .md, .docx, .html, .htm, .pdf, .doc, .wps)"
        );
        let err = read_document(&fixture("does-not-exist.txt")).unwrap_err();
        assert!(err.to_string().contains("does-not-exist.txt: cannot read file"), "{err}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_limit_counts_bytes_read_not_the_size_reported() {
        // A /proc file is regular, says it is empty, and holds kilobytes.
        let smaps = Path::new("/proc/self/smaps");
        assert_eq!(std::fs::metadata(smaps).unwrap().len(), 0);
        let err = read_bytes(smaps, 1000).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/proc/self/smaps: file holds more than the limit of 1000 bytes (raise it with --max-file-mb)"
        );
        assert!(read_bytes(smaps, 1 << 30).unwrap().len() > 1000);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_unopened() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        // Opening a FIFO would block until a writer came; it is not opened, whatever its format.
        for name in ["pipe.txt", "pipe.doc"] {
            let fifo = dir.path().join(name);
            let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
            assert!(made.success());
            let err = read_document(&fifo).unwrap_err();
            assert_eq!(err.reason.to_string(), "is a FIFO (named pipe), not a regular file");
            assert_eq!(err.kind(), Kind::NotAFile);
        }
        let err = read_document(&zero).unwrap_err();
        assert_eq!(err.reason.to_string(), "is a character device, not a regular file");
    }

    #[test]
    fn file_size_limit_is_checked_before_reading() {
        let limits = Limits { max_file_bytes: 100, ..Limits::default() };
        let err = read_document_with(&fixture("seed000.utf8.txt"), &limits).unwrap_err();
        let size = std::fs::metadata(fixture("seed000.utf8.txt")).unwrap().len();
        assert_eq!(
            err.reason.to_string(),
            format!(
                "file is {size} bytes (0.0 MiB), over the limit of 100 bytes (raise it with --max-file-mb)"
            )
        );
        assert_eq!(err.kind(), Kind::TooLarge);
        let err = document_from_bytes_with(Path::new("a.txt"), &[b'a'; 101], &limits).unwrap_err();
        assert!(matches!(err.reason, Reason::TooLarge { len: 101, max: 100 }), "{err}");
        assert!(document_from_bytes_with(Path::new("a.txt"), &[b'a'; 100], &limits).is_ok());
    }
}
