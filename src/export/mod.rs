//! `chachong export`: a corpus's fingerprints as Parquet tables, for the candidate search of an
//! audit to run on Apache Spark (`spark/candidates.py`, docs/scale.md) when the corpus outgrows one
//! machine. Only what retrieval needs leaves Rust — fingerprints, SimHashes, version families,
//! dates and the limits of [`crate::params`] — so the Spark job applies the in-process rules
//! exactly and the alignment and verdicts stay here (`chachong audit --candidates`).
//!
//! Every table is a folder of Parquet files (`part-00000.parquet`, …), each holding the rows of a
//! consecutive range of documents (in the index's numbering: by name), so that Spark reads the
//! parts in parallel. docs/scale.md has each column.

pub mod candidates;
pub mod columns;

use crate::analyze::{Analyzer, Scratch};
use crate::audit::dates::{doc_date, DateBasis};
use crate::check::Corpus;
use crate::params::{
    boilerplate_min_df, DEFAULT_MIN_RUN, MAX_CANDIDATES, MAX_NEAR_DUPLICATES, MAX_VERSION_DOCS, POSTINGS_CAP,
    SIMHASH_MAX_DISTANCE,
};
use columns::{Table, Values};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What the `meta` table's `format` says: a Parquet folder of something else is refused.
pub const FORMAT: &str = "chachong-export";
/// The version of the tables' layout, raised when a column changes meaning: a reader refuses
/// another version rather than read a column as what it no longer is.
pub const FORMAT_VERSION: u32 = 2;

/// The tables of an export, in the order written (`meta` last: it says the others are whole).
pub const TABLES: [&str; 6] = ["documents", "paragraphs", "postings", "shingles", "sketches", "meta"];

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write the Parquet file {}: {source}", path.display())]
    Parquet { path: PathBuf, source: parquet::errors::ParquetError },
}

/// What was exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    pub documents: usize,
    pub paragraphs: usize,
    pub postings: usize,
    pub shingles: usize,
    /// Parquet files written per table (the parts of the document ranges).
    pub parts: usize,
}

/// The rows of one document in every table but `meta`.
#[derive(Default)]
struct DocRows {
    paragraphs: Vec<(i32, i64, i32, i64)>,
    postings: Vec<(i64, i32, i64)>,
    shingles: Vec<(i32, i64, i32)>,
}

/// A date basis as the `documents` table holds it: 0 file name, 1 text, 2 file time.
fn basis_code(b: DateBasis) -> i32 {
    match b {
        DateBasis::Name => 0,
        DateBasis::Text => 1,
        DateBasis::FileTime => 2,
    }
}

/// A u64 hash as Parquet's signed INT64, bit for bit (Spark has no unsigned integers).
fn signed(h: u64) -> i64 {
    h as i64
}

/// Exports the corpus into the folder `out`, `audited(d)` telling which documents the audit checks
/// (the others are a reference corpus: sources only), each Parquet file holding documents of about
/// `part_paragraphs` paragraphs ([`crate::params::EXPORT_PART_PARAGRAPHS`] by default). The tables are written into a temporary
/// folder beside `out`, which then replaces it whole, so a reader never sees parts of two exports.
/// `tick` is called once per document done.
pub fn export(
    analyzer: &Analyzer,
    corpus: &Corpus,
    audited: &(dyn Fn(u32) -> bool + Sync),
    part_paragraphs: usize,
    out: &Path,
    tick: &(dyn Fn(u64) + Sync),
) -> Result<ExportSummary, ExportError> {
    let tmp = crate::atomic::temp_path(out);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExportError::Io { path, source }
    };
    let _ = std::fs::remove_dir_all(&tmp);
    for t in TABLES {
        std::fs::create_dir_all(tmp.join(t)).map_err(io(&tmp.join(t)))?;
    }
    let written = write_tables(analyzer, corpus, audited, part_paragraphs, &tmp, tick);
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    let old = out.with_file_name(format!(
        ".{}.old-{}",
        out.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        std::process::id()
    ));
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    std::fs::rename(&tmp, out).map_err(io(out))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(summary)
}

