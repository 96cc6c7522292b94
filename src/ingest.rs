//! Reading a file into a [`Document`]: decode it (.txt/.md as UTF-8, GB18030 or UTF-16;
//! .docx from its `word/document.xml`), then split the text into paragraphs whose char and
//! byte offsets point into the decoded text exactly as it is (no newline normalisation), so
//! reports can quote and locate passages without recounting.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

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

/// Why a file could not be read; displays as one line, "<path>: <reason>".
#[derive(Debug)]
pub struct IngestError {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for IngestError {}

/// Uncompressed size above which `word/document.xml` is refused (zip bombs).
const DOCX_XML_LIMIT: u64 = 256 << 20;
/// How much of a legacy-encoded file chardetng sees: enough to decide, bounded for 60 MB corpora.
const DETECT_PREFIX: usize = 64 << 10;
/// How much of a BOM-less file with NUL bytes is test-decoded as UTF-16.
const UTF16_SAMPLE: usize = 4 << 10;

const NOT_TEXT: &str = "not valid UTF-8, GB18030 or UTF-16 text";
const WORD_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

enum Kind {
    Text,
    Docx,
}

fn kind(path: &Path) -> Result<Kind, String> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt" | "text" | "md") => Ok(Kind::Text),
        Some("docx") => Ok(Kind::Docx),
        Some("doc") => {
            Err("unsupported file type .doc (old binary Word format): save it as .docx in Word or WPS".into())
        }
        Some(e) => Err(format!("unsupported file type .{e} (supported: .txt, .md, .docx)")),
        None => Err("unsupported file type: no extension (supported: .txt, .md, .docx)".into()),
    }
}

/// Supported extensions, lowercase, no dot: txt, text, md, docx. Used when walking a corpus folder.
pub fn is_supported(path: &Path) -> bool {
    kind(path).is_ok()
}

/// Reads and decodes a file by extension, then splits paragraphs.
/// The extension is checked first so unsupported (possibly huge) files are never read.
pub fn read_document(path: &Path) -> Result<Document, IngestError> {
    let fail = |reason: String| IngestError { path: path.to_path_buf(), reason };
    kind(path).map_err(fail)?;
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read file: {e}")))?;
    document_from_bytes(path, &bytes)
}

/// Same from bytes already in memory (path only used for the extension and messages).
pub fn document_from_bytes(path: &Path, bytes: &[u8]) -> Result<Document, IngestError> {
    let text = match kind(path) {
        Ok(Kind::Text) => decode_text(bytes),
        Ok(Kind::Docx) => docx_text(bytes),
        Err(e) => Err(e),
    }
    .map_err(|reason| IngestError { path: path.to_path_buf(), reason })?;
    let paragraphs = split_paragraphs(&text);
    Ok(Document { path: path.to_path_buf(), text, paragraphs })
}

/// Decode plain-text bytes. Order: BOM (UTF-8 / UTF-16LE / UTF-16BE, removed) → NUL bytes mean
/// BOM-less UTF-16 if a 4 KB sample decodes to mostly CJK/ASCII, else binary → strict UTF-8 →
/// UTF-8 with a few broken sequences (damaged UTF-8 is far likelier than GBK that happens to be
/// valid UTF-8) → chardetng on a ≤64 KB prefix with TLD `cn` (GBK and unsure guesses become
/// GB18030). Errors rather than returning garbage: more than 1% replacement, control or (legacy
/// encodings only) private-use characters. The text is otherwise returned exactly as decoded.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_checked(UTF_8, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_checked(UTF_16LE, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_checked(UTF_16BE, rest);
    }
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        if let Some(enc) = sniff_utf16(bytes) {
            return decode_checked(enc, bytes);
        }
        // A stray NUL in real text is tolerated; more means a binary file.
        if nuls > bytes.len() / 1000 {
            return Err(format!("{NOT_TEXT}: looks like a binary file ({nuls} NUL bytes)"));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    if looks_like_damaged_utf8(prefix) && looks_like_damaged_utf8(bytes) {
        if let Ok(text) = decode_checked(UTF_8, bytes) {
            return Ok(text);
        }
    }

    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(prefix, prefix.len() == bytes.len());
    let (guess, sure) = detector.guess_assess(Some(b"cn"), true);
    // GB18030 is a superset of GBK; an unsure guess is most likely GB text in this corpus.
    let enc = if !sure || guess == GBK || guess == UTF_8 { GB18030 } else { guess };
    match decode_checked(enc, bytes) {
        Err(_) if enc != GB18030 => decode_checked(GB18030, bytes),
        r => r,
    }
}

