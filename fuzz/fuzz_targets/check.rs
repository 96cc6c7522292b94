//! The whole check pipeline on a fuzzed draft against a small corpus (three seed texts of the
//! repository's corpus). Every offset in the report must lie inside its document.
#![no_main]

use chachong::analyze::Analyzer;
use chachong::check::{Checker, Corpus};
use chachong::ingest::document_from_bytes;
use chachong::params::Settings;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static SEEDS: [(&str, &str); 3] = [
    ("000.txt", include_str!("../../corpus/seeds/000_9947b52c349c4fd4.txt")),
    ("001.txt", include_str!("../../corpus/seeds/001_440a4fa48f8209b1.txt")),
    ("003.txt", include_str!("../../corpus/seeds/003_68c3191184ca8c9f.txt")),
];

struct Setup {
    analyzer: Analyzer,
    corpus: Corpus,
}

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("chachong-fuzz-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp corpus folder");
        for (name, text) in SEEDS {
            std::fs::write(dir.join(name), text).expect("temp corpus file");
        }
        let analyzer = Analyzer::new();
        let (corpus, errors) = Corpus::load(&dir, &analyzer, &|_| {}, &|_| {}).expect("corpus loads");
        assert!(errors.is_empty());
        Setup { analyzer, corpus }
    })
}

fuzz_target!(|data: &[u8]| {
    // Dependency panics are caught by chachong and reported as damaged files; only a panic in
    // chachong's own code (or one that escapes) is a crash.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(chachong::ingest::quiet_dependency_panics);
    let s = setup();
    let Ok(doc) = document_from_bytes(Path::new("draft.txt"), data) else { return };
    let checker = Checker { analyzer: &s.analyzer, corpus: &s.corpus, settings: Settings::default() };
    let report = checker.check("draft.txt", &doc);
    let total = doc.text.chars().count();
    assert_eq!(report.paragraphs.len(), doc.paragraphs.len());
    for row in &report.paragraphs {
        assert!(row.start <= row.end && row.end <= total);
        assert!((0.0..=1.0).contains(&row.score));
    }
    for span in &report.spans {
        assert!(span.start < span.end && span.end <= total, "{span:?}");
        let id = s.corpus.find(&span.source).expect("span source is a corpus document");
        let src = &s.corpus.doc(id).doc;
        assert!(span.source_start < span.source_end && span.source_end <= src.text.chars().count());
    }
    assert!((0.0..=1.0).contains(&report.summary.copied_ratio));
});
