//! Words of the significant stream, by jieba-rs.
//!
//! One [`Jieba`] (0.15 s and 30 MB to load) serves every thread: it is `Sync`, and its scratch
//! space is thread-local. Words are hashed with XXH3-64 (seed 0), whose output is frozen by its
//! specification, so hashes written to an index mean the same on every machine and Rust version.

use crate::normalize::{Normalized, WILDCARD};
use jieba_rs::Jieba;
use xxhash_rust::xxh3::xxh3_64;

/// The hash every number and placeholder slot gets: any number matches any other number.
pub const WILDCARD_HASH: u64 = 0x9e37_79b9_7f4a_7c15;

/// A word: its hash and its range in the significant stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

/// Builds the word segmenter (once per process).
pub fn segmenter() -> Jieba {
    Jieba::new()
}

/// Cuts the significant chars into words. `buf` is reused between calls to avoid an allocation
/// per paragraph.
pub fn tokenize(jieba: &Jieba, norm: &Normalized, buf: &mut String) -> Vec<Token> {
    buf.clear();
    buf.extend(norm.chars.iter());
    let mut out = Vec::new();
    tokenize_into(jieba, buf, &mut out);
    out
}

/// Cuts `significant`, a paragraph's significant chars as one string, into words in `out`
/// (cleared first), so that a caller fingerprinting many paragraphs reuses one vector.
pub fn tokenize_into(jieba: &Jieba, significant: &str, out: &mut Vec<Token>) {
    out.clear();
    for t in jieba.cut(significant, false) {
        let token = Token { hash: word_hash(t.word), start: t.start as u32, end: t.end as u32 };
        // jieba cuts "##" into one token per char; a number is one word whatever its length.
        match out.last_mut() {
            Some(last) if last.hash == WILDCARD_HASH && token.hash == WILDCARD_HASH => last.end = token.end,
            _ => out.push(token),
        }
    }
}

/// Stable hash of a word; a word made only of wildcards (a number, a slot) hashes to
/// [`WILDCARD_HASH`] whatever its length.
pub fn word_hash(word: &str) -> u64 {
    // WILDCARD is ASCII, so a word of wildcards is a run of its byte.
    if word.bytes().all(|b| b == WILDCARD as u8) {
        WILDCARD_HASH
    } else {
        xxh3_64(word.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marks::MarkTable;
    use crate::normalize::normalize;

    fn words(jieba: &Jieba, text: &str) -> Vec<(u64, u32, u32)> {
        let norm = normalize(text, 0, &MarkTable::builtin().scan(text));
        tokenize(jieba, &norm, &mut String::new()).iter().map(|t| (t.hash, t.start, t.end)).collect()
    }

    #[test]
    fn numbers_and_slots_are_one_wildcard_word() {
        let jieba = segmenter();
        let a = words(&jieba, "全年共举行集体学习12次。");
        let b = words(&jieba, "全年共举行集体学习X次。");
        let hashes = |v: &[(u64, u32, u32)]| v.iter().map(|w| w.0).collect::<Vec<_>>();
        assert_eq!(hashes(&a), hashes(&b));
        assert!(a.iter().any(|w| w.0 == WILDCARD_HASH));
        assert_eq!(a.last().map(|w| w.2), Some(12), "offsets count significant chars");
        assert_eq!(b.last().map(|w| w.2), Some(11));
    }

    #[test]
    fn word_hash_is_the_xxh3_specification() {
        // XXH3-64 of "" with seed 0, from the xxHash specification's test vectors.
        assert_eq!(xxh3_64(b""), 0x2D06_8005_38D3_94C2);
        assert_eq!(word_hash("##"), WILDCARD_HASH);
        assert_eq!(word_hash("发展"), xxh3_64("发展".as_bytes()));
    }
}
