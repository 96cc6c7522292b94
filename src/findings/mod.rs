//! What a copied 公文 gives away beyond its matched chars, found after classification from a
//! draft's report and the texts: another locality's names left in ([`names`]), an earlier
//! document recycled with its figures changed ([`recycled`]), and the same text in several drafts
//! of one batch ([`batch`]). Neither changes a verdict or a
//! ratio; each adds flags to paragraphs and columns to the document's row.

pub mod batch;
pub mod divisions;
pub mod names;
pub mod recycled;

use crate::classify::{SpanKind, Verdict};
use crate::corpus::Corpus;
use crate::ingest::Document;
use crate::marks::Flag;
use crate::report::DraftReport;
use names::{foreign_in, named_in, CopiedSpan, ForeignName, Locality};
use recycled::{Pair, Recycled};
use std::collections::HashMap;

/// What the findings need beyond the report.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The draft's own units or places (`--unit`): its locality, instead of inferring it.
    pub units: Vec<String>,
}

/// The findings on one draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// Place names of a source's locality left in the draft's copied text, in draft order.
    pub foreign: Vec<ForeignName>,
    /// The earlier document the draft is, with its figures changed.
    pub recycled: Option<Recycled>,
    /// Paragraphs with the same text as another draft's of the batch ([`batch`]).
    pub twins: Vec<batch::Twin>,
}

/// Adds the findings to `report`, the check of `draft` against `corpus`: into
/// [`DraftReport::findings`] and as paragraph and document flags.
pub fn annotate(report: &mut DraftReport, draft: &Document, corpus: &Corpus, opts: &Options) {
    let own = if opts.units.is_empty() {
        let own_text = |n: usize| {
            report
                .paragraphs
                .get(n)
                .is_some_and(|p| matches!(p.verdict, Verdict::Original | Verdict::Boilerplate))
        };
        Locality::infer(draft, own_text)
    } else {
        Locality::of_units(&opts.units)
    };
    let mut localities: HashMap<&str, (Locality, Vec<u32>)> = HashMap::new();
    let mut foreign: Vec<ForeignName> = Vec::new();
    let mut pairs: Vec<Pair<'_>> = Vec::new();
    // 套话 spans count for 旧稿翻新 (a report's targets paragraph is formula, its figures are not),
    // never for names.
    for s in &report.spans {
        let Some(id) = corpus.find(&s.source) else { continue };
        let source = &corpus.doc(id).doc;
        let (Some(text), Some(source_text)) =
            (char_range(draft, s.start, s.end), char_range(source, s.source_start, s.source_end))
        else {
            continue;
        };
        if s.source == report.summary.top_source {
            let copied = report.paragraphs.get(s.para.wrapping_sub(1)).is_some_and(|p| is_copied(p.verdict));
            pairs.push(Pair { para: s.para, copied, text, source_text });
        }
        if own.is_known() && s.kind == SpanKind::Copy {
            let (theirs, named) = localities.entry(s.source.as_str()).or_insert_with(|| {
                let theirs = Locality::infer(source, |_| true);
                let named = named_in(source, &theirs);
                (theirs, named)
            });
            let span = CopiedSpan {
                para: s.para,
                start: s.start,
                text,
                source: &s.source,
                source_start: s.source_start,
                source_text,
            };
            foreign.extend(foreign_in(&span, &own, theirs, named));
        }
    }
    foreign.sort_by_key(|f| (f.start, f.end));
    foreign.dedup_by(|a, b| a.start < b.end && b.start < a.end);
    let found = match corpus.find(&report.summary.top_source) {
        Some(id) => recycled::recycled(
            draft,
            &report.summary.top_source,
            &corpus.doc(id).doc,
            report.summary.top_source_ratio,
            &pairs,
        ),
        None => None,
    };
    let mut flags: Vec<(usize, Flag)> =
        foreign.iter().map(|f| (f.para, Flag::ForeignName(f.name.clone()))).collect();
    if let Some(r) = &found {
        flags.extend(r.paragraphs.iter().map(|&p| (p, Flag::Recycled(r.label()))));
    }
    for (para, flag) in flags {
        if let Some(row) = report.paragraphs.get_mut(para.wrapping_sub(1)) {
            row.flags.push(flag.clone());
            row.flags.sort();
            row.flags.dedup();
        }
        report.summary.flags.push(flag);
    }
    report.summary.flags.sort();
    report.summary.flags.dedup();
    report.findings.foreign = foreign;
    report.findings.recycled = found;
}

fn is_copied(v: Verdict) -> bool {
    matches!(v, Verdict::Copy | Verdict::Partial)
}

/// The text of document char range `start..end`, found from the paragraph holding `start`.
fn char_range(doc: &Document, start: usize, end: usize) -> Option<&str> {
    let k = doc.paragraphs.partition_point(|p| p.end <= start);
    let p = doc.paragraphs.get(k)?;
    let tail = doc.text.get(p.byte_start..)?;
    let mut bytes = tail.char_indices().map(|(b, _)| b).chain(std::iter::once(tail.len()));
    let b0 = bytes.nth(start.checked_sub(p.start)?)?;
    let b1 = if end > start { bytes.nth(end - start - 1)? } else { b0 };
    tail.get(b0..b1)
}
