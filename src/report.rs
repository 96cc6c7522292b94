//! The reports: `paragraphs.csv`, `spans.csv`, `documents.csv` (docs/report-format.md) and the
//! terminal summary.
//!
//! The CSVs are opened in Excel and WPS by people who will not fix an encoding: they start with a
//! UTF-8 BOM unless asked not to. Each file is written under a temporary name and renamed into
//! place, so a report is either the old one or the new one, never half of each; a check's files
//! are replaced as a set, its run manifest last ([`write_run`]).

use crate::atomic::{write_atomic, FileSet, SetError};
use crate::classify::{SpanKind, Verdict};
use crate::manifest::Manifest;
use crate::marks::Flag;
use crate::review::tables::{self, DOCUMENTS_CSV, PARAGRAPHS_CSV, SPANS_CSV};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One row of `paragraphs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphRow {
    pub para: usize,
    pub start: usize,
    pub end: usize,
    pub chars: usize,
    pub verdict: Verdict,
    pub score: f64,
    pub source: String,
    pub source_para: Option<usize>,
    pub simhash_distance: Option<u32>,
    pub matched_chars: usize,
    pub flags: Vec<Flag>,
    pub excerpt: String,
    pub matched_text: String,
}

/// One row of `spans.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanRow {
    pub para: usize,
    pub start: usize,
    pub end: usize,
    pub source: String,
    pub source_start: usize,
    pub source_end: usize,
    pub kind: SpanKind,
}

/// One row of `documents.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    pub paragraphs: usize,
    pub chars: usize,
    pub copied_ratio: f64,
    pub boilerplate_ratio: f64,
    pub top_source: String,
    pub top_source_ratio: f64,
    pub flags: Vec<Flag>,
}

/// Everything found in one draft.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftReport {
    /// The draft's path as given on the command line.
    pub draft: String,
    pub paragraphs: Vec<ParagraphRow>,
    pub spans: Vec<SpanRow>,
    pub summary: DocumentRow,
    /// Every source the draft copied from, most copied first; the first is `summary.top_source`.
    pub sources: Vec<SourceShare>,
    /// XXH3-64 of the draft's decoded text, as recorded in `chachong-run.txt`
    /// ([`crate::manifest::text_hash`]).
    pub text_hash: u64,
}

/// How much of a draft was copied from one source document.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceShare {
    pub source: String,
    /// Draft chars copied from this source.
    pub chars: usize,
    /// `chars` over the draft's significant chars, as `top_source_ratio`.
    pub ratio: f64,
}

const PARAGRAPH_COLUMNS: [&str; 13] = [
    "draft",
    "para",
    "start",
    "end",
    "chars",
    "verdict",
    "score",
    "source",
    "source_para",
    "simhash_distance",
    "matched_chars",
    "flags",
    "excerpt",
];
const SPAN_COLUMNS: [&str; 8] =
    ["draft", "para", "start", "end", "source", "source_start", "source_end", "kind"];
const DOCUMENT_COLUMNS: [&str; 9] = [
    "draft",
    "paragraphs",
    "chars",
    "copied_ratio",
    "boilerplate_ratio",
    "top_source",
    "top_source_ratio",
    "flags",
    "status",
];

/// A draft that could not be checked: listed in `documents.csv` with the reason, so a batch's
/// report says what it does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// As the `draft` column names it.
    pub draft: String,
    pub reason: String,
}

/// `documents.csv`'s `status` of a checked draft: `ok`, or `empty` when it held no significant
/// char (nothing was compared, so its 0 % says nothing).
pub fn status(r: &DraftReport) -> &'static str {
    if is_empty(r) {
        "empty"
    } else {
        "ok"
    }
}

/// Whether a checked draft held no text to compare.
pub fn is_empty(r: &DraftReport) -> bool {
    r.summary.chars == 0
}

/// A ratio as the terminal summary shows it, in percent with one decimal: what `--fail-over`
/// compares, so that a draft shown as 47.2 % is over 47 %.
pub fn shown_percent(ratio: f64) -> f64 {
    // Through the text shown, so the figure compared is the figure read, rounding included.
    let shown = format!("{:.1}", ratio * 100.0);
    shown.parse().unwrap_or(ratio * 100.0)
}

fn flags_cell(flags: &[Flag]) -> String {
    flags.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(";")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes the three CSV reports for `reports` into `dir` (created if missing), replaced as a set;
/// the drafts that could not be checked are rows of `documents.csv` with their reason as `status`.
pub fn write_reports(
    dir: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    bom: bool,
) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut set = FileSet::default();
    stage_reports(&mut set, dir, reports, unchecked, bom).and_then(|_| set.commit()).map_err(|e| e.source)
}

/// A check's reports and its run manifest, written into `dir` (created if missing) as one set
/// ([`FileSet`]): the three CSVs first, then the manifest, which records what each CSV says
/// ([`tables::digests`]), so that `chachong review` refuses a folder whose files are of
/// different runs. The error names the file that could not be written.
pub fn write_run(
    dir: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    bom: bool,
    mut manifest: Manifest,
) -> Result<(), SetError> {
    std::fs::create_dir_all(dir).map_err(|source| SetError { path: dir.to_path_buf(), source })?;
    let mut set = FileSet::default();
    let [p, s, d] = stage_reports(&mut set, dir, reports, unchecked, bom)?;
    // Read back as review will read them, so the digests are of what review will see.
    let written = tables::read_files(&p, &s, &d)
        .map_err(|why| SetError { path: dir.to_path_buf(), source: io::Error::other(why) })?;
    manifest.rows = tables::digests(&written).iter().map(|&(f, h)| (f.to_string(), h)).collect();
    manifest.stage(&mut set, dir)?;
    set.commit()
}

