//! The verdict on a draft paragraph: copy, partial, boilerplate or original, with its source and
//! the spans that back it.
//!
//! Two kinds of evidence meet here. Alignment says which draft chars line up with which corpus
//! paragraph. Document frequency says whether what lines up is 套话: a run whose words recur in many
//! corpus documents is formula that any writer of the genre produces, not a copy of one source.

use crate::align::Run;
use crate::index::ParaRef;
use crate::normalize::{Normalized, WILDCARD};
use crate::params::{
    specific_run, Settings, BOILERPLATE_MATCHED_SHARE, BOILERPLATE_PARAGRAPH_SHARE, BOILERPLATE_RUN_SHARE,
    DEFAULT_MIN_RUN, FIGURE_MIN_DIGITS, FUZZY_MAX_COMMON_SHARE, FUZZY_RUN_FACTOR, LONG_EXACT_FACTOR,
    SHORT_RUN_FACTOR,
};
use crate::shingle::Shingle;
use crate::taohua::Lexicon;
use std::ops::Range;

/// What a paragraph is, per REPORT_FORMAT.md; its names are in [`crate::report::schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Original,
    Boilerplate,
    Partial,
    Copy,
}

/// Kind of a reported span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    Copy,
    Boilerplate,
}

/// A run between the draft paragraph and one corpus paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub source: ParaRef,
    pub run: Run,
    /// Digits of figures the run shares exactly with its source and with no other aligned
    /// document ([`crate::figures`]).
    pub figures: usize,
}

/// A span to report, in significant chars of the draft and source paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanDecision {
    pub source: ParaRef,
    pub draft: Range<usize>,
    pub source_range: Range<usize>,
    pub kind: SpanKind,
}

/// The decision on one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphVerdict {
    pub verdict: Verdict,
    /// Best source paragraph (for boilerplate: where the longest 套话 run was found).
    pub source: Option<ParaRef>,
    /// Share of significant chars covered by matches with the source document.
    pub score: f64,
    /// Significant chars covered by matches with the source document.
    pub matched_chars: usize,
    /// Longest run with the source, in draft significant chars.
    pub longest: Option<Range<usize>>,
    pub spans: Vec<SpanDecision>,
    /// Significant chars in copy spans, by source document.
    pub copied_by_doc: Vec<(u32, usize)>,
    /// Significant chars matched only as 套话.
    pub boilerplate_chars: usize,
}

/// Which significant chars of a draft paragraph are covered by 套话 and by any corpus shingle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Covered by a stretch of consecutive high-frequency shingles at least `min_run` chars long.
    pub boilerplate: Vec<bool>,
    /// Covered by a shingle that occurs anywhere in the corpus.
    pub known: Vec<bool>,
    /// Covered by a high-frequency shingle, however short the stretch.
    pub frequent: Vec<bool>,
    /// Not a wildcard (numbers and slots are no evidence either way).
    pub solid: Vec<bool>,
    /// Shingles that two or more independent documents hold: wording of the genre, or of one
    /// source and another writer.
    pub held_often: Vec<Range<usize>>,
    /// Shingles that no independent document but one holds: inside a match with a source, the
    /// source's own wording rather than a phrase of the genre.
    pub held_once: Vec<Range<usize>>,
    /// Exact (or, doubled, fuzzy) length from which a run is more than a chance echo of the
    /// genre in this corpus ([`crate::params::chance_run`]): `min_run` in a small corpus, longer
    /// as the corpus holds more independent writers who could share a formula with the draft.
    pub chance_run: usize,
}

