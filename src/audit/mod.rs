//! `chachong audit`: every document of a corpus checked against all the others, and what that
//! shows beyond each document's own report — which documents share text with which (`pairs.csv`)
//! and which paragraphs recur across many documents (`clusters.csv`).
//!
//! Each document goes through [`Checker::check_observed`] with itself excluded and citing only
//! documents not dated after it (a source is earlier than its copy, [`dates`]), so its paragraphs
//! get the verdicts a check against those documents gives, while document frequencies (what is
//! 套话) count the whole corpus. Retrieval caps long posting lists and keeps a fixed number of
//! candidates per paragraph, so the work grows with the number of paragraphs, not with the number
//! of document pairs.

pub mod clusters;
pub mod dates;
pub mod html;
pub mod pairs;
pub mod rarity;

use crate::atomic::SetError;
use crate::check::{Checker, Observation, SourceFilter};
use crate::classify::Verdict;
use crate::classify::{accepted, is_primary, Match};
use crate::fingerprint::simhash;
use crate::index::ParaRef;
use crate::ingest::{count_by_kind, Document, IngestError};
use crate::manifest::Manifest;
use crate::params::{CLUSTER_MIN_SHARE, EXCERPT_CHARS, PAIR_PASSAGES};
use crate::report::{self, DraftReport};
use crate::table::{Lang, Table};
use clusters::{ClusterRow, Edge};
use pairs::{PairRow, Passage, Share};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// The result of an audit.
#[derive(Debug)]
pub struct Audit {
    /// One check report per audited document, in the order given.
    pub reports: Vec<DraftReport>,
    pub pairs: Vec<PairRow>,
    pub clusters: Vec<ClusterRow>,
    /// (draft paragraph, candidate paragraph) pairs aligned: grows with the corpus size, not with
    /// the number of document pairs, as long as retrieval stays capped.
    pub aligned_pairs: usize,
}

/// Pairs and clusters listed in the terminal summary; the CSVs have them all.
const SUMMARY_ROWS: usize = 5;

/// What the check of one document leaves for pairs and clusters.
struct Findings {
    report: DraftReport,
    shares: Vec<Share>,
    /// Near-duplicate paragraph pairs found.
    edges: Vec<Edge>,
    aligned_pairs: usize,
}

/// Audits the documents `audited` of the checker's corpus (ids, ascending; the others, a reference
/// corpus, are only sources), in parallel on the current rayon pool. `tick` is called once per
/// document done.
pub fn audit(checker: &Checker<'_>, audited: &[u32], tick: &(dyn Fn(u64) + Sync)) -> Audit {
    audit_with(checker, audited, None, tick)
}

/// Candidates of each paragraph (document, paragraph number) found outside the index: see
/// [`audit_given`].
pub type GivenFor<'a> = dyn Fn(u32, usize) -> Vec<u32> + Sync + 'a;

/// As [`audit`], aligning each paragraph with the candidates `given` for it (those
/// `spark/candidates.py` found by the rules of the index's retrieval, the date rule included)
/// instead of retrieving them.
pub fn audit_given(
    checker: &Checker<'_>,
    audited: &[u32],
    given: &GivenFor<'_>,
    tick: &(dyn Fn(u64) + Sync),
) -> Audit {
    audit_with(checker, audited, Some(given), tick)
}

fn audit_with(
    checker: &Checker<'_>,
    audited: &[u32],
    given: Option<&GivenFor<'_>>,
    tick: &(dyn Fn(u64) + Sync),
) -> Audit {
    let corpus = checker.corpus;
    let index = &corpus.index;
    let lens = paragraph_lengths(checker);
    let docs: Vec<pairs::DocInfo> = (0..corpus.len() as u32)
        .into_par_iter()
        .map(|d| {
            let paras = index.doc_paragraphs(d);
            pairs::DocInfo {
                chars: paras.clone().map(|g| lens[g as usize] as usize).sum(),
                // A document's SimHash: its paragraphs' SimHashes, weighted by their length.
                simhash: simhash(paras.map(|g| (index.simhash(g), lens[g as usize]))),
                date: dates::doc_date(&corpus.doc(d).doc),
            }
        })
        .collect();
    let findings: Vec<Findings> = audited
        .par_iter()
        .map(|&d| {
            let source_ok = |o: u32| !dates::known_later(docs[o as usize].date, docs[d as usize].date);
            let f = examine(checker, d, &lens, &source_ok, given);
            tick(1);
            f
        })
        .collect();
    let shares: Vec<(u32, &[Share])> =
        audited.iter().zip(&findings).map(|(&d, f)| (d, f.shares.as_slice())).collect();
    let pairs = pairs::pairs(corpus, &shares, &docs, checker.settings.min_run.max(1));
    let edges: Vec<Edge> = findings.iter().flat_map(|f| f.edges.iter().copied()).collect();
    let aligned_pairs = findings.iter().map(|f| f.aligned_pairs).sum();
    let reports: Vec<DraftReport> = findings.into_iter().map(|f| f.report).collect();
    let mut report_of = vec![None; corpus.len()];
    for (i, &d) in audited.iter().enumerate() {
        report_of[d as usize] = Some(&reports[i]);
    }
    let inputs = clusters::ClusterInputs { reports: &report_of, lens: &lens };
    let clusters = clusters::clusters(checker, &edges, &docs, &inputs);
    Audit { reports, pairs, clusters, aligned_pairs }
}

