//! `pairs.csv`: one row per pair of documents that share text counted as copying (never 套话),
//! with how much of each it is and which one is likely the source. One phrase of the 13-char rule
//! makes a paragraph `partial`, but says little about two whole documents: in the government work
//! reports, pairs sharing fewer than about 100 chars shared a few policy phrases or titles
//! (「提升生态系统多样性稳定性持续性」), not a passage, so a pair needs [`PAIR_MIN_RUNS`] × `min_run`.
//!
//! Those chars are weighted by how specific they are to the pair ([`rarity::weight`]): text that other
//! documents of the corpus also hold is weaker evidence that one of the two copied the other (both
//! may have taken it from a third, or it is the phrasing of an era), as in the inverse document
//! frequency weighting of text-reuse tools.

use super::dates::Dated;
#[cfg(doc)]
use super::{dates::DateBasis, rarity};
use crate::check::Corpus;
use crate::fingerprint::hamming;
use crate::params::{PAIR_MIN_DOC_SHARE, PAIR_MIN_RUNS, PAIR_TEXT_CHARS};
use crate::report::schema;
use crate::table::{Cell, Table};
use std::cmp::Ordering;
use std::collections::HashMap;

/// What the check of one document found it shares with one other document.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub other: u32,
    /// Significant chars of the checked document in copy runs with `other`.
    pub own_chars: usize,
    /// Significant chars of `other` those runs cover.
    pub other_chars: usize,
    /// Significant chars of the longest run.
    pub longest: usize,
    /// `own_chars` weighted by [`rarity::weight`]: the evidence the pair stands on.
    pub own_evidence: f64,
    /// The longest runs (at most `PAIR_PASSAGES`), longest first.
    pub passages: Vec<Passage>,
}

/// A passage two documents share: a copy run, as each of them words it.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Significant chars of the run.
    pub chars: usize,
    /// 1-based paragraph of the checked document, and its text there.
    pub own_para: usize,
    pub own: String,
    /// 1-based paragraph of the other document, and its text there.
    pub other_para: usize,
    pub other: String,
}

impl Passage {
    /// The same passage seen from the other document.
    fn flipped(&self) -> Passage {
        Passage {
            chars: self.chars,
            own_para: self.other_para,
            own: self.other.clone(),
            other_para: self.own_para,
            other: self.own.clone(),
        }
    }
}

/// What pairs need to know of every corpus document.
#[derive(Debug, Clone)]
pub struct DocInfo {
    /// Significant chars.
    pub chars: usize,
    /// Document SimHash.
    pub simhash: u64,
    pub date: Option<Dated>,
}

/// One row of `pairs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRow {
    pub doc_a: String,
    pub doc_b: String,
    /// The larger of the two documents' shared significant chars.
    pub shared_chars: usize,
    pub share_a: f64,
    pub share_b: f64,
    pub longest_run: usize,
    pub simhash_distance: u32,
    /// The older document, when the dates tell; empty otherwise.
    pub source: String,
    /// What the order rests on: the weaker of the two dates' [`DateBasis`], or `unknown` when the
    /// dates do not tell (undated, or of one day, month or year as far as they say).
    pub source_by: String,
    pub date_a: String,
    pub date_b: String,
    /// The shared chars weighted by how few other documents hold them (the side that weighs more):
    /// the evidence that one document copied the other, which the pair floor applies to.
    pub evidence: f64,
    /// The longest passages the two share, longest first, `own` being `doc_a`'s wording.
    pub passages: Vec<Passage>,
}

