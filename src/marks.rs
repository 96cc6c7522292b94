//! Template-site residue: watermarks, paywall cut-offs, web chrome and unfilled placeholders.
//!
//! A document copied from 笔杆儿网 or 新文秘网 carries the site's marks; a template that was not
//! filled in carries slots like `*区` or `XXX同志`. Both are findings in their own right (reported
//! as flags) and both must stay out of matching: two drafts from the same site share the watermark,
//! not content. The table of marks is data ([`MarkTable::builtin`], extensible with
//! [`MarkTable::with_rules`]).

use regex::{Regex, RegexSet};
use std::fmt;
use std::ops::Range;

/// A finding in a paragraph, written in the `flags` column as `watermark:<site>`,
/// `placeholder:<text>`, `truncated` or `chrome:<text>`; and, from the findings that follow
/// classification ([`crate::findings`]), `foreign_name:<place>`, `recycled:<year>` and `batch:<draft>¶<n>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// A template site's name or domain left in the text.
    Watermark(String),
    /// A paywall notice or “未完” cut-off: the text was copied from a page that did not show it all.
    Truncated,
    /// Navigation or page furniture saved with the text (您的位置, 责任编辑, 分享到).
    Chrome(String),
    /// An unfilled template slot (`*区`, `X次`, `XXX同`).
    Placeholder(String),
    /// Another locality's place name left in copied text ([`crate::findings::names`]).
    ForeignName(String),
    /// The paragraph is an earlier document's, its figures changed: the year (or name) of that
    /// document ([`crate::findings::recycled`]).
    Recycled(String),
    /// The paragraph's text is another draft's of the same batch: that draft and paragraph
    /// ([`crate::findings::batch`]).
    Batch(String),
    /// A flag this version does not know, read from a report (a later version's), kept as written.
    Other(String),
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Watermark(site) => write!(f, "watermark:{site}"),
            Flag::Truncated => f.write_str("truncated"),
            Flag::Chrome(what) => write!(f, "chrome:{what}"),
            Flag::Placeholder(text) => write!(f, "placeholder:{text}"),
            Flag::ForeignName(name) => write!(f, "foreign_name:{name}"),
            Flag::Recycled(from) => write!(f, "recycled:{from}"),
            Flag::Batch(partner) => write!(f, "batch:{partner}"),
            Flag::Other(text) => f.write_str(text),
        }
    }
}

/// A flag as the `flags` column writes it; the inverse of its `Display`, so a report read back
/// writes the same cell.
impl std::str::FromStr for Flag {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Flag, Self::Err> {
        let Some((kind, what)) = s.split_once(':') else {
            return Ok(if s == "truncated" { Flag::Truncated } else { Flag::Other(s.to_string()) });
        };
        let what = what.to_string();
        Ok(match kind {
            "watermark" => Flag::Watermark(what),
            "chrome" => Flag::Chrome(what),
            "placeholder" => Flag::Placeholder(what),
            "foreign_name" => Flag::ForeignName(what),
            "recycled" => Flag::Recycled(what),
            "batch" => Flag::Batch(what),
            _ => Flag::Other(s.to_string()),
        })
    }
}

/// What a rule of the table reports when it matches.
#[derive(Debug, Clone)]
pub enum RuleKind {
    /// `watermark:<site>`.
    Watermark(String),
    /// `truncated`.
    Truncated,
    /// `chrome:<label>`.
    Chrome(String),
}

/// One mark: text matching `pattern` is reported as `kind` and masked out of matching.
#[derive(Debug, Clone)]
pub struct Rule {
    pub kind: RuleKind,
    pub pattern: Regex,
}

/// The marks found in one paragraph. Ranges are byte ranges into the paragraph's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Text that is not content (watermarks, paywall notices, chrome), sorted, non-overlapping.
    pub noise: Vec<Range<usize>>,
    /// Placeholder characters (`X`, `〇`) that stand for a name, number or place; the aligner treats
    /// them as a wildcard, like a digit. Sorted.
    pub slots: Vec<Range<usize>>,
    /// Findings, sorted and without duplicates.
    pub flags: Vec<Flag>,
}