fn write_tables(
    analyzer: &Analyzer,
    corpus: &Corpus,
    audited: &(dyn Fn(u32) -> bool + Sync),
    part_paragraphs: usize,
    dir: &Path,
    tick: &(dyn Fn(u64) + Sync),
) -> Result<ExportSummary, ExportError> {
    let index = &corpus.index;
    let mut summary = ExportSummary {
        documents: corpus.len(),
        paragraphs: index.paragraphs(),
        postings: 0,
        shingles: 0,
        parts: 0,
    };
    for (part, docs) in part_ranges(corpus, part_paragraphs).into_iter().enumerate() {
        let rows: Vec<DocRows> = docs
            .clone()
            .into_par_iter()
            .map_init(Scratch::default, |scratch, d| {
                let r = doc_rows(analyzer, corpus, d, scratch);
                tick(1);
                r
            })
            .collect();
        let mut documents = DocumentColumns::default();
        for d in docs.clone() {
            documents.push(corpus, d, audited(d));
        }
        let (mut p_doc, mut p_para, mut p_global, mut p_chars, mut p_sim) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut f_hash, mut f_doc, mut f_para, mut f_global) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut s_doc, mut s_para, mut s_hash, mut s_pos) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (d, r) in docs.clone().zip(&rows) {
            let d = d as i32;
            for &(para, global, chars, sim) in &r.paragraphs {
                p_doc.push(d);
                p_para.push(para);
                p_global.push(global);
                p_chars.push(chars);
                p_sim.push(sim);
            }
            for &(hash, para, global) in &r.postings {
                f_hash.push(hash);
                f_doc.push(d);
                f_para.push(para);
                f_global.push(global);
            }
            for &(para, hash, pos) in &r.shingles {
                s_doc.push(d);
                s_para.push(para);
                s_hash.push(hash);
                s_pos.push(pos);
            }
        }
        summary.postings += f_hash.len();
        summary.shingles += s_hash.len();
        let tables = [
            ("documents", documents.table()),
            (
                "paragraphs",
                Table {
                    columns: vec![
                        ("doc", Values::I32(p_doc)),
                        ("para", Values::I32(p_para)),
                        ("global", Values::I64(p_global)),
                        ("chars", Values::I32(p_chars)),
                        ("simhash", Values::I64(p_sim)),
                    ],
                },
            ),
            (
                "postings",
                Table {
                    columns: vec![
                        ("fingerprint", Values::I64(f_hash)),
                        ("doc", Values::I32(f_doc)),
                        ("para", Values::I32(f_para)),
                        ("global", Values::I64(f_global)),
                    ],
                },
            ),
            (
                "shingles",
                Table {
                    columns: vec![
                        ("doc", Values::I32(s_doc)),
                        ("para", Values::I32(s_para)),
                        ("fingerprint", Values::I64(s_hash)),
                        ("position", Values::I32(s_pos)),
                    ],
                },
            ),
            ("sketches", sketch_table(corpus, docs.clone())),
        ];
        for (name, table) in tables {
            write_table(&dir.join(name).join(format!("part-{part:05}.parquet")), &table)?;
        }
        summary.parts += 1;
    }
    write_table(&dir.join("meta").join("part-00000.parquet"), &meta_table(corpus, &summary))?;
    Ok(summary)
}

fn write_table(path: &Path, table: &Table) -> Result<(), ExportError> {
    let file =
        std::fs::File::create(path).map_err(|source| ExportError::Io { path: path.to_path_buf(), source })?;
    table
        .write(std::io::BufWriter::new(file))
        .map_err(|source| ExportError::Parquet { path: path.to_path_buf(), source })
}

/// Consecutive document ranges of about `part_paragraphs` paragraphs each.
fn part_ranges(corpus: &Corpus, part_paragraphs: usize) -> Vec<std::ops::Range<u32>> {
    let index = &corpus.index;
    let mut out = Vec::new();
    let mut start = 0;
    for d in 0..corpus.len() as u32 {
        let paras = index.doc_paragraphs(d).end - index.doc_paragraphs(start).start;
        if paras as usize >= part_paragraphs.max(1) || d + 1 == corpus.len() as u32 {
            out.push(start..d + 1);
            start = d + 1;
        }
    }
    out
}

/// Document `d`'s paragraphs, postings and shingles, fingerprinted as the index does it.
fn doc_rows(analyzer: &Analyzer, corpus: &Corpus, d: u32, scratch: &mut Scratch) -> DocRows {
    let index = &corpus.index;
    let doc = &corpus.doc(d).doc;
    let first = index.doc_paragraphs(d).start;
    let mut rows = DocRows::default();
    let mut seen: Vec<(u64, usize)> = Vec::new();
    for (i, para) in doc.paragraphs.iter().enumerate() {
        let global = i64::from(first + i as u32);
        let chars = analyzer.normalize(doc, para).1.len() as i32;
        let p = analyzer.index_print(doc, para, scratch);
        rows.paragraphs.push((i as i32, global, chars, signed(index.simhash(first + i as u32))));
        rows.postings.extend(p.winnowed.iter().map(|&h| (signed(h), i as i32, global)));
        // A query reads each distinct shingle once: its first position is kept.
        seen.clear();
        seen.extend(p.shingles.iter().enumerate().map(|(pos, &h)| (h, pos)));
        seen.sort_unstable();
        seen.dedup_by_key(|&mut (h, _)| h);
        seen.sort_unstable_by_key(|&(_, pos)| pos);
        rows.shingles.extend(seen.iter().map(|&(h, pos)| (i as i32, signed(h), pos as i32)));
    }
    rows
}