/// Significant chars of every corpus paragraph, by global paragraph number.
fn paragraph_lengths(checker: &Checker<'_>) -> Vec<u32> {
    let corpus = checker.corpus;
    let per_doc: Vec<Vec<u32>> = (0..corpus.len() as u32)
        .into_par_iter()
        .map(|d| {
            let doc = &corpus.doc(d).doc;
            doc.paragraphs.iter().map(|p| checker.analyzer.normalize(doc, p).1.len() as u32).collect()
        })
        .collect();
    per_doc.concat()
}

/// Shared text of one audited document with one other document, as it accumulates.
#[derive(Default)]
struct ShareAcc {
    own_chars: usize,
    own_evidence: f64,
    longest: usize,
    /// Matched ranges in each paragraph of the other document.
    other_ranges: HashMap<u32, Vec<Range<usize>>>,
    /// The longest runs so far, longest first, at most [`PAIR_PASSAGES`].
    longest_runs: Vec<RunAt>,
}

/// Where a copy run lies: in the audited document (a paragraph and its document chars) and in
/// the other (a paragraph and its significant chars, turned into text once the run is kept).
#[derive(Clone)]
struct RunAt {
    chars: usize,
    own_para: usize,
    own: Range<usize>,
    source: ParaRef,
    source_norm: Range<usize>,
}

impl ShareAcc {
    /// Keeps `run` if it is among the [`PAIR_PASSAGES`] longest.
    fn offer(&mut self, run: RunAt) {
        let at = self.longest_runs.partition_point(|r| r.chars >= run.chars);
        if at < PAIR_PASSAGES {
            self.longest_runs.insert(at, run);
            self.longest_runs.truncate(PAIR_PASSAGES);
        }
    }
}

/// The chars `range` (document char offsets) of paragraph `para`.
fn para_text(doc: &Document, para: usize, range: Range<usize>) -> String {
    let p = &doc.paragraphs[para];
    doc.text[p.byte_start..p.byte_end]
        .chars()
        .skip(range.start.saturating_sub(p.start))
        .take(range.end.saturating_sub(range.start.max(p.start)))
        .collect()
}

