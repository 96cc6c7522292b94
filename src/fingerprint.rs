//! What the index keeps of a paragraph: winnowed shingle hashes and a 64-bit SimHash.
//!
//! Winnowing (Schleimer, Wilkerson & Aiken 2003) keeps the minimum hash of every window of
//! [`WINNOW_WINDOW`] shingles: about 2 / (w + 1) of them, yet any run of w shingles shared by two
//! texts shares at least one kept hash. SimHash (Charikar 2002) folds a paragraph's shingles into 64
//! bits so that near-duplicate paragraphs differ in few bits; shingles are weighted by the chars
//! they cover, so a long specific phrase outweighs a particle.

use crate::params::WINNOW_WINDOW;
use crate::shingle::Shingle;

/// Fingerprints of one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphPrint {
    /// Winnowed shingle hashes, in text order, without repeats.
    pub winnowed: Vec<u64>,
    /// Weighted SimHash of all shingles.
    pub simhash: u64,
}

/// Fingerprints a paragraph from its shingles.
pub fn fingerprint(shingles: &[Shingle]) -> ParagraphPrint {
    let hashes: Vec<u64> = shingles.iter().map(|s| s.hash).collect();
    ParagraphPrint {
        winnowed: winnow(&hashes, WINNOW_WINDOW),
        simhash: simhash(shingles.iter().map(|s| (s.hash, s.end - s.start))),
    }
}

/// Robust winnowing: in each window of `w` hashes select the minimum (the rightmost one on ties)
/// and record it when it differs from the previous selection. Fewer than `w` hashes: their minimum.
pub fn winnow(hashes: &[u64], w: usize) -> Vec<u64> {
    let mut out = Vec::new();
    winnow_into(hashes, w, &mut out);
    out
}

/// [`winnow`] into `out` (cleared first), sorted and without repeats, for callers that reuse one
/// vector across paragraphs.
pub fn winnow_into(hashes: &[u64], w: usize, out: &mut Vec<u64>) {
    out.clear();
    let w = w.max(1);
    if hashes.is_empty() {
        return;
    }
    let mut last: Option<usize> = None;
    let windows = hashes.len().saturating_sub(w) + 1;
    for start in 0..windows {
        let end = (start + w).min(hashes.len());
        let mut best = start;
        for i in start..end {
            if hashes[i] <= hashes[best] {
                best = i;
            }
        }
        if last != Some(best) {
            out.push(hashes[best]);
            last = Some(best);
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// `BYTE_MASKS[b][j]` is all ones when bit `j` of `b` is set, else 0: SimHash adds a feature's
/// weight to eight bit counters at once by masking it, a byte of the hash at a time.
static BYTE_MASKS: [[u32; 8]; 256] = {
    let mut t = [[0u32; 8]; 256];
    let mut b = 0;
    while b < 256 {
        let mut j = 0;
        while j < 8 {
            if (b >> j) & 1 == 1 {
                t[b][j] = u32::MAX;
            }
            j += 1;
        }
        b += 1;
    }
    t
};

/// Weighted 64-bit SimHash: each feature adds its weight to the bit counters where its hash has a
/// 1 and subtracts it where it has a 0; the result has a 1 where the sum is positive.
pub fn simhash(features: impl Iterator<Item = (u64, u32)>) -> u64 {
    // Sum the weights of the features with each bit set, and the weights of all features; a bit
    // is set when its weighted ones outnumber its weighted zeros. Branch-free, so it vectorises.
    let mut ones = [0u32; 64];
    let mut total = 0u64;
    for (hash, weight) in features {
        total += u64::from(weight);
        for (k, acc) in ones.chunks_exact_mut(8).enumerate() {
            let mask = &BYTE_MASKS[(hash >> (8 * k)) as u8 as usize];
            for (a, m) in acc.iter_mut().zip(mask) {
                *a = a.wrapping_add(weight & m);
            }
        }
    }
    ones.iter()
        .enumerate()
        .filter(|(_, &o)| 2 * u64::from(o) > total)
        .fold(0u64, |h, (bit, _)| h | (1 << bit))
}

/// Number of differing bits.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{Hash, Hasher};

    #[test]
    fn winnowing_guarantee() {
        let a: Vec<u64> = (0..40u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7).collect();
        let kept = winnow(&a, 4);
        assert!(kept.len() < a.len() * 6 / 10, "keeps a fraction: {}", kept.len());
        // Any 4 consecutive hashes (shared with another text) contain a kept one.
        for win in a.windows(4) {
            assert!(win.iter().any(|h| kept.binary_search(h).is_ok()));
        }
        assert_eq!(winnow(&[5, 3], 4), vec![3]);
        assert!(winnow(&[], 4).is_empty());
    }

    /// The `simhash` crate, the user's choice, is the oracle: fed the crate's own feature hashes
    /// with weight 1, ours must give the crate's fingerprint bit for bit.
    #[test]
    fn agrees_with_the_simhash_crate() {
        let crate_hash = |w: &str| {
            let mut s = siphasher::sip::SipHasher::default();
            w.hash(&mut s);
            s.finish()
        };
        for text in
            ["The cat sat on the mat", "统筹 推进 五位一体 总体 布局 协调 推进 四个 全面 战略 布局", "a b a"]
        {
            let ours = simhash(text.split_whitespace().map(|w| (crate_hash(w), 1)));
            assert_eq!(ours, simhash::simhash(text), "{text}");
        }
        assert_eq!(simhash::simhash("The cat sat on the mat"), 2595200813813010837);
    }

    #[test]
    fn weights_count_and_near_duplicates_are_close() {
        assert_eq!(simhash([(u64::MAX, 1), (0, 2)].into_iter()), 0);
        assert_eq!(simhash([(u64::MAX, 3), (0, 2)].into_iter()), u64::MAX);
        let feats: Vec<(u64, u32)> =
            (0..60u64).map(|i| (xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes()), 4)).collect();
        let a = simhash(feats.iter().copied());
        let b = simhash(feats.iter().copied().take(58));
        assert!(hamming(a, b) <= 6, "{}", hamming(a, b));
        assert_eq!(hamming(0b1011, 0b0001), 2);
    }
}
