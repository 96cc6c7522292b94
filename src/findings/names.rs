//! Another locality's names left in a copy: 「平乐指导安化」. A county's draft that copied a
//! neighbour's paragraph and kept the neighbour's townships gives itself away more plainly than
//! any ratio; the finding names each such place, where it is in the draft and in the source.
//!
//! A name is foreign when all of these hold: it lies in a copied span; the source's aligned text
//! holds it too (it was left in, not written in); it belongs to the source's locality (the source's
//! own place, what contains it or what it contains); and it does not belong to the draft's own
//! locality. A name the draft changed to its own is neither in the source's text nor foreign, so
//! such a paragraph stays a copy without the flag.

use super::divisions::{Gazetteer, Mention};
use crate::ingest::Document;
use crate::params::{LOCALITY_MIN_SHARE, LOCALITY_TITLE_PARAGRAPHS};
use std::collections::HashSet;

/// Where a document belongs: the divisions it is of (more than one while a name is ambiguous), and
/// unit names given as they are (安化县林业局), never flagged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locality {
    pub divisions: Vec<u32>,
    pub literal: Vec<String>,
}

impl Locality {
    /// The locality of the units given with `--unit`: each unit's most specific place name (湖南省安化县
    /// → 安化县), a name several divisions share narrowed to those near the other units' places.
    pub fn of_units(units: &[String]) -> Locality {
        let g = Gazetteer::get();
        let picks: Vec<Vec<u32>> = units
            .iter()
            .filter_map(|u| {
                let found = g.find(u);
                let level =
                    found.iter().flat_map(|m| m.divisions.iter()).map(|&d| g.division(d).level).max()?;
                found
                    .into_iter()
                    .map(|m| m.divisions)
                    .find(|ds| ds.iter().any(|&d| g.division(d).level == level))
            })
            .collect();
        let mut divisions = Vec::new();
        for (k, ds) in picks.iter().enumerate() {
            let near: Vec<u32> = ds
                .iter()
                .copied()
                .filter(|&d| {
                    picks
                        .iter()
                        .enumerate()
                        .any(|(j, o)| j != k && o.iter().any(|&e| g.division(d).related(g.division(e))))
                })
                .collect();
            divisions.extend(if near.is_empty() { ds.clone() } else { near });
        }
        divisions.sort_unstable();
        divisions.dedup();
        Locality { divisions, literal: units.to_vec() }
    }

    /// The locality a document is of: the most specific place its title names (the first
    /// paragraphs with text, and the file name), else the place that most of its place names lie
    /// in. `counts(n)` says whether paragraph `n` counts for the latter (a draft's own text, not
    /// what it copied). Empty when the document names no place.
    pub fn infer(doc: &Document, counts: impl Fn(usize) -> bool) -> Locality {
        let g = Gazetteer::get();
        let mut mentions: Vec<Mention> = Vec::new();
        let mut title: Vec<Mention> = Vec::new();
        let mut with_text = 0;
        for (n, p) in doc.paragraphs.iter().enumerate() {
            let text = &doc.text[p.byte_start..p.byte_end];
            let found = g.find(text);
            let is_title = with_text < LOCALITY_TITLE_PARAGRAPHS && text.chars().any(char::is_alphanumeric);
            if is_title {
                with_text += 1;
                title.extend(found.iter().cloned());
            }
            if counts(n) || is_title {
                mentions.extend(found);
            }
        }
        if let Some(stem) = doc.path.file_stem() {
            title.extend(g.find(&stem.to_string_lossy()));
        }
        let support = |d: u32| {
            mentions
                .iter()
                .filter(|m| m.divisions.iter().any(|&e| g.division(d).related(g.division(e))))
                .count()
        };
        let deepest = title.iter().flat_map(|m| m.divisions.iter()).map(|&d| g.division(d).level).max();
        let divisions = match deepest {
            Some(level) => {
                let candidates: Vec<u32> = title
                    .iter()
                    .flat_map(|m| m.divisions.iter().copied())
                    .filter(|&d| g.division(d).level == level)
                    .collect();
                let best = candidates.iter().map(|&d| support(d)).max().unwrap_or(0);
                let mut ds: Vec<u32> = candidates.into_iter().filter(|&d| support(d) == best).collect();
                ds.sort_unstable();
                ds.dedup();
                ds
            }
            None => centre(g, &mentions).into_iter().collect(),
        };
        Locality { divisions, literal: Vec::new() }
    }

    pub fn is_known(&self) -> bool {
        !self.divisions.is_empty() || !self.literal.is_empty()
    }

    /// Whether one of `divisions` (a name's) lies within this locality, contains it, or is it.
    pub fn holds(&self, divisions: &[u32]) -> bool {
        let g = Gazetteer::get();
        divisions.iter().any(|&d| self.divisions.iter().any(|&o| g.division(d).related(g.division(o))))
    }
}