/// Checks document `d` against the rest of the corpus, citing only the documents `source_ok`
/// accepts, and collects, from every paragraph's runs, the text it shares with each other
/// document and its near-duplicate paragraphs.
fn examine(
    checker: &Checker<'_>,
    d: u32,
    lens: &[u32],
    source_ok: &SourceFilter<'_>,
    given: Option<&GivenFor<'_>>,
) -> Findings {
    let corpus = checker.corpus;
    let index = &corpus.index;
    let min_run = checker.settings.min_run.max(1);
    let cd = corpus.doc(d);
    let mut acc: HashMap<u32, ShareAcc> = HashMap::new();
    let mut edges = Vec::new();
    let mut aligned_pairs = 0;
    let mut observe = |o: Observation<'_>| {
        aligned_pairs += o.candidates;
        if o.matches.is_empty() {
            return;
        }
        // Shared text: only the runs the verdict counts as copying (never 套话).
        let (copies, _) = accepted(o.evidence, o.matches, min_run);
        let mut own: HashMap<u32, Vec<&Match>> = HashMap::new();
        for m in &copies {
            own.entry(m.source.doc).or_default().push(m);
            let a = acc.entry(m.source.doc).or_default();
            a.longest = a.longest.max(m.run.draft.len());
            a.other_ranges.entry(m.source.para).or_default().push(m.run.source.clone());
            a.offer(RunAt {
                chars: m.run.draft.len(),
                own_para: o.para,
                own: o.analyzed.norm.doc_range(m.run.draft.clone()),
                source: m.source,
                source_norm: m.run.source.clone(),
            });
        }
        let len = o.analyzed.norm.len();
        let holders = |runs: &[&Match]| {
            let pieces: Vec<Range<usize>> = runs.iter().flat_map(|m| m.run.pieces.iter().cloned()).collect();
            rarity::holders(len, &o.analyzed.shingles, o.dfs, &pieces)
        };
        for (doc, runs) in own {
            let mut ranges: Vec<Range<usize>> = runs.iter().map(|m| m.run.draft.clone()).collect();
            let a = acc.entry(doc).or_default();
            a.own_evidence += rarity::weight(&ranges, &holders(&runs));
            a.own_chars += covered(&mut ranges);
        }
        // Near-duplicates: every aligned pair, 套话 included (clusters are labelled afterwards).
        let me = index.global(ParaRef { doc: d, para: o.para as u32 });
        let mut by_para: HashMap<ParaRef, Vec<&Match>> = HashMap::new();
        for m in o.matches {
            by_para.entry(m.source).or_default().push(m);
        }
        for (source, runs) in by_para {
            let other = index.global(source);
            if near_duplicates(&runs, len, lens[other as usize] as usize, min_run) {
                let matched: Vec<Range<usize>> = runs.iter().map(|m| m.run.draft.clone()).collect();
                let held_by = rarity::fewest_holders(&matched, &holders(&runs), min_run)
                    .map(|h| u8::try_from(h).unwrap_or(u8::MAX));
                edges.push(Edge { a: me, b: other, held_by });
            }
        }
    };
    let report = match given {
        Some(given) => {
            checker.check_observed_given(&cd.name, &cd.doc, Some(d), &|para| given(d, para), &mut observe)
        }
        None => checker.check_observed(&cd.name, &cd.doc, Some(d), Some(source_ok), &mut observe),
    };
    let shares = acc
        .into_iter()
        .map(|(other, a)| {
            let od = &corpus.doc(other).doc;
            let passages: Vec<Passage> = a
                .longest_runs
                .iter()
                .map(|r| {
                    let sp = r.source.para as usize;
                    let norm = checker.analyzer.normalize(od, &od.paragraphs[sp]).1;
                    Passage {
                        chars: r.chars,
                        own_para: r.own_para + 1,
                        own: para_text(&cd.doc, r.own_para, r.own.clone()),
                        other_para: sp + 1,
                        other: para_text(od, sp, norm.doc_range(r.source_norm.clone())),
                    }
                })
                .collect();
            Share {
                other,
                own_chars: a.own_chars,
                own_evidence: a.own_evidence,
                other_chars: a.other_ranges.into_values().map(|mut r| covered(&mut r)).sum(),
                longest: a.longest,
                passages,
            }
        })
        .collect();
    Findings { report, shares, edges, aligned_pairs }
}

/// Two paragraphs are near-duplicates when one of their runs is evidence on its own and their runs
/// cover [`CLUSTER_MIN_SHARE`] of each.
fn near_duplicates(runs: &[&Match], own_len: usize, other_len: usize, min_run: usize) -> bool {
    if !runs.iter().any(|m| is_primary(&m.run, min_run)) {
        return false;
    }
    let mut own: Vec<Range<usize>> = runs.iter().map(|m| m.run.draft.clone()).collect();
    let mut other: Vec<Range<usize>> = runs.iter().map(|m| m.run.source.clone()).collect();
    covered(&mut own) as f64 >= CLUSTER_MIN_SHARE * own_len as f64
        && covered(&mut other) as f64 >= CLUSTER_MIN_SHARE * other_len as f64
}

/// Chars covered by the union of `ranges` (sorted in place).
fn covered(ranges: &mut [Range<usize>]) -> usize {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut total = 0;
    let mut reach = 0;
    for r in ranges.iter() {
        let start = r.start.max(reach);
        if r.end > start {
            total += r.end - start;
            reach = r.end;
        }
    }
    total
}

