//! A report table as typed cells, before it becomes a CSV file or a spreadsheet sheet: the CSV and
//! the .xlsx writers both write these, so a workbook and the CSVs of the same run cannot
//! disagree, and this is the one place where columns and values are named in English or in
//! Chinese (`--lang`).
//!
//! English is the contract of docs/report-format.md, read by scripts. Chinese is for the people
//! who open the report in Excel or WPS: headers and verdicts in their words, ratios as the
//! percentages a 查重 report shows (`47.2%`).

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

    /// Whether `text` is this name in either language (English in any case).
    pub fn names(&self, text: &str) -> bool {
        self.en.eq_ignore_ascii_case(text) || self.zh == text
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
    /// A label with a reason: documents.csv's `unreadable: <reason>`.
    Because(Term, String),
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
            Cell::Because(t, reason) => Cow::Owned(format!("{}: {reason}", t.name(lang))),
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

/// A report table's definition: its name, its file and its columns (the tables are in
/// [`crate::report::schema`]).
#[derive(Debug, PartialEq, Eq)]
pub struct Schema {
    /// `en` is the CSV file's stem and the sheet's name in English, `zh` the sheet's in Chinese.
    pub name: Term,
    /// The CSV file the table is written to.
    pub file: &'static str,
    pub columns: &'static [Term],
}

impl Schema {
    /// The English name of a column named `header` in either language, `header` itself when
    /// the table has no such column: how a reader finds the columns of a Chinese report.
    pub fn english<'a>(&self, header: &'a str) -> &'a str {
        self.columns.iter().find(|t| t.zh == header).map_or(header, |t| t.en)
    }
}

/// One report table: what one CSV file holds and one sheet shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub schema: &'static Schema,
    pub rows: Vec<Vec<Cell>>,
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
        let partial = Term { en: "partial", zh: "部分复制" };
        assert_eq!(Cell::Label(partial).text(Lang::Zh), "部分复制");
        let unreadable = Term { en: "unreadable", zh: "无法读取" };
        assert_eq!(Cell::Because(unreadable, "not a .docx".into()).text(Lang::En), "unreadable: not a .docx");
        assert_eq!(Cell::Because(unreadable, "not a .docx".into()).text(Lang::Zh), "无法读取: not a .docx");
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