impl Evidence {
    /// The evidence on a paragraph from the document frequency of each of its shingles (an audit
    /// passes them without the checked document's own contribution).
    /// Phrases of the 套话 lexicon count as 套话 wherever they occur.
    pub fn gather(
        norm: &Normalized,
        shingles: &[Shingle],
        dfs: &[u32],
        bp_df: u32,
        lexicon: &Lexicon,
        min_run: usize,
        chance_run: usize,
    ) -> Evidence {
        let mut ev = Evidence::from_dfs(&norm.chars, shingles, dfs, bp_df, min_run);
        ev.chance_run = chance_run;
        let mut formula = vec![false; norm.len()];
        lexicon.cover(&norm.chars, &mut formula);
        for (i, _) in formula.iter().enumerate().filter(|(_, &f)| f) {
            ev.boilerplate[i] = true;
            ev.frequent[i] = true;
            ev.known[i] = true;
        }
        ev
    }

    /// As [`Evidence::gather`], without the 套话 lexicon, for a corpus too small for chance echoes
    /// longer than `min_run`.
    pub fn from_dfs(
        chars: &[char],
        shingles: &[Shingle],
        dfs: &[u32],
        bp_df: u32,
        min_run: usize,
    ) -> Evidence {
        let len = chars.len();
        let mut ev = Evidence {
            boilerplate: vec![false; len],
            known: vec![false; len],
            frequent: vec![false; len],
            solid: chars.iter().map(|&c| c != WILDCARD).collect(),
            held_once: Vec::new(),
            held_often: Vec::new(),
            chance_run: min_run,
        };
        for (s, &df) in shingles.iter().zip(dfs) {
            let r = s.start as usize..s.end as usize;
            if df <= 1 {
                ev.held_once.push(r.clone());
            } else {
                ev.held_often.push(r.clone());
            }
            if df > 0 {
                mark(&mut ev.known, r.clone());
            }
            if df >= bp_df {
                mark(&mut ev.frequent, r);
            }
        }
        let mut i = 0;
        while i < shingles.len() {
            if dfs[i] < bp_df {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < shingles.len() && dfs[j + 1] >= bp_df && shingles[j + 1].start < shingles[j].end {
                j += 1;
            }
            let stretch = shingles[i].start as usize..shingles[j].end as usize;
            if stretch.len() >= min_run {
                mark(&mut ev.boilerplate, stretch);
            }
            i = j + 1;
        }
        ev
    }

    /// True when a run is mostly 套话: most of the chars the corpus knows lie in long stretches of
    /// high-frequency shingles, or — for a short run — nearly all of its matched chars lie in
    /// high-frequency shingles (formulaic clauses side by side, each too short to be a stretch of
    /// its own). A long run of frequent pieces is a specific sequence of them: that is copying.
    pub fn run_is_boilerplate(&self, run: &Run, min_run: usize) -> bool {
        let n = self.known.len();
        let r = run.draft.start.min(n)..run.draft.end.min(n);
        let known = self.known[r.clone()].iter().filter(|&&k| k).count();
        let bp = self.boilerplate[r].iter().filter(|&&b| b).count();
        let frequent_matched: usize = run
            .pieces
            .iter()
            .map(|p| (p.start.min(n)..p.end.min(n)).filter(|&i| self.frequent[i] && self.solid[i]).count())
            .sum();
        (known > 0 && bp as f64 >= BOILERPLATE_RUN_SHARE * known as f64)
            || (run.matched < SHORT_RUN_FACTOR * min_run
                && run.matched > 0
                && frequent_matched as f64 >= BOILERPLATE_MATCHED_SHARE * run.matched as f64)
    }
}

impl Evidence {
    /// The longest stretch of a run's exact matches, in solid chars, that shingles only the source
    /// holds cover end to end. Two reports of a year share its formulas (「加快构建碳排放双控制度体系」)
    /// and, where one formula follows another, a few junction words; one writer copying another
    /// shares a stretch of wording that no third document holds.
    pub fn specific_stretch(&self, run: &Run) -> usize {
        let own = self.shared_by(run, &self.held_once);
        let (mut best, mut cur) = (0, 0);
        for (i, &o) in own.iter().enumerate() {
            if !o {
                cur = 0;
            } else if self.solid[i] {
                cur += 1;
                best = best.max(cur);
            }
        }
        best
    }