/// The table of known marks.
#[derive(Debug, Clone)]
pub struct MarkTable {
    rules: Vec<Rule>,
    /// Digest of the rules added to the built-in ones, in order (0 for none): an index records
    /// it, since marks change the text that is fingerprinted.
    added: u64,
    /// All patterns at once: one pass tells whether a paragraph needs the rules at all (most don't).
    any: RegexSet,
}

/// Built-in marks: (kind, site or label, pattern). Kinds: `watermark`, `truncated`, `chrome`.
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "watermark",
        "笔杆儿网",
        r"笔杆儿网[，,、\s]*(?:(?:https?://)?(?:www\.)?(?:bgzjy\.cn|biganzijiayuan\.com))?",
    ),
    ("watermark", "笔杆儿网", r"(?:https?://)?(?:www\.)?(?:bgzjy\.cn|biganzijiayuan\.com)"),
    ("watermark", "新文秘网", r"(?:https?://)?(?:www\.)?wm114\.cn"),
    ("truncated", "", r"[…\.]*[（(]\s*新文秘网[^（()）\n]{0,80}[）)][…\.]*"),
    ("truncated", "", r"[…\.]*[（(]\s*未完[）)]"),
    ("truncated", "", r"[…\.]*[（(]\s*未完[，,][^\n]*"),
    ("truncated", "", r"正式会员可完整阅读[^\n]{0,40}"),
    ("truncated", "", r"全文共\s*\d+\s*字"),
    ("watermark", "笔墨写作", r"笔墨写作|消耗\s*\d+\s*篇笔墨文库配额[^\n]{0,20}"),
    ("truncated", "", r"全文预览已结束[^\n]{0,40}"),
    ("truncated", "", r"还剩\s*\d+\s*页未读[，,]?\s*(?:继续阅读)?"),
    ("chrome", "文库下载", r"下载文档到电脑[，,]?\s*查找使用更方便[^\n]{0,20}"),
    ("chrome", "文库下载", r"(?:本文档|该文档)由用户上传[^\n]{0,60}"),
    // Anchored where it opens a line; 「您当前位置:」 also after a site's name on one line.
    ("chrome", "您的位置", r"(?:^\s*(?:您的位置|当前位置)|您当前位置)\s*[:：][^\n]*"),
    ("chrome", "作者/来源", r"^\s*作者\s*[:：][^\n]{0,30}来源\s*[:：][^\n]{0,60}$"),
    ("chrome", "ICP备案", r"[^\n]{0,30}ICP备\s*\d+号[^\n]{0,60}"),
    ("chrome", "Copyright", r"(?i)copyright\s*(?:©|\(c\))?[^\n]{0,80}"),
    ("chrome", "相关文章", r"^\s*(?:文章搜索|相关文章|相关阅读|热门文章)\s*$"),
    ("chrome", "目录/提纲", r"^\s*目录/提纲\s*[:：][^\n]*"),
    ("chrome", "责任编辑", r"[（(【\[]?\s*责任编辑\s*[:：][^\n）)】\]]{0,20}[）)】\]]?"),
    ("chrome", "分享到", r"^\s*分享到\s*[:：]?[^\n]{0,60}$"),
    ("chrome", "发表时间", r"^\s*发表时间\s*[:：][^\n]{0,40}$"),
];

/// A line of a user's mark rules that cannot be used: its number (from 1) and why.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct RuleError {
    pub line: usize,
    pub problem: RuleProblem,
}

/// What is wrong with a mark rule.
#[derive(Debug, thiserror::Error)]
pub enum RuleProblem {
    #[error("expected kind<TAB>label<TAB>regex")]
    Shape,
    #[error("unknown kind {0:?}")]
    UnknownKind(String),
    #[error("bad regex: {0}")]
    Regex(regex::Error),
}

impl MarkTable {
    /// The built-in table of template-site marks.
    pub fn builtin() -> MarkTable {
        let rules = BUILTIN
            .iter()
            .map(|(kind, label, pattern)| {
                let kind = parse_kind(kind, label).expect("built-in kinds are valid");
                Rule { kind, pattern: Regex::new(pattern).expect("built-in patterns are valid") }
            })
            .collect();
        MarkTable::from_rules(rules, 0)
    }

