//! A report table as typed cells, before it becomes a CSV file or a spreadsheet sheet: the CSV and
//! the .xlsx writers both write these, so a workbook and the CSVs of the same run cannot
//! disagree, and this is the one place where columns and values are named in English or in
//! Chinese (`--lang`).
//!
//! English is the contract of docs/report-format.md, read by scripts. Chinese is for the people
//! who open the report in Excel or WPS: headers and verdicts in their words, ratios as the
//! percentages a 查重 report shows (`47.2%`).

use crate::classify::{SpanKind, Verdict};
use std::borrow::Cow;
use std::str::FromStr;

/// The language of a report's headers and values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Column and value names of docs/report-format.md, ratios as `0.472`.
    #[default]
    En,
    /// Chinese names, ratios as `47.2%`.
    Zh,
}

impl FromStr for Lang {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Lang, &'static str> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "zh" | "zh-cn" | "cn" => Ok(Lang::Zh),
            _ => Err("takes zh (Chinese headers, verdicts and percentages) or en (the names scripts read)"),
        }
    }
}

/// A name in both languages: a table's, a column's, or a value's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Term {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// What a cell holds; [`Cell::text`] is what the CSV shows, and the .xlsx writer writes numbers
/// as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A count or an offset.
    Count(usize),
    /// Nothing (an optional value that is absent).
    Blank,
    /// A share, 0..1: `0.472` in English (3 decimals), `47.2%` in Chinese.
    Ratio(f64),
    /// A measure with one decimal (pairs.csv's `evidence`).
    Tenths(f64),
    /// A value named in both languages: a verdict, a span's or a cluster's kind, a status.
    Label(Term),
    /// documents.csv's status of a draft that could not be read, with the reason.
    Unreadable(String),
}

impl Cell {
    /// The cell as the CSV writes it (before the formula escape of [`crate::spreadsheet`]).
    pub fn text(&self, lang: Lang) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Count(n) => Cow::Owned(n.to_string()),
            Cell::Blank => Cow::Borrowed(""),
            Cell::Ratio(x) => Cow::Owned(match lang {
                Lang::En => format!("{x:.3}"),
                Lang::Zh => format!("{:.1}%", x * 100.0),
            }),
            Cell::Tenths(x) => Cow::Owned(format!("{x:.1}")),
            Cell::Label(t) => Cow::Borrowed(t.name(lang)),
            Cell::Unreadable(reason) => Cow::Owned(match lang {
                Lang::En => format!("unreadable: {reason}"),
                Lang::Zh => format!("{}: {reason}", UNREADABLE.zh),
            }),
        }
    }

    /// The number a spreadsheet cell holds, equal to what [`Cell::text`] shows (rounding
    /// included, so the sheet and the CSV say the same); `None` for text.
    pub fn number(&self, lang: Lang) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Tenths(_) => self.text(lang).parse().ok(),
            Cell::Ratio(_) => {
                let text = self.text(lang);
                match text.strip_suffix('%') {
                    Some(pct) => pct.parse::<f64>().ok().map(|p| p / 100.0),
                    None => text.parse().ok(),
                }
            }
            _ => None,
        }
    }
}

/// One report table: what one CSV file holds and one sheet shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The table's name: `en` is its CSV file's stem (`paragraphs` for paragraphs.csv).
    pub name: Term,
    pub columns: &'static [Term],
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The CSV file the table is written to.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name.en)
    }
}

/// A verdict's names.
pub fn verdict(v: Verdict) -> Term {
    let en = match v {
        Verdict::Copy => "copy",
        Verdict::Partial => "partial",
        Verdict::Boilerplate => "boilerplate",
        Verdict::Original => "original",
    };
    Term { en, zh: crate::review::verdict_zh(v) }
}

/// A span kind's names: a copied run is 复制, a formula 套话, as the verdicts.
pub fn span_kind(k: SpanKind) -> Term {
    match k {
        SpanKind::Copy => verdict(Verdict::Copy),
        SpanKind::Boilerplate => verdict(Verdict::Boilerplate),
    }
}

/// documents.csv's statuses.
pub const OK: Term = Term { en: "ok", zh: "正常" };
pub const EMPTY: Term = Term { en: "empty", zh: "无文字" };
pub const UNREADABLE: Term = Term { en: "unreadable", zh: "无法读取" };

/// The English name of a column named `header` in either language, among the tables' `columns`:
/// how a reader of the reports finds the columns of a Chinese report.
pub fn english_column<'a>(header: &'a str, columns: &[&[Term]]) -> &'a str {
    columns.iter().flat_map(|c| c.iter()).find(|t| t.zh == header).map_or(header, |t| t.en)
}

/// The value `text` names in either language among `terms`.
pub fn find_term(text: &str, terms: &[Term]) -> Option<Term> {
    terms.iter().copied().find(|t| t.en.eq_ignore_ascii_case(text) || t.zh == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_in_both_languages() {
        assert_eq!(Cell::Ratio(0.4724).text(Lang::En), "0.472");
        assert_eq!(Cell::Ratio(0.4724).text(Lang::Zh), "47.2%");
        assert_eq!(Cell::Ratio(0.4724).number(Lang::En), Some(0.472));
        assert_eq!(Cell::Ratio(0.4726).number(Lang::Zh), Some(0.473));
        assert_eq!(Cell::Ratio(1.0).text(Lang::Zh), "100.0%");
        assert_eq!(Cell::Tenths(12.34).text(Lang::Zh), "12.3");
        assert_eq!(Cell::Label(verdict(Verdict::Partial)).text(Lang::Zh), "部分复制");
        assert_eq!(Cell::Label(span_kind(SpanKind::Boilerplate)).text(Lang::Zh), "套话");
        assert_eq!(Cell::Unreadable("not a .docx".into()).text(Lang::En), "unreadable: not a .docx");
        assert_eq!(Cell::Unreadable("not a .docx".into()).text(Lang::Zh), "无法读取: not a .docx");
        assert_eq!(Cell::Text("=1".into()).number(Lang::En), None);
        assert_eq!(Cell::Blank.text(Lang::Zh), "");
    }

    #[test]
    fn languages_parse() {
        assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }
}