    /// The chars covered by those of `shingles` that lie wholly inside one of a run's exact
    /// matches, so that the source holds them too.
    fn shared_by(&self, run: &Run, shingles: &[Range<usize>]) -> Vec<bool> {
        let mut out = vec![false; self.solid.len()];
        for r in shingles {
            if run.pieces.iter().any(|p| p.start <= r.start && r.end <= p.end) {
                mark(&mut out, r.clone());
            }
        }
        out
    }

    /// A run that is evidence of copying on its own: an exact match of [`LONG_EXACT_FACTOR`] ×
    /// `min_run` chars, however many documents hold it; an exact match of
    /// [`Evidence::chance_run`] chars with a stretch of [`specific_run`] chars that only the source
    /// holds, or a fuzzy run twice as long, which a paraphrase leaves and a chance echo of common
    /// words does not — unless most of its matched chars are wording other documents share too
    /// (the opening formula of a five-year plan, 「根据中共…委关于制定…规划的建议，我们编制了…」,
    /// with each province's name in its slots).
    pub fn is_primary(&self, run: &Run, min_run: usize) -> bool {
        let often = self.shared_by(run, &self.held_often);
        let common = often.iter().zip(&self.solid).filter(|&(&o, &s)| o && s).count();
        let chance = self.chance_run.max(min_run);
        run.longest >= LONG_EXACT_FACTOR * min_run
            || (run.longest >= chance && self.specific_stretch(run) >= specific_run(min_run))
            || (run.matched >= FUZZY_RUN_FACTOR * chance
                && (common as f64) < FUZZY_MAX_COMMON_SHARE * run.matched as f64)
    }
}

fn mark(bits: &mut [bool], r: Range<usize>) {
    let end = r.end.min(bits.len());
    for b in &mut bits[r.start.min(end)..end] {
        *b = true;
    }
}

fn count_new(bits: &[bool], r: &Range<usize>) -> usize {
    bits[r.start.min(bits.len())..r.end.min(bits.len())].iter().filter(|&&b| !b).count()
}

/// Decides a paragraph of `len` significant chars from its runs with corpus paragraphs.
pub fn classify(len: usize, evidence: &Evidence, matches: &[Match], settings: &Settings) -> ParagraphVerdict {
    let min_run = settings.min_run.max(1);
    let (mut accepted, bp_runs) = accepted(evidence, matches, min_run);
    accepted.sort_by(|a, b| b.run.matched.cmp(&a.run.matched).then(a.source.cmp(&b.source)));

    // Coverage per source document.
    let mut per_doc: Vec<(u32, Vec<bool>)> = Vec::new();
    for m in &accepted {
        let slot = match per_doc.iter().position(|(d, _)| *d == m.source.doc) {
            Some(p) => p,
            None => {
                per_doc.push((m.source.doc, vec![false; len]));
                per_doc.len() - 1
            }
        };
        mark(&mut per_doc[slot].1, m.run.draft.clone());
    }
    let covered = |bits: &Vec<bool>| bits.iter().filter(|&&b| b).count();
    let best_doc =
        per_doc.iter().map(|(d, bits)| (*d, covered(bits))).max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));

    let mut reported = vec![false; len];
    let mut spans = Vec::new();
    let mut copied_by_doc: Vec<(u32, usize)> = Vec::new();
    let mut verdict = Verdict::Original;
    let mut source = None;
    let mut score = 0.0;
    let mut matched_chars = 0;
    let mut longest = None;

    if let Some((doc, cov)) = best_doc {
        let runs: Vec<&Match> = accepted.iter().copied().filter(|m| m.source.doc == doc).collect();
        score = if len == 0 { 0.0 } else { cov as f64 / len as f64 };
        matched_chars = cov;
        verdict = if score >= settings.copy_score { Verdict::Copy } else { Verdict::Partial };
        longest = runs.iter().map(|m| m.run.draft.clone()).max_by_key(|r| r.len());
        source = Some(best_para(&runs, len));
        let mut new_chars = 0;
        if verdict == Verdict::Copy {
            // A copied paragraph is one case per source paragraph, gaps between its runs included.
            // Each run claims its draft chars, longest first; a run whose chars are mostly claimed
            // by another source paragraph's run is an echo and does not stretch this one's span.
            let mut claimed = vec![false; len];
            let mut kept: Vec<&Match> = Vec::new();
            for m in &runs {
                let new = count_new(&claimed, &m.run.draft);
                if 2 * new > m.run.draft.len() || kept.iter().any(|k| k.source == m.source && 2 * new > 0) {
                    mark(&mut claimed, m.run.draft.clone());
                    kept.push(m);
                }
            }
            let mut paras: Vec<ParaRef> = kept.iter().map(|m| m.source).collect();
            paras.sort();
            paras.dedup();
            for p in paras {
                let of_para = kept.iter().filter(|m| m.source == p);
                let d0 = of_para.clone().map(|m| m.run.draft.start).min().unwrap_or(0);
                let d1 = of_para.clone().map(|m| m.run.draft.end).max().unwrap_or(0);
                let s0 = of_para.clone().map(|m| m.run.source.start).min().unwrap_or(0);
                let s1 = of_para.map(|m| m.run.source.end).max().unwrap_or(0);
                new_chars += count_new(&reported, &(d0..d1));
                mark(&mut reported, d0..d1);
                spans.push(SpanDecision {
                    source: p,
                    draft: d0..d1,
                    source_range: s0..s1,
                    kind: SpanKind::Copy,
                });
            }
        } else {
            for m in &runs {
                let new = count_new(&reported, &m.run.draft);
                if new > 0 {
                    new_chars += new;
                    mark(&mut reported, m.run.draft.clone());
                    spans.push(span(m, SpanKind::Copy));
                }
            }
        }
        copied_by_doc.push((doc, new_chars));
        // Runs from other documents that cover draft text the best source does not.
        for m in accepted.iter().filter(|m| m.source.doc != doc) {
            let new = count_new(&reported, &m.run.draft);
            if new >= min_run {
                mark(&mut reported, m.run.draft.clone());
                spans.push(span(m, SpanKind::Copy));
                match copied_by_doc.iter_mut().find(|(d, _)| *d == m.source.doc) {
                    Some(entry) => entry.1 += new,
                    None => copied_by_doc.push((m.source.doc, new)),
                }
            }
        }
    }

    // 套话 runs where nothing was copied.
    let mut bp_sorted = bp_runs;
    bp_sorted.sort_by(|a, b| b.run.matched.cmp(&a.run.matched).then(a.source.cmp(&b.source)));
    let mut bp_reported = reported.clone();
    let mut bp_spans: Vec<&Match> = Vec::new();
    for m in bp_sorted {
        if count_new(&bp_reported, &m.run.draft) >= min_run.min(DEFAULT_MIN_RUN) {
            mark(&mut bp_reported, m.run.draft.clone());
            spans.push(span(m, SpanKind::Boilerplate));
            bp_spans.push(m);
        }
    }
    let boilerplate_chars = (0..len)
        .filter(|&i| !reported[i] && (bp_reported[i] || evidence.boilerplate.get(i) == Some(&true)))
        .count();
    if verdict == Verdict::Original
        && len > 0
        && boilerplate_chars > 0
        && boilerplate_chars as f64 >= BOILERPLATE_PARAGRAPH_SHARE * len as f64
    {
        verdict = Verdict::Boilerplate;
        if let Some(m) = bp_spans.first() {
            source = Some(m.source);
            let cov = bp_spans.iter().filter(|o| o.source.doc == m.source.doc).fold(
                vec![false; len],
                |mut bits, o| {
                    mark(&mut bits, o.run.draft.clone());
                    bits
                },
            );
            matched_chars = cov.iter().filter(|&&b| b).count();
            score = matched_chars as f64 / len as f64;
            longest = Some(m.run.draft.clone());
        }
    }
    spans.sort_by_key(|s| (s.draft.start, s.draft.end));
    ParagraphVerdict {
        verdict,
        source,
        score,
        matched_chars,
        longest,
        spans,
        copied_by_doc,
        boilerplate_chars,
    }
}

