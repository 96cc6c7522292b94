//! What both index targets share: a stored index of the five seed texts of `corpus/seeds/` with
//! one of them removed since (so the index has a segment and a deletes file), a draft copied in
//! part from them, and the report of that draft against the index as written.

use chachong::analyze::Analyzer;
use chachong::check::{Checker, Corpus};
use chachong::index::store::{self, Progress, UpdateOptions};
use chachong::ingest::{document_from_bytes, Document};
use chachong::params::Settings;
use chachong::report::DraftReport;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static SEEDS: [(&str, &str); 5] = [
    ("000.txt", include_str!("../../corpus/seeds/000_9947b52c349c4fd4.txt")),
    ("001.txt", include_str!("../../corpus/seeds/001_440a4fa48f8209b1.txt")),
    ("002.txt", include_str!("../../corpus/seeds/002_a74691705c227c73.txt")),
    ("003.txt", include_str!("../../corpus/seeds/003_68c3191184ca8c9f.txt")),
    ("004.txt", include_str!("../../corpus/seeds/004_788ffb7d0e5f7190.txt")),
];

/// The first [`LINES`] lines of `text`.
fn first_lines(text: &str) -> String {
    text.lines().take(LINES).map(|l| format!("{l}\n")).collect()
}

const LINES: usize = 10;

pub struct Setup {
    pub analyzer: Analyzer,
    pub corpus_dir: PathBuf,
    /// The folder each input is written into as one of the index's files.
    pub trial_dir: PathBuf,
    /// The index's files as written: (name, bytes); the segment first, then the deletes file.
    pub files: Vec<(String, Vec<u8>)>,
    pub draft: Document,
    /// The draft's report against the index as written.
    pub baseline: DraftReport,
}

fn quiet() -> Progress<'static> {
    Progress { files_found: &|_| {}, tick: &|_| {}, say: &|_| {} }
}

pub fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        // Each input is written as a file; a RAM-backed folder keeps that cheap.
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let root = base.join(format!("chachong-fuzz-index-{}", std::process::id()));
        let corpus_dir = root.join("corpus");
        let index_dir = root.join("index");
        let trial_dir = root.join("trial");
        for d in [&corpus_dir, &index_dir, &trial_dir] {
            std::fs::create_dir_all(d).expect("temp folder");
        }
        // Their first lines only: a small index is written and read faster, so more inputs run.
        let texts: Vec<String> = SEEDS.iter().map(|(_, t)| first_lines(t)).collect();
        for ((name, _), text) in SEEDS.iter().zip(&texts) {
            std::fs::write(corpus_dir.join(name), text).expect("temp corpus file");
        }
        let analyzer = Analyzer::new();
        let opts = UpdateOptions::default();
        store::update(&index_dir, &corpus_dir, &|| &analyzer, opts, &quiet()).expect("index built");
        std::fs::remove_file(corpus_dir.join("002.txt")).expect("corpus file removed");
        store::update(&index_dir, &corpus_dir, &|| &analyzer, opts, &quiet()).expect("index updated");
        let mut files = Vec::new();
        for prefix in ["seg-", "del-"] {
            let entry = std::fs::read_dir(&index_dir)
                .expect("index folder")
                .flatten()
                .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
                .expect("a segment and a deletes file");
            let name = entry.file_name().to_string_lossy().into_owned();
            files.push((name, std::fs::read(entry.path()).expect("index file")));
        }
        std::fs::copy(index_dir.join("manifest"), trial_dir.join("manifest")).expect("manifest");
        // Two paragraphs copied whole, one edited, one of the draft's own.
        let long = |t: &'static String| t.lines().filter(|l| l.chars().count() > 30);
        let texts: &'static [String] = texts.leak();
        let lines: Vec<&str> = long(&texts[0]).take(2).collect();
        let edited: String = long(&texts[3]).nth(1).unwrap_or("").replace('的', "之");
        let text = format!("{}\n{}\n{edited}\n今年我们组织了三次下乡调研，走访农户一百二十户。\n", lines[0], lines[1]);
        let draft = document_from_bytes(Path::new("draft.txt"), text.as_bytes()).expect("draft");
        let index = store::open(&index_dir).expect("index opens").expect("an index");
        let corpus = Corpus::from_index(&corpus_dir, index);
        let baseline = check(&analyzer, &corpus, &draft);
        assert!(baseline.spans.len() >= 2, "the draft copies from the index: {baseline:?}");
        Setup { analyzer, corpus_dir, trial_dir, files, draft, baseline }
    })
}

pub fn check(analyzer: &Analyzer, corpus: &Corpus, draft: &Document) -> DraftReport {
    let checker = Checker { analyzer, corpus, settings: Settings::default() };
    checker.check("draft.txt", draft)
}

/// Writes `bytes` as index file `which` (0 the segment, 1 the deletes file), the other as written,
/// and opens the index and checks the draft against it: `None` when the index is refused.
pub fn trial(s: &Setup, which: usize, bytes: &[u8]) -> Option<(Corpus, DraftReport)> {
    for (i, (name, original)) in s.files.iter().enumerate() {
        let content = if i == which { bytes } else { original };
        std::fs::write(s.trial_dir.join(name), content).expect("trial file");
    }
    let index = store::open(&s.trial_dir).ok()??;
    let corpus = Corpus::from_index(&s.corpus_dir, index);
    let report = check(&s.analyzer, &corpus, &s.draft);
    Some((corpus, report))
}

/// Every offset of `report` lies inside its document, and every ratio in 0..1.
pub fn well_formed(s: &Setup, corpus: &Corpus, report: &DraftReport) {
    let total = s.draft.text.chars().count();
    assert_eq!(report.paragraphs.len(), s.draft.paragraphs.len());
    for row in &report.paragraphs {
        assert!(row.start <= row.end && row.end <= total);
        assert!((0.0..=1.0).contains(&row.score));
    }
    for span in &report.spans {
        assert!(span.start < span.end && span.end <= total, "{span:?}");
        let id = corpus.find(&span.source).expect("span source is a corpus document");
        let src = &corpus.doc(id).doc;
        assert!(span.source_end <= src.text.chars().count(), "{span:?}");
    }
    assert!((0.0..=1.0).contains(&report.summary.copied_ratio));
}
