//! The reports: `paragraphs.csv`, `spans.csv`, `documents.csv` (docs/report-format.md) and the
//! terminal summary.
//!
//! The CSVs are opened in Excel and WPS by people who will not fix an encoding: they start with a
//! UTF-8 BOM unless asked not to. Each file is written under a temporary name and renamed into
//! place, so a report is either the old one or the new one, never half of each; a check's files
//! are replaced as a set, its run manifest last ([`write_run`]).
//!
//! The rows are built once as [`Table`]s of typed cells ([`tables`]), which the CSV writer and
//! the .xlsx writer ([`crate::xlsx`]) both write, in English or Chinese ([`Lang`]); their columns
//! are defined once, in [`schema`], and [`read`] reads them back.

pub mod read;
pub mod schema;

use crate::atomic::{write_atomic, FileSet, SetError};
use crate::classify::{SpanKind, Verdict};
use crate::manifest::Manifest;
use crate::marks::Flag;
use crate::table::{Cell, Lang, Table};
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

/// A row of a report table as read back ([`read`]): the draft it belongs to (its `draft`
/// column) and the row the check wrote for it, so that a table has one row type whether it is
/// written or read.
#[derive(Debug, Clone, PartialEq)]
pub struct Drafted<T> {
    pub draft: String,
    pub row: T,
}

impl<T> std::ops::Deref for Drafted<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.row
    }
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
    /// What the copy gives away beyond its ratio ([`crate::findings`]); empty until
    /// [`crate::findings::annotate`] has run.
    pub findings: crate::findings::Findings,
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