/// Splits a paragraph's runs into those that count as copying and the 套话 runs. A pair of
/// paragraphs counts when one run reaches `min_run`; then its shorter runs support it. Runs that
/// are neither are chance echoes and fall in neither list.
pub fn accepted<'m>(
    evidence: &Evidence,
    matches: &'m [Match],
    min_run: usize,
) -> (Vec<&'m Match>, Vec<&'m Match>) {
    let support = crate::params::support_run(min_run);
    // A formula with the source's own figures in it is no formula.
    let figured = |m: &Match| m.figures >= FIGURE_MIN_DIGITS && m.run.matched + m.figures >= min_run;
    let (bp_runs, copy_runs): (Vec<&Match>, Vec<&Match>) =
        matches.iter().partition(|m| !figured(m) && evidence.run_is_boilerplate(&m.run, min_run));
    let primary = |m: &Match| figured(m) || evidence.is_primary(&m.run, min_run);
    let copies = copy_runs
        .iter()
        .copied()
        .filter(|m| {
            primary(m)
                || (m.run.matched >= support && copy_runs.iter().any(|o| o.source == m.source && primary(o)))
        })
        .collect();
    (copies, bp_runs)
}

/// A run long enough to be evidence on its own, whatever its words: an exact match of `min_run`
/// chars (the 13-char rule), or a fuzzy run twice as long. Near-duplicate paragraphs need one,
/// 套话 or not; a copy needs [`Evidence::is_primary`].
pub fn is_primary(run: &Run, min_run: usize) -> bool {
    run.longest >= min_run || run.matched >= FUZZY_RUN_FACTOR * min_run
}