/// Writes the three CSVs into `set` under their temporary names, returned in the order
/// paragraphs, spans, documents.
fn stage_reports(
    set: &mut FileSet,
    dir: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    bom: bool,
) -> Result<[PathBuf; 3], SetError> {
    let paragraphs = set.stage(&dir.join(PARAGRAPHS_CSV), |out| {
        fill_csv(out, bom, |w| {
            let mut header: Vec<&str> = PARAGRAPH_COLUMNS.to_vec();
            header.push("matched_text");
            w.write_record(&header)?;
            for r in reports {
                for p in &r.paragraphs {
                    crate::spreadsheet::write_row(
                        w,
                        [
                            r.draft.clone(),
                            p.para.to_string(),
                            p.start.to_string(),
                            p.end.to_string(),
                            p.chars.to_string(),
                            p.verdict.to_string(),
                            format!("{:.3}", p.score),
                            p.source.clone(),
                            opt(p.source_para),
                            opt(p.simhash_distance),
                            p.matched_chars.to_string(),
                            flags_cell(&p.flags),
                            p.excerpt.clone(),
                            p.matched_text.clone(),
                        ],
                    )?;
                }
            }
            Ok(())
        })
    })?;
    let spans = set.stage(&dir.join(SPANS_CSV), |out| {
        fill_csv(out, bom, |w| {
            w.write_record(SPAN_COLUMNS)?;
            for r in reports {
                for s in &r.spans {
                    crate::spreadsheet::write_row(
                        w,
                        [
                            r.draft.clone(),
                            s.para.to_string(),
                            s.start.to_string(),
                            s.end.to_string(),
                            s.source.clone(),
                            s.source_start.to_string(),
                            s.source_end.to_string(),
                            s.kind.to_string(),
                        ],
                    )?;
                }
            }
            Ok(())
        })
    })?;
    let documents = set.stage(&dir.join(DOCUMENTS_CSV), |out| {
        fill_csv(out, bom, |w| {
            w.write_record(DOCUMENT_COLUMNS)?;
            for r in reports {
                let d = &r.summary;
                crate::spreadsheet::write_row(
                    w,
                    [
                        r.draft.clone(),
                        d.paragraphs.to_string(),
                        d.chars.to_string(),
                        format!("{:.3}", d.copied_ratio),
                        format!("{:.3}", d.boilerplate_ratio),
                        d.top_source.clone(),
                        format!("{:.3}", d.top_source_ratio),
                        flags_cell(&d.flags),
                        status(r).to_string(),
                    ],
                )?;
            }
            for u in unchecked {
                let status = format!("unreadable: {}", u.reason);
                let blank = String::new;
                crate::spreadsheet::write_row(
                    w,
                    [u.draft.clone(), blank(), blank(), blank(), blank(), blank(), blank(), blank(), status],
                )?;
            }
            Ok(())
        })
    })?;
    Ok([paragraphs, spans, documents])
}

/// Writes a CSV atomically (see [`crate::atomic`]), with the BOM when asked.
pub fn write_csv(
    path: &Path,
    bom: bool,
    fill: impl FnOnce(&mut csv::Writer<&mut io::BufWriter<std::fs::File>>) -> csv::Result<()>,
) -> io::Result<()> {
    write_atomic(path, |out| fill_csv(out, bom, fill))
}

/// A CSV's contents into `out`, with the BOM when asked and `\n` line ends.
fn fill_csv(
    out: &mut io::BufWriter<std::fs::File>,
    bom: bool,
    fill: impl FnOnce(&mut csv::Writer<&mut io::BufWriter<std::fs::File>>) -> csv::Result<()>,
) -> io::Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    fill(&mut w).map_err(io::Error::other)?;
    w.flush()
}

/// A short human summary of a draft's report, for the terminal.
pub fn summary(r: &DraftReport) -> String {
    let count = |v: Verdict| r.paragraphs.iter().filter(|p| p.verdict == v).count();
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let mut out = format!(
        "{}\n  复制比 copied {} · 套话 boilerplate {} · {} paragraphs: {} copy, {} partial, {} boilerplate, {} original\n",
        r.draft,
        pct(r.summary.copied_ratio),
        pct(r.summary.boilerplate_ratio),
        r.paragraphs.len(),
        count(Verdict::Copy),
        count(Verdict::Partial),
        count(Verdict::Boilerplate),
        count(Verdict::Original),
    );
    if !r.sources.is_empty() {
        out.push_str("  top sources:\n");
        for s in r.sources.iter().take(3) {
            out.push_str(&format!("    {} {}\n", pct(s.ratio), s.source));
        }
    }
    let flagged: Vec<String> = r
        .paragraphs
        .iter()
        .filter(|p| !p.flags.is_empty())
        .map(|p| format!("¶{} {}", p.para, flags_cell(&p.flags)))
        .collect();
    if !flagged.is_empty() {
        out.push_str(&format!("  template-site flags: {}\n", flagged.join(" · ")));
    }
    out
}
