//! TEMPORARY minimal ingest (replaced by the full module).
use std::path::{Path, PathBuf};

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
pub fn is_supported(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref(),
        Some("txt" | "md")
    )
}
pub fn read_document(path: &Path) -> Result<Document, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError { path: path.into(), reason: e.to_string() })?;
    let text =
        String::from_utf8(bytes).map_err(|e| IngestError { path: path.into(), reason: e.to_string() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let paragraphs = split_paragraphs(&text);
    Ok(Document { path: path.into(), text, paragraphs })
}
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut char_pos = 0;
    let mut byte_pos = 0;
    for line in text.split('\n') {
        let mut segs: Vec<(usize, &str)> = Vec::new();
        let mut rest = line;
        let mut off = 0;
        while let Some(i) = rest.find("　　") {
            segs.push((off, &rest[..i]));
            let skip = i + "　　".len();
            off += skip;
            rest = &rest[skip..];
        }
        segs.push((off, rest));
        for (o, seg) in segs {
            let t = seg.trim_start();
            let lead = seg.len() - t.len();
            let t = t.trim_end();
            if !t.is_empty() {
                let bs = byte_pos + o + lead;
                let be = bs + t.len();
                let cs = char_pos + line[..o + lead].chars().count();
                out.push(Paragraph { start: cs, end: cs + t.chars().count(), byte_start: bs, byte_end: be });
            }
        }
        char_pos += line.chars().count() + 1;
        byte_pos += line.len() + 1;
    }
    out
}