/// The position of documents.csv's `status` among [`schema::DOCUMENTS`]' columns.
const STATUS: usize = 8;

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
        schema::EMPTY.en
    } else {
        schema::OK.en
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

/// A count that may be absent, as a cell.
fn opt_count(v: Option<usize>) -> Cell {
    v.map_or(Cell::Blank, Cell::Count)
}

/// The tables of a check, the summary (`documents`) first, then `paragraphs` and `spans`: what
/// the CSV files and the sheets of a workbook hold. The drafts that could not be checked are rows
/// of `documents` with their reason as `status`.
pub fn tables(reports: &[DraftReport], unchecked: &[Unchecked]) -> Vec<Table> {
    check_tables(reports, unchecked).into()
}

/// [`tables`], as the three they always are.
fn check_tables(reports: &[DraftReport], unchecked: &[Unchecked]) -> [Table; 3] {
    let text = |s: &str| Cell::Text(s.to_string());
    let mut documents = Vec::with_capacity(reports.len() + unchecked.len());
    let mut paragraphs = Vec::new();
    let mut spans = Vec::new();
    for r in reports {
        let d = &r.summary;
        let recycled = r.findings.recycled.as_ref();
        let text_or_blank = |s: String| if s.is_empty() { Cell::Blank } else { Cell::Text(s) };
        documents.push(vec![
            text(&r.draft),
            Cell::Count(d.paragraphs),
            Cell::Count(d.chars),
            Cell::Ratio(d.copied_ratio),
            Cell::Ratio(d.boilerplate_ratio),
            text(&d.top_source),
            Cell::Ratio(d.top_source_ratio),
            Cell::Text(flags_cell(&d.flags)),
            Cell::Label(if is_empty(r) { schema::EMPTY } else { schema::OK }),
            Cell::Count(r.findings.foreign.len()),
            recycled.map_or(Cell::Blank, |x| text(&x.source)),
            recycled.map_or(Cell::Blank, |x| text_or_blank(x.years())),
            recycled.map_or(Cell::Blank, |x| Cell::Count(x.numbers_changed)),
            Cell::Count(r.findings.twins.len()),
            text_or_blank(batch_partner(r)),
        ]);
        for p in &r.paragraphs {
            paragraphs.push(vec![
                text(&r.draft),
                Cell::Count(p.para),
                Cell::Count(p.start),
                Cell::Count(p.end),
                Cell::Count(p.chars),
                Cell::Label(schema::verdict(p.verdict)),
                Cell::Ratio(p.score),
                text(&p.source),
                opt_count(p.source_para),
                opt_count(p.simhash_distance.map(|d| d as usize)),
                Cell::Count(p.matched_chars),
                Cell::Text(flags_cell(&p.flags)),
                text(&p.excerpt),
                text(&p.matched_text),
            ]);
        }
        for s in &r.spans {
            spans.push(vec![
                text(&r.draft),
                Cell::Count(s.para),
                Cell::Count(s.start),
                Cell::Count(s.end),
                text(&s.source),
                Cell::Count(s.source_start),
                Cell::Count(s.source_end),
                Cell::Label(schema::span_kind(s.kind)),
                Cell::Blank,
            ]);
        }
        for f in &r.findings.foreign {
            spans.push(vec![
                text(&r.draft),
                Cell::Count(f.para),
                Cell::Count(f.start),
                Cell::Count(f.end),
                text(&f.source),
                Cell::Count(f.source_start),
                Cell::Count(f.source_end),
                Cell::Label(schema::FOREIGN_NAME),
                text(&f.name),
            ]);
        }
    }
    for u in unchecked {
        // Blank but for the name and the status, the findings' columns too: nothing was read.
        let mut row = vec![Cell::Blank; schema::DOCUMENTS.columns.len()];
        row[0] = text(&u.draft);
        row[STATUS] = Cell::Because(schema::UNREADABLE, u.reason.clone());
        documents.push(row);
    }
    [
        Table { schema: &schema::DOCUMENTS, rows: documents },
        Table { schema: &schema::PARAGRAPHS, rows: paragraphs },
        Table { schema: &schema::SPANS, rows: spans },
    ]
}

/// Writes the three CSV reports for `reports` into `dir` (created if missing), replaced as a set,
/// headers and values in `lang`; the drafts that could not be checked are rows of `documents.csv`
/// with their reason as `status`.
pub fn write_reports(
    dir: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    bom: bool,
    lang: Lang,
) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut set = FileSet::default();
    stage_reports(&mut set, dir, reports, unchecked, bom, lang)
        .and_then(|_| set.commit())
        .map_err(|e| e.source)
}

/// Writes `table` as `dir/<its name>.csv`, atomically, in `lang`.
pub fn write_table(dir: &Path, table: &Table, bom: bool, lang: Lang) -> io::Result<()> {
    write_csv(&dir.join(table.schema.file), bom, |w| fill_table(w, table, lang))
}

/// `table`'s header and rows in `lang`, every data cell escaped for spreadsheets
/// ([`crate::spreadsheet`]).
fn fill_table<W: Write>(w: &mut csv::Writer<W>, table: &Table, lang: Lang) -> csv::Result<()> {
    w.write_record(table.schema.columns.iter().map(|c| c.name(lang)))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| crate::spreadsheet::escape(&c.text(lang)).into_owned()))?;
    }
    Ok(())
}

/// A check's reports and its run manifest, written into `dir` (created if missing) as one set
/// ([`FileSet`]): the three CSVs first, then the manifest, which records what each CSV says
/// ([`read::digests`]), so that `chachong review` refuses a folder whose files are of
/// different runs. The error names the file that could not be written.
pub fn write_run(
    dir: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    bom: bool,
    lang: Lang,
    manifest: Manifest,
) -> Result<(), SetError> {
    write_run_with(dir, reports, unchecked, &[], bom, lang, manifest)
}