/// Few broken sequences among many valid multi-byte chars: UTF-8 with some damage. GBK text
/// almost never forms valid UTF-8 sequences, so its broken count dwarfs its valid count.
/// The prefix is checked first so GB files are rejected without scanning them whole.
fn looks_like_damaged_utf8(bytes: &[u8]) -> bool {
    let (mut broken, mut non_ascii) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += usize::from(!chunk.invalid().is_empty());
    }
    broken * 20 <= non_ascii
}

/// Decodes with `enc` (no BOM handling) and refuses results that are mostly garbage.
fn decode_checked(enc: &'static Encoding, bytes: &[u8]) -> Result<String, String> {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let legacy = enc != UTF_8 && enc != UTF_16LE && enc != UTF_16BE;
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if is_garbage(c, legacy) {
            bad += 1;
        }
    }
    // One bad char is allowed (e.g. a file cut inside a character).
    if bad > 1 && bad * 100 > total {
        return Err(format!(
            "{NOT_TEXT} (as {} {:.1}% of the characters are undecodable or control characters; \
             a binary file?)",
            enc.name(),
            bad as f64 * 100.0 / total as f64
        ));
    }
    Ok(text.into_owned())
}

/// Characters that do not occur in real text but do when bytes are decoded wrongly.
fn is_garbage(c: char, legacy: bool) -> bool {
    match c {
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1a' | '\x1b' => false,
        '\0'..='\x1f' | '\u{80}'..='\u{9f}' | '\u{FFFD}' => true,
        // GB18030's user-defined areas decode to private use; random bytes hit them often.
        '\u{E000}'..='\u{F8FF}' => legacy,
        _ => false,
    }
}

/// BOM-less UTF-16: decode a sample both ways and keep the one that reads as Chinese/ASCII.
/// ASCII decoded with the wrong byte order lands in the CJK block too, so when both read
/// plausibly the side of the NUL bytes (ASCII high bytes) decides.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE) & !1];
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Text NULs sit on one side (high bytes of ASCII); binary data has them on both.
    if even.max(odd) < 2 || even.max(odd) < 2 * even.min(odd) {
        return None;
    }
    let plausible = |enc: &'static Encoding| {
        let (text, _) = enc.decode_without_bom_handling(sample);
        let (mut good, mut total) = (0usize, 0usize);
        for c in text.chars() {
            total += 1;
            good += usize::from(is_plausible(c));
        }
        good * 5 >= total * 4
    };
    match (plausible(UTF_16LE), plausible(UTF_16BE)) {
        (true, false) => Some(UTF_16LE),
        (false, true) => Some(UTF_16BE),
        (true, true) if odd >= even => Some(UTF_16LE),
        (true, true) => Some(UTF_16BE),
        (false, false) => None,
    }
}

