//! Runs the per-paragraph stages — marks, normalize, tokenize, shingle, fingerprint — the same way
//! for corpus documents and drafts, so both sides of a comparison are cut alike.

use crate::fingerprint::{fingerprint, simhash, winnow_into, ParagraphPrint};
use crate::index::segment::Stamp;
use crate::ingest::{Document, Limits, Paragraph};
use crate::marks::{MarkTable, Marks};
use crate::normalize::{normalize_with, significant_into, Normalized};
use crate::params::WINNOW_WINDOW;
use crate::shingle::{shingles, shingles_into, Shingle};
use crate::taohua::Lexicon;
use crate::tokenize::{tokenize, tokenize_into, Token};
use jieba_rs::Jieba;
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

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

/// An analyzer loading on another thread. jieba's dictionary takes about 0.15 s to load; a check
/// spends that time scanning the corpus folder and opening the index instead of waiting, and an
/// index that is already up to date never needs it.
pub struct Loading {
    done: OnceLock<Analyzer>,
    pending: Mutex<Option<JoinHandle<Analyzer>>>,
}

impl Loading {
    /// Starts loading the default analyzer.
    pub fn start() -> Loading {
        Loading::start_with(Analyzer::new)
    }

    /// Starts loading the analyzer `make` makes (one with other options).
    pub fn start_with(make: impl FnOnce() -> Analyzer + Send + 'static) -> Loading {
        Loading { done: OnceLock::new(), pending: Mutex::new(Some(std::thread::spawn(make))) }
    }

    /// The analyzer, waiting for it if it is still loading.
    pub fn get(&self) -> &Analyzer {
        self.done.get_or_init(|| {
            let handle = self.pending.lock().unwrap_or_else(|e| e.into_inner()).take();
            match handle.map(JoinHandle::join) {
                Some(Ok(analyzer)) => analyzer,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => Analyzer::new(),
            }
        })
    }
}

/// Everything the stages know about one paragraph.
#[derive(Debug, Clone)]
pub struct AnalyzedParagraph {
    pub marks: Marks,
    pub norm: Normalized,
    pub shingles: Vec<Shingle>,
    pub print: ParagraphPrint,
}

/// Buffers reused from paragraph to paragraph when indexing, so that fingerprinting a document
/// allocates per document, not per paragraph and stage.
#[derive(Debug, Default)]
pub struct Scratch {
    significant: String,
    tokens: Vec<Token>,
    shingles: Vec<Shingle>,
    hashes: Vec<u64>,
    winnowed: Vec<u64>,
}

/// What the index keeps of a paragraph, borrowed from a [`Scratch`]: the same values as the
/// [`AnalyzedParagraph`] of [`Analyzer::analyze`].
pub struct IndexPrint<'a> {
    /// Winnowed shingle hashes, sorted, without repeats.
    pub winnowed: &'a [u64],
    /// Every shingle hash, in text order.
    pub shingles: &'a [u64],
    pub simhash: u64,
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

    /// What of this analysis changes fingerprints beyond the constants of the index header:
    /// stored with an index, so a run of another analysis is refused.
    pub fn stamp(&self) -> Stamp {
        Stamp { fold_traditional: self.fold_traditional, marks: self.marks.added_digest() }
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

    /// The fingerprints of [`Analyzer::analyze`] alone, computed in `scratch`'s buffers.
    pub fn index_print<'a>(
        &self,
        doc: &Document,
        para: &Paragraph,
        scratch: &'a mut Scratch,
    ) -> IndexPrint<'a> {
        let text = &doc.text[para.byte_start..para.byte_end];
        let marks = self.marks.scan(text);
        significant_into(text, &marks, self.fold_traditional, &mut scratch.significant);
        tokenize_into(&self.jieba, &scratch.significant, &mut scratch.tokens);
        shingles_into(&scratch.tokens, &mut scratch.shingles);
        scratch.hashes.clear();
        scratch.hashes.extend(scratch.shingles.iter().map(|s| s.hash));
        winnow_into(&scratch.hashes, WINNOW_WINDOW, &mut scratch.winnowed);
        IndexPrint {
            winnowed: &scratch.winnowed,
            shingles: &scratch.hashes,
            simhash: simhash(scratch.shingles.iter().map(|s| (s.hash, s.end - s.start))),
        }
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Indexing's buffer-reusing path must give exactly what `analyze` gives, paragraph after
    /// paragraph through the same scratch.
    #[test]
    fn index_print_matches_analyze() {
        let text = "全年共举行集体学习12次，XXX同志牵头。\n笔杆儿网www.bgzjy.cn坚持稳中求进工作总基调。\n\
                    ＡＢＣ２０２４年\n好\n\n统筹推进五位一体总体布局，协调推进四个全面战略布局。";
        let doc = crate::ingest::document_from_bytes(&PathBuf::from("a.txt"), text.as_bytes()).expect("text");
        let analyzer = Analyzer::new();
        let (mut buf, mut scratch) = (String::new(), Scratch::default());
        assert!(doc.paragraphs.len() >= 4);
        for para in &doc.paragraphs {
            let a = analyzer.analyze(&doc, para, &mut buf);
            let p = analyzer.index_print(&doc, para, &mut scratch);
            assert_eq!(p.winnowed, a.print.winnowed.as_slice());
            assert_eq!(p.shingles, a.shingles.iter().map(|s| s.hash).collect::<Vec<_>>().as_slice());
            assert_eq!(p.simhash, a.print.simhash);
        }
    }
}
