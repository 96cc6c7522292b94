//! Reading the three report CSVs back, as check wrote them or as a person saved them from Excel
//! or WPS: with or without a BOM, `\r\n` or `\n`, UTF-8 or GBK/GB18030 ("ANSI" in WPS), comma,
//! semicolon or tab separated, rows in any order, columns found by name (so added or moved
//! columns do not matter), numbers as `0.472`, `0.47200` or `47.2%`, blank rows skipped.

use super::schema::{self, col, DOCUMENTS_CSV, PARAGRAPHS_CSV, SPANS_CSV};
use super::{DraftReport, Drafted, ParagraphRow, SourceShare, SpanRow};
use crate::classify::{SpanKind, Verdict};
use crate::findings::names::ForeignName;
use crate::marks::Flag;
use crate::table::{Schema, Term};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why a report file could not be read back; names the file, and the line for a bad row.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error(
        "{}: not found (a report folder written by `chachong check` has {PARAGRAPHS_CSV}, {SPANS_CSV} and {DOCUMENTS_CSV})",
        path.display()
    )]
    NotFound { path: PathBuf },
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {reason}", path.display())]
    Decode { path: PathBuf, reason: crate::ingest::Reason },
    #[error("{}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{}: empty file (no header row)", path.display())]
    NoHeader { path: PathBuf },
    #[error("{} line {line}: {problem}", path.display())]
    Row { path: PathBuf, line: u64, problem: CellError },
}