/// The most specific division that at least [`LOCALITY_MIN_SHARE`] of the mentions lie in, a name
/// shared by k divisions counting 1/k for each.
fn centre(g: &Gazetteer, mentions: &[Mention]) -> Option<u32> {
    if mentions.is_empty() {
        return None;
    }
    let need = LOCALITY_MIN_SHARE * mentions.len() as f64;
    let mut chosen: Option<u32> = None;
    let mut prefix = String::new();
    for len in [2, 4, 6, 9] {
        let mut scores: Vec<(&str, f64)> = Vec::new();
        for m in mentions {
            let share = 1.0 / m.divisions.len() as f64;
            let mut seen: HashSet<&str> = HashSet::new();
            for &d in &m.divisions {
                let code = g.division(d).code.as_str();
                if code.len() >= len && code.starts_with(&prefix) && seen.insert(&code[..len]) {
                    match scores.iter_mut().find(|(c, _)| *c == &code[..len]) {
                        Some(s) => s.1 += share,
                        None => scores.push((&code[..len], share)),
                    }
                }
            }
        }
        let Some(&(code, score)) = scores.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0))) else {
            break;
        };
        if score < need {
            break;
        }
        prefix = code.to_string();
        if let Some(d) = g.by_code(code) {
            chosen = Some(d);
        }
    }
    chosen
}

/// A place name of the source's locality left in a draft's copied text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignName {
    /// The draft paragraph, 1-based.
    pub para: usize,
    /// Char offsets of the name in the draft.
    pub start: usize,
    pub end: usize,
    /// The name as written (博山区, or 淄川 for 淄川区).
    pub name: String,
    pub source: String,
    /// Char offsets of the same name in the source.
    pub source_start: usize,
    pub source_end: usize,
}

/// A copied span, its texts in the draft and in the source.
pub struct CopiedSpan<'a> {
    pub para: usize,
    /// Draft char offset of `text`'s first char.
    pub start: usize,
    pub text: &'a str,
    pub source: &'a str,
    pub source_start: usize,
    pub source_text: &'a str,
}

/// The foreign names in `span`, copied from a source document of locality `theirs` into a draft of
/// locality `own`; `named` are the divisions the source names in full anywhere, whose short forms
/// (淄川 for 淄川区) count in its copied text too.
pub fn foreign_in(
    span: &CopiedSpan<'_>,
    own: &Locality,
    theirs: &Locality,
    named: &[u32],
) -> Vec<ForeignName> {
    let g = Gazetteer::get();
    // A superior's text (the province's report in a county's draft) names places the draft shares.
    if !own.is_known() || theirs.divisions.is_empty() || own.holds(&theirs.divisions) {
        return Vec::new();
    }
    let mut mentions = g.find(span.text);
    let shorts: Vec<(&str, u32)> =
        named.iter().filter_map(|&d| g.division(d).short.as_deref().map(|s| (s, d))).collect();
    for (short, d) in shorts {
        for (b, _) in span.text.match_indices(short) {
            let start = span.text[..b].chars().count();
            let end = start + short.chars().count();
            if !mentions.iter().any(|m| m.start < end && start < m.end) {
                mentions.push(Mention { start, end, divisions: vec![d] });
            }
        }
    }
    mentions.sort_by_key(|m| m.start);
    let draft_chars: Vec<char> = span.text.chars().collect();
    let source_chars: Vec<char> = span.source_text.chars().collect();
    let mut out = Vec::new();
    for m in mentions {
        let name: String = draft_chars[m.start..m.end].iter().collect();
        if !theirs.holds(&m.divisions)
            || own.holds(&m.divisions)
            || own.literal.iter().any(|u| u.contains(&name))
        {
            continue;
        }
        // Left in: the source's copied text holds the name; the nearest occurrence to where the
        // draft has it is its counterpart.
        let Some(at) = nearest(&source_chars, &draft_chars[m.start..m.end], m.start) else { continue };
        out.push(ForeignName {
            para: span.para,
            start: span.start + m.start,
            end: span.start + m.end,
            name,
            source: span.source.to_string(),
            source_start: span.source_start + at,
            source_end: span.source_start + at + (m.end - m.start),
        });
    }
    out
}

/// The position in `hay` of the occurrence of `needle` closest to `near`.
fn nearest(hay: &[char], needle: &[char], near: usize) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| &hay[i..i + needle.len()] == needle)
        .min_by_key(|&i| i.abs_diff(near))
}

/// The divisions of `locality`'s tree that `doc` names in full: the places whose short forms count
/// in its text.
pub fn named_in(doc: &Document, locality: &Locality) -> Vec<u32> {
    let g = Gazetteer::get();
    let mut named: Vec<u32> =
        g.find(&doc.text).into_iter().flat_map(|m| m.divisions).filter(|&d| locality.holds(&[d])).collect();
    named.sort_unstable();
    named.dedup();
    named
}
