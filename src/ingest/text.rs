//! Plain-text decoding: BOM, BOM-less UTF-16, UTF-8 (also slightly damaged), else GB18030 or
//! what chardetng detects, refusing results that are mostly garbage.

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use super::Reason;

/// How much of a legacy-encoded file chardetng sees: enough to decide, bounded for 60 MB corpora.
const DETECT_PREFIX: usize = 64 << 10;
/// How much of a BOM-less file with NUL bytes is test-decoded as UTF-16.
const UTF16_SAMPLE: usize = 4 << 10;

/// Decode plain-text bytes. Order: BOM (UTF-8 / UTF-16LE / UTF-16BE, removed) → NUL bytes mean
/// BOM-less UTF-16 if a 4 KB sample decodes to mostly CJK/ASCII, else binary → strict UTF-8 →
/// UTF-8 with a few broken sequences (damaged UTF-8 is far likelier than GBK that happens to be
/// valid UTF-8) → chardetng on a ≤64 KB prefix with TLD `cn` (GBK and unsure guesses become
/// GB18030). Errors rather than returning garbage: more than 1% replacement, control or (legacy
/// encodings only) private-use characters. The text is otherwise returned exactly as decoded.
pub fn decode_text(bytes: &[u8]) -> Result<String, Reason> {
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
            return Err(Reason::Binary(nuls));
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
pub(super) fn decode_checked(enc: &'static Encoding, bytes: &[u8]) -> Result<String, Reason> {
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
        return Err(Reason::NotText { encoding: enc.name(), percent: bad as f64 * 100.0 / total as f64 });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_document;
    use crate::ingest::test_support::*;

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
        assert!(err.reason.to_string().starts_with(super::super::error::NOT_TEXT), "{err}");
        assert_eq!(err.kind(), super::super::Kind::NotText);
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
            let _ = crate::ingest::docx_text(&bytes);
            let _ = crate::ingest::html_text(&bytes);
            let _ = crate::ingest::pdf_text(&bytes);
        }
        for b in [&b"\xFF\xFE\x00"[..], b"\xFE\xFF", b"\xEF\xBB\xBF", b"\xFF", b"\x00", b"\x00\x00"] {
            let _ = decode_text(b);
        }
    }
}
