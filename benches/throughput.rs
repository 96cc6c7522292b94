//! Corpus fingerprinting throughput next to raw jieba-rs segmentation, measured in the same run.
//!
//!     cargo bench --bench throughput -- ../shared/data
//!
//! Prints MB/s (UTF-8 bytes of document text per second) for: reading the files; raw
//! `Jieba::cut(hmm = false)` over every paragraph (the bound); the fingerprint stages (marks,
//! normalize, tokenize, shingle, fingerprint) over every paragraph; the index build, in memory and
//! as a stored segment; checking every 50th document as a draft (query, align, classify); and
//! jieba's dictionary load. Each timed pass runs on rayon's pool over documents, as `chachong
//! check` does. Best of `RUNS`, wall time and CPU time (user + system, both threads).

use chachong::analyze::Analyzer;
use chachong::check::Checker;
use chachong::corpus::{corpus_files, read_corpus, Corpus, CorpusDoc};
use chachong::index::build::{segment_words, FileMeta, SegmentDoc, StoredText};
use chachong::index::segment::Stamp;
use chachong::index::{fingerprint_document, DocPrints, Index};
use chachong::params::Settings;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

const RUNS: usize = 3;

/// Best wall time and best CPU time (user + system, all threads) of `RUNS` runs, and the output.
/// On a machine shared with other work the CPU time is the steadier figure.
fn best_of<T>(mut f: impl FnMut() -> T) -> ((f64, f64), T) {
    let (mut best, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    let mut last = None;
    for _ in 0..RUNS {
        let (t, c) = (Instant::now(), cpu_seconds());
        let out = f();
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - c);
        last = Some(out);
    }
    ((best, best_cpu), last.expect("RUNS > 0"))
}

/// CPU seconds this process has used, from /proc/self/stat (utime + stime, in USER_HZ = 100
/// ticks); NaN where there is no /proc.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    match (
        fields.get(11).and_then(|u| u.parse::<f64>().ok()),
        fields.get(12).and_then(|s| s.parse::<f64>().ok()),
    ) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

fn main() {
    let root: PathBuf = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("corpus"));
    let files = match corpus_files(&root) {
        Ok(w) => w.files,
        Err(e) => {
            eprintln!("throughput: {e}\nusage: cargo bench --bench throughput -- CORPUS_DIR");
            std::process::exit(2);
        }
    };
    let (read_s, (docs, errors)) = best_of(|| read_corpus(&root, &files, &|_| {}));
    let bytes: usize = docs.iter().map(|d| d.doc.text.len()).sum();
    let paras: usize = docs.iter().map(|d| d.doc.paragraphs.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus {}: {} documents ({} unreadable), {} paragraphs, {:.1} MB; {} threads",
        root.display(),
        docs.len(),
        errors.len(),
        paras,
        mb,
        rayon::current_num_threads()
    );
    let (load_s, analyzer) = best_of(Analyzer::new);
    let (jieba_s, words) = best_of(|| {
        docs.par_iter()
            .map(|d| {
                d.doc
                    .paragraphs
                    .iter()
                    .map(|p| analyzer.jieba.cut(&d.doc.text[p.byte_start..p.byte_end], false).len())
                    .sum::<usize>()
            })
            .sum::<usize>()
    });
    let sig: Vec<String> = docs
        .par_iter()
        .map(|d| {
            let mut s = String::new();
            for p in &d.doc.paragraphs {
                s.extend(analyzer.normalize(&d.doc, p).1.chars.iter());
                s.push('\n');
            }
            s
        })
        .collect();
    let (sig_s, _) = best_of(|| {
        sig.par_iter()
            .map(|s| s.split('\n').map(|p| analyzer.jieba.cut(p, false).len()).sum::<usize>())
            .sum::<usize>()
    });
    let (norm_s, _) = best_of(|| {
        docs.par_iter()
            .map(|d| d.doc.paragraphs.iter().map(|p| analyzer.normalize(&d.doc, p).1.len()).sum::<usize>())
            .sum::<usize>()
    });
    let (fp_s, prints) =
        best_of(|| docs.par_iter().map(|d| fingerprint_document(&analyzer, d)).collect::<Vec<_>>());
    let (index_s, index) =
        best_of(|| Index::build(docs.iter().zip(&prints).map(|(d, p)| segment_doc(d, p, false)).collect()));
    let (stored_s, segment) = best_of(|| {
        let seg: Vec<SegmentDoc> = docs.iter().zip(&prints).map(|(d, p)| segment_doc(d, p, true)).collect();
        segment_words(&seg, Stamp::default())
    });
    // Query + align + classify: every 50th corpus document checked as a draft against the corpus.
    let corpus = match Corpus::load(&root, &analyzer, &|_| {}, &|_| {}) {
        Ok((c, _)) => c,
        Err(e) => {
            eprintln!("throughput: {e}");
            std::process::exit(2);
        }
    };
    let checker = Checker { analyzer: &analyzer, corpus: &corpus, settings: Settings::default() };
    let sample: Vec<&CorpusDoc> = docs.iter().step_by(50).collect();
    let sample_mb = sample.iter().map(|d| d.doc.text.len()).sum::<usize>() as f64 / 1e6;
    let (check_s, _) =
        best_of(|| sample.par_iter().map(|d| checker.check(&d.name, &d.doc).paragraphs.len()).sum::<usize>());
    let row = |what: &str, (s, cpu): (f64, f64)| {
        println!("{what:<44} {s:>7.2} s {:>8.1} MB/s {cpu:>7.2} s CPU", mb / s)
    };
    let sum = |a: (f64, f64), b: (f64, f64)| (a.0 + b.0, a.1 + b.1);
    row("read + decode + split paragraphs", read_s);
    row(&format!("raw jieba cut, hmm=false ({words} words)"), jieba_s);
    row("  marks + normalize alone", norm_s);
    row("  jieba cut of the significant chars alone", sig_s);
    row("fingerprint (marks → SimHash)", fp_s);
    row(&format!("index build ({} paragraphs)", index.paragraphs()), index_s);
    row("fingerprint + index build", sum(fp_s, index_s));
    row(&format!("stored segment, texts deflated ({:.1} MB)", segment.len() as f64 * 8.0 / 1e6), stored_s);
    println!(
        "{:<44} {:>7.2} s {:>8.1} MB/s {:>7.2} s CPU ({} drafts, {sample_mb:.1} MB)",
        "check: analyze + query + align + classify",
        check_s.0,
        sample_mb / check_s.0,
        check_s.1,
        sample.len()
    );
    println!("{:<44} {:>7.2} s (once per process)", "jieba dictionary load (Analyzer::new)", load_s.0);
    println!("fingerprinting runs at {:.0} % of raw segmentation throughput", 100.0 * jieba_s.0 / fp_s.0);
}

/// A document's fingerprints as a segment entry, with its text when `stored`.
fn segment_doc(d: &CorpusDoc, p: &DocPrints, stored: bool) -> SegmentDoc {
    SegmentDoc {
        name: d.name.clone(),
        meta: FileMeta::default(),
        prints: DocPrints {
            postings: p.postings.clone(),
            shingles: p.shingles.clone(),
            simhashes: p.simhashes.clone(),
            sketch: p.sketch.clone(),
        },
        stored: stored.then(|| StoredText { text: d.doc.text.clone(), paragraphs: d.doc.paragraphs.clone() }),
    }
}