/// Characters expected in Chinese official writing (ASCII, CJK, CJK and general punctuation,
/// fullwidth forms, common symbols such as ①, □, ℃, Ⅰ).
fn is_plausible(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~'
        | '\u{A0}'..='\u{FF}'
        | '\u{2000}'..='\u{27BF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{3200}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// The text of a .docx: the texts of `word/document.xml`'s `<w:p>` paragraphs in document order
/// (table cells and text boxes included, each `<w:p>` start being a new paragraph), joined with
/// '\n'. A paragraph's text is its `<w:t>` texts with `<w:tab/>`/`<w:ptab/>` → '\t',
/// `<w:br/>` (line breaks only, as python-docx) and `<w:cr/>` → '\n', `<w:noBreakHyphen/>` → '-';
/// `<w:delText>` and `<w:instrText>` are not text. `mc:Fallback` content is skipped because it
/// duplicates the `mc:Choice` beside it. The XML is read through a 256 MiB `take` (zip bombs).
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    // The zip and XML readers are not ours; a panic on a malformed file must not end a corpus run.
    std::panic::catch_unwind(|| docx_text_limited(bytes, DOCX_XML_LIMIT))
        .unwrap_or_else(|_| Err("damaged .docx file (the zip/XML reader failed)".into()))
}

/// [`docx_text`] with the size limit as a parameter, so tests can trigger it.
fn docx_text_limited(bytes: &[u8], limit: u64) -> Result<String, String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err("not a .docx zip archive but an OLE2 file: a password-protected Word file or \
                    an old .doc renamed to .docx; save it as an unprotected .docx"
            .into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a Word .docx file (zip archive expected; damaged?): {e}"))?;
    let name = main_part_name(&mut zip)?;
    let file = zip.by_name(&name).map_err(|e| format!("cannot open {name} in the .docx: {e}"))?;
    let too_big = || format!("{name} is larger than {} MiB uncompressed; refused (zip bomb?)", limit >> 20);
    if file.size() > limit {
        return Err(too_big());
    }
    // The declared size can lie, so the read itself is bounded too.
    let mut xml = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("cannot decompress {name} (damaged .docx?): {e}"))?;
    if xml.len() as u64 > limit {
        return Err(too_big());
    }
    document_xml_text(&xml).map_err(|e| format!("{name}: {e}"))
}

/// `word/document.xml` (any case); else the main part named by `_rels/.rels`, as some
/// writers use another name.
fn main_part_name<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Result<String, String> {
    if let Some(n) = zip.file_names().find(|n| n.eq_ignore_ascii_case("word/document.xml")) {
        return Ok(n.to_owned());
    }
    let target = office_document_target(zip);
    match target {
        Some(t) if zip.file_names().any(|n| n == t) => Ok(t),
        _ => Err("word/document.xml missing: not a Word .docx (an .xlsx or .pptx renamed?)".into()),
    }
}

fn office_document_target<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    let mut rels = Vec::new();
    zip.by_name("_rels/.rels").ok()?.take(1 << 20).read_to_end(&mut rels).ok()?;
    let mut reader = quick_xml::Reader::from_reader(rels.as_slice());
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let attr = |key: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
                };
                if attr(b"Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    return attr(b"Target").map(|t| t.trim_start_matches('/').to_owned());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Elements that matter for text extraction; everything else is `Other`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum El {
    P,
    R,
    T,
    Fallback,
    Other,
}

