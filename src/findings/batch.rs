//! Within a batch: drafts checked together are also compared with each other. Twenty-two 谈心谈话
//! records with different people and dates and the same text are each original against the corpus;
//! only beside each other do they show what they are.
//!
//! The comparison is alignment alone, not the corpus check's verdict: in a batch of identical
//! records every shingle is in every record, so document frequency would call their text 套话.
//! A paragraph is a twin of a paragraph of another draft when the exact matches between the two
//! cover most of each ([`BATCH_MIN_SHARE`]).

use crate::analyze::Analyzer;
use crate::check::Checker;
use crate::classify::Verdict;
use crate::corpus::{Corpus, CorpusDoc};
use crate::index::ParaRef;
use crate::ingest::Document;
use crate::marks::Flag;
use crate::params::{Settings, BATCH_MIN_RUNS, BATCH_MIN_SHARE, DEFAULT_MIN_RUN};
use crate::report::DraftReport;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// A paragraph with the same text as a paragraph of another draft of the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Twin {
    /// The paragraph, 1-based.
    pub para: usize,
    /// The other draft, as reports name it, and its paragraph.
    pub partner: String,
    pub partner_para: usize,
    /// The smaller of the two paragraphs' shares of significant chars in exact matches with the other.
    pub share: f64,
}

/// The twins of each draft's paragraphs among the other drafts', keyed by draft name; the best
/// partner per paragraph. Drafts are `(name, document)`, names distinct.
pub fn twins(
    analyzer: &Analyzer,
    settings: &Settings,
    drafts: Vec<(String, Document)>,
) -> HashMap<String, Vec<Twin>> {
    if drafts.len() < 2 {
        return HashMap::new();
    }
    let docs: Vec<CorpusDoc> = drafts.into_iter().map(|(name, doc)| CorpusDoc { name, doc }).collect();
    let batch = Corpus::from_documents(Path::new(""), analyzer, docs);
    let checker = Checker { analyzer, corpus: &batch, settings: *settings };
    let min_len = BATCH_MIN_RUNS * settings.min_run.max(DEFAULT_MIN_RUN);
    (0..batch.len() as u32)
        .into_par_iter()
        .map(|id| {
            let cd = batch.doc(id);
            let mut found = Vec::new();
            let mut observe = |o: crate::check::Observation<'_>| {
                let len = o.analyzed.norm.len();
                if len < min_len {
                    return;
                }
                let mut by_para: Vec<(ParaRef, Vec<bool>, Vec<bool>)> = Vec::new();
                for m in o.matches {
                    let slot = match by_para.iter().position(|(p, _, _)| *p == m.source) {
                        Some(k) => k,
                        None => {
                            let src = &batch.doc(m.source.doc).doc;
                            let n = analyzer.normalize(src, &src.paragraphs[m.source.para as usize]).1.len();
                            by_para.push((m.source, vec![false; len], vec![false; n]));
                            by_para.len() - 1
                        }
                    };
                    let (_, mine, theirs) = &mut by_para[slot];
                    for piece in &m.run.pieces {
                        let off = m.run.source.start as isize - m.run.draft.start as isize;
                        for i in piece.clone() {
                            mark(mine, i);
                            mark(theirs, (i as isize + off).max(0) as usize);
                        }
                    }
                }
                let share = |bits: &[bool]| {
                    if bits.is_empty() {
                        0.0
                    } else {
                        bits.iter().filter(|&&b| b).count() as f64 / bits.len() as f64
                    }
                };
                let best = by_para
                    .iter()
                    .filter(|(_, _, theirs)| theirs.len() >= min_len)
                    .map(|(p, mine, theirs)| (*p, share(mine).min(share(theirs))))
                    .filter(|&(_, s)| s >= BATCH_MIN_SHARE)
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
                if let Some((p, share)) = best {
                    found.push(Twin {
                        para: o.para + 1,
                        partner: batch.doc(p.doc).name.clone(),
                        partner_para: p.para as usize + 1,
                        share,
                    });
                }
            };
            checker.check_observed(&cd.name, &cd.doc, Some(id), None, &mut observe);
            (cd.name.clone(), found)
        })
        .filter(|(_, found)| !found.is_empty())
        .collect()
}

/// [`twins`] of the draft files of a check, read again (the check keeps only their reports); a file
/// that cannot be read now is left out, as the check has said of it.
pub fn twins_of_files(
    analyzer: &Analyzer,
    settings: &Settings,
    drafts: &[(std::path::PathBuf, String)],
) -> HashMap<String, Vec<Twin>> {
    let docs: Vec<(String, Document)> = drafts
        .par_iter()
        .filter_map(|(path, name)| {
            crate::ingest::read_document_with(path, &analyzer.limits).ok().map(|d| (name.clone(), d))
        })
        .collect();
    twins(analyzer, settings, docs)
}

fn mark(bits: &mut [bool], i: usize) {
    if let Some(b) = bits.get_mut(i) {
        *b = true;
    }
}

/// Adds each draft's twins to its report: the paragraph flag `batch:<draft>¶<n>`, and
/// [`super::Findings::twins`]. A paragraph the check found 套话 is no twin: two reports of a batch
/// share their opening formula as every report of the genre does.
pub fn annotate(reports: &mut [DraftReport], mut twins: HashMap<String, Vec<Twin>>) {
    for r in reports {
        let Some(mut found) = twins.remove(&r.draft) else { continue };
        found.retain(|t| {
            r.paragraphs.get(t.para.wrapping_sub(1)).is_some_and(|p| p.verdict != Verdict::Boilerplate)
        });
        for t in &found {
            let flag = Flag::Batch(format!("{}¶{}", t.partner, t.partner_para));
            if let Some(row) = r.paragraphs.get_mut(t.para.wrapping_sub(1)) {
                row.flags.push(flag.clone());
                row.flags.sort();
                row.flags.dedup();
            }
            r.summary.flags.push(flag);
        }
        r.summary.flags.sort();
        r.summary.flags.dedup();
        r.findings.twins = found;
    }
}
