//! 套话 known in advance: a lexicon of the formulas of official writing.
//!
//! Document frequency tells 套话 from copying once the corpus is large. A small corpus (the
//! shipped demo, one office's own files) may hold “全心全意为人民服务的根本宗旨” in only two
//! documents, and a draft that uses it would be flagged as copying them. The lexicon
//! (`src/taohua.txt`, extensible) covers what every reader of the genre knows is formula.

use crate::ingest::{decode_text, Reason};
use crate::normalize::fold;
use aho_corasick::AhoCorasick;
use std::path::{Path, PathBuf};

/// The built-in lexicon, one phrase per line; `#` starts a comment line.
pub const BUILTIN: &str = include_str!("taohua.txt");

/// Why a user's lexicon file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{}: cannot read the 套话 lexicon: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {reason}", path.display())]
    Decode { path: PathBuf, reason: Reason },
    #[error("{}: bad 套话 lexicon: {source}", path.display())]
    Build { path: PathBuf, source: aho_corasick::BuildError },
}

/// A matcher for 套话 phrases over significant chars.
#[derive(Debug, Clone)]
pub struct Lexicon {
    matcher: AhoCorasick,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::from_lines(BUILTIN).expect("the built-in lexicon is valid")
    }

    /// The built-in lexicon and, when given, the phrases of a user's file (one per line, `#`
    /// comments; UTF-8, GBK or UTF-16 like any text document): an office's own formulas, or those
    /// of an era that a corpus holding one report a year is too small to show as frequent.
    pub fn load(file: Option<&Path>) -> Result<Lexicon, LexiconError> {
        let Some(path) = file else { return Ok(Lexicon::builtin()) };
        let path_buf = || path.to_path_buf();
        let bytes = std::fs::read(path).map_err(|source| LexiconError::Read { path: path_buf(), source })?;
        let text = decode_text(&bytes).map_err(|reason| LexiconError::Decode { path: path_buf(), reason })?;
        Lexicon::from_lines(&format!("{BUILTIN}\n{text}"))
            .map_err(|source| LexiconError::Build { path: path_buf(), source })
    }

    /// A lexicon from text, one phrase per line. Phrases are folded like the text they are
    /// matched against, so punctuation and width do not matter.
    pub fn from_lines(text: &str) -> Result<Lexicon, aho_corasick::BuildError> {
        let phrases: Vec<String> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| l.chars().filter_map(fold).collect::<String>())
            .filter(|p| p.chars().count() >= 2)
            .collect();
        let matcher = AhoCorasick::new(&phrases)?;
        Ok(Lexicon { matcher })
    }

    /// Marks the significant chars covered by a lexicon phrase.
    pub fn cover(&self, chars: &[char], covered: &mut [bool]) {
        let text: String = chars.iter().collect();
        let mut char_at = Vec::with_capacity(text.len() + 1);
        for (i, c) in chars.iter().enumerate() {
            char_at.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
        char_at.push(chars.len());
        for m in self.matcher.find_overlapping_iter(&text) {
            let n = covered.len();
            let (a, b) = (char_at[m.start()].min(n), char_at[m.end()].min(n));
            for c in &mut covered[a..b] {
                *c = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whatever_the_punctuation() {
        let lex = Lexicon::builtin();
        let chars: Vec<char> =
            "牢固树立全心全意为人民服务的根本宗旨统筹推进五位一体总体布局".chars().collect();
        let mut covered = vec![false; chars.len()];
        lex.cover(&chars, &mut covered);
        assert_eq!(covered.iter().filter(|&&c| c).count(), 14 + 12);
        assert!(!covered[0] && !covered[3] && covered[4]);
    }

    #[test]
    fn a_user_file_adds_to_the_builtin_lexicon_in_its_own_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("提法.txt");
        let (gbk, _, _) = encoding_rs::GBK.encode("# 本市的提法\n一网通办、一网统管\n");
        std::fs::write(&path, &gbk).unwrap();
        let lex = Lexicon::load(Some(&path)).unwrap();
        let chars: Vec<char> = "推进一网通办一网统管坚持稳中求进工作总基调".chars().collect();
        let mut covered = vec![false; chars.len()];
        lex.cover(&chars, &mut covered);
        assert_eq!(covered.iter().filter(|&&c| c).count(), 8 + 11, "the file's phrase and a built-in one");
        assert!(!covered[1] && covered[2]);

        let missing = Lexicon::load(Some(&dir.path().join("无.txt"))).unwrap_err();
        assert!(
            matches!(&missing, LexiconError::Read { path, .. } if path.ends_with("无.txt")),
            "{missing:?}"
        );
        assert!(missing.to_string().contains("无.txt: cannot read the 套话 lexicon"), "{missing}");
    }

    #[test]
    fn user_lexicons() {
        let lex = Lexicon::from_lines("# mine\n对标对表，\n甲\n").unwrap();
        let chars: Vec<char> = "要对标对表甲".chars().collect();
        let mut covered = vec![false; chars.len()];
        lex.cover(&chars, &mut covered);
        assert_eq!(covered, [false, true, true, true, true, false], "one-char phrases are ignored");
    }
}
