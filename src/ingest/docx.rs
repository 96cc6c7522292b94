//! Word .docx: the paragraphs of `word/document.xml`, read through zip + quick-xml.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::{Reason, XmlProblem};
use crate::params::MAX_DOCX_XML_BYTES;

const WORD_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The text of a .docx: the texts of `word/document.xml`'s `<w:p>` paragraphs in document order
/// (table cells and text boxes included, each `<w:p>` start being a new paragraph), joined with
/// '\n'. A paragraph's text is its `<w:t>` texts with `<w:tab/>`/`<w:ptab/>` → '\t',
/// `<w:br/>` (line breaks only, as python-docx) and `<w:cr/>` → '\n', `<w:noBreakHyphen/>` → '-';
/// `<w:delText>` and `<w:instrText>` are not text. `mc:Fallback` content is skipped because it
/// duplicates the `mc:Choice` beside it. The XML is read through a `take` of
/// [`MAX_DOCX_XML_BYTES`] (zip bombs).
pub fn docx_text(bytes: &[u8]) -> Result<String, Reason> {
    docx_text_limited(bytes, MAX_DOCX_XML_BYTES)
}

/// [`docx_text`] with the limit on the XML's uncompressed size as a parameter.
pub(crate) fn docx_text_limited(bytes: &[u8], limit: u64) -> Result<String, Reason> {
    // The zip and XML readers are not ours; a panic on a malformed file must not end a corpus run.
    std::panic::catch_unwind(|| read_docx(bytes, limit))
        .unwrap_or(Err(Reason::ReaderFailed(".docx file", "zip/XML")))
}

fn read_docx(bytes: &[u8], limit: u64) -> Result<String, Reason> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(Reason::DocxOle2);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(Reason::NotZip)?;
    let name = main_part_name(&mut zip)?;
    let file = zip.by_name(&name).map_err(|source| Reason::DocxPart { part: name.clone(), source })?;
    let too_big = || Reason::DocxTooLarge { part: name.clone(), limit };
    if file.size() > limit {
        return Err(too_big());
    }
    // The declared size can lie, so the read itself is bounded too.
    let mut xml = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut xml)
        .map_err(|source| Reason::DocxInflate { part: name.clone(), source })?;
    if xml.len() as u64 > limit {
        return Err(too_big());
    }
    document_xml_text(&xml).map_err(|why| Reason::DocxXml { part: name, why })
}

/// `word/document.xml` (any case); else the main part named by `_rels/.rels`, as some
/// writers use another name.
fn main_part_name<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Result<String, Reason> {
    if let Some(n) = zip.file_names().find(|n| n.eq_ignore_ascii_case("word/document.xml")) {
        return Ok(n.to_owned());
    }
    let target = office_document_target(zip);
    match target {
        Some(t) if zip.file_names().any(|n| n == t) => Ok(t),
        _ => Err(Reason::NoDocumentPart),
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

fn document_xml_text(xml: &[u8]) -> Result<String, XmlProblem> {
    let mut reader = NsReader::from_reader(xml);
    let mut paras: Vec<String> = Vec::new();
    // Indices into `paras` of the open <w:p>s (nested ones come from text boxes).
    let mut open_paras: Vec<usize> = Vec::new();
    let mut stack: Vec<El> = Vec::new();
    let mut fallback_depth = 0usize;
    let mut seen_root = false;
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(XmlProblem::Malformed)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                let word = is_word(&ns);
                if !seen_root {
                    if !(word && local.as_ref() == b"document") {
                        return Err(XmlProblem::NoRoot);
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
        return Err(XmlProblem::Empty);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::test_support::*;
    use crate::ingest::{document_from_bytes, read_document};
    use std::io::Write;
    use std::path::Path;

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
        assert!(matches!(err.reason, Reason::NotZip(_)), "{err}");
        assert!(err.to_string().contains("not a Word .docx file"), "{err}");
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(docx_text(&ole).unwrap_err().to_string().contains("OLE2"));
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
        assert!(docx_text(&no_doc).unwrap_err().to_string().contains("word/document.xml missing"));
        let bad_xml =
            make_zip(&[("word/document.xml", &format!("<w:document {W}><w:body><w:p></w:body>"))], false);
        assert!(docx_text(&bad_xml).unwrap_err().to_string().contains("not well-formed XML"));
        let not_word = make_zip(&[("word/document.xml", "<html><p>x</p></html>")], false);
        assert!(docx_text(&not_word).unwrap_err().to_string().contains("not a Word document"));
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
        assert!(err.to_string().contains("zip bomb"), "{err}");
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
}