impl PairRow {
    /// `shared_text`: the passages as `doc_a` words them, joined by ` … `, cut to
    /// [`PAIR_TEXT_CHARS`] chars.
    pub fn shared_text(&self) -> String {
        let joined = self.passages.iter().map(|p| p.own.trim()).collect::<Vec<_>>().join(" … ");
        if joined.chars().count() <= PAIR_TEXT_CHARS {
            return joined;
        }
        let mut cut: String = joined.chars().take(PAIR_TEXT_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// Combines what each document's check found into one row per pair. A pair is seen from both
/// sides when both documents were audited; each side measures both documents (its own matched
/// chars and the source chars its runs cover), and the larger measure wins, so a pair that
/// retrieval found from one side only is still measured on both.
/// A pair needs [`PAIR_MIN_RUNS`] × `min_run` shared chars weighted by [`rarity::weight`] (on the side that
/// weighs more), or [`PAIR_MIN_DOC_SHARE`] of one of its documents.
pub fn pairs(corpus: &Corpus, shares: &[(u32, &[Share])], docs: &[DocInfo], min_run: usize) -> Vec<PairRow> {
    // (lower id, higher id) → (chars of lower, chars of higher, longest run, evidence), and the
    // passages of the side with the longest run, seen from the lower id.
    type Measures = (usize, usize, usize, f64);
    let mut merged: HashMap<(u32, u32), (Measures, Vec<Passage>)> = HashMap::new();
    for &(d, list) in shares {
        for s in list {
            let (key, lo, hi) = if d < s.other {
                ((d, s.other), s.own_chars, s.other_chars)
            } else {
                ((s.other, d), s.other_chars, s.own_chars)
            };
            let (e, passages) = merged.entry(key).or_default();
            if passages.is_empty() || s.longest > e.2 {
                *passages = if d < s.other {
                    s.passages.clone()
                } else {
                    s.passages.iter().map(Passage::flipped).collect()
                };
            }
            *e = (e.0.max(lo), e.1.max(hi), e.2.max(s.longest), e.3.max(s.own_evidence));
        }
    }
    let ratio = |c: usize, total: usize| if total == 0 { 0.0 } else { (c as f64 / total as f64).min(1.0) };
    let mut rows: Vec<PairRow> = merged
        .into_iter()
        .filter(|&((a, b), ((ca, cb, _, evidence), _))| {
            evidence >= (PAIR_MIN_RUNS * min_run) as f64
                || ratio(ca, docs[a as usize].chars) >= PAIR_MIN_DOC_SHARE
                || ratio(cb, docs[b as usize].chars) >= PAIR_MIN_DOC_SHARE
        })
        .map(|((a, b), ((ca, cb, longest, evidence), passages))| {
            let (ia, ib) = (&docs[a as usize], &docs[b as usize]);
            let order = ia.date.zip(ib.date).and_then(|(da, db)| da.order(&db));
            let (source, source_by) = match order {
                Some((Ordering::Less, by)) => (corpus.doc(a).name.clone(), by.as_str()),
                Some((Ordering::Greater, by)) => (corpus.doc(b).name.clone(), by.as_str()),
                _ => (String::new(), UNKNOWN_ORDER),
            };
            PairRow {
                doc_a: corpus.doc(a).name.clone(),
                doc_b: corpus.doc(b).name.clone(),
                shared_chars: ca.max(cb),
                share_a: ratio(ca, ia.chars),
                share_b: ratio(cb, ib.chars),
                longest_run: longest,
                simhash_distance: hamming(ia.simhash, ib.simhash),
                source,
                source_by: source_by.to_string(),
                date_a: ia.date.map(|d| d.date.to_string()).unwrap_or_default(),
                date_b: ib.date.map(|d| d.date.to_string()).unwrap_or_default(),
                evidence,
                passages,
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.shared_chars.cmp(&x.shared_chars).then_with(|| (&x.doc_a, &x.doc_b).cmp(&(&y.doc_a, &y.doc_b)))
    });
    rows
}

/// `source_by` of a pair whose dates do not say which came first.
pub const UNKNOWN_ORDER: &str = "unknown";

/// The table of `pairs.csv`.
pub fn table(rows: &[PairRow]) -> Table {
    let text = |s: &str| Cell::Text(s.to_string());
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                text(&r.doc_a),
                text(&r.doc_b),
                Cell::Count(r.shared_chars),
                Cell::Ratio(r.share_a),
                Cell::Ratio(r.share_b),
                Cell::Count(r.longest_run),
                Cell::Count(r.simhash_distance as usize),
                text(&r.source),
                text(&r.date_a),
                text(&r.date_b),
                Cell::Tenths(r.evidence),
                text(&r.source_by),
                Cell::Text(r.shared_text()),
            ]
        })
        .collect();
    Table { schema: &schema::PAIRS, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(own: &str) -> Passage {
        Passage {
            chars: own.chars().count(),
            own_para: 1,
            own: own.into(),
            other_para: 2,
            other: String::new(),
        }
    }

    fn row(passages: Vec<Passage>) -> PairRow {
        PairRow {
            doc_a: "a.txt".into(),
            doc_b: "b.txt".into(),
            shared_chars: 0,
            share_a: 0.0,
            share_b: 0.0,
            longest_run: 0,
            simhash_distance: 0,
            source: String::new(),
            source_by: UNKNOWN_ORDER.into(),
            date_a: String::new(),
            date_b: String::new(),
            evidence: 0.0,
            passages,
        }
    }

    use crate::table::Lang;

    #[test]
    fn shared_text_joins_the_passages_and_is_cut_to_its_length() {
        let r = row(vec![passage(" 坚持稳中求进工作总基调。"), passage("深化供给侧结构性改革")]);
        assert_eq!(r.shared_text(), "坚持稳中求进工作总基调。 … 深化供给侧结构性改革");
        let long = row(vec![passage(&"的".repeat(PAIR_TEXT_CHARS + 5))]);
        let cut = long.shared_text();
        assert_eq!(cut.chars().count(), PAIR_TEXT_CHARS);
        assert!(cut.ends_with("的…"));
    }

    #[test]
    fn shared_text_that_starts_like_a_formula_is_written_as_text() {
        let dir = tempfile::tempdir().unwrap();
        crate::report::write_table(dir.path(), &table(&[row(vec![passage("-1.5%的降幅")])]), false, Lang::En)
            .unwrap();
        let csv = std::fs::read_to_string(dir.path().join(schema::PAIRS_CSV)).unwrap();
        assert!(csv.ends_with(",unknown,'-1.5%的降幅\n"), "{csv}");
    }
}
