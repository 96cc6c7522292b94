//! When a document was written, to say which of two sharing documents is the source: copying runs
//! from the older to the newer. The date comes from the file name (`2024_国务院_政府工作报告.txt`,
//! `讲话_2022年7月5日.docx`, `20220705_总结.txt`), else from the first lines (the dateline of a speech
//! or report: `——2024年3月5日在…`), else from the file's modification time.

use crate::ingest::Document;
use crate::params::DATE_LINES;
use regex::Regex;
use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date as precise as its evidence: a year alone, a year and month, or a full date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocDate {
    pub year: u16,
    /// 1–12, or 0 when unknown.
    pub month: u8,
    /// 1–31, or 0 when unknown.
    pub day: u8,
}

impl DocDate {
    /// Which date is older, when the two are precise enough to tell: a year alone does not order
    /// two documents of the same year.
    pub fn order(&self, other: &DocDate) -> Option<Ordering> {
        let fields = [
            (self.year, other.year),
            (self.month.into(), other.month.into()),
            (self.day.into(), other.day.into()),
        ];
        for (a, b) in fields {
            if a == 0 || b == 0 {
                return None;
            }
            if a != b {
                return Some(a.cmp(&b));
            }
        }
        None
    }
}

impl fmt::Display for DocDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month > 0 {
            write!(f, "-{:02}", self.month)?;
            if self.day > 0 {
                write!(f, "-{:02}", self.day)?;
            }
        }
        Ok(())
    }
}

/// Year, month and day patterns, most precise first; each captures year, month, day (month and day
/// optional).
fn patterns() -> &'static [Regex] {
    static P: OnceLock<Vec<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        [
            r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
            r"(?:^|\D)((?:19|20)\d\d)[-_.](\d{1,2})[-_.](\d{1,2})(?:\D|$)",
            r"(?:^|\D)((?:19|20)\d\d)(\d\d)(\d\d)(?:\D|$)",
            r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月()",
            r"(?:^|\D)((?:19|20)\d\d)(?:年|\D|$)()()",
        ]
        .iter()
        .map(|p| Regex::new(p).expect("the date patterns are valid"))
        .collect()
    })
}

/// The most precise valid date in `text`.
pub fn parse(text: &str) -> Option<DocDate> {
    for re in patterns() {
        for c in re.captures_iter(text) {
            let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u16>().ok()).unwrap_or(0);
            let (year, month, day) = (num(1), num(2), num(3));
            if month <= 12 && day <= 31 && (month > 0 || day == 0) {
                return Some(DocDate { year, month: month as u8, day: day as u8 });
            }
        }
    }
    None
}

/// The date of a document: its file name, refined by a dateline of the same year in its first
/// lines; else the first lines alone; else the file's modification time.
pub fn doc_date(doc: &Document) -> Option<DocDate> {
    let name = doc.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let head: String = doc.text.lines().take(DATE_LINES).collect::<Vec<_>>().join("\n");
    let from_head = parse(&head);
    match (parse(&name), from_head) {
        (Some(n), Some(h)) if h.year == n.year && n.month == 0 => Some(h),
        (Some(n), _) => Some(n),
        (None, Some(h)) => Some(h),
        (None, None) => {
            std::fs::metadata(&doc.path).and_then(|m| m.modified()).ok().and_then(from_system_time)
        }
    }
}

/// The UTC calendar date of a file time.
fn from_system_time(t: SystemTime) -> Option<DocDate> {
    let days = (t.duration_since(UNIX_EPOCH).ok()?.as_secs() / 86_400) as i64;
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Some(DocDate { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn d(year: u16, month: u8, day: u8) -> Option<DocDate> {
        Some(DocDate { year, month, day })
    }

    #[test]
    fn dates_in_names_and_datelines() {
        assert_eq!(parse("2024_国务院_政府工作报告.txt"), d(2024, 0, 0));
        assert_eq!(parse("在2022年7月5日的会议上"), d(2022, 7, 5));
        assert_eq!(parse("20220705_总结.txt"), d(2022, 7, 5));
        assert_eq!(parse("讲话-2021-12-03.docx"), d(2021, 12, 3));
        assert_eq!(parse("2019年3月工作总结"), d(2019, 3, 0));
        assert_eq!(parse("20221399.txt"), None);
        assert_eq!(parse("第3次会议.txt"), None);
    }

    #[test]
    fn only_precise_enough_dates_are_ordered() {
        let y2023 = DocDate { year: 2023, month: 0, day: 0 };
        let y2024 = DocDate { year: 2024, month: 0, day: 0 };
        let march = DocDate { year: 2024, month: 3, day: 5 };
        let april = DocDate { year: 2024, month: 4, day: 1 };
        assert_eq!(y2023.order(&march), Some(Ordering::Less));
        assert_eq!(april.order(&march), Some(Ordering::Greater));
        assert_eq!(y2024.order(&march), None);
        assert_eq!(march.order(&march), None);
        assert_eq!(march.to_string(), "2024-03-05");
        assert_eq!(y2024.to_string(), "2024");
    }

    #[test]
    fn file_times_become_utc_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_709_596_800); // 2024-03-05T00:00:00Z
        assert_eq!(from_system_time(t), d(2024, 3, 5));
        assert_eq!(from_system_time(UNIX_EPOCH + Duration::from_secs(951_782_400)), d(2000, 2, 29));
    }
}