fn document_xml_text(xml: &[u8]) -> Result<String, String> {
    let mut reader = NsReader::from_reader(xml);
    let mut paras: Vec<String> = Vec::new();
    // Indices into `paras` of the open <w:p>s (nested ones come from text boxes).
    let mut open_paras: Vec<usize> = Vec::new();
    let mut stack: Vec<El> = Vec::new();
    let mut fallback_depth = 0usize;
    let mut seen_root = false;
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| format!("not well-formed XML: {e}"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                let word = is_word(&ns);
                if !seen_root {
                    if !(word && local.as_ref() == b"document") {
                        return Err("no <w:document> root: not a Word document".into());
                    }
                    seen_root = true;
                }
                let el = if matches!(ns, ResolveResult::Bound(n) if n.as_ref() == MC_NS)
                    && local.as_ref() == b"Fallback"
                {
                    El::Fallback
                } else if !word || fallback_depth > 0 {
                    El::Other
                } else {
                    match local.as_ref() {
                        b"p" => El::P,
                        b"r" => El::R,
                        b"t" => El::T,
                        _ => El::Other,
                    }
                };
                if el == El::P {
                    paras.push(String::new());
                    if !empty {
                        open_paras.push(paras.len() - 1);
                    }
                } else if word && fallback_depth == 0 && stack.last() == Some(&El::R) {
                    if let (Some(s), Some(&i)) = (run_content(local.as_ref(), e), open_paras.last()) {
                        if let Some(p) = paras.get_mut(i) {
                            p.push_str(s);
                        }
                    }
                }
                if !empty {
                    if el == El::Fallback {
                        fallback_depth += 1;
                    }
                    stack.push(el);
                }
            }
            Event::End(_) => match stack.pop() {
                Some(El::P) => {
                    open_paras.pop();
                }
                Some(El::Fallback) => fallback_depth = fallback_depth.saturating_sub(1),
                _ => {}
            },
            Event::Text(ref t) if stack.last() == Some(&El::T) => {
                if let (Some(&i), Ok(raw)) = (open_paras.last(), std::str::from_utf8(t)) {
                    let raw = normalize_xml_newlines(raw);
                    let text = quick_xml::escape::unescape(&raw).unwrap_or(Cow::Borrowed(&raw));
                    if let Some(p) = paras.get_mut(i) {
                        p.push_str(&text);
                    }
                }
            }
            Event::CData(ref t) if stack.last() == Some(&El::T) => {
                if let (Some(&i), Ok(raw)) = (open_paras.last(), std::str::from_utf8(t)) {
                    if let Some(p) = paras.get_mut(i) {
                        p.push_str(&normalize_xml_newlines(raw));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err("empty or not XML: not a Word document".into());
    }
    Ok(paras.join("\n"))
}

fn is_word(ns: &ResolveResult) -> bool {
    matches!(ns, ResolveResult::Bound(n) if WORD_NS.contains(&n.as_ref()))
}

/// The text a run's non-`w:t` child stands for, as python-docx reads it.
fn run_content(local: &[u8], e: &BytesStart) -> Option<&'static str> {
    match local {
        b"tab" | b"ptab" => Some("\t"),
        b"cr" => Some("\n"),
        b"noBreakHyphen" => Some("-"),
        b"br" => {
            let page_or_column = e
                .attributes()
                .flatten()
                .any(|a| a.key.local_name().as_ref() == b"type" && a.value.as_ref() != b"textWrapping");
            Some(if page_or_column { "" } else { "\n" })
        }
        _ => None,
    }
}

/// XML parsers turn literal "\r\n" and "\r" into "\n" (XML 1.0 §2.11); quick-xml does not.
fn normalize_xml_newlines(raw: &str) -> Cow<'_, str> {
    if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Whitespace as Python's `str.isspace` (the scorer's trim): Unicode White_Space, which