/// What is wrong with a row's cell.
#[derive(Debug, thiserror::Error)]
pub enum CellError {
    #[error("no column {0}")]
    NoColumn(&'static str),
    #[error("column {0} is empty")]
    Empty(&'static str),
    #[error("column {column}: {value:?} is not a whole number")]
    NotWhole { column: &'static str, value: String },
    #[error("column {column}: {value:?} is not a number")]
    NotNumber { column: &'static str, value: String },
    /// A name outside the vocabulary of the column: `what` it names and the names `expected`.
    #[error("column {column}: unknown {what} {value:?} (expected {expected})")]
    Unknown { column: &'static str, what: &'static str, value: String, expected: String },
}

/// A row of paragraphs.csv: the check's row and the draft it belongs to.
pub type ParaRow = Drafted<ParagraphRow>;

/// A row of spans.csv that is a matched run: the check's span and the draft it belongs to.
pub type SpanRec = Drafted<SpanRow>;

/// A `foreign_name` row of spans.csv: another locality's place name left in the draft.
pub type NameRec = Drafted<ForeignName>;

/// One row of documents.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRec {
    pub draft: String,
    pub paragraphs: Option<usize>,
    pub chars: Option<usize>,
    pub copied_ratio: f64,
    pub boilerplate_ratio: f64,
    pub top_source: String,
    pub top_source_ratio: f64,
    pub flags: Vec<Flag>,
    /// `ok`, `empty` or `unreadable: <reason>`; empty in reports older than the column.
    pub status: String,
    pub findings: DocFindings,
}

/// documents.csv's columns of the findings ([`crate::findings`]); blank in reports older than
/// them and for an unreadable draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFindings {
    pub foreign_names: Option<usize>,
    pub recycled_from: String,
    pub recycled_years: String,
    pub numbers_changed: Option<usize>,
    pub batch_paragraphs: Option<usize>,
    pub batch_partner: String,
}

impl DocFindings {
    /// The columns as one digest field, empty when they say nothing (0 or blank): a report
    /// written before these columns existed keeps the digest its manifest recorded.
    fn digest_field(&self) -> String {
        let n = |v: Option<usize>| v.filter(|&n| n > 0).map_or(String::new(), |n| n.to_string());
        let cells = [
            n(self.foreign_names),
            self.recycled_from.clone(),
            self.recycled_years.clone(),
            n(self.numbers_changed),
            n(self.batch_paragraphs),
            self.batch_partner.clone(),
        ];
        if cells.iter().all(String::is_empty) {
            String::new()
        } else {
            format!("\t{}", cells.join("\t"))
        }
    }
}

/// A row of spans.csv as read: a matched run or a foreign name.
enum SpanLine {
    Run(SpanRec),
    Name(NameRec),
}

impl DocRec {
    /// Why the check could not read this draft, when it could not.
    pub fn unchecked(&self) -> Option<&str> {
        let [en, zh] = [schema::UNREADABLE.en, schema::UNREADABLE.zh].map(|s| format!("{s}:"));
        self.status.strip_prefix(&en).or_else(|| self.status.strip_prefix(&zh)).map(str::trim)
    }
}

/// A report folder's rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub paragraphs: Vec<ParaRow>,
    pub spans: Vec<SpanRec>,
    /// spans.csv's `foreign_name` rows.
    pub foreign: Vec<NameRec>,
    pub documents: Vec<DocRec>,
    /// Per draft, every source with its share, when known exactly (from a check in this process);
    /// otherwise review works them out from the spans.
    pub sources: HashMap<String, Vec<SourceShare>>,
}

/// Reads paragraphs.csv, spans.csv and documents.csv from `dir`, in either language.
pub fn read_tables(dir: &Path) -> Result<Tables, TableError> {
    read_files(&dir.join(PARAGRAPHS_CSV), &dir.join(SPANS_CSV), &dir.join(DOCUMENTS_CSV))
}

/// Reads the three files from where they are (a set being written has them under temporary names).
pub fn read_files(paragraphs: &Path, spans: &Path, documents: &Path) -> Result<Tables, TableError> {
    let paragraphs = read_csv(paragraphs, &schema::PARAGRAPHS, |r| {
        Ok(Drafted {
            draft: r.text(col::DRAFT)?,
            row: ParagraphRow {
                para: r.int(col::PARA)?,
                start: r.int(col::START)?,
                end: r.int(col::END)?,
                chars: r.opt_int(col::CHARS)?.unwrap_or(0),
                verdict: r.parse(col::VERDICT, verdict)?,
                score: r.ratio(col::SCORE)?,
                source: r.text(col::SOURCE)?,
                source_para: r.opt_int(col::SOURCE_PARA)?,
                simhash_distance: r.opt_int(col::SIMHASH_DISTANCE)?.map(|d| d.min(u32::MAX as usize) as u32),
                matched_chars: r.opt_int(col::MATCHED_CHARS)?.unwrap_or(0),
                flags: r.flags(col::FLAGS),
                excerpt: r.or_empty(col::EXCERPT),
                matched_text: r.or_empty(col::MATCHED_TEXT),
            },
        })
    })?;
    // A foreign name's row (`crate::findings`) is no matched run: kept apart, as review marks runs.
    let rows = read_csv(spans, &schema::SPANS, |r| {
        let draft = r.text(col::DRAFT)?;
        if schema::FOREIGN_NAME.names(&r.text(col::KIND)?) {
            return Ok(SpanLine::Name(Drafted {
                draft,
                row: ForeignName {
                    para: r.int(col::PARA)?,
                    start: r.int(col::START)?,
                    end: r.int(col::END)?,
                    name: r.text(col::DETAIL)?,
                    source: r.text(col::SOURCE)?,
                    source_start: r.int(col::SOURCE_START)?,
                    source_end: r.int(col::SOURCE_END)?,
                },
            }));
        }
        Ok(SpanLine::Run(Drafted {
            draft,
            row: SpanRow {
                para: r.int(col::PARA)?,
                start: r.int(col::START)?,
                end: r.int(col::END)?,
                source: r.text(col::SOURCE)?,
                source_start: r.int(col::SOURCE_START)?,
                source_end: r.int(col::SOURCE_END)?,
                kind: r.parse(col::KIND, span_kind)?,
            },
        }))
    })?;
    let (mut spans, mut foreign) = (Vec::new(), Vec::new());
    for line in rows {
        match line {
            SpanLine::Run(s) => spans.push(s),
            SpanLine::Name(n) => foreign.push(n),
        }
    }
    let documents = read_csv(documents, &schema::DOCUMENTS, |r| {
        Ok(DocRec {
            draft: r.text(col::DRAFT)?,
            paragraphs: r.opt_int(col::PARAGRAPHS)?,
            chars: r.opt_int(col::CHARS)?,
            copied_ratio: r.ratio(col::COPIED_RATIO)?,
            boilerplate_ratio: r.ratio(col::BOILERPLATE_RATIO)?,
            top_source: r.text(col::TOP_SOURCE)?,
            top_source_ratio: r.ratio(col::TOP_SOURCE_RATIO)?,
            flags: r.flags(col::FLAGS),
            status: r.or_empty(col::STATUS),
            findings: DocFindings {
                foreign_names: r.opt_int(col::FOREIGN_NAMES)?,
                recycled_from: r.or_empty(col::RECYCLED_FROM),
                recycled_years: r.or_empty(col::RECYCLED_YEARS),
                numbers_changed: r.opt_int(col::NUMBERS_CHANGED)?,
                batch_paragraphs: r.opt_int(col::BATCH_PARAGRAPHS)?,
                batch_partner: r.or_empty(col::BATCH_PARTNER),
            },
        })
    })?;
    Ok(Tables { paragraphs, spans, foreign, documents, sources: HashMap::new() })
}

/// The rows check would write for `reports`, without the round trip through files.
pub fn from_reports(reports: &[DraftReport]) -> Tables {
    let mut t = Tables::default();
    for r in reports {
        t.paragraphs
            .extend(r.paragraphs.iter().map(|row| Drafted { draft: r.draft.clone(), row: row.clone() }));
        t.spans.extend(r.spans.iter().map(|row| Drafted { draft: r.draft.clone(), row: row.clone() }));
        t.foreign.extend(
            r.findings.foreign.iter().map(|row| Drafted { draft: r.draft.clone(), row: row.clone() }),
        );
        let recycled = r.findings.recycled.as_ref();
        let partner = super::batch_partner(r);
        let d = &r.summary;
        t.documents.push(DocRec {
            draft: r.draft.clone(),
            paragraphs: Some(d.paragraphs),
            chars: Some(d.chars),
            copied_ratio: d.copied_ratio,
            boilerplate_ratio: d.boilerplate_ratio,
            top_source: d.top_source.clone(),
            top_source_ratio: d.top_source_ratio,
            flags: d.flags.clone(),
            status: super::status(r).to_string(),
            findings: DocFindings {
                foreign_names: Some(r.findings.foreign.len()),
                recycled_from: recycled.map(|x| x.source.clone()).unwrap_or_default(),
                recycled_years: recycled.map(|x| x.years()).unwrap_or_default(),
                numbers_changed: recycled.map(|x| x.numbers_changed),
                batch_paragraphs: Some(r.findings.twins.len()),
                batch_partner: partner,
            },
        });
        t.sources.insert(r.draft.clone(), r.sources.clone());
    }
    t
}

/// A verdict by its name in either language (`--lang`).
fn verdict(column: &'static str, s: &str) -> Result<Verdict, CellError> {
    schema::parse_verdict(s).ok_or_else(|| CellError::Unknown {
        column,
        what: "verdict",
        value: s.to_string(),
        expected: schema::verdict_names(),
    })
}

fn span_kind(column: &'static str, s: &str) -> Result<SpanKind, CellError> {
    schema::parse_span_kind(s).ok_or_else(|| CellError::Unknown {
        column,
        what: "kind",
        value: s.to_string(),
        expected: schema::span_kind_names(),
    })
}

/// A data row with the header's column positions.
struct Row<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn cell(&self, column: Term) -> Option<&str> {
        self.columns
            .get(column.en)
            .map(|&i| crate::spreadsheet::unescape(self.record.get(i).unwrap_or("").trim()))
    }

