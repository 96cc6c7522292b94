//! `clusters.csv`: groups of near-duplicate paragraphs across documents — the same paragraph
//! recycled in many speeches or reports.
//!
//! Groups are the connected components of verified pairs only: two paragraphs whose aligned runs
//! cover most of each. Closing over unverified retrieval candidates (a shared fingerprint, a near
//! SimHash) chains unrelated paragraphs through one common phrase, a known failure of other
//! deduplication tools.
//!
//! A group of headings, titles or datelines is `boilerplate`: their words recur by the genre's
//! form, not by copying. So is a group when `check` counts the shared text of most of its members
//! as 套话 (their verdict is `boilerplate`, or `original` because what matched is formula): a formula the
//! genre repeats year after year, like a report's opening or closing paragraph. Otherwise it is
//! `specific`: a passage whose recycling `check` counts as copying — provided the members share
//! some text that no document outside the cluster holds. A cluster whose every shared phrase recurs
//! in other documents too (the year's emission targets restated in report after report, a
//! nationality-policy formula in varying words) is one corner of a formula, not a passage recycled.

use super::dates::is_dateline;
use super::pairs::DocInfo;
#[cfg(doc)]
use super::rarity;
use crate::check::Checker;
use crate::classify::{SpanKind, Verdict};
use crate::index::ParaRef;
use crate::params::{
    boilerplate_min_df, BOILERPLATE_PARAGRAPH_SHARE, CLUSTER_EXCERPT_CHARS, EXCERPT_CHARS, FUZZY_RUN_FACTOR,
    HEADING_MAX_RUNS,
};
use crate::report::schema;
use crate::report::{DraftReport, ParagraphRow};
use crate::table::{Cell, Table, Term};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt;

/// Whether a cluster is formula or a specific recycled passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterKind {
    Boilerplate,
    Specific,
}

impl fmt::Display for ClusterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.term().en)
    }
}

/// One row of `clusters.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    /// 1-based, in the order of the file: most documents first.
    pub id: usize,
    pub paragraphs: usize,
    pub documents: usize,
    /// The document of the representative paragraph: the oldest by date.
    pub earliest: String,
    pub earliest_date: String,
    pub kind: ClusterKind,
    /// Significant chars of the representative paragraph.
    pub chars: usize,
    /// The representative paragraph's first chars.
    pub excerpt: String,
    /// Every member paragraph, in corpus order.
    pub members: Vec<Member>,
}

/// A paragraph of a cluster: one row of `cluster_members.csv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Member {
    pub document: String,
    /// 1-based, as in `paragraphs.csv`.
    pub para: usize,
    pub excerpt: String,
}

/// Two near-duplicate paragraphs, by global paragraph number, as the check of `a` found them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    /// The fewest other documents that hold `min_run` of the chars `a` matched with `b` (see
    /// [`rarity::fewest_holders`]): a cluster of more documents than that has text of its own.
    pub held_by: Option<u8>,
}

/// Union-find over dense indices, with path halving.
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Groups of global paragraph numbers connected by `edges`, each sorted, spanning two or more
/// documents.
pub fn components(edges: &[Edge], doc_of: impl Fn(u32) -> u32) -> Vec<Vec<u32>> {
    let mut nodes: Vec<u32> = edges.iter().flat_map(|e| [e.a, e.b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let at = |p: u32| nodes.binary_search(&p).unwrap_or_default();
    let mut sets = Sets((0..nodes.len()).collect());
    for e in edges {
        sets.union(at(e.a), at(e.b));
    }
    let mut groups: HashMap<usize, Vec<u32>> = HashMap::new();
    for (i, &p) in nodes.iter().enumerate() {
        groups.entry(sets.find(i)).or_default().push(p);
    }
    let mut out: Vec<Vec<u32>> = groups.into_values().filter(|g| distinct_docs(g, &doc_of) >= 2).collect();
    out.sort();
    out
}

/// Documents of a sorted group of global paragraph numbers (paragraphs of one document are
/// numbered consecutively).
fn distinct_docs(group: &[u32], doc_of: impl Fn(u32) -> u32) -> usize {
    let mut docs: Vec<u32> = group.iter().map(|&p| doc_of(p)).collect();
    docs.dedup();
    docs.len()
}

/// What the audit already knows that a cluster row needs.
pub struct ClusterInputs<'a> {
    /// The check report of each document by id; none for a reference corpus's documents.
    pub reports: &'a [Option<&'a DraftReport>],
    /// Significant chars of every corpus paragraph, by global paragraph number.
    pub lens: &'a [u32],
}