fn span(m: &Match, kind: SpanKind) -> SpanDecision {
    SpanDecision { source: m.source, draft: m.run.draft.clone(), source_range: m.run.source.clone(), kind }
}

/// The source paragraph covering most of the draft paragraph.
fn best_para(runs: &[&Match], len: usize) -> ParaRef {
    let mut paras: Vec<ParaRef> = runs.iter().map(|m| m.source).collect();
    paras.sort();
    paras.dedup();
    paras
        .into_iter()
        .max_by_key(|p| {
            let mut bits = vec![false; len];
            for m in runs.iter().filter(|m| m.source == *p) {
                mark(&mut bits, m.run.draft.clone());
            }
            (bits.iter().filter(|&&b| b).count(), std::cmp::Reverse(*p))
        })
        .unwrap_or(ParaRef { doc: 0, para: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(doc: u32, para: u32, d: Range<usize>, s: Range<usize>, matched: usize) -> Match {
        let longest = matched;
        let pieces = vec![d.clone()];
        Match {
            source: ParaRef { doc, para },
            run: Run { draft: d, source: s, matched, longest, pieces },
            figures: 0,
        }
    }

    fn no_evidence(len: usize) -> Evidence {
        Evidence {
            boilerplate: vec![false; len],
            known: vec![true; len],
            frequent: vec![false; len],
            solid: vec![true; len],
            held_once: (0..len).map(|i| i..i + 1).collect(),
            held_often: Vec::new(),
            chance_run: 13,
        }
    }

    #[test]
    fn most_of_a_paragraph_from_one_source_is_copy() {
        let runs = [m(3, 7, 0..60, 10..70, 58), m(3, 7, 64..90, 74..100, 20), m(5, 1, 0..20, 0..20, 20)];
        let v = classify(100, &no_evidence(100), &runs, &Settings::default());
        assert_eq!(v.verdict, Verdict::Copy);
        assert_eq!(v.source, Some(ParaRef { doc: 3, para: 7 }));
        assert_eq!(v.matched_chars, 86);
        assert!((v.score - 0.86).abs() < 1e-9);
        // One span for the copied paragraph, bridging the gap between its runs.
        assert_eq!(v.spans.len(), 1);
        assert_eq!((v.spans[0].draft.clone(), v.spans[0].source_range.clone()), (0..90, 10..100));
        assert_eq!(v.copied_by_doc, vec![(3, 90)]);
    }

    #[test]
    fn a_short_run_is_partial_and_a_shorter_one_nothing() {
        let v = classify(100, &no_evidence(100), &[m(1, 0, 40..55, 5..20, 15)], &Settings::default());
        assert_eq!((v.verdict, v.matched_chars), (Verdict::Partial, 15));
        let v = classify(100, &no_evidence(100), &[m(1, 0, 40..52, 5..17, 12)], &Settings::default());
        assert_eq!(v.verdict, Verdict::Original);
        let lenient = Settings { min_run: 10, ..Settings::default() };
        let small_corpus = Evidence { chance_run: 10, ..no_evidence(100) };
        assert_eq!(
            classify(100, &small_corpus, &[m(1, 0, 40..52, 5..17, 12)], &lenient).verdict,
            Verdict::Partial
        );
    }

    #[test]
    fn a_large_corpus_needs_a_longer_run_than_a_small_one() {
        let run = [m(1, 0, 40..56, 5..21, 16)];
        let small = Evidence { chance_run: crate::params::chance_run(13, 60), ..no_evidence(100) };
        assert_eq!(classify(100, &small, &run, &Settings::default()).verdict, Verdict::Partial);
        // 2,700 independent documents (the shared benchmark at 50 MB): 18 chars.
        let large = Evidence { chance_run: crate::params::chance_run(13, 2700), ..no_evidence(100) };
        assert_eq!(large.chance_run, 18);
        assert_eq!(classify(100, &large, &run, &Settings::default()).verdict, Verdict::Original);
        let longer = [m(1, 0, 40..58, 5..23, 18)];
        assert_eq!(classify(100, &large, &longer, &Settings::default()).verdict, Verdict::Partial);
    }

    #[test]
    fn formula_is_boilerplate_not_copy() {
        let mut ev = no_evidence(40);
        mark(&mut ev.boilerplate, 0..30);
        mark(&mut ev.frequent, 0..30);
        let v = classify(40, &ev, &[m(2, 4, 0..30, 100..130, 30)], &Settings::default());
        assert_eq!(v.verdict, Verdict::Boilerplate);
        assert_eq!(v.source, Some(ParaRef { doc: 2, para: 4 }));
        assert_eq!(v.boilerplate_chars, 30);
        assert_eq!(v.spans[0].kind, SpanKind::Boilerplate);
        assert!(v.copied_by_doc.is_empty());
    }

    #[test]
    fn evidence_needs_a_long_stretch_of_frequent_shingles() {
        let sh = |s: u32, e: u32| Shingle { hash: 0, start: s, end: e };
        let shingles = [sh(0, 6), sh(2, 9), sh(5, 14), sh(9, 16), sh(14, 20)];
        let chars = ['字'; 20];
        let ev = Evidence::from_dfs(&chars, &shingles, &[9, 9, 9, 1, 0], 3, 13);
        assert_eq!(ev.boilerplate.iter().filter(|&&b| b).count(), 14);
        assert_eq!(ev.known.iter().filter(|&&b| b).count(), 16);
        let ev = Evidence::from_dfs(&chars, &shingles, &[9, 9, 1, 9, 0], 3, 13);
        assert!(!ev.boilerplate.iter().any(|&b| b), "two short stretches are not 套话");
    }
}
