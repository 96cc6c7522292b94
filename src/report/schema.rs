//! The report tables' one definition: each CSV's file name, its columns in English and Chinese,
//! and the values a column names (verdicts, kinds, statuses) with the colour a verdict is shown
//! in. The writers ([`crate::report`], [`crate::audit`], [`crate::xlsx`]) and the reader
//! ([`super::read`]) all take them from here, and a test checks them against
//! docs/report-format.md, so a column or a verdict is added in one place.
//!
//! Adding a column: a [`Term`] below, then the table's `columns` (at the end: scripts read the
//! contract's columns by position), the cell in its writer, the field in its reader, and a line in
//! docs/report-format.md. Adding a verdict: its variant in [`crate::classify::Verdict`] and its
//! line in [`VERDICTS`].

use crate::classify::{SpanKind, Verdict};
use crate::table::{Schema, Term};
use std::fmt;

/// The files of a report folder.
pub const PARAGRAPHS_CSV: &str = "paragraphs.csv";
pub const SPANS_CSV: &str = "spans.csv";
pub const DOCUMENTS_CSV: &str = "documents.csv";
pub const PAIRS_CSV: &str = "pairs.csv";
pub const CLUSTERS_CSV: &str = "clusters.csv";
pub const CLUSTER_MEMBERS_CSV: &str = "cluster_members.csv";
/// The run manifest ([`crate::manifest`]), written beside the CSVs.
pub const MANIFEST_FILE: &str = "chachong-run.txt";

const fn term(en: &'static str, zh: &'static str) -> Term {
    Term { en, zh }
}

/// The columns, each once: a name several tables share is one constant, so it cannot be spelled
/// two ways.
pub mod col {
    use super::term;
    use crate::table::Term;

    pub const DRAFT: Term = term("draft", "草稿");
    pub const PARA: Term = term("para", "段落号");
    pub const START: Term = term("start", "起始");
    pub const END: Term = term("end", "结束");
    pub const CHARS: Term = term("chars", "字数");
    pub const VERDICT: Term = term("verdict", "判定");
    pub const SCORE: Term = term("score", "相似度");
    pub const SOURCE: Term = term("source", "来源");
    pub const SOURCE_PARA: Term = term("source_para", "来源段落号");
    pub const SIMHASH_DISTANCE: Term = term("simhash_distance", "SimHash距离");
    pub const MATCHED_CHARS: Term = term("matched_chars", "重复字数");
    pub const FLAGS: Term = term("flags", "标记");
    pub const EXCERPT: Term = term("excerpt", "摘录");
    pub const MATCHED_TEXT: Term = term("matched_text", "重复文字");
    pub const SOURCE_START: Term = term("source_start", "来源起始");
    pub const SOURCE_END: Term = term("source_end", "来源结束");
    pub const KIND: Term = term("kind", "类型");
    pub const DETAIL: Term = term("detail", "说明");
    pub const PARAGRAPHS: Term = term("paragraphs", "段落数");
    pub const COPIED_RATIO: Term = term("copied_ratio", "总文字复制比");
    pub const BOILERPLATE_RATIO: Term = term("boilerplate_ratio", "套话比");
    pub const TOP_SOURCE: Term = term("top_source", "最大来源");
    pub const TOP_SOURCE_RATIO: Term = term("top_source_ratio", "单篇最大复制比");
    pub const STATUS: Term = term("status", "状态");
    pub const FOREIGN_NAMES: Term = term("foreign_names", "外地地名数");
    pub const RECYCLED_FROM: Term = term("recycled_from", "旧稿来源");
    pub const RECYCLED_YEARS: Term = term("recycled_years", "旧稿年份");
    pub const NUMBERS_CHANGED: Term = term("numbers_changed", "改动数字数");
    pub const BATCH_PARAGRAPHS: Term = term("batch_paragraphs", "同批相同段落数");
    pub const BATCH_PARTNER: Term = term("batch_partner", "同批相同草稿");
    pub const DOC_A: Term = term("doc_a", "文档A");
    pub const DOC_B: Term = term("doc_b", "文档B");
    pub const SHARED_CHARS: Term = term("shared_chars", "共有字数");
    pub const SHARE_A: Term = term("share_a", "占A比");
    pub const SHARE_B: Term = term("share_b", "占B比");
    pub const LONGEST_RUN: Term = term("longest_run", "最长重复字数");
    /// pairs.csv's `source`: the older of the two, so its Chinese name says so.
    pub const EARLIER_SOURCE: Term = term("source", "较早来源");
    pub const DATE_A: Term = term("date_a", "日期A");
    pub const DATE_B: Term = term("date_b", "日期B");
    pub const EVIDENCE: Term = term("evidence", "证据分");
    pub const SOURCE_BY: Term = term("source_by", "来源依据");
    pub const SHARED_TEXT: Term = term("shared_text", "共有文字");
    pub const CLUSTER: Term = term("cluster", "簇号");
    pub const DOCUMENTS: Term = term("documents", "文档数");
    pub const EARLIEST: Term = term("earliest", "最早文档");
    pub const EARLIEST_DATE: Term = term("earliest_date", "最早日期");
    pub const DOCUMENT: Term = term("document", "文档");
}

