//! Runs the per-paragraph stages — marks, normalize, tokenize, shingle, fingerprint — the same way
//! for corpus documents and drafts, so both sides of a comparison are cut alike.

use crate::fingerprint::{fingerprint, ParagraphPrint};
use crate::ingest::{Document, Limits, Paragraph};
use crate::marks::{MarkTable, Marks};
use crate::normalize::{normalize_with, Normalized};
use crate::shingle::{shingles, Shingle};
use crate::taohua::Lexicon;
use crate::tokenize::tokenize;
use jieba_rs::Jieba;

/// The shared, read-only tools of the pipeline.
pub struct Analyzer {
    pub jieba: Jieba,
    pub marks: MarkTable,
    pub lexicon: Lexicon,
    /// Fold traditional chars to simplified ones, on both sides of every comparison.
    pub fold_traditional: bool,
    /// Bounds on reading each file, for drafts and corpus alike.
    pub limits: Limits,
}

/// Everything the stages know about one paragraph.
#[derive(Debug, Clone)]
pub struct AnalyzedParagraph {
    pub marks: Marks,
    pub norm: Normalized,
    pub shingles: Vec<Shingle>,
    pub print: ParagraphPrint,
}

impl Analyzer {
    /// Loads the segmenter, the built-in mark table and the 套话 lexicon.
    pub fn new() -> Analyzer {
        Analyzer {
            jieba: crate::tokenize::segmenter(),
            marks: MarkTable::builtin(),
            lexicon: Lexicon::builtin(),
            fold_traditional: false,
            limits: Limits::default(),
        }
    }

    /// Marks and significant chars only: what alignment needs of a source paragraph.
    pub fn normalize(&self, doc: &Document, para: &Paragraph) -> (Marks, Normalized) {
        let text = &doc.text[para.byte_start..para.byte_end];
        let marks = self.marks.scan(text);
        let norm = normalize_with(text, para.start, &marks, self.fold_traditional);
        (marks, norm)
    }

    /// All stages for one paragraph; `buf` is scratch space reused across calls.
    pub fn analyze(&self, doc: &Document, para: &Paragraph, buf: &mut String) -> AnalyzedParagraph {
        let (marks, norm) = self.normalize(doc, para);
        let tokens = tokenize(&self.jieba, &norm, buf);
        let shingles = shingles(&tokens);
        let print = fingerprint(&shingles);
        AnalyzedParagraph { marks, norm, shingles, print }
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}
