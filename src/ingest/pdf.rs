//! PDF files with a text layer (speeches published as PDF): lopdf parses the file and
//! pdf-extract interprets the content streams and fonts (CID fonts and ToUnicode maps, which
//! Chinese PDFs use); we collect every glyph with its position and rebuild the reading order
//! ourselves. Writers emit runs in any order (LibreOffice draws quote marks, in another font,
//! after the line they belong to), so the content-stream order is not the reading order.
//!
//! Paragraphs are rebuilt from the layout: lines top to bottom, glyphs left to right; a line
//! starts a paragraph when it is indented, follows a short line, or follows a wide vertical gap.
//! The document text is the paragraphs joined with `\n` (see docs/report-format.md).

use pdf_extract::{Dictionary, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::collections::HashSet;

use super::Reason;

/// Glyphs collected from one PDF at most: bounds memory on hostile files (a real speech has
/// tens of thousands).
const MAX_GLYPHS: usize = 20_000_000;

/// The text of a PDF: its text layer in reading order, one paragraph per line of output.
pub fn pdf_text(bytes: &[u8]) -> Result<String, Reason> {
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(Reason::NotPdf);
    }
    // lopdf and pdf-extract are not ours; a panic on a malformed file must not end a batch.
    let pages = std::panic::catch_unwind(|| collect_glyphs(bytes))
        .map_err(|_| Reason::ReaderFailed("PDF file", "PDF"))??;
    let paragraphs: Vec<String> = layout(pages);
    if !paragraphs.iter().any(|p| p.chars().any(char::is_alphanumeric)) {
        return Err(Reason::NoTextLayer);
    }
    Ok(paragraphs.join("\n"))
}

fn collect_glyphs(bytes: &[u8]) -> Result<Vec<Vec<Glyph>>, Reason> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| Reason::PdfDamaged(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(Reason::PdfProtected);
    }
    damaged_pages(&doc)?;
    let mut dev = Collector::default();
    match pdf_extract::output_doc(&doc, &mut dev) {
        Ok(()) => {}
        Err(_) if dev.overflow => {
            return Err(Reason::PdfTooManyGlyphs(MAX_GLYPHS));
        }
        Err(e) => return Err(Reason::PdfText(describe(&e))),
    }
    dev.end_page().map_err(|e| Reason::PdfPage(describe(&e)))?;
    Ok(dev.pages)
}

/// Refuses a PDF with a page that cannot be read. pdf-extract draws such a page as a blank one
/// without a word (lopdf skips a page object that does not parse, a content stream that is not
/// there, and inflates a damaged stream as far as it goes), so the document would be checked
/// without it, and one whose pages are all damaged would pass for a scan.
fn damaged_pages(doc: &pdf_extract::Document) -> Result<(), Reason> {
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| Reason::PdfDamaged("its page tree cannot be found".into()))?;
    let mut walk = PageWalk { doc, seen: HashSet::from([root]), pages: 0, damaged: Vec::new() };
    walk.kids(root, 0);
    let Some((first, why)) = walk.damaged.first() else { return Ok(()) };
    let pages = match walk.damaged.len() {
        1 => format!("page {first} of {} cannot be read ({why})", walk.pages),
        n => {
            let shown: Vec<String> =
                walk.damaged.iter().take(MAX_PAGES_NAMED).map(|(p, _)| p.to_string()).collect();
            let more = if n > MAX_PAGES_NAMED {
                format!(" and {} more", n - MAX_PAGES_NAMED)
            } else {
                String::new()
            };
            format!("pages {}{more} of {} cannot be read (page {first}: {why})", shown.join(", "), walk.pages)
        }
    };
    Err(Reason::PdfPages(pages))
}

/// Damaged pages named in a refusal at most; the count says how many more there are.
const MAX_PAGES_NAMED: usize = 5;

/// Page-tree nodes deeper than this are not followed (lopdf's own limit is 256).
const MAX_TREE_DEPTH: usize = 256;

/// A walk of the page tree in page order, numbering pages as readers do.
struct PageWalk<'a> {
    doc: &'a pdf_extract::Document,
    /// Tree nodes met, so that a tree pointing back into itself ends.
    seen: HashSet<ObjectId>,
    pages: usize,
    /// Damaged pages: their number and what is wrong.
    damaged: Vec<(usize, &'static str)>,
}

