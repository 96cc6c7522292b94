//! When a document was written, to say which of two sharing documents is the source: copying runs
//! from the older to the newer. The date comes from the file name (`2024_国务院_政府工作报告.txt`,
//! `讲话_2022年7月5日.docx`, `20220705_总结.txt`), else from the text — a 公文's 发文日期 (the date
//! line of its 落款 at the end, or a `成文日期：` label), else the dateline in its first lines
//! (`——2024年3月5日在…`) — and only as a last resort from the file's modification time, which a
//! copy or a save resets.

use crate::ingest::Document;
use crate::params::{DATELINE_MAX_CHARS, DATE_LINES};
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

/// Where a document's date was found, strongest first: a writer names a file by its date, a
/// 公文 states its own, while a file time only says when the file was last written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DateBasis {
    Name,
    Text,
    FileTime,
}

impl DateBasis {
    /// How `pairs.csv` and the HTML page name it.
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Name => "file name",
            DateBasis::Text => "text",
            DateBasis::FileTime => "file time",
        }
    }
}

/// A document's date and where it was found: a file name may give the year and the text the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub date: DocDate,
    /// Where the year was found.
    pub year_basis: DateBasis,
    /// Where the month and day were found.
    pub basis: DateBasis,
}

impl Dated {
    /// Which of two dated documents is older, and on what evidence: the weaker of the two
    /// documents' for the part of the date that decides. `None` when the dates do not tell.
    pub fn order(&self, other: &Dated) -> Option<(Ordering, DateBasis)> {
        let basis = if self.date.year == other.date.year {
            self.basis.max(other.basis)
        } else {
            self.year_basis.max(other.year_basis)
        };
        self.date.order(&other.date).map(|o| (o, basis))
    }
}