/// As [`write_run`], with `tables` (an audit's pairs and clusters) written in the same set, before
/// the manifest.
pub fn write_run_with(
    dir: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    tables: &[Table],
    bom: bool,
    lang: Lang,
    mut manifest: Manifest,
) -> Result<(), SetError> {
    std::fs::create_dir_all(dir).map_err(|source| SetError { path: dir.to_path_buf(), source })?;
    let mut set = FileSet::default();
    let [p, s, d] = stage_reports(&mut set, dir, reports, unchecked, bom, lang)?;
    for t in tables {
        set.stage(&dir.join(t.schema.file), |out| fill_csv(out, bom, |w| fill_table(w, t, lang)))?;
    }
    // Read back as review will read them, so the digests are of what review will see.
    let written = read::read_files(&p, &s, &d)
        .map_err(|why| SetError { path: dir.to_path_buf(), source: io::Error::other(why) })?;
    manifest.rows = read::digests(&written).iter().map(|&(f, h)| (f.to_string(), h)).collect();
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
    lang: Lang,
) -> Result<[PathBuf; 3], SetError> {
    let [documents, paragraphs, spans] = check_tables(reports, unchecked);
    let mut stage =
        |t: &Table| set.stage(&dir.join(t.schema.file), |out| fill_csv(out, bom, |w| fill_table(w, t, lang)));
    Ok([stage(&paragraphs)?, stage(&spans)?, stage(&documents)?])
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
        .filter_map(|p| {
            let marks: Vec<Flag> = p.flags.iter().filter(|f| !is_finding(f)).cloned().collect();
            (!marks.is_empty()).then(|| format!("¶{} {}", p.para, flags_cell(&marks)))
        })
        .collect();
    if !flagged.is_empty() {
        out.push_str(&format!("  template-site flags: {}\n", flagged.join(" · ")));
    }
    out.push_str(&findings_summary(r));
    out
}

/// Whether a flag is one of [`crate::findings`]' rather than a template-site mark.
pub fn is_finding(f: &Flag) -> bool {
    matches!(f, Flag::ForeignName(_) | Flag::Recycled(_) | Flag::Batch(_))
}

/// The draft of the batch that shares most paragraphs with `r`, empty when none does.
pub fn batch_partner(r: &DraftReport) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for t in &r.findings.twins {
        match counts.iter_mut().find(|(p, _)| *p == t.partner) {
            Some(c) => c.1 += 1,
            None => counts.push((&t.partner, 1)),
        }
    }
    counts.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|c| c.0.to_string()).unwrap_or_default()
}

/// The summary's lines on the findings: foreign names by paragraph, and a recycled document.
fn findings_summary(r: &DraftReport) -> String {
    let mut out = String::new();
    let mut by_para: Vec<(usize, Vec<&str>)> = Vec::new();
    for f in &r.findings.foreign {
        match by_para.last_mut() {
            Some((p, names)) if *p == f.para => {
                if !names.contains(&f.name.as_str()) {
                    names.push(&f.name);
                }
            }
            _ => by_para.push((f.para, vec![&f.name])),
        }
    }
    if !by_para.is_empty() {
        let listed: Vec<String> =
            by_para.iter().map(|(p, names)| format!("¶{p} {}", names.join("、"))).collect();
        out.push_str(&format!(
            "  another locality's names left in (foreign_name, {}): {}\n",
            r.findings.foreign.len(),
            listed.join(" · ")
        ));
    }
    if !r.findings.twins.is_empty() {
        let listed: Vec<String> = r
            .findings
            .twins
            .iter()
            .map(|t| format!("¶{} = {} ¶{}", t.para, t.partner, t.partner_para))
            .collect();
        out.push_str(&format!("  same text as other drafts of this batch: {}\n", listed.join(" · ")));
    }
    if let Some(x) = &r.findings.recycled {
        let years = x.years();
        let years = if years.is_empty() { String::new() } else { format!(" ({years})") };
        out.push_str(&format!(
            "  旧稿翻新 recycled from {}{years}: {} figures changed in ¶{}\n",
            x.source,
            x.numbers_changed,
            x.paragraphs.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ¶")
        ));
    }
    out
}