impl PageWalk<'_> {
    fn kids(&mut self, node: ObjectId, depth: usize) {
        let doc = self.doc;
        let Ok(kids) =
            doc.get_dictionary(node).and_then(|d| d.get_deref(b"Kids", doc)).and_then(Object::as_array)
        else {
            return;
        };
        for kid in kids {
            let Ok(id) = kid.as_reference() else { continue };
            if !self.seen.insert(id) {
                continue;
            }
            match doc.get_dictionary(id) {
                Ok(d) if d.get(b"Kids").is_ok() || d.get_type().is_ok_and(|t| t == b"Pages") => {
                    if depth < MAX_TREE_DEPTH {
                        self.kids(id, depth + 1);
                    }
                }
                Ok(page) => {
                    self.pages += 1;
                    if let Err(why) = content_of(doc, page) {
                        self.damaged.push((self.pages, why));
                    }
                }
                Err(_) => {
                    self.pages += 1;
                    self.damaged.push((self.pages, "its page object is damaged"));
                }
            }
        }
    }
}

/// Whether a page's content streams are there, inflate whole and parse; a page without
/// `/Contents` is a blank page.
fn content_of(doc: &pdf_extract::Document, page: &Dictionary) -> Result<(), &'static str> {
    let Ok(contents) = page.get(b"Contents") else { return Ok(()) };
    let ids: Vec<ObjectId> = match contents {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(Object::Array(parts)) => parts.iter().filter_map(|o| o.as_reference().ok()).collect(),
            _ => vec![*id],
        },
        Object::Array(parts) => parts.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => return Err("its /Contents is not a content stream"),
    };
    let mut content = Vec::new();
    for id in ids {
        let stream = doc
            .get_object(id)
            .and_then(Object::as_stream)
            .map_err(|_| "its content stream is missing or damaged")?;
        // lopdf keeps what inflated before the damage and says nothing: inflate it whole here.
        if stream.filters().is_ok_and(|f| f.first() == Some(&&b"FlateDecode"[..]))
            && !inflates(&stream.content)
        {
            return Err("its content stream does not inflate");
        }
        let data = stream.decompressed_content().map_err(|_| "its content stream cannot be decoded")?;
        content.extend_from_slice(&data);
        content.push(b'\n');
    }
    pdf_extract::content::Content::decode(&content).map_err(|_| "its content stream does not parse")?;
    Ok(())
}

/// Whether `data` is a whole zlib stream; one whose only fault is its checksum counts, as lopdf
/// reads those (some encrypting writers get it wrong).
fn inflates(data: &[u8]) -> bool {
    use std::io::Read;
    let whole = |mut r: Box<dyn Read + '_>| std::io::copy(&mut r, &mut std::io::sink()).is_ok();
    whole(Box::new(flate2::read::ZlibDecoder::new(data)))
        || data.get(2..).is_some_and(|raw| whole(Box::new(flate2::read::DeflateDecoder::new(raw))))
}

fn describe(e: &OutputError) -> String {
    match e {
        OutputError::FormatError(e) => e.to_string(),
        OutputError::IoError(e) => e.to_string(),
        OutputError::PdfError(e) => e.to_string(),
    }
}