use col::*;

/// paragraphs.csv: one row per draft paragraph.
pub const PARAGRAPHS: Schema = Schema {
    name: term("paragraphs", "段落"),
    file: PARAGRAPHS_CSV,
    columns: &[
        DRAFT,
        PARA,
        START,
        END,
        CHARS,
        VERDICT,
        SCORE,
        SOURCE,
        SOURCE_PARA,
        SIMHASH_DISTANCE,
        MATCHED_CHARS,
        FLAGS,
        EXCERPT,
        MATCHED_TEXT,
    ],
};

/// spans.csv: one row per matched run (and per foreign name); `detail` comes after the
/// contract's first eight.
pub const SPANS: Schema = Schema {
    name: term("spans", "重复片段"),
    file: SPANS_CSV,
    columns: &[DRAFT, PARA, START, END, SOURCE, SOURCE_START, SOURCE_END, KIND, DETAIL],
};

/// documents.csv: one row per draft; the findings' six ([`crate::findings`]) come after `status`.
pub const DOCUMENTS: Schema = Schema {
    name: term("documents", "文档"),
    file: DOCUMENTS_CSV,
    columns: &[
        DRAFT,
        col::PARAGRAPHS,
        CHARS,
        COPIED_RATIO,
        BOILERPLATE_RATIO,
        TOP_SOURCE,
        TOP_SOURCE_RATIO,
        FLAGS,
        STATUS,
        FOREIGN_NAMES,
        RECYCLED_FROM,
        RECYCLED_YEARS,
        NUMBERS_CHANGED,
        BATCH_PARAGRAPHS,
        BATCH_PARTNER,
    ],
};

/// pairs.csv (audit): one row per pair of documents that share copied text.
pub const PAIRS: Schema = Schema {
    name: term("pairs", "文档对"),
    file: PAIRS_CSV,
    columns: &[
        DOC_A,
        DOC_B,
        SHARED_CHARS,
        SHARE_A,
        SHARE_B,
        LONGEST_RUN,
        SIMHASH_DISTANCE,
        EARLIER_SOURCE,
        DATE_A,
        DATE_B,
        EVIDENCE,
        SOURCE_BY,
        SHARED_TEXT,
    ],
};

/// clusters.csv (audit): one row per group of near-duplicate paragraphs.
pub const CLUSTERS: Schema = Schema {
    name: term("clusters", "段落簇"),
    file: CLUSTERS_CSV,
    columns: &[CLUSTER, col::PARAGRAPHS, col::DOCUMENTS, EARLIEST, EARLIEST_DATE, KIND, CHARS, EXCERPT],
};

/// cluster_members.csv (audit): one row per paragraph of a cluster.
pub const CLUSTER_MEMBERS: Schema = Schema {
    name: term("cluster_members", "簇成员"),
    file: CLUSTER_MEMBERS_CSV,
    columns: &[CLUSTER, DOCUMENT, PARA, EXCERPT],
};

/// Every table, in the order docs/report-format.md lists them.
pub const ALL: [&Schema; 6] = [&PARAGRAPHS, &SPANS, &DOCUMENTS, &PAIRS, &CLUSTERS, &CLUSTER_MEMBERS];

/// A colour a label is shown in, as `0xRRGGBB`: the text's and the background's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    pub ink: u32,
    pub paper: u32,
}

