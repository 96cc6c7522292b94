//! A paragraph cut into the pieces a reviewer sees: copied runs, 套话 runs, template-site marks
//! (watermarks, paywall notices, web chrome, placeholders) and plain text. The terminal and the
//! HTML renderers only walk the pieces.

use crate::classify::SpanKind;
use crate::marks::MarkTable;
use crate::params::{REVIEW_MAX_CELLS, REVIEW_MIN_SAME};
use std::ops::Range;

/// A matched run, as spans.csv gives it: `id` is the span's number within its draft, the same on
/// the draft side and the source side, so the two can be linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTag {
    pub kind: SpanKind,
    pub id: usize,
}

/// A run to mark in one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSpec {
    /// Document char range.
    pub range: Range<usize>,
    pub tag: RunTag,
    /// Which chars of `range` are the same on the other side ([`same_chars`]); `None`: all.
    pub same: Option<Vec<bool>>,
}

/// A stretch of text with one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// The run it belongs to, if any.
    pub run: Option<RunTag>,
    /// Inside a run: whether these chars are the same on the other side (false: an edit, such as
    /// a changed number, inside a copied stretch).
    pub same: bool,
    /// The template-site finding(s) it is part of, as the flags column writes them.
    pub flag: Option<String>,
}

/// A paragraph's text in pieces, in order; joined, the pieces are the paragraph's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marked {
    pub pieces: Vec<Piece>,
}

/// Consecutive pieces of one run (or of no run).
pub struct Group<'a> {
    pub run: Option<RunTag>,
    pub pieces: &'a [Piece],
}

impl Marked {
    /// Cuts `text`, a paragraph starting at char `para_start` of its document, into pieces.
    /// Copy runs win over 套话 runs where they overlap, and earlier runs over later ones. Ranges
    /// are clipped to the paragraph.
    pub fn new(text: &str, para_start: usize, runs: &[RunSpec], marks: &MarkTable) -> Marked {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let mut run_at: Vec<Option<(RunTag, bool)>> = vec![None; n];
        for kind in [SpanKind::Copy, SpanKind::Boilerplate] {
            for r in runs.iter().filter(|r| r.tag.kind == kind) {
                // The run's chars inside the paragraph (a hand-edited CSV may say anything).
                let a = r.range.start.max(para_start);
                let b = r.range.end.min(para_start + n);
                for doc_off in a..b.max(a) {
                    let k = doc_off - r.range.start;
                    let same = r.same.as_ref().is_none_or(|m| m.get(k).copied().unwrap_or(true));
                    run_at[doc_off - para_start].get_or_insert((r.tag, same));
                }
            }
        }
        let flag_at = flag_labels(text, &chars, marks);
        let mut pieces: Vec<Piece> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let (run, same) = match run_at[i] {
                Some((t, same)) => (Some(t), same),
                None => (None, false),
            };
            match pieces.last_mut() {
                Some(p) if p.run == run && p.same == same && p.flag == flag_at[i] => p.text.push(c),
                _ => pieces.push(Piece { text: c.to_string(), run, same, flag: flag_at[i].clone() }),
            }
        }
        Marked { pieces }
    }

    /// The text without marks.
    pub fn plain(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    /// The pieces grouped by run.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut out: Vec<Group> = Vec::new();
        let mut start = 0;
        for i in 1..=self.pieces.len() {
            if i == self.pieces.len() || self.pieces[i].run != self.pieces[start].run {
                out.push(Group { run: self.pieces[start].run, pieces: &self.pieces[start..i] });
                start = i;
            }
        }
        out
    }

    /// The runs of `kind` (groups with a run of that kind).
    pub fn run_count(&self, kind: SpanKind) -> usize {
        self.groups().iter().filter(|g| g.run.is_some_and(|r| r.kind == kind)).count()
    }
}

/// Which chars of `a` and of `b`, the two sides of a matched run, are the same on the other side:
/// a longest common subsequence, keeping stretches of at least [`REVIEW_MIN_SAME`] chars. Full-width and
/// half-width forms and ASCII case count as the same; digits must be equal (a changed number is an
/// edit worth seeing). `None` when the run is too long to compare.
pub fn same_chars(a: &[char], b: &[char]) -> Option<(Vec<bool>, Vec<bool>)> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > REVIEW_MAX_CELLS {
        return None;
    }
    let fold = |c: char| {
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        c.to_ascii_lowercase()
    };
    let a: Vec<char> = a.iter().map(|&c| fold(c)).collect();
    let b: Vec<char> = b.iter().map(|&c| fold(c)).collect();
    // lcs[i][j]: LCS length of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] && lcs[i * w + j] == lcs[(i + 1) * w + j + 1] + 1 {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    let (mut sa, mut sb) = (vec![false; n], vec![false; m]);
    let mut k = 0;
    while k < pairs.len() {
        let mut e = k + 1;
        while e < pairs.len() && pairs[e] == (pairs[e - 1].0 + 1, pairs[e - 1].1 + 1) {
            e += 1;
        }
        if e - k >= REVIEW_MIN_SAME {
            for &(x, y) in &pairs[k..e] {
                sa[x] = true;
                sb[y] = true;
            }
        }
        k = e;
    }
    Some((sa, sb))
}