/// One drawn char: its baseline position (y grows downwards), advance width and font size.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    width: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Collector {
    flip: Option<Transform>,
    page: Vec<Glyph>,
    pages: Vec<Vec<Glyph>>,
    count: usize,
    overflow: bool,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.end_page()?;
        self.flip = Some(Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly));
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if !self.page.is_empty() {
            self.pages.push(std::mem::take(&mut self.page));
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.count += 1;
        if self.count > MAX_GLYPHS {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        let flip = self.flip.unwrap_or_else(Transform::identity);
        let position = trm.post_transform(&flip);
        // The font size scaled by the text matrix: the side of the square of the same area.
        let (vx, vy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (position.m31, position.m32);
        if !(x.is_finite() && y.is_finite() && size.is_finite() && width.is_finite()) || char.is_empty() {
            return Ok(());
        }
        // Radicals the font's table gave for ordinary chars (⼯ for 工) read as those chars.
        let text = super::radicals::unify_text(char);
        self.page.push(Glyph { x, y, width: width * size, size: size.max(0.1), text });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of a page: its glyphs left to right, where its text starts and ends, its baseline.
struct Line {
    text: String,
    left: f64,
    right: f64,
    y: f64,
    size: f64,
}

fn is_blank(s: &str) -> bool {
    s.chars().all(super::is_space)
}

/// Glyphs of one page into lines: sorted by baseline, a glyph within half a font size of the
/// line's baseline joins it; each line's glyphs are then sorted left to right. A horizontal gap
/// of over [`CELL_GAP`] font sizes (table cells, columns) cuts a line into separate lines.
fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(line) if (g.y - line[0].y).abs() <= line[0].size.max(g.size) * 0.5 => line.push(g),
            _ => groups.push(vec![g]),
        }
    }
    let mut lines = Vec::new();
    for mut group in groups {
        group.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut line = LineBuilder::default();
        let mut prev: Option<&Glyph> = None;
        for g in &group {
            // Fake bold draws a glyph twice at almost the same place.
            if prev.is_some_and(|p| p.text == g.text && (g.x - p.x).abs() < g.size * 0.1) {
                continue;
            }
            if let Some(p) = prev {
                let gap = g.x - (p.x + p.width);
                if gap > g.size * CELL_GAP {
                    lines.extend(std::mem::take(&mut line).finish());
                } else if gap > g.size * 0.2 && is_latin(&p.text) && is_latin(&g.text) {
                    line.text.push(' ');
                }
            }
            line.push(g);
            prev = Some(g);
        }
        lines.extend(line.finish());
    }
    lines
}

/// Gap between glyphs, in font sizes, that separates table cells or columns rather than words.
const CELL_GAP: f64 = 2.5;

fn is_latin(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[derive(Default)]
struct LineBuilder {
    text: String,
    left: Option<f64>,
    right: f64,
    y: f64,
    size: f64,
}

impl LineBuilder {
    fn push(&mut self, g: &Glyph) {
        self.text.push_str(&g.text);
        if !is_blank(&g.text) {
            self.left.get_or_insert(g.x);
            self.right = g.x + g.width;
            self.y = g.y;
            self.size = self.size.max(g.size);
        }
    }

    /// The line, unless it is blank or a page number.
    fn finish(self) -> Option<Line> {
        let left = self.left?;
        let text = self.text.trim_matches(super::is_space);
        if is_page_number(text) {
            return None;
        }
        Some(Line { text: text.to_string(), left, right: self.right, y: self.y, size: self.size })
    }
}

/// "3", "- 3 -", "— 12 —": page numbers, which are not text of the document.
fn is_page_number(text: &str) -> bool {
    let core: String =
        text.chars().filter(|c| !super::is_space(*c) && !matches!(c, '-' | '—' | '–')).collect();
    !core.is_empty() && core.chars().all(|c| c.is_ascii_digit())
}

/// Paragraphs of the document from its pages' lines. The page's left edge is where most lines
/// start, its right edge where the longest line ends. A line starts a paragraph when it starts
/// 0.9 chars or more right of the left edge, when the line before ends its paragraph
/// ([`ends_paragraph`]), or when the gap above it is over 1.8 times the usual line distance.
fn layout(pages: Vec<Vec<Glyph>>) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for glyphs in pages {
        let lines = lines_of(glyphs);
        if lines.is_empty() {
            continue;
        }
        let left = mode(lines.iter().map(|l| l.left));
        let right = lines.iter().map(|l| l.right).fold(f64::MIN, f64::max);
        let mut steps: Vec<f64> = lines.windows(2).map(|w| w[1].y - w[0].y).filter(|d| *d > 0.0).collect();
        steps.sort_by(f64::total_cmp);
        let step = steps.get(steps.len() / 2).copied().unwrap_or(f64::MAX);
        let mut prev: Option<&Line> = None;
        for line in &lines {
            let indented = line.left > left + line.size * 0.9;
            let after_short = prev.is_some_and(|p| ends_paragraph(p, right));
            let after_gap = prev.is_some_and(|p| line.y - p.y > step * 1.8);
            // A page's first line continues the last paragraph unless it is indented.
            let starts = indented || after_short || after_gap || !open;
            match paragraphs.last_mut() {
                Some(last) if !starts => {
                    // Chinese lines join directly; Latin words across a line end keep a space.
                    let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic());
                    if ascii(last.chars().last()) && ascii(line.text.chars().next()) {
                        last.push(' ');
                    }
                    last.push_str(&line.text);
                }
                _ => paragraphs.push(line.text.clone()),
            }
            open = true;
            prev = Some(line);
        }
        // A page that ends on a short line ends its paragraph there.
        if prev.is_some_and(|p| ends_paragraph(p, right)) {
            open = false;
        }
    }
    paragraphs
}