    fn text(&self, column: Term) -> Result<String, CellError> {
        self.cell(column).map(str::to_string).ok_or(CellError::NoColumn(column.en))
    }

    /// The cell's text, empty when the report has no such column (one older than it).
    fn or_empty(&self, column: Term) -> String {
        self.cell(column).unwrap_or("").to_string()
    }

    fn parse<T>(
        &self,
        column: Term,
        f: impl Fn(&'static str, &str) -> Result<T, CellError>,
    ) -> Result<T, CellError> {
        f(column.en, &self.text(column)?)
    }

    fn int(&self, column: Term) -> Result<usize, CellError> {
        self.opt_int(column)?.ok_or(CellError::Empty(column.en))
    }

    fn opt_int(&self, column: Term) -> Result<Option<usize>, CellError> {
        let Some(s) = self.cell(column) else { return Ok(None) };
        if s.is_empty() {
            return Ok(None);
        }
        if let Ok(n) = s.parse::<usize>() {
            return Ok(Some(n));
        }
        // A spreadsheet may have written 6 as 6.0.
        match s.parse::<f64>() {
            Ok(x) if x >= 0.0 && x.fract() == 0.0 && x < 1e15 => Ok(Some(x as usize)),
            _ => Err(CellError::NotWhole { column: column.en, value: s.to_string() }),
        }
    }

    fn ratio(&self, column: Term) -> Result<f64, CellError> {
        let s = self.text(column)?;
        let bad = || CellError::NotNumber { column: column.en, value: s.clone() };
        let x = match s.strip_suffix(['%', '％']) {
            Some(pct) => pct.trim().parse::<f64>().map_err(|_| bad())? / 100.0,
            None if s.is_empty() => 0.0,
            None => s.parse::<f64>().map_err(|_| bad())?,
        };
        if x.is_finite() {
            Ok(x)
        } else {
            Err(bad())
        }
    }

    fn flags(&self, column: Term) -> Vec<Flag> {
        self.cell(column)
            .unwrap_or("")
            .split([';', '；'])
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .filter_map(|f| f.parse().ok())
            .collect()
    }
}

/// Reads `path` and turns each non-blank data row into a `T`; errors name the file and line.
fn read_csv<T>(
    path: &Path,
    schema: &Schema,
    row: impl Fn(&Row) -> Result<T, CellError>,
) -> Result<Vec<T>, TableError> {
    let path_buf = || path.to_path_buf();
    let bytes = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            TableError::NotFound { path: path_buf() }
        } else {
            TableError::Read { path: path_buf(), source }
        }
    })?;
    // As chachong wrote it, UTF-8 is taken as it is: a report on files named lossily by another
    // tool holds many U+FFFD, which the guess for documents of unknown encoding takes for a
    // binary file. A CSV saved again by Excel or WPS in GBK is decoded as a document would be.
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) => s.to_string(),
        Err(_) => crate::ingest::decode_text(&bytes)
            .map_err(|reason| TableError::Decode { path: path_buf(), reason })?,
    };
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (header_line.matches(d as char).count(), d == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(source)) => return Err(TableError::Csv { path: path_buf(), source }),
        None => return Err(TableError::NoHeader { path: path_buf() }),
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim().trim_start_matches('\u{feff}');
            (schema.english(h).to_ascii_lowercase(), i)
        })
        .collect();
    let mut out = Vec::new();
    for record in records {
        let record = record.map_err(|source| TableError::Csv { path: path_buf(), source })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        out.push(row(&Row { columns: &columns, record: &record }).map_err(|problem| TableError::Row {
            path: path_buf(),
            line,
            problem,
        })?);
    }
    Ok(out)
}

