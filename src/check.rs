//! `chachong check`: a draft against a corpus, paragraph by paragraph.

use crate::align::Aligner;
use crate::analyze::{AnalyzedParagraph, Analyzer};
use crate::classify::{classify, Evidence, Match, SpanDecision};
pub use crate::corpus::Corpus;
use crate::figures::{specific_figures, Side};
use crate::findings;
use crate::fingerprint::hamming;
use crate::independence::independent_dfs;
use crate::ingest::{read_document_with, Document, IngestError, Paragraph};
use crate::marks::Flag;
use crate::normalize::{Normalized, WILDCARD};
use crate::params::{
    boilerplate_min_df, chance_run, support_run, Settings, DEFAULT_MIN_RUN, EXCERPT_CHARS, MATCHED_TEXT_CHARS,
};
use crate::report::{DocumentRow, DraftReport, ParagraphRow, SourceShare, SpanRow};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What checking one paragraph found, before it is summed into the draft's report.
struct CheckedParagraph {
    row: ParagraphRow,
    spans: Vec<SpanRow>,
    copied_by_doc: Vec<(u32, usize)>,
    boilerplate_chars: usize,
    /// What the observer of [`Checker::check_observed`] is shown, kept (only when there is one)
    /// until the paragraphs are summed in order.
    observed: Option<Observed>,
}

/// The evidence and runs of one paragraph, owned: see [`Observation`].
struct Observed {
    analyzed: AnalyzedParagraph,
    dfs: Vec<u32>,
    evidence: Evidence,
    matches: Vec<Match>,
    candidates: usize,
}

/// What [`Checker::check_observed`] shows of one draft paragraph.
pub struct Observation<'a> {
    /// Paragraph number in the draft, 0-based.
    pub para: usize,
    pub analyzed: &'a AnalyzedParagraph,
    /// Document frequency of each of `analyzed`'s shingles, without the checked document, versions
    /// of one document counted once (`independence`).
    pub dfs: &'a [u32],
    pub evidence: &'a Evidence,
    /// Every run aligned with a candidate source paragraph, before classification.
    pub matches: &'a [Match],
    /// Candidate source paragraphs aligned: the work the paragraph cost.
    pub candidates: usize,
}

/// Which corpus documents may be a check's sources: see [`Checker::check_observed`].
pub type SourceFilter<'a> = dyn Fn(u32) -> bool + Sync + 'a;

/// Candidate source paragraphs (index paragraphs, sorted) of each draft paragraph, found outside
/// the index's retrieval: `chachong audit --candidates` reads those the Spark job found.
pub type GivenCandidates<'a> = dyn Fn(usize) -> Vec<u32> + Sync + 'a;

/// The corpus documents a check leaves out.
#[derive(Clone, Copy)]
struct Sources<'a> {
    /// Candidates given instead of retrieved, when given.
    given: Option<&'a GivenCandidates<'a>>,
    /// The checked document itself, left out of the corpus.
    exclude: Option<u32>,
    /// Which other documents may be cited.
    source_ok: Option<&'a SourceFilter<'a>>,
}

/// Checks drafts against a corpus.
pub struct Checker<'a> {
    pub analyzer: &'a Analyzer,
    pub corpus: &'a Corpus,
    pub settings: Settings,
}