/// Whether `line` ends its paragraph, judged by where it ends: two chars short of the right edge
/// after a sentence end, or six without one (a line can end early where the writer would not
/// start it with the next char, such as a closing quote).
fn ends_paragraph(line: &Line, right: f64) -> bool {
    let short = right - line.right;
    let sentence_end = line
        .text
        .ends_with(['。', '！', '？', '!', '?', '：', ':', '；', ';', '”', '’', '」', '』', '）', ')', '…']);
    short > line.size * 6.0 || (short > line.size * 2.0 && (sentence_end || line.text.chars().count() < 30))
}

/// The most frequent value, rounded to whole points (ties: the leftmost).
fn mode(values: impl Iterator<Item = f64>) -> f64 {
    let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for v in values {
        *counts.entry(v.round() as i64).or_default() += 1;
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map_or(0.0, |(k, _)| k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF (300×400 pt) drawing `content` with Helvetica as /F1.
    fn pdf(content: &str) -> Vec<u8> {
        let objs = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_string(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1)
                .bytes(),
        );
        out
    }

    /// Text lines at (x, y) in 10 pt Helvetica.
    fn lines(lines: &[(u32, u32, &str)]) -> String {
        lines.iter().map(|(x, y, t)| format!("BT /F1 10 Tf {x} {y} Td ({t}) Tj ET\n")).collect()
    }

    #[test]
    fn paragraphs_from_indents_short_lines_and_gaps() {
        let content = lines(&[
            (40, 360, "Indented first line of the first paragraph,"),
            (20, 348, "which goes on over the full width of the page"),
            (20, 336, "and ends here."),
            (40, 324, "Second paragraph, indented, runs to the right"),
            (20, 312, "margin and continues without indentation to"),
            (20, 300, "its end at the same width as the lines above"),
            (20, 250, "Third after a wide gap, starting at the margin"),
            (140, 40, "- 1 -"),
        ]);
        assert_eq!(
            pdf_text(&pdf(&content)).unwrap(),
            "Indented first line of the first paragraph, which goes on over the full width of the page and \
             ends here.\nSecond paragraph, indented, runs to the right margin and continues without \
             indentation to its end at the same width as the lines above\nThird after a wide gap, starting \
             at the margin"
        );
    }

    #[test]
    fn reading_order_is_by_position_not_by_stream_order() {
        // Drawn bottom line first, and the second half of the top line before its first half.
        let content = lines(&[(20, 300, "bottom"), (40, 360, "right"), (20, 360, "left")]);
        assert_eq!(pdf_text(&pdf(&content)).unwrap(), "left right bottom");
    }

    #[test]
    fn errors_name_the_reason() {
        assert!(pdf_text(&pdf("")).unwrap_err().to_string().starts_with("the PDF has no text layer"));
        assert_eq!(pdf_text(b"hello").unwrap_err().to_string(), "not a PDF file (no %PDF- header)");
        assert!(pdf_text(b"%PDF-1.4 garbage").unwrap_err().to_string().starts_with("damaged PDF file"));
        let whole = pdf(&lines(&[(20, 300, "text")]));
        for cut in (0..whole.len()).step_by(37) {
            let _ = pdf_text(&whole[..cut]);
        }
        assert!(is_page_number("— 12 —") && is_page_number("3") && !is_page_number("第3页"));
    }
}