/// A short summary for the terminal: what was audited, the pairs sharing most, and the clusters
/// spanning most documents.
pub fn summary(audit: &Audit) -> String {
    let paragraphs: usize = audit.reports.iter().map(|r| r.paragraphs.len()).sum();
    let count =
        |v: Verdict| audit.reports.iter().flat_map(|r| &r.paragraphs).filter(|p| p.verdict == v).count();
    let specific: Vec<&ClusterRow> =
        audit.clusters.iter().filter(|c| c.kind == clusters::ClusterKind::Specific).collect();
    let mut out = format!(
        "audited {} documents, {} paragraphs ({} paragraph pairs aligned): {} copy, {} partial, {} boilerplate, {} original\n\
         {} document pairs share copied text; {} clusters of recycled paragraphs ({} specific, {} 套话)\n",
        audit.reports.len(),
        paragraphs,
        audit.aligned_pairs,
        count(Verdict::Copy),
        count(Verdict::Partial),
        count(Verdict::Boilerplate),
        count(Verdict::Original),
        audit.pairs.len(),
        audit.clusters.len(),
        specific.len(),
        audit.clusters.len() - specific.len(),
    );
    if !audit.pairs.is_empty() {
        out.push_str("  pairs sharing most:\n");
        for p in audit.pairs.iter().take(SUMMARY_ROWS) {
            let (a, b) = (
                format!("{} ({:.1}%)", p.doc_a, 100.0 * p.share_a),
                format!("{} ({:.1}%)", p.doc_b, 100.0 * p.share_b),
            );
            let line = if p.source.is_empty() {
                format!("{a} · {b}; which is older is unknown")
            } else if p.source == p.doc_a {
                format!("{b} from the older {a}, by {}", p.source_by)
            } else {
                format!("{a} from the older {b}, by {}", p.source_by)
            };
            out.push_str(&format!("    {} chars  {line}\n", p.shared_chars));
        }
    }
    if !specific.is_empty() {
        out.push_str("  passages recycled in most documents:\n");
        for c in specific.iter().take(SUMMARY_ROWS) {
            let excerpt: String = c.excerpt.chars().take(EXCERPT_CHARS).collect();
            out.push_str(&format!(
                "    #{} {} documents, since {}: {}\n",
                c.id, c.documents, c.earliest, excerpt
            ));
        }
    }
    out
}

/// The summary's line on the corpus files that could not be read, counted by kind (most first),
/// so that a sweep of thousands says what to fix: `3 corpus files could not be read: 2 damaged,
/// 1 too large`. `None` when every file was read.
pub fn skipped_summary(errors: &[IngestError]) -> Option<String> {
    if errors.is_empty() {
        return None;
    }
    let kinds: Vec<String> =
        count_by_kind(errors).into_iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    let files = if errors.len() == 1 { "file" } else { "files" };
    Some(format!("{} corpus {files} could not be read: {}\n", errors.len(), kinds.join(", ")))
}

/// The tables of an audit, the summary (`documents`) first: the check tables of every audited
/// document, then `pairs`, `clusters` and `cluster_members`.
pub fn tables(audit: &Audit) -> Vec<Table> {
    let mut tables = report::tables(&audit.reports, &[]);
    let check = tables.split_off(1);
    tables.extend([pairs::table(&audit.pairs), clusters::table(&audit.clusters)]);
    tables.push(clusters::members_table(&audit.clusters));
    tables.extend(check);
    tables
}

/// Writes the check reports of every audited document, `pairs.csv`, `clusters.csv`,
/// `cluster_members.csv` and the run manifest into `dir`, headers and values in `lang`, as one set
/// ([`report::write_run_with`]): the manifest holds the CSVs' digests, so that `chachong review`
/// refuses a folder mixing two audits' files as it does two checks'.
pub fn write_audit(
    dir: &Path,
    audit: &Audit,
    bom: bool,
    lang: Lang,
    manifest: Manifest,
) -> Result<(), SetError> {
    let tables = [
        pairs::table(&audit.pairs),
        clusters::table(&audit.clusters),
        clusters::members_table(&audit.clusters),
    ];
    report::write_run_with(dir, &audit.reports, &[], &tables, bom, lang, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_of_ranges() {
        assert_eq!(covered(&mut [5..10, 0..3, 2..6, 20..20]), 10);
        assert_eq!(covered(&mut []), 0);
        assert_eq!(covered(&mut [0..10, 2..4]), 10);
    }
}
