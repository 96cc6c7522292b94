//! The significant-char stream of a paragraph, with a map back to the original text.
//!
//! Matching compares what a reader would call the same text: full-width and half-width forms
//! (`，` / `,`, `（一）` / `(一)`, `１２` / `12`) fold together by NFKC, ASCII case folds, and
//! whitespace, punctuation and template-site marks drop out. Digits and placeholder slots become
//! one wildcard char, so “集体学习X次” and “集体学习12次” line up. Every kept char remembers its
//! offset in the document, so reports point at the real text. Optionally, traditional chars fold
//! to simplified ones (萬→万), char for char, so offsets stay exact.

use crate::marks::Marks;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// Stands for any digit or placeholder slot in the significant stream.
pub const WILDCARD: char = '#';

/// The significant chars of one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// Folded significant chars.
    pub chars: Vec<char>,
    /// `offsets[i]` is the char offset, in the whole document, of the char `chars[i]` came from.
    pub offsets: Vec<u32>,
}

impl Normalized {
    /// Number of significant chars.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// True when the paragraph has no significant chars.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Document char range of the significant chars `range` (end exclusive).
    pub fn doc_range(&self, range: Range<usize>) -> Range<usize> {
        if range.is_empty() || range.end > self.offsets.len() {
            return 0..0;
        }
        self.offsets[range.start] as usize..self.offsets[range.end - 1] as usize + 1
    }
}

/// Folds one char to its significant form, or `None` when it is not significant (whitespace,
/// punctuation, symbols). Significant means a letter or a number, as Unicode defines them.
pub fn fold(c: char) -> Option<char> {
    match c {
        '\u{4e00}'..='\u{9fff}' => Some(c),
        '0'..='9' => Some(WILDCARD),
        'a'..='z' => Some(c),
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        _ if c.is_ascii() => None,
        // Full-width ASCII (，（）１Ａ) is what NFKC makes of it: the ASCII char.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).and_then(fold),
        // CJK and general punctuation (。、“”《》——…), the common case after Han chars.
        '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{3006}' | '\u{3008}'..='\u{3020}' => None,
        _ if !c.is_alphanumeric() => None,
        _ => {
            let f = c.nfkc().next()?;
            if f.is_ascii_digit() || (c.is_numeric() && !is_han_numeral(c)) {
                Some(WILDCARD)
            } else {
                f.to_lowercase().next()
            }
        }
    }
}

/// 〇 and the like are numbers to Unicode but words to a reader (二〇二四年).
fn is_han_numeral(c: char) -> bool {
    matches!(c, '〇' | '\u{3021}'..='\u{3029}' | '\u{3038}'..='\u{303a}')
}

/// The simplified form of a traditional Chinese char (OpenCC's single-char table), else `c`.
pub fn to_simplified(c: char) -> char {
    match crate::t2s_table::T2S.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(i) => crate::t2s_table::T2S[i].1,
        Err(_) => c,
    }
}

/// Significant chars of `text`, a paragraph that starts at char `char_start` of its document, with
/// the marks' noise left out and their slots turned into wildcards.
pub fn normalize(text: &str, char_start: usize, marks: &Marks) -> Normalized {
    normalize_with(text, char_start, marks, false)
}

/// [`normalize`], also folding traditional chars to simplified ones when `fold_traditional`.
pub fn normalize_with(text: &str, char_start: usize, marks: &Marks, fold_traditional: bool) -> Normalized {
    let mut out = Normalized {
        chars: Vec::with_capacity(text.len() / 3 + 1),
        offsets: Vec::with_capacity(text.len() / 3 + 1),
    };
    each_significant(text, marks, fold_traditional, |n, f| {
        out.chars.push(f);
        out.offsets.push((char_start + n) as u32);
    });
    out
}

/// The significant chars of [`normalize_with`] alone, into `out` (cleared first): what indexing
/// needs, without the offsets and without allocating per paragraph.
pub fn significant_into(text: &str, marks: &Marks, fold_traditional: bool, out: &mut String) {
    out.clear();
    each_significant(text, marks, fold_traditional, |_, f| out.push(f));
}

/// Calls `emit(n, folded)` for each significant char of `text`, `n` being its char index in `text`.
fn each_significant(text: &str, marks: &Marks, fold_traditional: bool, mut emit: impl FnMut(usize, char)) {
    let mut noise = marks.noise.iter().peekable();
    let mut slots = marks.slots.iter().peekable();
    for (n, (b, c)) in text.char_indices().enumerate() {
        while noise.next_if(|r| r.end <= b).is_some() {}
        if noise.peek().is_some_and(|r| r.start <= b) {
            continue;
        }
        while slots.next_if(|r| r.end <= b).is_some() {}
        let folded = if slots.peek().is_some_and(|r| r.start <= b) { Some(WILDCARD) } else { fold(c) };
        let folded = if fold_traditional { folded.map(to_simplified) } else { folded };
        if let Some(f) = folded {
            emit(n, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marks::MarkTable;

    fn sig(text: &str) -> String {
        normalize(text, 0, &MarkTable::builtin().scan(text)).chars.into_iter().collect()
    }

    #[test]
    fn width_case_and_punctuation_fold() {
        assert_eq!(sig("（一）ＡＢｃ，Ab！"), "一abcab");
        assert_eq!(sig("(一)ABc,Ab!"), "一abcab");
        assert_eq!(sig("　　同志们：\u{a0}今天"), "同志们今天");
    }

    #[test]
    fn digits_and_slots_are_wildcards() {
        assert_eq!(sig("集体学习12次"), "集体学习##次");
        assert_eq!(sig("集体学习X次"), "集体学习#次");
        assert_eq!(sig("２０２４年①"), "####年#");
        assert_eq!(sig("二〇二四年"), "二〇二四年");
    }

    #[test]
    fn watermarks_are_masked_and_offsets_map_back() {
        let text = "精神笔杆儿网www.bgzjy.cn，学习";
        let n = normalize(text, 100, &MarkTable::builtin().scan(text));
        assert_eq!(n.chars.iter().collect::<String>(), "精神学习");
        assert_eq!(n.offsets, vec![100, 101, 119, 120]);
        assert_eq!(n.doc_range(1..3), 101..120);
    }

    #[test]
    fn traditional_folds_to_simplified_char_for_char() {
        let text = "堅持黨的領導，２０２４年";
        let marks = MarkTable::builtin().scan(text);
        let folded = normalize_with(text, 7, &marks, true);
        assert_eq!(folded.chars.iter().collect::<String>(), "坚持党的领导####年");
        assert_eq!(folded.offsets, normalize(text, 7, &marks).offsets);
        assert_eq!(normalize(text, 0, &marks).chars.iter().collect::<String>(), "堅持黨的領導####年");
        // The table is sorted (binary search) and maps each char to one other char.
        assert!(crate::t2s_table::T2S.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(to_simplified('萬'), '万');
        assert_eq!(to_simplified('万'), '万');
    }
}