/// Whether a document dated `a` is known to be later than one dated `b`, by the dates in their
/// names or texts: a source is earlier than its copy, so the first is no source of the second.
/// File times alone do not tell (a copy or a save resets them); they only name a pair's likely
/// source.
pub fn known_later(a: Option<Dated>, b: Option<Dated>) -> bool {
    a.zip(b)
        .and_then(|(a, b)| a.order(&b))
        .is_some_and(|(order, basis)| order == Ordering::Greater && basis != DateBasis::FileTime)
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

/// Labels of a 公文's issue date, as government sites print them above the text.
const DATE_LABELS: [&str; 4] = ["发文日期", "成文日期", "印发日期", "发布日期"];

/// The date of a document: its file name, refined by a date of the same year in its text; else
/// the text alone; else the file's modification time.
pub fn doc_date(doc: &Document) -> Option<Dated> {
    let name = doc.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dated = |date, year_basis, basis| Some(Dated { date, year_basis, basis });
    match (parse(&name), text_date(&doc.text)) {
        (Some(n), Some(t)) if t.year == n.year && n.month == 0 => dated(t, DateBasis::Name, DateBasis::Text),
        (Some(n), _) => dated(n, DateBasis::Name, DateBasis::Name),
        (None, Some(t)) => dated(t, DateBasis::Text, DateBasis::Text),
        (None, None) => std::fs::metadata(&doc.path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(from_system_time)
            .and_then(|date| dated(date, DateBasis::FileTime, DateBasis::FileTime)),
    }
}

/// The date a text gives itself: its 发文日期 — a labelled one, or the date line of the 落款 among
/// its last lines — else the dateline among its first lines.
pub fn text_date(text: &str) -> Option<DocDate> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let labelled = lines.iter().find_map(|l| {
        DATE_LABELS.iter().find_map(|label| {
            let rest = &l[l.find(label)? + label.len()..];
            parse(rest.trim_start_matches([':', '：', ' ', '\u{3000}']))
        })
    });
    let signed = || {
        let tail = &lines[lines.len().saturating_sub(DATE_LINES)..];
        tail.iter().rev().find_map(|l| is_dateline(l).then(|| parse(l)).flatten())
    };
    let head = || parse(&lines[..lines.len().min(DATE_LINES)].join("\n"));
    labelled.or_else(signed).or_else(head)
}

/// Whether a paragraph is a dateline: a short line with a date of at least year and month at its
/// start or end and no sentence — `——2024年3月5日在第十四届全国人民代表大会第二次会议上`,
/// `（2018年3月20日第十三届全国人民代表大会第一次会议通过）`, `2026年1月14日`. Datelines of one
/// meeting, or of one province's congress year after year, share their words however independent
/// the texts they head: a formula, never a passage recycled.
pub fn is_dateline(paragraph: &str) -> bool {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = DATE.get_or_init(|| {
        Regex::new(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
            .expect("the dateline pattern is valid")
    });
    let t = paragraph.trim().trim_matches(|c: char| "—－-（）()〔〕[]【】 \u{3000}".contains(c));
    if t.chars().count() > DATELINE_MAX_CHARS || t.contains(['。', '；', ';', '！', '？']) {
        return false;
    }
    date.find_iter(t).any(|m| m.start() == 0 || m.end() == t.len())
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
    fn a_notice_is_dated_by_its_issue_date_and_a_report_by_its_dateline() {
        // Adopted 1997-09-24 (its first lines), issued 1997-10-06 (its 落款): the 发文日期 wins.
        let notice = include_str!("../../tests/fixtures/audit/dates/最高人民检察院关于检察工作中具体适用修订刑法第十二条若干问题的通知.txt");
        assert_eq!(text_date(notice), d(1997, 10, 6));
        let head: String = notice.lines().take(4).collect::<Vec<_>>().join("\n");
        assert_eq!(text_date(&head), d(1997, 9, 24));
        let report = include_str!("../../corpus/govreports/national/2024_国务院_政府工作报告.txt");
        assert_eq!(text_date(report), d(2024, 3, 5));
        assert_eq!(
            text_date("（此件公开发布）\n成文日期：2024年01月19日\n国务院办公厅关于…的通知"),
            d(2024, 1, 19)
        );
        assert_eq!(text_date("各位代表：\n现在，我代表国务院，向大会报告政府工作。"), None);
    }

    #[test]
    fn a_name_gives_the_year_and_the_text_the_day() {
        let report = crate::ingest::document_from_bytes(
            std::path::Path::new("2024_国务院_政府工作报告.txt"),
            include_bytes!("../../corpus/govreports/national/2024_国务院_政府工作报告.txt"),
        )
        .unwrap();
        let dated = doc_date(&report).unwrap();
        assert_eq!(
            (Some(dated.date), dated.year_basis, dated.basis),
            (d(2024, 3, 5), DateBasis::Name, DateBasis::Text)
        );
        let y2025 = Dated {
            date: DocDate { year: 2025, month: 0, day: 0 },
            year_basis: DateBasis::Name,
            basis: DateBasis::Name,
        };
        assert_eq!(dated.order(&y2025), Some((Ordering::Less, DateBasis::Name)));
        let same_day = Dated { basis: DateBasis::FileTime, year_basis: DateBasis::FileTime, ..dated };
        assert_eq!(dated.order(&same_day), None);
        let later_file = Dated { date: DocDate { year: 2024, month: 3, day: 9 }, ..same_day };
        assert_eq!(later_file.order(&dated), Some((Ordering::Greater, DateBasis::FileTime)));
        assert!(!known_later(Some(later_file), Some(dated)), "a file time alone excludes no source");
        assert!(known_later(Some(y2025), Some(dated)));
        assert!(!known_later(None, Some(dated)));
    }

    #[test]
    fn datelines_are_told_from_sentences() {
        for line in [
            "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
            "2026年1月14日在浙江省第十四届人民代表大会第四次会议上",
            "（2018年3月20日第十三届全国人民代表大会第一次会议通过）",
            "1997年9月24日 最高人民检察院第八届检察委员会第七十四次会议通过",
            "1997年10月6日",
        ] {
            assert!(is_dateline(line), "{line}");
        }
        for line in [
            "2024年是中华人民共和国成立75周年，是实现“十四五”规划目标任务的关键一年。",
            "2018年中华人民共和国国务院政府工作报告",
            "各位代表：",
            "到2025年10月，全省累计建成5G基站20万个，实现县城以上区域全覆盖，重点场所深度覆盖，为数字经济发展打下了坚实基础",
        ] {
            assert!(!is_dateline(line), "{line}");
        }
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
