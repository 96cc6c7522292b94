//! Cells that Excel and WPS show as text, never run as formulas.
//!
//! A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return) is a formula to a
//! spreadsheet, and a draft's or a corpus file's text may start that way (OWASP's CSV injection).
//! Such a cell is written with a leading `'`, which spreadsheets take as "text follows" and do not
//! show. The escape is undone when chachong reads its reports back, so every other output keeps
//! the original text: a cell that already starts with `'` before one of those chars gets one more.

use std::borrow::Cow;

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell that no spreadsheet runs.
pub fn escape(text: &str) -> Cow<'_, str> {
    if needs_escape(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text [`escape`] was given.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_escape(rest) => rest,
        _ => cell,
    }
}

fn needs_escape(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_come_back() {
        for text in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "'=x", "''+y"] {
            let cell = escape(text);
            assert!(cell.starts_with('\''), "{text:?} → {cell:?}");
            assert_eq!(unescape(&cell), text);
        }
        for text in ["一、总体要求", "0.472", "'引号'", "", "—— 破折号"] {
            assert_eq!(escape(text), text);
            assert_eq!(unescape(text), text);
        }
    }
}