#[derive(Default)]
struct DocumentColumns {
    doc: Vec<i32>,
    name: Vec<String>,
    first_para: Vec<i64>,
    paragraphs: Vec<i32>,
    audited: Vec<bool>,
    family: Vec<i32>,
    year: Vec<i32>,
    month: Vec<i32>,
    day: Vec<i32>,
    year_basis: Vec<i32>,
    basis: Vec<i32>,
}

impl DocumentColumns {
    fn push(&mut self, corpus: &Corpus, d: u32, audited: bool) {
        let paras = corpus.index.doc_paragraphs(d);
        let date = doc_date(&corpus.doc(d).doc);
        self.doc.push(d as i32);
        self.name.push(corpus.doc(d).name.clone());
        self.first_para.push(i64::from(paras.start));
        self.paragraphs.push((paras.end - paras.start) as i32);
        self.audited.push(audited);
        self.family.push(corpus.index.family(d) as i32);
        self.year.push(date.map_or(0, |x| i32::from(x.date.year)));
        self.month.push(date.map_or(0, |x| i32::from(x.date.month)));
        self.day.push(date.map_or(0, |x| i32::from(x.date.day)));
        self.year_basis.push(date.map_or(-1, |x| basis_code(x.year_basis)));
        self.basis.push(date.map_or(-1, |x| basis_code(x.basis)));
    }

    fn table(self) -> Table {
        Table {
            columns: vec![
                ("doc", Values::I32(self.doc)),
                ("name", Values::Str(self.name)),
                ("first_para", Values::I64(self.first_para)),
                ("paragraphs", Values::I32(self.paragraphs)),
                ("audited", Values::Bool(self.audited)),
                ("family", Values::I32(self.family)),
                ("year", Values::I32(self.year)),
                ("month", Values::I32(self.month)),
                ("day", Values::I32(self.day)),
                ("year_basis", Values::I32(self.year_basis)),
                ("basis", Values::I32(self.basis)),
            ],
        }
    }
}

/// Each document's version sketch, one row per hash, in ascending (unsigned) order as `rank`.
fn sketch_table(corpus: &Corpus, docs: std::ops::Range<u32>) -> Table {
    let (mut doc, mut rank, mut hash) = (Vec::new(), Vec::new(), Vec::new());
    for d in docs {
        for (r, &h) in corpus.index.sketch(d).iter().enumerate() {
            doc.push(d as i32);
            rank.push(r as i32);
            hash.push(signed(h));
        }
    }
    Table {
        columns: vec![("doc", Values::I32(doc)), ("rank", Values::I32(rank)), ("hash", Values::I64(hash))],
    }
}

/// The format and the retrieval limits the Spark job applies, as key and value.
fn meta_table(corpus: &Corpus, summary: &ExportSummary) -> Table {
    let pairs: Vec<(&str, String)> = vec![
        ("format", FORMAT.to_string()),
        ("format_version", FORMAT_VERSION.to_string()),
        ("chachong", env!("CARGO_PKG_VERSION").to_string()),
        ("documents", summary.documents.to_string()),
        ("paragraphs", summary.paragraphs.to_string()),
        ("postings_cap", POSTINGS_CAP.to_string()),
        ("max_candidates", MAX_CANDIDATES.to_string()),
        ("max_version_docs", MAX_VERSION_DOCS.to_string()),
        ("max_near_duplicates", MAX_NEAR_DUPLICATES.to_string()),
        ("simhash_max_distance", SIMHASH_MAX_DISTANCE.to_string()),
        ("default_min_run", DEFAULT_MIN_RUN.to_string()),
        ("boilerplate_df", boilerplate_min_df(corpus.len()).to_string()),
        ("boilerplate_df_audit", boilerplate_min_df(corpus.len().saturating_sub(1)).to_string()),
    ];
    let (keys, values) = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).unzip();
    Table { columns: vec![("key", Values::Str(keys)), ("value", Values::Str(values))] }
}
