//! Figures a draft shares exactly with one source: evidence a formula lacks.
//!
//! Matching reads every digit as a wildcard, so that 「集体学习X次」 and 「集体学习12次」 line up and
//! a year's changed figures do not hide a recycled paragraph. But two reports that say
//! 「全市生产总值达到5.67万亿元、增长5.4%」 with the same figures share more than the formula
//! 「生产总值达到…万亿元、增长…」 every report of the year holds: figures are what one writer
//! copies from another and no independent writer repeats. Here the wildcards of a run's exact
//! pieces are read back as the digits they stand for; a digit counts when the draft and the source
//! hold the same one there and no other aligned document does (years, the same in every report of
//! a year, never count).

use crate::classify::Match;
use crate::normalize::{Normalized, WILDCARD};
use std::collections::HashMap;

/// A paragraph's normalized chars beside its original chars (`text[k]` is the char at document
/// offset `first + k`).
pub struct Side<'a> {
    pub norm: &'a Normalized,
    pub text: &'a [char],
    pub first: usize,
}

impl Side<'_> {
    /// The digit at significant char `i`, if it stands for one.
    fn digit(&self, i: usize) -> Option<u32> {
        let off = *self.norm.offsets.get(i)? as usize;
        let c = *self.text.get(off.checked_sub(self.first)?)?;
        match c {
            '0'..='9' => c.to_digit(10),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        }
    }

    /// Whether significant char `i` is part of a year (a four-digit 19xx/20xx group).
    fn in_year(&self, i: usize) -> bool {
        let is_digit = |k: usize| self.norm.chars.get(k) == Some(&WILDCARD) && self.digit(k).is_some();
        let (mut a, mut b) = (i, i + 1);
        while a > 0 && is_digit(a - 1) {
            a -= 1;
        }
        while is_digit(b) {
            b += 1;
        }
        if b - a != 4 {
            return false;
        }
        let year: u32 = (a..b).filter_map(|k| self.digit(k)).fold(0, |y, d| y * 10 + d);
        (1900..=2099).contains(&year)
    }
}

/// Draft positions of the digits that `m`'s exact pieces share with its source.
fn shared_digits(draft: &Side, source: &Side, m: &Match) -> Vec<usize> {
    let mut out = Vec::new();
    let mut cursor = m.run.source.start;
    for piece in &m.run.pieces {
        let want = &draft.norm.chars[piece.clone()];
        let end = m.run.source.end.min(source.norm.chars.len());
        let Some(at) = (cursor..end.saturating_sub(want.len() - 1).max(cursor))
            .find(|&s| source.norm.chars.get(s..s + want.len()) == Some(want))
        else {
            continue;
        };
        cursor = at + want.len();
        // A figure counts whole: every digit of the draft's digit group equal to the source's.
        let mut k = 0;
        while k < piece.len() {
            let i = piece.start + k;
            if draft.norm.chars[i] != WILDCARD {
                k += 1;
                continue;
            }
            let group = k..(k..piece.len())
                .find(|&j| draft.norm.chars[piece.start + j] != WILDCARD)
                .unwrap_or(piece.len());
            let same = group.clone().all(|j| {
                let d = draft.digit(piece.start + j);
                d.is_some() && d == source.digit(at + j)
            });
            if same && !draft.in_year(i) {
                out.extend(group.clone().map(|j| piece.start + j));
            }
            k = group.end;
        }
    }
    out
}

/// For each match, the digits it shares with its source that no other aligned document shares
/// at the same draft position. `source_of(k)` gives match `k`'s source side.
pub fn specific_figures<'s>(
    draft: &Side,
    matches: &[Match],
    source_of: impl Fn(usize) -> Side<'s>,
) -> Vec<usize> {
    let shared: Vec<Vec<usize>> =
        matches.iter().enumerate().map(|(k, m)| shared_digits(draft, &source_of(k), m)).collect();
    let mut docs_at: HashMap<usize, Vec<u32>> = HashMap::new();
    for (k, positions) in shared.iter().enumerate() {
        for &i in positions {
            let docs = docs_at.entry(i).or_default();
            if !docs.contains(&matches[k].source.doc) {
                docs.push(matches[k].source.doc);
            }
        }
    }
    shared.iter().map(|positions| positions.iter().filter(|i| docs_at[i].len() == 1).count()).collect()
}
