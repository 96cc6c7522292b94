//! Property tests of the invariants every report rests on: paragraphs tile the document; every
//! reported offset lies on a char boundary inside its document; an exact copy's spans have equal
//! draft and source texts after normalization.

mod common;

use chachong::analyze::Analyzer;
use chachong::check::{Checker, Corpus};
use chachong::classify::Verdict;
use chachong::ingest::{split_paragraphs_limited, Document};
use chachong::marks::MarkTable;
use chachong::normalize::normalize;
use chachong::params::Settings;
use common::analyzer;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Whitespace as chachong trims paragraphs (Python's `str.isspace`).
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Text made of the chars that matter to splitting: line ends, indents, spaces, sentence ends,
/// quotes, CJK, ASCII and a 4-byte char.
fn text_strategy() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'a', '1', ' ', '\n', '\r', '\t', '\u{3000}', '\u{a0}', '甲', '乙', '。', '！', '，', '；', '”', '𠀀',
    ]);
    prop::collection::vec(chars, 0..400).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(512) })]

    #[test]
    fn paragraphs_tile_the_document(text in text_strategy(), max in 1usize..60) {
        let paras = split_paragraphs_limited(&text, max);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut covered = vec![false; chars.len()];
        let mut prev_end = 0;
        for p in &paras {
            prop_assert!(text.is_char_boundary(p.byte_start) && text.is_char_boundary(p.byte_end));
            prop_assert!(p.start >= prev_end && p.start < p.end && p.end <= chars.len());
            prop_assert!(p.end - p.start <= max);
            prop_assert_eq!(chars[p.start].0, p.byte_start);
            prop_assert_eq!(chars.get(p.end).map_or(text.len(), |c| c.0), p.byte_end);
            let body = &text[p.byte_start..p.byte_end];
            prop_assert!(!body.contains('\n'));
            prop_assert!(!body.starts_with(is_space) && !body.ends_with(is_space));
            for c in covered.iter_mut().take(p.end).skip(p.start) {
                *c = true;
            }
            prev_end = p.end;
        }
        // Every char outside the paragraphs is whitespace: nothing of the text is lost.
        for (i, (_, c)) in chars.iter().enumerate() {
            prop_assert!(covered[i] || is_space(*c), "char {} {:?} lost", i, c);
        }
    }
}

/// Three seed texts of the shipped corpus, as a corpus of their own.
struct Small {
    _dir: tempfile::TempDir,
    corpus: Corpus,
    paragraphs: Vec<(String, String)>,
}

fn small() -> &'static Small {
    static S: OnceLock<Small> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tmp");
        let seeds = common::root().join("corpus/seeds");
        let mut paragraphs = Vec::new();
        for name in ["000_9947b52c349c4fd4.txt", "002_a74691705c227c73.txt", "003_68c3191184ca8c9f.txt"] {
            let text = std::fs::read_to_string(seeds.join(name)).expect("seed");
            std::fs::write(dir.path().join(name), &text).expect("copy");
            // Paragraphs long enough to be reported as copied when copied whole.
            for line in text.lines().map(str::trim).filter(|l| significant(l).chars().count() >= 30) {
                paragraphs.push((name.to_string(), line.to_string()));
            }
        }
        let (corpus, errors) = Corpus::load(dir.path(), analyzer(), &|_| {}, &|_| {}).expect("loads");
        assert!(errors.is_empty());
        Small { _dir: dir, corpus, paragraphs }
    })
}

fn draft(text: &str) -> Document {
    let paragraphs = chachong::ingest::split_paragraphs(text);
    Document { path: PathBuf::from("draft.txt"), text: text.to_string(), paragraphs }
}

fn significant(text: &str) -> String {
    normalize(text, 0, &MarkTable::builtin().scan(text)).chars.into_iter().collect()
}

fn char_range(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn checker(a: &'static Analyzer) -> Checker<'static> {
    Checker { analyzer: a, corpus: &small().corpus, settings: Settings::default() }
}

/// A draft assembled from corpus paragraphs (cut anywhere) and invented text.
fn mixed_draft() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<prop::sample::Index>())
                .prop_map(|(i, a, b)| {
                    let paras = &small().paragraphs;
                    let chars: Vec<char> = paras[i.index(paras.len())].1.chars().collect();
                    let (x, y) = (a.index(chars.len()), b.index(chars.len()));
                    chars[x.min(y)..x.max(y)].iter().collect::<String>()
                }),
            "[甲乙丙丁的了一是在 ，。\n\u{3000}0-9a-z]{0,40}",
        ],
        0..8,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(64) })]

    #[test]
    fn reported_offsets_lie_inside_their_documents(text in mixed_draft()) {
        let doc = draft(&text);
        let report = checker(analyzer()).check("draft.txt", &doc);
        let len = text.chars().count();
        prop_assert_eq!(report.paragraphs.len(), doc.paragraphs.len());
        for (row, p) in report.paragraphs.iter().zip(&doc.paragraphs) {
            prop_assert_eq!((row.start, row.end), (p.start, p.end));
            prop_assert!(text.is_char_boundary(p.byte_start) && text.is_char_boundary(p.byte_end));
        }
        for s in &report.spans {
            prop_assert!(s.start < s.end && s.end <= len, "{:?} in {} chars", s, len);
            let row = &report.paragraphs[s.para - 1];
            prop_assert!(row.start <= s.start && s.end <= row.end, "{:?} outside {:?}", s, (row.start, row.end));
            let corpus = &small().corpus;
            let src = &corpus.doc(corpus.find(&s.source).expect("source in corpus")).doc;
            prop_assert!(s.source_start < s.source_end && s.source_end <= src.text.chars().count());
            prop_assert!(src.paragraphs.iter().any(|p| p.start <= s.source_start && s.source_end <= p.end));
        }
    }

    #[test]
    fn an_exact_copy_has_equal_normalized_span_texts(i in any::<prop::sample::Index>(), before in "[甲乙丙 ]{0,5}") {
        let paras = &small().paragraphs;
        let (name, para) = &paras[i.index(paras.len())];
        let text = format!("{before}\n{para}\n");
        let report = checker(analyzer()).check("draft.txt", &draft(&text));
        let copied = report.paragraphs.iter().find(|r| r.excerpt == para.chars().take(40).collect::<String>());
        prop_assert!(copied.is_some_and(|r| r.verdict != Verdict::Original), "{:?}", copied);
        let corpus = &small().corpus;
        for s in report.spans.iter().filter(|s| &s.source == name) {
            let src = &corpus.doc(corpus.find(&s.source).expect("source")).doc;
            let d = significant(&char_range(&text, s.start, s.end));
            let o = significant(&char_range(&src.text, s.source_start, s.source_end));
            prop_assert_eq!(d, o);
        }
    }
}