/// includes U+3000, NBSP and '\r', plus the separators U+001C..U+001F.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Paragraphs of decoded text: each line (split on '\n') trimmed of leading/trailing whitespace
/// ([`is_space`]); empty lines produce no paragraph. Inside a line, a run of two or more U+3000
/// (the indent scraped pages keep where a paragraph break was lost) ends the paragraph before
/// it and the next starts after the run. One linear pass; offsets are chars and bytes into `text`.
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn fixture(name: &str) -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest")).join(name)
    }

    fn fixture_bytes(name: &str) -> Vec<u8> {
        std::fs::read(fixture(name)).expect("fixture present")
    }

    fn para_texts<'a>(text: &'a str, paras: &[Paragraph]) -> Vec<&'a str> {
        paras.iter().map(|p| &text[p.byte_start..p.byte_end]).collect()
    }

    /// The definition spelled out slowly: lines, cut at runs of ≥2 U+3000, trimmed with
    /// Python's isspace, offsets by counting chars from the start.
    fn reference_split(text: &str) -> Vec<Paragraph> {
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

    fn check_offsets(doc: &Document) {
        assert_eq!(doc.paragraphs, reference_split(&doc.text));
        for p in &doc.paragraphs {
            let chars: String = doc.text.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(chars, &doc.text[p.byte_start..p.byte_end]);
        }
    }

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

    // ---- plain text fixtures ----

    #[test]
    fn gb18030_file_decodes_to_the_utf8_original() {
        let original = String::from_utf8(fixture_bytes("seed000.utf8.txt")).unwrap();
        let doc = read_document(&fixture("seed000.gbk.txt")).unwrap();
        assert_eq!(doc.text, original);
        check_offsets(&doc);
        assert_eq!(doc.paragraphs, read_document(&fixture("seed000.utf8.txt")).unwrap().paragraphs);
        assert!(!doc.paragraphs.is_empty());
    }

    #[test]
    fn utf8_bom_is_removed_and_offsets_follow() {
        let bytes = fixture_bytes("seed004.bom.txt");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let doc = read_document(&fixture("seed004.bom.txt")).unwrap();
        assert_eq!(doc.text.as_bytes(), &bytes[3..]);
        check_offsets(&doc);
        // The first line starts the text: offset 0, not 1 (the BOM is not text).
        assert_eq!((doc.paragraphs[0].start, doc.paragraphs[0].byte_start), (0, 0));
        assert_eq!(
            &doc.text[doc.paragraphs[0].byte_start..doc.paragraphs[0].byte_end],
            doc.text.lines().next().unwrap().trim()
        );
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let expected = String::from_utf8(fixture_bytes("seed004.bom.txt")[3..].to_vec()).unwrap();
        let le = fixture_bytes("seed004.utf16le.txt");
        assert!(le.starts_with(b"\xFF\xFE"), "iconv -t UTF-16 wrote a BOM");
        for name in ["seed004.utf16le.txt", "seed004.utf16le-nobom.txt", "seed004.utf16be-nobom.txt"] {
            let doc = read_document(&fixture(name)).unwrap();
            assert_eq!(doc.text, expected, "{name}");
            check_offsets(&doc);
        }
        assert_eq!(sniff_utf16(&fixture_bytes("seed004.utf16be-nobom.txt")), Some(UTF_16BE));
        // ASCII-only UTF-16 is valid UTF-8 byte for byte; it must still be read as UTF-16.
        let ascii: Vec<u8> = "plain ASCII line\nsecond\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_text(&ascii).unwrap(), "plain ASCII line\nsecond\n");
        let ascii_be: Vec<u8> = "abc\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(&ascii_be).unwrap(), "abc\n");
    }

    #[test]
    fn empty_file_has_no_paragraphs() {
        let doc = read_document(&fixture("empty.txt")).unwrap();
        assert_eq!(doc.text, "");
        assert!(doc.paragraphs.is_empty());
    }

    #[test]
    fn binary_file_is_an_error_naming_the_file() {
        let bytes = fixture_bytes("random.txt");
        assert!(bytes.contains(&0));
        let err = read_document(&fixture("random.txt")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("random.txt") && msg.contains("binary"), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn random_high_bytes_are_refused_not_garbage() {
        // Bytes 0x80..=0xFF only: not UTF-8; GB18030 "decodes" most pairs, but into
        // private-use and rare chars, which the garbage rule catches.
        let err = read_document(&fixture("highbytes.txt")).unwrap_err();
        assert!(err.reason.contains(NOT_TEXT), "{err}");
    }

    #[test]
    fn decode_rules() {
        // Valid UTF-8 is kept byte for byte, '\r' and all.
        assert_eq!(decode_text("甲\r\n乙\r".as_bytes()).unwrap(), "甲\r\n乙\r");
        // A short GBK text (chardetng may be unsure on few bytes: GB18030 then).
        let (gbk, _, _) = GB18030.encode("关于开展党史学习教育的通知");
        assert_eq!(decode_text(&gbk).unwrap(), "关于开展党史学习教育的通知");
        // Damaged UTF-8 (one stray byte) stays UTF-8 with one U+FFFD, rather than GB mojibake.
        let mut damaged = "深入学习贯彻党的二十大精神，".repeat(20).into_bytes();
        damaged.insert(30, 0xFF);
        let text = decode_text(&damaged).unwrap();
        assert_eq!(text.matches('\u{FFFD}').count(), 1);
        assert!(text.contains("二十大"));
        // A UTF-16 BOM followed by junk is refused.
        let mut junk = vec![0xFF, 0xFE];
        junk.extend(std::iter::repeat_n([0x00, 0xD8], 50).flatten());
        assert!(decode_text(&junk).is_err());
        // A stray NUL in real text is tolerated.
        let mut one_nul = "正文".repeat(600).into_bytes();
        one_nul.push(0);
        assert!(decode_text(&one_nul).is_ok());
    }

    #[test]
    fn decode_never_panics_on_odd_inputs() {
        let mut state = 12345u64;
        for len in 0..300usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (state >> 56) as u8
                })
                .collect();
            let _ = decode_text(&bytes);
            let _ = docx_text(&bytes);
        }
        for b in [&b"\xFF\xFE\x00"[..], b"\xFE\xFF", b"\xEF\xBB\xBF", b"\xFF", b"\x00", b"\x00\x00"] {
            let _ = decode_text(b);
        }
    }

    // ---- .docx ----

    #[test]
    fn docx_from_python_docx_gives_paragraph_text_in_order() {
        let expected = String::from_utf8(fixture_bytes("seed003.docx.expected")).unwrap();
        let doc = read_document(&fixture("seed003.docx")).unwrap();
        assert_eq!(doc.text, expected);
        check_offsets(&doc);
        // Table cells come as their own lines after body line 5 (which ends in a <w:tab/>).
        let lines: Vec<&str> = doc.text.split('\n').collect();
        assert!(lines[4].ends_with("\t附件"), "{:?}", lines[4]);
        assert_eq!(
            &lines[5..9],
            ["坚持以人民为中心", "“我为群众办实事”", "强作风 & 优环境", "<办事不用求人>"]
        );
        // Runs split with different formatting are joined without a gap.
        assert!(doc.text.contains("充分发挥党建引领和保障作用"));
        // 18 body paragraphs (one per line of the seed, blank ones as empty <w:p/>) + 4 cells;
        // the seed's last line is blank, so the text ends with the '\n' before that empty line.
        assert_eq!(lines.len(), 22);
        assert_eq!(lines.iter().filter(|l| l.is_empty()).count(), 1);
        assert_eq!(lines.last(), Some(&""));
    }

    #[test]
    fn truncated_docx_is_an_error_naming_the_file() {
        let err = read_document(&fixture("broken.docx")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("broken.docx") && msg.contains("zip archive expected"), "{msg}");
        let err = document_from_bytes(Path::new("x.docx"), b"just text").unwrap_err();
        assert!(err.reason.contains("not a Word .docx file"), "{err}");
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(docx_text(&ole).unwrap_err().contains("OLE2"));
    }

    fn make_zip(files: &[(&str, &str)], deflate: bool) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, content) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(content.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn docx_of(body: &str) -> Vec<u8> {
        make_zip(
            &[(
                "word/document.xml",
                &format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>"),
            )],
            false,
        )
    }

    #[test]
    fn docx_run_content_entities_and_ignored_text() {
        let body = concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:t>A&amp;B &lt;&#x4E2D;&#25991;&gt;</w:t><w:tab/><w:t xml:space="preserve"> x </w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>一</w:t><w:br/><w:t>二</w:t><w:br w:type="page"/><w:cr/><w:t>三</w:t><w:noBreakHyphen/></w:r></w:p>"#,
            r#"<w:p/>"#,
            r#"<w:p><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>7</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:t><![CDATA[<c>]]></w:t></w:r></w:p>"#,
        );
        assert_eq!(docx_text(&docx_of(body)).unwrap(), "A&B <中文>\t x \n一\n二\n三-\n\n插入7\n格\n链接<c>");
    }

    #[test]
    fn docx_text_boxes_nest_without_duplicates() {
        let body = concat!(
            r#"<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>"#,
            r#"<w:p><w:r><w:t>框一</w:t></w:r></w:p><w:p><w:r><w:t>框二</w:t></w:r></w:p>"#,
            r#"</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"#,
            r#"<w:p><w:r><w:t>框一</w:t></w:r></w:p><w:p><w:r><w:t>框二</w:t></w:r></w:p>"#,
            r#"</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>末</w:t></w:r></w:p>"#,
        );
        assert_eq!(docx_text(&docx_of(body)).unwrap(), "前后\n框一\n框二\n末");
    }

    #[test]
    fn docx_structure_errors() {
        let no_doc = make_zip(&[("word/other.xml", "<x/>")], false);
        assert!(docx_text(&no_doc).unwrap_err().contains("word/document.xml missing"));
        let bad_xml =
            make_zip(&[("word/document.xml", &format!("<w:document {W}><w:body><w:p></w:body>"))], false);
        assert!(docx_text(&bad_xml).unwrap_err().contains("not well-formed XML"));
        let not_word = make_zip(&[("word/document.xml", "<html><p>x</p></html>")], false);
        assert!(docx_text(&not_word).unwrap_err().contains("not a Word document"));
        // Main part under another name, found through _rels/.rels.
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
        let doc2 =
            format!("<w:document {W}><w:body><w:p><w:r><w:t>二号</w:t></w:r></w:p></w:body></w:document>");
        let renamed = make_zip(&[("_rels/.rels", rels), ("word/document2.xml", &doc2)], true);
        assert_eq!(docx_text(&renamed).unwrap(), "二号");
    }

    #[test]
    fn docx_size_limit_is_enforced_while_reading() {
        let big = format!("<w:document {W}><w:body>{}</w:body></w:document>", "<w:p/>".repeat(10_000));
        let zipped = make_zip(&[("word/document.xml", &big)], true);
        assert!(zipped.len() < 2_000);
        assert_eq!(docx_text_limited(&zipped, 1 << 20).unwrap(), "\n".repeat(9_999));
        let err = docx_text_limited(&zipped, 1_000).unwrap_err();
        assert!(err.contains("zip bomb"), "{err}");
    }

    #[test]
    fn docx_truncations_never_panic() {
        let bytes = fixture_bytes("seed003.docx");
        for cut in (0..bytes.len()).step_by(997) {
            assert!(docx_text(&bytes[..cut]).is_err());
        }
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(101) {
            flipped[i] ^= 0x5A;
        }
        let _ = docx_text(&flipped);
    }

    // ---- paths ----

    #[test]
    fn supported_extensions_and_messages() {
        for p in ["a.txt", "b.TXT", "c.md", "d.docx", "e.Docx", "f.text"] {
            assert!(is_supported(Path::new(p)), "{p}");
        }
        for p in ["a.pdf", "b.doc", "c", ".txt", "d.txt.bak"] {
            assert!(!is_supported(Path::new(p)), "{p}");
        }
        let err = document_from_bytes(Path::new("r.pdf"), b"%PDF").unwrap_err();
        assert_eq!(err.to_string(), "r.pdf: unsupported file type .pdf (supported: .txt, .md, .docx)");
        let err = read_document(&fixture("does-not-exist.txt")).unwrap_err();
        assert!(err.to_string().contains("does-not-exist.txt: cannot read file"), "{err}");
    }
}
