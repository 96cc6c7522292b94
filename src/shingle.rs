//! Word shingles: every run of [`SHINGLE_WORDS`] consecutive words, hashed to a stable u64.

use crate::params::SHINGLE_WORDS;
use crate::tokenize::{Token, WILDCARD_HASH};
use xxhash_rust::xxh3::xxh3_64;

/// A shingle: its hash and its range in the significant stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shingle {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

/// The shingles of a paragraph's words. A paragraph shorter than one shingle gives one shingle of
/// all its words; shingles made only of wildcards (a list of numbers) carry no evidence and are left out.
pub fn shingles(tokens: &[Token]) -> Vec<Shingle> {
    let mut out = Vec::new();
    shingles_into(tokens, &mut out);
    out
}

/// [`shingles`] into `out` (cleared first), for callers that reuse one vector across paragraphs.
pub fn shingles_into(tokens: &[Token], out: &mut Vec<Shingle>) {
    out.clear();
    let k = SHINGLE_WORDS.min(tokens.len());
    if k == 0 {
        return;
    }
    out.extend(tokens.windows(k).filter(|w| w.iter().any(|t| t.hash != WILDCARD_HASH)).map(|w| Shingle {
        hash: shingle_hash(w),
        start: w[0].start,
        end: w[k - 1].end,
    }));
}

/// XXH3-64 of the words' hashes as little-endian bytes: stable, and independent of word lengths.
pub fn shingle_hash(words: &[Token]) -> u64 {
    let mut buf = [0u8; 8 * SHINGLE_WORDS];
    for (chunk, t) in buf.chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&t.hash.to_le_bytes());
    }
    xxh3_64(&buf[..8 * words.len().min(SHINGLE_WORDS)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(hash: u64, start: u32, end: u32) -> Token {
        Token { hash, start, end }
    }

    #[test]
    fn shingles_slide_over_words() {
        let t = [tok(1, 0, 2), tok(2, 2, 3), tok(3, 3, 5), tok(4, 5, 7)];
        let s = shingles(&t);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].start, s[0].end, s[1].start, s[1].end), (0, 5, 2, 7));
        assert_eq!(s[0].hash, shingle_hash(&t[0..3]));
        assert_ne!(s[0].hash, s[1].hash);
    }

    #[test]
    fn short_paragraphs_and_number_lists() {
        assert_eq!(shingles(&[tok(7, 0, 2)]).len(), 1);
        assert!(shingles(&[]).is_empty());
        let numbers = [tok(WILDCARD_HASH, 0, 2), tok(WILDCARD_HASH, 2, 4), tok(WILDCARD_HASH, 4, 5)];
        assert!(shingles(&numbers).is_empty());
    }

    #[test]
    fn hash_is_pinned() {
        // A changed value here means every stored index is unreadable: bump the index format.
        let t = [tok(1, 0, 1), tok(2, 1, 2), tok(3, 2, 3)];
        assert_eq!(
            shingle_hash(&t),
            xxh3_64(&[1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0])
        );
    }
}