    fn from_rules(rules: Vec<Rule>, added: u64) -> MarkTable {
        let any =
            RegexSet::new(rules.iter().map(|r| r.pattern.as_str())).expect("the rules compiled one by one");
        MarkTable { rules, any, added }
    }

    /// Digest of the rules added to the built-in table (0 for none).
    pub fn added_digest(&self) -> u64 {
        self.added
    }

    /// Adds rules from text, one per line: `kind<TAB>label<TAB>regex`, where kind is `watermark`,
    /// `truncated` or `chrome`; empty lines and lines starting with `#` are ignored.
    pub fn with_rules(mut self, text: &str) -> Result<MarkTable, RuleError> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.splitn(3, '\t');
            let (Some(kind), Some(label), Some(pattern)) = (cols.next(), cols.next(), cols.next()) else {
                return Err(RuleError { line: n + 1, problem: RuleProblem::Shape });
            };
            let kind = parse_kind(kind.trim(), label.trim()).ok_or_else(|| RuleError {
                line: n + 1,
                problem: RuleProblem::UnknownKind(kind.to_string()),
            })?;
            let pattern =
                Regex::new(pattern).map_err(|e| RuleError { line: n + 1, problem: RuleProblem::Regex(e) })?;
            self.rules.push(Rule { kind, pattern });
            let mut bytes = self.added.to_le_bytes().to_vec();
            bytes.extend_from_slice(line.trim().as_bytes());
            self.added = xxhash_rust::xxh3::xxh3_64(&bytes).max(1);
        }
        Ok(MarkTable::from_rules(self.rules, self.added))
    }

    /// Finds the marks and placeholders in one paragraph.
    pub fn scan(&self, text: &str) -> Marks {
        let (hits, flags): (Vec<_>, Vec<_>) = self.rule_hits(text).into_iter().unzip();
        let mut flags: Vec<Flag> = flags;
        let noise = merge_ranges(hits);
        let mut slots = Vec::new();
        for (slot, shown) in placeholders(text) {
            if noise.iter().any(|r| r.contains(&slot.start)) {
                continue;
            }
            flags.push(Flag::Placeholder(text[slot.start..shown].to_string()));
            slots.push(slot);
        }
        slots.sort_by_key(|r| r.start);
        flags.sort();
        flags.dedup();
        Marks { noise, slots, flags }
    }

    /// Each finding in one paragraph with the byte range it was found at, sorted by position: a
    /// mark's matched text, or a placeholder's flag text (`*区`). For showing the findings in
    /// place; [`MarkTable::scan`] is what matching uses.
    pub fn locate(&self, text: &str) -> Vec<(Range<usize>, Flag)> {
        let mut found = self.rule_hits(text);
        let noise = merge_ranges(found.iter().map(|(r, _)| r.clone()).collect());
        for (slot, shown) in placeholders(text) {
            if !noise.iter().any(|r| r.contains(&slot.start)) {
                found.push((slot.start..shown, Flag::Placeholder(text[slot.start..shown].to_string())));
            }
        }
        found.sort_by(|a, b| (a.0.start, a.0.end, &a.1).cmp(&(b.0.start, b.0.end, &b.1)));
        found
    }

    /// The rules' matches: (byte range, flag), unsorted.
    fn rule_hits(&self, text: &str) -> Vec<(Range<usize>, Flag)> {
        let mut out = Vec::new();
        if !self.any.is_match(text) {
            return out;
        }
        for rule in self.any.matches(text).into_iter().map(|i| &self.rules[i]) {
            for m in rule.pattern.find_iter(text) {
                if m.is_empty() {
                    continue;
                }
                let flag = match &rule.kind {
                    RuleKind::Watermark(site) => Flag::Watermark(site.clone()),
                    RuleKind::Truncated => Flag::Truncated,
                    RuleKind::Chrome(label) => Flag::Chrome(label.clone()),
                };
                out.push((m.range(), flag));
            }
        }
        out
    }
}

fn parse_kind(kind: &str, label: &str) -> Option<RuleKind> {
    match kind {
        "watermark" => Some(RuleKind::Watermark(label.to_string())),
        "truncated" => Some(RuleKind::Truncated),
        "chrome" => Some(RuleKind::Chrome(label.to_string())),
        _ => None,
    }
}

fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Placeholder slots in `text`: (the slot chars' byte range, end of the flag text). The flag text
/// takes the next char when it is a Han char or `%`, since `*区` says more than `*`.
///
/// Slots: runs of `*`/`＊`; 1–4 `X`/`Ｘ` not part of a Latin word or a code like X86; two or more
/// `○`/`〇`; underscores after a Han char (a blank to fill in).
fn placeholders(text: &str) -> Vec<(Range<usize>, usize)> {
    const SLOT_CHARS: [char; 8] = ['*', '＊', 'X', 'Ｘ', '○', '〇', '_', '＿'];
    if !text.contains(SLOT_CHARS) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let shown_end = |i: usize| match chars.get(i) {
        Some(&(b, c)) if is_han(c) || c == '%' || c == '％' => b + c.len_utf8(),
        _ => byte_at(i),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let run_of = |pred: &dyn Fn(char) -> bool| {
            let mut j = i;
            while j < chars.len() && pred(chars[j].1) {
                j += 1;
            }
            j
        };
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        match c {
            '*' | '＊' => {
                let j = run_of(&|c| c == '*' || c == '＊');
                out.push((byte_at(i)..byte_at(j), shown_end(j)));
                i = j;
            }
            'X' | 'Ｘ' => {
                let j = run_of(&|c| c == 'X' || c == 'Ｘ');
                let latin_before = prev.is_some_and(|p| p.is_ascii_alphanumeric());
                let latin_after = chars.get(j).is_some_and(|&(_, n)| n.is_ascii_alphanumeric());
                if j - i <= 4 && !latin_before && !latin_after {
                    out.push((byte_at(i)..byte_at(j), shown_end(j)));
                }
                i = j;
            }
            '○' | '〇' => {
                let j = run_of(&|c| c == '○' || c == '〇');
                if j - i >= 2 {
                    out.push((byte_at(i)..byte_at(j), shown_end(j)));
                }
                i = j;
            }
            '_' | '＿' => {
                let j = run_of(&|c| c == '_' || c == '＿');
                if prev.is_some_and(is_han) {
                    out.push((byte_at(i)..byte_at(j), byte_at(j)));
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_back_as_written() {
        for text in [
            "watermark:笔杆儿网",
            "truncated",
            "chrome:您的位置",
            "placeholder:XXX同",
            "foreign_name:博山区",
            "recycled:2024",
            "batch:b.txt¶3",
            "quote:新华社",
            "truncated:x",
        ] {
            let flag: Flag = text.parse().unwrap();
            assert_eq!(flag.to_string(), text);
        }
        assert_eq!("placeholder:*区".parse::<Flag>().unwrap(), Flag::Placeholder("*区".into()));
        assert_eq!("quote:新华社".parse::<Flag>().unwrap(), Flag::Other("quote:新华社".into()));
    }

    fn flags(text: &str) -> Vec<String> {
        MarkTable::builtin().scan(text).flags.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn biganzi_watermarks_from_seed_000() {
        let line = "党的二十大是……深远历史意义。笔杆儿网，www.biganzijiayuan.com　　大会通过的报告";
        let marks = MarkTable::builtin().scan(line);
        assert_eq!(marks.flags, vec![Flag::Watermark("笔杆儿网".into())]);
        let masked = &line[marks.noise[0].clone()];
        assert_eq!(masked, "笔杆儿网，www.biganzijiayuan.com");
        assert_eq!(flags("一、认真学习领会党的二十大报告精神笔杆儿网www.bgzjy.cn"), ["watermark:笔杆儿网"]);
    }

    #[test]
    fn paywall_cut_is_truncated() {
        let line = "深入学习贯彻……(未完,全文共6140字,当前仅显示2360字,请阅读下面提示信息。";
        assert_eq!(flags(line), ["truncated"]);
        assert_eq!(
            flags("正文在此……（新文秘网https://www.wm114.cn省略680字，正式会员可完整阅读）……"),
            ["watermark:新文秘网", "truncated"]
        );
    }

    #[test]
    fn placeholders_are_flagged_with_their_slot_word() {
        assert_eq!(
            flags("*区XXX同志全年共举行集体学习X次，完成率XX%。"),
            ["placeholder:*区", "placeholder:XX%", "placeholder:XXX同", "placeholder:X次"]
        );
        let marks = MarkTable::builtin().scan("学习X次");
        assert_eq!(marks.slots, vec![6..7]);
    }

    #[test]
    fn locate_gives_each_finding_its_place() {
        let text = "召开会议X次，由XXX同志牵头。笔杆儿网www.bgzjy.cn";
        let found: Vec<(&str, String)> =
            MarkTable::builtin().locate(text).into_iter().map(|(r, f)| (&text[r], f.to_string())).collect();
        assert_eq!(
            found,
            [
                ("X次", "placeholder:X次".to_string()),
                ("XXX同", "placeholder:XXX同".to_string()),
                ("笔杆儿网www.bgzjy.cn", "watermark:笔杆儿网".to_string()),
                ("www.bgzjy.cn", "watermark:笔杆儿网".to_string()),
            ]
        );
    }

    #[test]
    fn latin_words_and_numbers_are_not_placeholders() {
        assert!(flags("XBOX与Linux系统、X86架构、SARS-CoV-2").is_empty());
        assert!(flags("APEX会议").is_empty());
        assert_eq!(flags("〇〇县"), ["placeholder:〇〇县"]);
        assert!(flags("二〇二四年").is_empty());
    }

    #[test]
    fn chrome_lines() {
        assert_eq!(flags("您的位置:新文秘网>>政府/行政/七一党建专题/>>正文"), ["chrome:您的位置"]);
        assert_eq!(flags("发表时间:2025/6/25 21:18:55"), ["chrome:发表时间"]);
    }

    /// Lines as seeds 001 and 004 hold them (pages saved from 新文秘网 and 中国菏泽网), and the
    /// notices of 笔墨写作 and the 文库 sites.
    #[test]
    fn template_site_lines_of_the_seeds_and_the_wenku_sites() {
        assert_eq!(flags("您当前位置:中国菏泽网  >  本地要闻  > 正文"), ["chrome:您的位置"]);
        assert_eq!(flags("中国菏泽网您当前位置:本地要闻"), ["chrome:您的位置"]);
        assert_eq!(flags("作者: 刘建东 来源: 菏泽日报 发表时间: 2022-07-05 09:45"), ["chrome:作者/来源"]);
        assert_eq!(flags("网站备案号:鲁ICP备09012531号 | 鲁公网安备 37172902372011号"), ["chrome:ICP备案"]);
        assert_eq!(flags("Copyright© 2004-2012 heze.cn All rights reserved."), ["chrome:Copyright"]);
        assert_eq!(flags("文章搜索"), ["chrome:相关文章"]);
        assert_eq!(flags("相关文章"), ["chrome:相关文章"]);
        assert_eq!(flags("目录/提纲:……"), ["chrome:目录/提纲"]);
        assert_eq!(flags("本文由笔墨写作整理，消耗 1 篇笔墨文库配额"), ["watermark:笔墨写作"]);
        assert_eq!(flags("全文预览已结束，下载本文档可阅读全文"), ["truncated"]);
        assert_eq!(flags("还剩5页未读，继续阅读"), ["truncated"]);
        assert_eq!(flags("下载文档到电脑，查找使用更方便"), ["chrome:文库下载"]);
        assert_eq!(flags("本文档由用户上传，如有侵权请联系删除"), ["chrome:文库下载"]);
        // The words in a report's own sentences are not the pages' chrome.
        for line in [
            "相关文章和材料要及时归档，文章搜索功能要完善。",
            "作者要注明资料来源：统计年鉴。",
            "全市文库建设加快推进，下载量增长20%。",
            "我县经济总量当前位置居全市第三。",
        ] {
            assert!(flags(line).is_empty(), "{line}: {:?}", flags(line));
        }
    }

    #[test]
    fn user_rules_extend_the_table() {
        let table = MarkTable::builtin().with_rules("# mine\nwatermark\t范文网\t范文网\n").unwrap();
        assert_eq!(table.scan("本文来自范文网").flags, vec![Flag::Watermark("范文网".into())]);
        assert!(MarkTable::builtin().with_rules("bogus\tx\ty").is_err());
        assert!(MarkTable::builtin().with_rules("watermark\tx\t(").is_err());
    }
}
