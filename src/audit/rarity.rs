//! How specific the text two documents share is to them: for each matched char, how many other
//! documents of the corpus hold it, by the document frequency of the rarest shingle around it that
//! the two share. Text only the two hold is evidence that one copied the other; text that others
//! hold too may come from a third, or be the phrasing of an era — the inverse document frequency
//! weighting of text-reuse tools.

use crate::shingle::Shingle;
use std::ops::Range;

/// For each of a paragraph's `len` significant chars, the number of other documents (`dfs`, the
/// checked document left out) holding the rarest of its covering shingles that lie wholly inside an
/// exact match with the source, `pieces` — so shared with it. A shingle reaching past a match into
/// the paragraph's own words says nothing of what the two share. `None` where no such shingle
/// covers the char (next to an edit, a number).
pub fn holders(len: usize, shingles: &[Shingle], dfs: &[u32], pieces: &[Range<usize>]) -> Vec<Option<u32>> {
    let mut rarest: Vec<Option<u32>> = vec![None; len];
    let inside = |s: &Shingle| pieces.iter().any(|p| p.start <= s.start as usize && s.end as usize <= p.end);
    for (s, &df) in shingles.iter().zip(dfs).filter(|(s, _)| inside(s)) {
        let end = (s.end as usize).min(len);
        for r in &mut rarest[(s.start as usize).min(end)..end] {
            // The source holds every shared shingle, whatever an index without it says.
            *r = Some(r.map_or(df.max(1), |r| r.min(df.max(1))));
        }
    }
    rarest
}

/// The chars of `ranges` (a union: overlaps count once), each weighing 1 over its number of
/// [`holders`]: a char only the source also holds weighs 1, one that two more documents hold ⅓.
/// A char of unknown holders weighs 1: without a shared shingle around it (a lightly edited copy
/// has many) nothing says other documents hold it.
pub fn weight(ranges: &[Range<usize>], holders: &[Option<u32>]) -> f64 {
    covered(ranges, holders.len()).map(|i| holders[i].map_or(1.0, |h| 1.0 / h as f64)).sum()
}

/// The fewest other documents known to hold `chars` of the chars of `ranges` (a union): the
/// `chars`-th smallest of their [`holders`]; `None` when fewer chars have known holders.
pub fn fewest_holders(ranges: &[Range<usize>], holders: &[Option<u32>], chars: usize) -> Option<u32> {
    let mut known: Vec<u32> = covered(ranges, holders.len()).filter_map(|i| holders[i]).collect();
    let nth = chars.max(1) - 1;
    (nth < known.len()).then(|| *known.select_nth_unstable(nth).1)
}

/// The positions in the union of `ranges`, clipped to `len`, in order.
fn covered(ranges: &[Range<usize>], len: usize) -> impl Iterator<Item = usize> {
    let mut inside = vec![false; len];
    for r in ranges {
        let end = r.end.min(len);
        inside[r.start.min(end)..end].fill(true);
    }
    inside.into_iter().enumerate().filter(|&(_, c)| c).map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_char_is_held_as_rarely_as_its_rarest_shared_shingle() {
        let s = |start, end| Shingle { hash: 0, start, end };
        // Exact matches 0..6 and 8..10. Chars 0..4 only in the source; 2..6 also in two other
        // documents; 4..8 reaches past the match (no evidence); 8..10 held by no other document.
        let shingles = [s(0, 4), s(2, 6), s(4, 8), s(8, 10)];
        let h = holders(11, &shingles, &[1, 3, 1, 0], &[0..6, 8..10]);
        let (one, three) = (Some(1), Some(3));
        assert_eq!(h, vec![one, one, one, one, three, three, None, None, one, one, None]);
        let ranges = [0..2, 1..3, 4..5, 6..7, 9..20];
        assert_eq!(weight(&ranges, &h), 3.0 + 1.0 / 3.0 + 1.0 + 2.0);
        // Known holders of the chars in `ranges`: 1, 1, 1, 3, 1.
        assert_eq!(fewest_holders(&ranges, &h, 4), Some(1));
        assert_eq!(fewest_holders(&ranges, &h, 5), Some(3));
        assert_eq!(fewest_holders(&ranges, &h, 6), None);
    }
}