impl Checker<'_> {
    /// Reads and checks a draft file; `name` is how reports refer to it. A draft that is itself a
    /// file of the corpus is checked against the others ([`Checker::corpus_doc_of`]). The findings
    /// that follow classification ([`crate::findings`]) run with their defaults.
    pub fn check_file(&self, path: &Path, name: &str) -> Result<DraftReport, IngestError> {
        self.check_file_with(path, name, &findings::Options::default())
    }

    /// [`Checker::check_file`], the findings run with `opts`.
    pub fn check_file_with(
        &self,
        path: &Path,
        name: &str,
        opts: &findings::Options,
    ) -> Result<DraftReport, IngestError> {
        let doc = read_document_with(path, &self.analyzer.limits)?;
        let mut report = self.check_with(
            name,
            &doc,
            Sources { exclude: self.corpus_doc_of(path), source_ok: None, given: None },
            None,
        );
        findings::annotate(&mut report, &doc, self.corpus, opts);
        Ok(report)
    }

    /// The corpus document that is the file at `path` itself, when the draft was checked from
    /// inside the corpus folder: it is no source of itself (other copies of it are).
    pub fn corpus_doc_of(&self, path: &Path) -> Option<u32> {
        let root = self.corpus.root.canonicalize().ok()?;
        let file = path.canonicalize().ok()?;
        if !file.starts_with(&root) {
            return None;
        }
        self.corpus.find(&crate::corpus::relative_name(&root, &file))
    }

    /// Checks a document already read. Paragraphs are checked in parallel: a long draft is
    /// answered in half the time on two cores.
    pub fn check(&self, name: &str, doc: &Document) -> DraftReport {
        self.check_with(name, doc, Sources { exclude: None, source_ok: None, given: None }, None)
    }

    /// Checks a document already read, as if corpus document `exclude` were not in the corpus (an
    /// audit checks each corpus document against the others: the verdicts are those of a check
    /// against the corpus without it), and citing as sources only documents `source_ok` accepts,
    /// when given (an audit's documents not dated after it; the others still count in document
    /// frequencies). `observe` sees each paragraph's evidence and runs, in paragraph order, which
    /// an audit needs beyond the verdict: every source a paragraph shares text with, not just the
    /// best.
    pub fn check_observed(
        &self,
        name: &str,
        doc: &Document,
        exclude: Option<u32>,
        source_ok: Option<&SourceFilter<'_>>,
        observe: &mut dyn FnMut(Observation<'_>),
    ) -> DraftReport {
        self.check_with(name, doc, Sources { exclude, source_ok, given: None }, Some(observe))
    }

    /// As [`Checker::check_observed`], aligning each paragraph with the candidates `given` for it
    /// instead of those the index retrieves (the same ones, when a Spark job found them by the
    /// same rules).
    pub fn check_observed_given(
        &self,
        name: &str,
        doc: &Document,
        exclude: Option<u32>,
        given: &GivenCandidates<'_>,
        observe: &mut dyn FnMut(Observation<'_>),
    ) -> DraftReport {
        self.check_with(name, doc, Sources { exclude, source_ok: None, given: Some(given) }, Some(observe))
    }

    /// [`Checker::check`] and [`Checker::check_observed`]: paragraphs are checked in parallel,
    /// then observed and summed in order.
    fn check_with(
        &self,
        name: &str,
        doc: &Document,
        scope: Sources<'_>,
        mut observe: Option<&mut dyn FnMut(Observation<'_>)>,
    ) -> DraftReport {
        let keep = observe.is_some();
        let checked: Vec<CheckedParagraph> = doc
            .paragraphs
            .par_iter()
            .enumerate()
            .map_init(String::new, |buf, (n, para)| self.check_paragraph(doc, n, para, scope, keep, buf))
            .collect();
        let mut paragraphs = Vec::with_capacity(checked.len());
        let mut spans = Vec::new();
        let mut copied_by_doc: HashMap<u32, usize> = HashMap::new();
        let mut total_chars = 0;
        let mut copied_chars = 0;
        let mut boilerplate_chars = 0;
        let mut flags: Vec<Flag> = Vec::new();
        for (n, c) in checked.into_iter().enumerate() {
            if let (Some(observe), Some(o)) = (observe.as_mut(), &c.observed) {
                observe(Observation {
                    para: n,
                    analyzed: &o.analyzed,
                    dfs: &o.dfs,
                    evidence: &o.evidence,
                    matches: &o.matches,
                    candidates: o.candidates,
                });
            }
            for &(d, chars) in &c.copied_by_doc {
                *copied_by_doc.entry(d).or_default() += chars;
                copied_chars += chars;
            }
            total_chars += c.row.chars;
            boilerplate_chars += c.boilerplate_chars;
            flags.extend(c.row.flags.iter().cloned());
            spans.extend(c.spans);
            paragraphs.push(c.row);
        }

        flags.sort();
        flags.dedup();
        let ratio = |c: usize| if total_chars == 0 { 0.0 } else { c as f64 / total_chars as f64 };
        let mut by_doc: Vec<(u32, usize)> = copied_by_doc.into_iter().collect();
        by_doc.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let sources: Vec<SourceShare> = by_doc
            .iter()
            .map(|&(d, c)| SourceShare { source: self.corpus.doc(d).name.clone(), chars: c, ratio: ratio(c) })
            .collect();
        spans.sort_by_key(|s: &SpanRow| (s.start, s.end));
        DraftReport {
            draft: name.to_string(),
            summary: DocumentRow {
                paragraphs: doc.paragraphs.len(),
                chars: total_chars,
                copied_ratio: ratio(copied_chars),
                boilerplate_ratio: ratio(boilerplate_chars),
                top_source: sources.first().map(|s| s.source.clone()).unwrap_or_default(),
                top_source_ratio: sources.first().map_or(0.0, |s| s.ratio),
                flags,
            },
            sources,
            paragraphs,
            spans,
            text_hash: crate::manifest::text_hash(&doc.text),
            findings: findings::Findings::default(),
        }
    }

    /// Checks paragraph `n` of a draft: candidates from the index, alignment, verdict. `scope`
    /// says which corpus documents are left out; `keep` keeps the evidence and runs for an observer.
    fn check_paragraph(
        &self,
        doc: &Document,
        n: usize,
        para: &Paragraph,
        scope: Sources<'_>,
        keep: bool,
        buf: &mut String,
    ) -> CheckedParagraph {
        let index = &self.corpus.index;
        let min_run = self.settings.min_run;
        let exclude = scope.exclude;
        let mut sources: HashMap<u32, Normalized> = HashMap::new();
        let a = self.analyzer.analyze(doc, para, buf);
        let len = a.norm.len();
        // Without the excluded document, every shingle of it is in one document fewer.
        let (own, bp_df) = match exclude {
            Some(_) => (1, boilerplate_min_df(index.docs.saturating_sub(1))),
            None => (0, index.boilerplate_df),
        };
        let dfs: Vec<u32> = a.shingles.iter().map(|s| index.df(s.hash).saturating_sub(own)).collect();
        // A paragraph shorter than the shortest run any verdict counts cannot be matched.
        let candidates = if len < min_run.min(DEFAULT_MIN_RUN) {
            Vec::new()
        } else if let Some(given) = scope.given {
            given(n)
        } else {
            index.candidates_where(&a.shingles, a.print.simhash, exclude, scope.source_ok)
        };
        let aligned = candidates.len();
        let aligner = Aligner::new(&a.norm.chars);
        let mut matches = Vec::new();
        for global in candidates {
            let source = index.locate(global);
            let src = sources.entry(global).or_insert_with(|| {
                let d = &self.corpus.doc(source.doc).doc;
                self.analyzer.normalize(d, &d.paragraphs[source.para as usize]).1
            });
            for run in aligner.align(&src.chars, support_run(min_run)) {
                matches.push(Match { source, run, figures: 0 });
            }
        }
        if a.norm.chars.contains(&WILDCARD) && !matches.is_empty() {
            self.count_figures(doc, para, &a.norm, &mut matches, &sources);
        }
        let dfs = independent_dfs(index, &a.shingles, &dfs, &matches, exclude);
        let chance = chance_run(min_run, index.independent_docs);
        let evidence =
            Evidence::gather(&a.norm, &a.shingles, &dfs, bp_df, &self.analyzer.lexicon, min_run, chance);
        let v = classify(len, &evidence, &matches, &self.settings);

        let para_no = n + 1;
        let spans = v
            .spans
            .iter()
            .map(|s| self.span_row(para, &a.norm, !a.marks.noise.is_empty(), para_no, s, &mut sources))
            .collect();
        let text = &doc.text[para.byte_start..para.byte_end];
        let matched_text = v
            .longest
            .as_ref()
            .map(|r| {
                let range = a.norm.doc_range(r.clone());
                char_slice(&doc.text, para, range).chars().take(MATCHED_TEXT_CHARS).collect()
            })
            .unwrap_or_default();
        let row = ParagraphRow {
            para: para_no,
            start: para.start,
            end: para.end,
            chars: len,
            verdict: v.verdict,
            score: v.score,
            source: v.source.map(|s| self.corpus.doc(s.doc).name.clone()).unwrap_or_default(),
            source_para: v.source.map(|s| s.para as usize + 1),
            simhash_distance: v.source.map(|s| hamming(a.print.simhash, index.simhash(index.global(s)))),
            matched_chars: v.matched_chars,
            flags: a.marks.flags.clone(),
            excerpt: text.chars().take(EXCERPT_CHARS).collect(),
            matched_text,
        };
        CheckedParagraph {
            row,
            spans,
            copied_by_doc: v.copied_by_doc,
            boilerplate_chars: v.boilerplate_chars,
            observed: keep.then_some(Observed { analyzed: a, dfs, evidence, matches, candidates: aligned }),
        }
    }

    /// Sets each match's [`Match::figures`]: the figures it shares with its source alone.
    fn count_figures(
        &self,
        doc: &Document,
        para: &Paragraph,
        norm: &Normalized,
        matches: &mut [Match],
        sources: &HashMap<u32, Normalized>,
    ) {
        let index = &self.corpus.index;
        let draft_text: Vec<char> = doc.text[para.byte_start..para.byte_end].chars().collect();
        let draft = Side { norm, text: &draft_text, first: para.start };
        let mut texts: HashMap<u32, (Vec<char>, usize)> = HashMap::new();
        for m in matches.iter() {
            texts.entry(index.global(m.source)).or_insert_with(|| {
                let d = &self.corpus.doc(m.source.doc).doc;
                let p = &d.paragraphs[m.source.para as usize];
                (d.text[p.byte_start..p.byte_end].chars().collect(), p.start)
            });
        }
        let globals: Vec<u32> = matches.iter().map(|m| index.global(m.source)).collect();
        let counts = specific_figures(&draft, matches, |k| {
            let (text, first) = &texts[&globals[k]];
            Side { norm: &sources[&globals[k]], text, first: *first }
        });
        for (m, n) in matches.iter_mut().zip(counts) {
            m.figures = n;
        }
    }

    /// A span in document char offsets. A span that reaches a paragraph's first or last significant
    /// char takes in the paragraph's edge (its punctuation), unless a watermark sits there.
    fn span_row(
        &self,
        para: &Paragraph,
        norm: &Normalized,
        has_noise: bool,
        para_no: usize,
        s: &SpanDecision,
        sources: &mut HashMap<u32, Normalized>,
    ) -> SpanRow {
        let (start, end) = widen(norm, para, s.draft.clone(), has_noise);
        let index = &self.corpus.index;
        let source_doc = self.corpus.doc(s.source.doc);
        let src_para = &source_doc.doc.paragraphs[s.source.para as usize];
        let src = sources
            .entry(index.global(s.source))
            .or_insert_with(|| self.analyzer.normalize(&source_doc.doc, src_para).1);
        let src_text = &source_doc.doc.text[src_para.byte_start..src_para.byte_end];
        let src_noise = !self.analyzer.marks.scan(src_text).noise.is_empty();
        let (source_start, source_end) = widen(src, src_para, s.source_range.clone(), src_noise);
        SpanRow {
            para: para_no,
            start,
            end,
            source: source_doc.name.clone(),
            source_start,
            source_end,
            kind: s.kind,
        }
    }
}

fn widen(norm: &Normalized, para: &Paragraph, r: std::ops::Range<usize>, has_noise: bool) -> (usize, usize) {
    let range = norm.doc_range(r.clone());
    let start = if r.start == 0 && !has_noise { para.start } else { range.start };
    let end = if r.end == norm.len() && !has_noise { para.end } else { range.end };
    (start, end)
}

/// The text of document char range `range`, which lies inside `para`.
fn char_slice<'t>(text: &'t str, para: &Paragraph, range: std::ops::Range<usize>) -> &'t str {
    let ptext = &text[para.byte_start..para.byte_end];
    let mut it = ptext.char_indices().map(|(b, _)| b).chain(std::iter::once(ptext.len()));
    let skip = range.start.saturating_sub(para.start);
    let take = range.end.saturating_sub(range.start);
    let Some(b0) = it.nth(skip) else { return "" };
    let b1 = if take == 0 { b0 } else { it.nth(take - 1).unwrap_or(ptext.len()) };
    &ptext[b0..b1]
}

/// `paths` with each file kept once, at its first mention (by its canonical path, so `a.docx` and
/// `./a.docx` are one); the paths left out are returned apart, to be said.
pub fn distinct_drafts(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut seen = std::collections::HashSet::new();
    let (mut kept, mut repeated) = (Vec::new(), Vec::new());
    for p in paths {
        let key = p.canonicalize().unwrap_or_else(|_| p.clone());
        if seen.insert(key) {
            kept.push(p.clone());
        } else {
            repeated.push(p.clone());
        }
    }
    (kept, repeated)
}

/// Checks every draft in parallel, the findings run with `opts`; each result is the report or why
/// the file could not be read. `tick` is called once per draft checked (for a progress bar).
pub fn check_files(
    checker: &Checker<'_>,
    drafts: &[(PathBuf, String)],
    opts: &findings::Options,
    tick: &(dyn Fn(u64) + Sync),
) -> Vec<Result<DraftReport, IngestError>> {
    drafts
        .par_iter()
        .map(|(path, name)| {
            let result = checker.check_file_with(path, name, opts);
            tick(1);
            result
        })
        .collect()
}