/// For each char, the findings covering it (overlapping findings merged, labels joined with `;`).
fn flag_labels(text: &str, chars: &[char], marks: &MarkTable) -> Vec<Option<String>> {
    let mut out = vec![None; chars.len()];
    let found = marks.locate(text);
    if found.is_empty() {
        return out;
    }
    // Byte offset → char index.
    let mut char_of = vec![0usize; text.len() + 1];
    for (i, (b, _)) in text.char_indices().enumerate() {
        char_of[b] = i;
    }
    char_of[text.len()] = chars.len();
    let mut merged: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    for (r, flag) in found {
        let r = char_of[r.start]..char_of[r.end];
        let label = flag.to_string();
        match merged.last_mut() {
            Some((last, labels)) if r.start < last.end => {
                last.end = last.end.max(r.end);
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
            _ => merged.push((r, vec![label])),
        }
    }
    for (r, labels) in merged {
        let label = labels.join(";");
        for slot in &mut out[r] {
            *slot = Some(label.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(kind: SpanKind, id: usize) -> RunTag {
        RunTag { kind, id }
    }

    fn spec(range: Range<usize>, kind: SpanKind, id: usize) -> RunSpec {
        RunSpec { range, tag: tag(kind, id), same: None }
    }

    fn show(m: &Marked) -> String {
        let mut out = String::new();
        for g in m.groups() {
            let (open, close) = match g.run.map(|r| r.kind) {
                Some(SpanKind::Copy) => ("【", "】"),
                Some(SpanKind::Boilerplate) => ("〔", "〕"),
                None => ("", ""),
            };
            out.push_str(open);
            for p in g.pieces {
                let text = if g.run.is_some() && !p.same { format!("({})", p.text) } else { p.text.clone() };
                match &p.flag {
                    Some(f) => out.push_str(&format!("〖{text}|{f}〗")),
                    None => out.push_str(&text),
                }
            }
            out.push_str(close);
        }
        out
    }

    #[test]
    fn runs_flags_and_overlaps() {
        let text = "甲乙丙丁戊己庚辛壬癸，召开会议X次。笔杆儿网www.bgzjy.cn";
        let runs = [
            spec(102..106, SpanKind::Boilerplate, 0),
            spec(104..108, SpanKind::Copy, 1),
            spec(112..117, SpanKind::Copy, 2),
        ];
        let m = Marked::new(text, 100, &runs, &MarkTable::builtin());
        assert_eq!(
            show(&m),
            "甲乙〔丙丁〕【戊己庚辛】壬癸，召【开会议〖X次|placeholder:X次〗】。\
             〖笔杆儿网www.bgzjy.cn|watermark:笔杆儿网〗"
        );
        assert_eq!(m.plain(), text);
        assert_eq!(m.run_count(SpanKind::Copy), 2);
        assert_eq!(m.run_count(SpanKind::Boilerplate), 1);
    }

    #[test]
    fn runs_outside_the_paragraph_are_clipped() {
        let runs = [spec(5..11, SpanKind::Copy, 0), spec(12..usize::MAX, SpanKind::Copy, 1)];
        let m = Marked::new("一二三", 10, &runs, &MarkTable::builtin());
        assert_eq!(show(&m), "【一】二【三】");
    }

    #[test]
    fn edits_inside_a_run_are_not_shown_as_the_same() {
        let draft: Vec<char> = "加快实施“十五五”规划，今年全县政府投资拟安排15亿元。".chars().collect();
        let source: Vec<char> = "加快实施“十四五”规划，今年中央预算内投资拟安排7000亿元。".chars().collect();
        let (a, b) = same_chars(&draft, &source).unwrap();
        let m = Marked::new(
            &draft.iter().collect::<String>(),
            0,
            &[RunSpec { range: 0..draft.len(), tag: tag(SpanKind::Copy, 0), same: Some(a) }],
            &MarkTable::builtin(),
        );
        assert_eq!(show(&m), "【加快实施“十(五)五”规划，今年(全县政府)投资拟安排(15)亿元。】");
        let m = Marked::new(
            &source.iter().collect::<String>(),
            0,
            &[RunSpec { range: 0..source.len(), tag: tag(SpanKind::Copy, 0), same: Some(b) }],
            &MarkTable::builtin(),
        );
        assert_eq!(show(&m), "【加快实施“十(四)五”规划，今年(中央预算内)投资拟安排(7000)亿元。】");
        // Full-width and half-width forms are the same text.
        let (a, _) =
            same_chars(&"（一）ABC".chars().collect::<Vec<_>>(), &"(一)abc".chars().collect::<Vec<_>>())
                .unwrap();
        assert!(a.iter().all(|&x| x));
        assert!(same_chars(&vec!['a'; 2000], &vec!['a'; 2000]).is_none());
    }
}