/// The clusters of the near-duplicate pairs `edges`.
pub fn clusters(
    checker: &Checker<'_>,
    edges: &[Edge],
    docs: &[DocInfo],
    info: &ClusterInputs<'_>,
) -> Vec<ClusterRow> {
    let index = &checker.corpus.index;
    let doc_of = |p: u32| index.locate(p).doc;
    let groups = components(edges, doc_of);
    let documents: Vec<usize> = groups.iter().map(|g| distinct_docs(g, doc_of)).collect();
    // Whether a cluster's members have text of their own: `min_run` chars that, by one of its
    // edges, no more documents hold than the cluster's others.
    let group_of: HashMap<u32, usize> =
        groups.iter().enumerate().flat_map(|(i, g)| g.iter().map(move |&p| (p, i))).collect();
    let mut own_text = vec![false; groups.len()];
    for e in edges {
        if let (Some(&g), Some(held_by)) = (group_of.get(&e.a), e.held_by) {
            own_text[g] |= (held_by as usize) < documents[g];
        }
    }
    let mut rows: Vec<ClusterRow> = groups
        .par_iter()
        .zip(&documents)
        .zip(&own_text)
        .map(|((g, &documents), &own)| describe(checker, g, documents, own, docs, info))
        .collect();
    rows.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then(b.paragraphs.cmp(&a.paragraphs))
            .then_with(|| a.members.cmp(&b.members))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.id = i + 1;
    }
    rows
}

/// Sort key of a document's date: oldest first, undated last, and within a year or month a known
/// day before an unknown one (a date known only to its year says nothing about which came first).
fn date_key(docs: &[DocInfo], doc: u32) -> (u16, u8, u8) {
    let known = |v: u8| if v == 0 { u8::MAX } else { v };
    docs[doc as usize]
        .date
        .map_or((u16::MAX, 0, 0), |d| (d.date.year, known(d.date.month), known(d.date.day)))
}

/// True when a paragraph opens with a section number: 「一、」「（五）」「(3)」「2.」「第三章」.
fn is_numbered(text: &str) -> bool {
    let numeral = |c: char| c.is_numeric() || "〇一二三四五六七八九十百".contains(c);
    let t = text.trim_start();
    let (bracketed, rest) = match t.strip_prefix(['（', '(']) {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('第').unwrap_or(t)),
    };
    let starts_with_numeral = rest.chars().next().is_some_and(numeral);
    let mark = rest.chars().find(|&c| !numeral(c));
    starts_with_numeral
        && match mark {
            Some('）' | ')') => bracketed,
            Some('、' | '.' | '．') => !bracketed,
            Some('章' | '节' | '部') => t.starts_with('第'),
            _ => false,
        }
}

/// Share of a paragraph's extent covered by its 套话 spans.
fn taohua_share(report: &DraftReport, p: &ParagraphRow) -> f64 {
    let mut runs: Vec<(usize, usize)> = report
        .spans
        .iter()
        .filter(|s| s.para == p.para && s.kind == SpanKind::Boilerplate)
        .map(|s| (s.start.max(p.start), s.end.min(p.end)))
        .filter(|(a, b)| a < b)
        .collect();
    runs.sort_unstable();
    let (mut covered, mut reach) = (0, p.start);
    for (a, b) in runs {
        covered += b.saturating_sub(a.max(reach));
        reach = reach.max(b);
    }
    if p.end > p.start {
        covered as f64 / (p.end - p.start) as f64
    } else {
        0.0
    }
}

