//! The reports as one Excel workbook (`--xlsx FILE`): one sheet per CSV table, the summary
//! (`documents`) first, for the people who open a report in Excel or WPS and would otherwise have
//! to import three CSV files. Each sheet has its header frozen and filterable, columns as wide as
//! their text (CJK chars count double), numbers stored as numbers (ratios shown as the CSV shows
//! them: `0.472`, or `47.2%` with `--lang zh`), and verdicts coloured as in the HTML report: copy
//! red, partial orange, 套话 grey.
//!
//! The cells are the CSV's ([`crate::table`]), so a sheet says what its CSV says; text is written
//! as text, never as a formula, so no escape is needed here. The workbook is written by
//! rust_xlsxwriter and saved atomically ([`crate::atomic`]).

use crate::atomic::write_atomic;
use crate::report::schema;
use crate::report::{DraftReport, Unchecked};
use crate::table::{Cell, Lang, Table, Term};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::io::{self, Write};
use std::path::Path;

/// Data rows a sheet holds (Excel's 1,048,576 rows, less the header); a longer table goes on in a
/// second sheet of the same name with ` 2`.
const SHEET_ROWS: usize = 1_048_575;
/// Chars a cell holds in Excel.
const CELL_CHARS: usize = 32_767;
/// Column widths, in Excel's units (about one Latin char): wide enough for a header such as
/// `para`, and no wider than a 40-char excerpt (80 units), so the rest of a row stays in view.
const MIN_COLUMN_WIDTH: usize = 6;
const MAX_COLUMN_WIDTH: usize = 82;

/// Writes the check reports of `reports` (and the drafts that could not be checked) as a
/// workbook at `path`, atomically: the sheets of `report::tables`.
pub fn write_check(
    path: &Path,
    reports: &[DraftReport],
    unchecked: &[Unchecked],
    lang: Lang,
) -> io::Result<()> {
    write(path, &crate::report::tables(reports, unchecked), lang)
}

/// Writes an audit's reports as a workbook at `path`, atomically: the sheets of `audit::tables`.
pub fn write_audit(path: &Path, audit: &crate::audit::Audit, lang: Lang) -> io::Result<()> {
    write(path, &crate::audit::tables(audit), lang)
}

/// Writes `tables` as a workbook at `path`, atomically, one sheet each in their order.
pub fn write(path: &Path, tables: &[Table], lang: Lang) -> io::Result<()> {
    let bytes = to_bytes(tables, lang).map_err(io::Error::other)?;
    write_atomic(path, |w| w.write_all(&bytes))
}

/// The workbook of `tables` as the bytes of an .xlsx file (for a download, say).
pub fn to_bytes(tables: &[Table], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new(lang);
    let mut book = Workbook::new();
    for table in tables {
        let chunks: Vec<&[Vec<Cell>]> =
            if table.rows.is_empty() { vec![&[][..]] } else { table.rows.chunks(SHEET_ROWS).collect() };
        for (i, rows) in chunks.into_iter().enumerate() {
            let sheet = book.add_worksheet();
            let name = table.schema.name.name(lang);
            if i == 0 {
                sheet.set_name(name)?;
            } else {
                sheet.set_name(format!("{name} {}", i + 1))?;
            }
            fill(sheet, table, rows, lang, &styles)?;
        }
    }
    book.save_to_buffer()
}

/// The formats cells are written with.
struct Styles {
    header: Format,
    ratio: Format,
    tenths: Format,
    /// The coloured verdicts ([`schema::VERDICTS`]), by English name: a span's `copy` or a
    /// cluster's `boilerplate` is coloured as the verdict.
    labels: Vec<(&'static str, Format)>,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF1F2F4))
                .set_border_bottom(FormatBorder::Thin),
            ratio: Format::new().set_num_format(match lang {
                Lang::En => "0.000",
                Lang::Zh => "0.0%",
            }),
            tenths: Format::new().set_num_format("0.0"),
            labels: schema::VERDICTS
                .iter()
                .filter_map(|&(_, t, c)| {
                    let c = c?;
                    let f = Format::new().set_bold().set_font_color(Color::RGB(c.ink));
                    Some((t.en, f.set_background_color(Color::RGB(c.paper))))
                })
                .collect(),
        }
    }

    /// The format of a verdict or kind, if it is coloured.
    fn label(&self, t: Term) -> Option<&Format> {
        self.labels.iter().find(|(en, _)| *en == t.en).map(|(_, f)| f)
    }
}

fn fill(
    sheet: &mut Worksheet,
    table: &Table,
    rows: &[Vec<Cell>],
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = table.schema.columns.iter().map(|c| display_width(c.name(lang))).collect();
    for (col, c) in table.schema.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, c.name(lang), &styles.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            let text = cell.text(lang);
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(display_width(&text));
            }
            match (cell, cell.number(lang)) {
                (Cell::Blank, _) => {}
                (Cell::Ratio(_), Some(x)) => {
                    sheet.write_number_with_format(r, c, x, &styles.ratio)?;
                }
                (Cell::Tenths(_), Some(x)) => {
                    sheet.write_number_with_format(r, c, x, &styles.tenths)?;
                }
                (_, Some(x)) => {
                    sheet.write_number(r, c, x)?;
                }
                (Cell::Label(t), None) => match styles.label(*t) {
                    Some(f) => {
                        sheet.write_string_with_format(r, c, text, f)?;
                    }
                    None => {
                        sheet.write_string(r, c, text)?;
                    }
                },
                (_, None) => {
                    sheet.write_string(r, c, fit_cell(&text))?;
                }
            }
        }
    }
    for (col, w) in widths.into_iter().enumerate() {
        let w = (w + 2).clamp(MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
        sheet.set_column_width(col as u16, w as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = table.schema.columns.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, rows.len() as u32, last_col)?;
    Ok(())
}

/// Columns a text takes in a spreadsheet: CJK and other wide chars count two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c as u32 >= 0x2E80 { 2 } else { 1 }).sum()
}

/// `text`, cut to what a cell holds.
fn fit_cell(text: &str) -> String {
    text.chars().take(CELL_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_chars_count_double() {
        assert_eq!(display_width("copied_ratio"), 12);
        assert_eq!(display_width("总文字复制比"), 12);
        assert_eq!(display_width("47.2%"), 5);
    }
}