/// The verdicts: their names and colours (those of src/review/report.css: copy red, partial
/// orange, 套话 grey; original is not coloured).
pub const VERDICTS: [(Verdict, Term, Option<Colour>); 4] = [
    (Verdict::Copy, term("copy", "复制"), Some(Colour { ink: 0xC3161C, paper: 0xFDE4E4 })),
    (Verdict::Partial, term("partial", "部分复制"), Some(Colour { ink: 0xD9730D, paper: 0xFFF1E0 })),
    (Verdict::Boilerplate, term("boilerplate", "套话"), Some(Colour { ink: 0x8A8F98, paper: 0xF1F2F4 })),
    (Verdict::Original, term("original", "原创"), None),
];

/// A verdict's names.
pub fn verdict(v: Verdict) -> Term {
    VERDICTS.iter().find(|(w, ..)| *w == v).map_or(term("", ""), |&(_, t, _)| t)
}

/// The verdict `text` names, in either language (English in any case).
pub fn parse_verdict(text: &str) -> Option<Verdict> {
    VERDICTS.iter().find(|(_, t, _)| t.names(text)).map(|&(v, ..)| v)
}

/// The verdicts' English names, for a message saying which are known.
pub fn verdict_names() -> String {
    or_list(VERDICTS.iter().map(|(_, t, _)| t.en))
}

/// The span kinds: a copied run is 复制, a formula 套话, named as the verdicts.
const SPAN_KINDS: [(SpanKind, Verdict); 2] =
    [(SpanKind::Copy, Verdict::Copy), (SpanKind::Boilerplate, Verdict::Boilerplate)];

/// A span kind's names.
pub fn span_kind(k: SpanKind) -> Term {
    SPAN_KINDS.iter().find(|(s, _)| *s == k).map_or(term("", ""), |&(_, v)| verdict(v))
}

/// The span kind `text` names, in either language.
pub fn parse_span_kind(text: &str) -> Option<SpanKind> {
    SPAN_KINDS.iter().find(|&&(_, v)| verdict(v).names(text)).map(|&(k, _)| k)
}

/// The span kinds' English names, for a message saying which are known.
pub fn span_kind_names() -> String {
    or_list(SPAN_KINDS.iter().map(|&(_, v)| verdict(v).en))
}

/// spans.csv's `kind` of a foreign name's row ([`crate::findings::names`]).
pub const FOREIGN_NAME: Term = term("foreign_name", "外地地名");

/// clusters.csv's kinds ([`crate::audit::clusters::ClusterKind`]); boilerplate is the verdict's.
pub const SPECIFIC: Term = term("specific", "特有");

/// documents.csv's statuses.
pub const OK: Term = term("ok", "正常");
pub const EMPTY: Term = term("empty", "无文字");
pub const UNREADABLE: Term = term("unreadable", "无法读取");

fn or_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A verdict as the reports write it in English.
impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(verdict(*self).en)
    }
}

/// A span kind as spans.csv writes it in English.
impl fmt::Display for SpanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(span_kind(*self).en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_and_kind_is_named() {
        for v in [Verdict::Copy, Verdict::Partial, Verdict::Boilerplate, Verdict::Original] {
            assert!(!verdict(v).en.is_empty(), "{v:?}");
            assert_eq!(parse_verdict(verdict(v).en), Some(v));
            assert_eq!(parse_verdict(verdict(v).zh), Some(v));
            assert_eq!(parse_verdict(&verdict(v).en.to_ascii_uppercase()), Some(v));
        }
        for k in [SpanKind::Copy, SpanKind::Boilerplate] {
            assert_eq!(parse_span_kind(span_kind(k).zh), Some(k));
        }
        assert_eq!(parse_verdict("copied"), None);
        assert_eq!(parse_span_kind("partial"), None);
        assert_eq!(verdict_names(), "copy, partial, boilerplate or original");
        assert_eq!(span_kind_names(), "copy or boilerplate");
    }

    #[test]
    fn a_table_names_a_column_once() {
        for s in ALL {
            let mut names: Vec<&str> = s.columns.iter().map(|c| c.en).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), s.columns.len(), "{}", s.file);
            assert_eq!(s.file, format!("{}.csv", s.name.en));
        }
    }

    /// The colours are those of the HTML report, so a sheet and a page show a verdict alike.
    #[test]
    fn colours_are_the_html_reports() {
        let css = include_str!("../review/report.css").to_ascii_lowercase();
        for (v, _, c) in VERDICTS {
            if let Some(c) = c {
                assert!(css.contains(&format!("#{:06x}", c.ink)), "{v:?}'s ink in report.css");
            }
        }
    }
}