/// One cluster's row: the paragraphs `group` of `documents` documents; `own_text` tells whether
/// they share text that no other document holds (see [`Edge::held_by`]).
fn describe(
    checker: &Checker<'_>,
    group: &[u32],
    documents: usize,
    own_text: bool,
    docs: &[DocInfo],
    info: &ClusterInputs<'_>,
) -> ClusterRow {
    let corpus = checker.corpus;
    let index = &corpus.index;
    let refs: Vec<ParaRef> = group.iter().map(|&p| index.locate(p)).collect();
    let rep = refs.iter().copied().min_by_key(|r| (date_key(docs, r.doc), *r)).unwrap_or(refs[0]);
    // Members of a reference corpus were not audited and have no verdict.
    let checked: Vec<(&DraftReport, &ParagraphRow)> = refs
        .iter()
        .filter_map(|r| {
            let report = info.reports.get(r.doc as usize).copied().flatten()?;
            Some((report, report.paragraphs.get(r.para as usize)?))
        })
        .collect();
    let copied =
        checked.iter().filter(|(_, p)| matches!(p.verdict, Verdict::Copy | Verdict::Partial)).count();
    // A report's guiding paragraph and the NPC resolution that restates it share long runs of
    // formulas, so each is `partial` of the other, yet most of each is 套话: a formula recycled.
    let taohua: f64 = checked.iter().map(|(report, p)| taohua_share(report, p)).sum();
    let mostly_taohua = !checked.is_empty() && taohua >= BOILERPLATE_PARAGRAPH_SHARE * checked.len() as f64;
    // A paragraph recycled in more documents than the 套话 threshold is a formula of the corpus,
    // as the check calls a shingle in that many documents, whatever the members' own verdicts
    // (each variant may match only one other variant closely).
    let widespread = documents > boilerplate_min_df(index.docs.saturating_sub(1)) as usize;
    // A paragraph too short to count as copying without an exact 13-char run twice over is a
    // heading, a title or a campaign's name; a numbered one may be a little longer
    // (「（五）继续深化改革开放，进一步完善有利于科学发展的体制机制」).
    let rep_doc = &corpus.doc(rep.doc).doc;
    let rep_para = &rep_doc.paragraphs[rep.para as usize];
    let text = &rep_doc.text[rep_para.byte_start..rep_para.byte_end];
    let chars = info.lens[index.global(rep) as usize] as usize;
    let min_run = checker.settings.min_run;
    let heading = chars < FUZZY_RUN_FACTOR * min_run
        || (chars < HEADING_MAX_RUNS * min_run && is_numbered(text) && !text.trim_end().ends_with('。'));
    // A dateline (`——2024年3月5日在第十四届全国人民代表大会第二次会议上`) shares the meeting's name
    // with the reports of the other sessions, whoever wrote them.
    let formula = heading || is_dateline(text);
    // Text the members share that other documents hold too is a formula's, not a passage's: a
    // recycled passage leaves at least one run of the 13-char rule that only the cluster has.
    let kind = if own_text && !widespread && !formula && !mostly_taohua && 2 * copied >= checked.len() {
        ClusterKind::Specific
    } else {
        ClusterKind::Boilerplate
    };
    ClusterRow {
        id: 0,
        paragraphs: refs.len(),
        documents,
        earliest: corpus.doc(rep.doc).name.clone(),
        earliest_date: docs[rep.doc as usize].date.map(|d| d.date.to_string()).unwrap_or_default(),
        kind,
        chars,
        excerpt: text.chars().take(CLUSTER_EXCERPT_CHARS).collect(),
        members: refs
            .iter()
            .map(|r| {
                let d = &corpus.doc(r.doc).doc;
                let p = &d.paragraphs[r.para as usize];
                Member {
                    document: corpus.doc(r.doc).name.clone(),
                    para: r.para as usize + 1,
                    excerpt: d.text[p.byte_start..p.byte_end].chars().take(EXCERPT_CHARS).collect(),
                }
            })
            .collect(),
    }
}

impl ClusterKind {
    /// The kind's names: a recycled passage is 特有 (specific to the cluster), a formula 套话.
    pub fn term(self) -> Term {
        match self {
            ClusterKind::Specific => schema::SPECIFIC,
            ClusterKind::Boilerplate => schema::verdict(crate::classify::Verdict::Boilerplate),
        }
    }
}

/// The table of `clusters.csv`.
pub fn table(rows: &[ClusterRow]) -> Table {
    let text = |s: &str| Cell::Text(s.to_string());
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Count(r.id),
                Cell::Count(r.paragraphs),
                Cell::Count(r.documents),
                text(&r.earliest),
                text(&r.earliest_date),
                Cell::Label(r.kind.term()),
                Cell::Count(r.chars),
                text(&r.excerpt),
            ]
        })
        .collect();
    Table { schema: &schema::CLUSTERS, rows }
}

/// The table of `cluster_members.csv`: one row per member paragraph, so that a cluster of
/// hundreds of paragraphs stays readable (and within a spreadsheet cell's limit).
pub fn members_table(rows: &[ClusterRow]) -> Table {
    let rows = rows
        .iter()
        .flat_map(|r| {
            r.members.iter().map(|m| {
                vec![
                    Cell::Count(r.id),
                    Cell::Text(m.document.clone()),
                    Cell::Count(m.para),
                    Cell::Text(m.excerpt.clone()),
                ]
            })
        })
        .collect();
    Table { schema: &schema::CLUSTER_MEMBERS, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_follow_verified_edges_only_and_span_documents() {
        // Paragraph p belongs to document p / 10.
        let edges = [(1, 11), (11, 21), (30, 40), (5, 6)].map(|(a, b)| Edge { a, b, held_by: None });
        let groups = components(&edges, |p| p / 10);
        assert_eq!(groups, vec![vec![1, 11, 21], vec![30, 40]]);
    }

    #[test]
    fn section_numbers_of_official_writing() {
        for heading in [
            "（五）继续深化改革开放，进一步完善有利于科学发展的体制机制",
            "一、“九五”时期国民经济和社会发展的回顾",
            "(3) 加强基层党组织建设",
            "2．强化科技创新",
            "第三章 总体要求",
            "第二部分",
        ] {
            assert!(is_numbered(heading), "{heading}");
        }
        for prose in
            ["一是要提高政治站位", "2024年是关键之年", "（一些地方）仍有差距", "第一次全体会议", "十分重要"]
        {
            assert!(!is_numbered(prose), "{prose}");
        }
    }
}