/// What each of the three files says, as a digest per file (by name): its rows as read, in any
/// order, numbers to the 3 decimals check writes. A file saved again by Excel or WPS (another
/// encoding, separator or number format, rows sorted, a column added) has the digest of the file
/// check wrote; a file of another run, or one whose cells were changed, has another.
/// `chachong-run.txt` records them, so review can tell a set of files of one run from a mix.
pub fn digests(t: &Tables) -> [(&'static str, u64); 3] {
    fn digest(mut rows: Vec<String>) -> u64 {
        rows.sort_unstable();
        xxhash_rust::xxh3::xxh3_64(rows.join("\n").as_bytes())
    }
    let opt = |v: Option<usize>| v.map_or(String::new(), |v| v.to_string());
    let flags = |f: &[Flag]| f.iter().map(Flag::to_string).collect::<Vec<_>>().join(";");
    let paragraphs = t.paragraphs.iter().map(|p| {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{:.3}\t{}\t{}\t{}\t{}",
            p.draft,
            p.para,
            p.start,
            p.end,
            p.verdict,
            p.score,
            p.source,
            opt(p.source_para),
            flags(&p.flags),
            p.excerpt
        )
    });
    let spans = t.spans.iter().map(|s| {
        let r = &s.row;
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            s.draft, r.para, r.start, r.end, r.source, r.source_start, r.source_end, r.kind
        )
    });
    let names = t.foreign.iter().map(|n| {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            n.draft,
            n.para,
            n.start,
            n.end,
            n.source,
            n.source_start,
            n.source_end,
            schema::FOREIGN_NAME.en,
            n.name
        )
    });
    let documents = t.documents.iter().map(|d| {
        format!(
            "{}\t{}\t{}\t{:.3}\t{:.3}\t{}\t{:.3}\t{}\t{}{}",
            d.draft,
            opt(d.paragraphs),
            opt(d.chars),
            d.copied_ratio,
            d.boilerplate_ratio,
            d.top_source,
            d.top_source_ratio,
            flags(&d.flags),
            d.status,
            d.findings.digest_field()
        )
    });
    [
        (PARAGRAPHS_CSV, digest(paragraphs.collect())),
        (SPANS_CSV, digest(spans.chain(names).collect())),
        (DOCUMENTS_CSV, digest(documents.collect())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    const SPANS: &str = "draft,para,start,end,source,source_start,source_end,kind\n";
    const DOCS: &str =
        "draft,paragraphs,chars,copied_ratio,boilerplate_ratio,top_source,top_source_ratio,flags\n";

    #[test]
    fn columns_by_name_in_any_order_with_spreadsheet_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let p = "verdict;para;draft;start;end;score;source;source_para;flags;note\r\n\
                 COPY;2;稿.txt;10;20;100%;gov/a.txt;6.0;watermark:笔杆儿网；placeholder:X次;mine\r\n\
                 ;;;;;;;;;\r\n\
                 original;1;稿.txt;0;9;0;;;;\r\n";
        write(dir.path(), PARAGRAPHS_CSV, p.as_bytes());
        write(dir.path(), SPANS_CSV, SPANS.as_bytes());
        write(dir.path(), DOCUMENTS_CSV, DOCS.as_bytes());
        let t = read_tables(dir.path()).unwrap();
        assert_eq!(t.paragraphs.len(), 2);
        let r = &t.paragraphs[0];
        assert_eq!((r.para, r.start, r.end, r.verdict, r.score), (2, 10, 20, Verdict::Copy, 1.0));
        assert_eq!(r.source_para, Some(6));
        assert_eq!(r.flags, [Flag::Watermark("笔杆儿网".into()), Flag::Placeholder("X次".into())]);
        assert_eq!(t.paragraphs[1].source_para, None);
    }

    #[test]
    fn gbk_bytes_decode() {
        let dir = tempfile::tempdir().unwrap();
        let p =
            "draft,para,start,end,verdict,score,source,source_para,flags\n稿.txt,1,0,9,original,0.000,,,\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(p);
        write(dir.path(), PARAGRAPHS_CSV, &gbk);
        write(dir.path(), SPANS_CSV, SPANS.as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "draft,copied_ratio,boilerplate_ratio,top_source,top_source_ratio,flags\n稿.txt,0,0,,0,\n",
        );
        write(dir.path(), DOCUMENTS_CSV, &gbk);
        let t = read_tables(dir.path()).unwrap();
        assert_eq!(t.paragraphs[0].draft, "稿.txt");
        assert_eq!(t.documents[0].draft, "稿.txt");
        assert_eq!(t.documents[0].chars, None);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            PARAGRAPHS_CSV,
            b"draft,para,start,end,verdict,score,source,source_para,flags\na,1,0,9,copied,1,,,\n",
        );
        write(dir.path(), SPANS_CSV, SPANS.as_bytes());
        write(dir.path(), DOCUMENTS_CSV, DOCS.as_bytes());
        let e = read_tables(dir.path()).unwrap_err();
        assert!(
            matches!(
                &e,
                TableError::Row { line: 2, problem: CellError::Unknown { column: "verdict", .. }, .. }
            ),
            "{e:?}"
        );
        assert!(
            e.to_string().contains("paragraphs.csv line 2: column verdict: unknown verdict \"copied\""),
            "{e}"
        );
        std::fs::remove_file(dir.path().join(SPANS_CSV)).unwrap();
        write(dir.path(), PARAGRAPHS_CSV, b"draft,para,start,end,verdict,score,source,source_para,flags\n");
        let e = read_tables(dir.path()).unwrap_err();
        assert!(matches!(&e, TableError::NotFound { path } if path.ends_with(SPANS_CSV)), "{e:?}");
        assert!(e.to_string().contains("spans.csv: not found"), "{e}");
    }
}
