//! China's administrative divisions, to township level: the gazetteer that tells a place name
//! in a draft from an ordinary word, and which locality it belongs to.
//!
//! The names are 国家统计局's 统计用区划代码 (as of 2022-10-31), shipped as `divisions.txt`,
//! which `scripts/divisions.py` makes from modood/Administrative-divisions-of-China (WTFPL,
//! `divisions.LICENSE`). A division's code says where it lies: 430923 (安化县) is in 4309 (益阳市),
//! in 43 (湖南省); a township's code is its county's and its place in that county's list.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// The shipped table (see the module's documentation).
const TABLE: &str = include_str!("divisions.txt");

/// How high a division stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Province,
    Prefecture,
    County,
    Township,
}

/// One division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// 2 digits for a province, 4 for a prefecture, 6 for a county, 9 for a township.
    pub code: String,
    /// The full name, as the table writes it (安化县, 秀山土家族苗族自治县, 峨溶镇).
    pub name: String,
    /// The name without its generic part (安化, 秀山), as running text often shortens it; `None`
    /// for a township, and when that would leave fewer than two chars.
    pub short: Option<String>,
    pub level: Level,
}

impl Division {
    /// Whether one of the two lies within the other (or they are one).
    pub fn related(&self, other: &Division) -> bool {
        self.code.starts_with(&other.code) || other.code.starts_with(&self.code)
    }
}

/// A place name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Char offsets in the text searched.
    pub start: usize,
    pub end: usize,
    /// The divisions of that name (城关镇 is the name of hundreds), indexes into
    /// [`Gazetteer::divisions`].
    pub divisions: Vec<u32>,
}

/// The divisions and a matcher of their full names.
pub struct Gazetteer {
    pub divisions: Vec<Division>,
    /// Pattern `k` is the full name shared by `by_name[k]`.
    matcher: AhoCorasick,
    by_name: Vec<Vec<u32>>,
}

/// The 56 民族 of GB/T 3304, as autonomous divisions' names carry them (秀山土家族苗族自治县).
const ETHNIC: &[&str] = &[
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Generic ends of division names, longest first.
const GENERIC: &[&str] = &[
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道",
    "苏木",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
    "州",
    "镇",
    "乡",
];

/// Township names that are also words of official prose, measured on the national and provincial
/// government work reports (which name no township): 「中心镇建设」, 「小城镇」 and every name
/// ending in 城镇 (「提高城镇化率」 holds 高城镇), a 乡 before 村 (「发展乡村产业」 holds 发展乡),
/// names of two chars (口镇 in 「港口镇」), and 街道 itself.
fn reads_as_words(name: &str, next: Option<char>) -> bool {
    name.chars().count() < 3
        || name.ends_with("城镇")
        || matches!(name, "中心镇" | "中心乡" | "重点镇" | "特色镇")
        || (name.ends_with('乡') && next == Some('村'))
}

/// `name` without its generic end and, for an autonomous division, the 民族 before it.
fn short_form(name: &str) -> Option<String> {
    let mut base = name;
    if let Some(g) = GENERIC.iter().find(|g| base.ends_with(*g)) {
        base = &base[..base.len() - g.len()];
    }
    if name.contains("自治") || name.ends_with("民族乡") {
        base = base.strip_suffix("民族").unwrap_or(base);
        while let Some(rest) = base.strip_suffix('族') {
            match ETHNIC.iter().filter(|e| rest.ends_with(*e)).max_by_key(|e| e.len()) {
                Some(e) => base = &rest[..rest.len() - e.len()],
                None => break,
            }
        }
        base = base.strip_suffix('各').unwrap_or(base);
    }
    (base.chars().count() >= 2 && base != name).then(|| base.to_string())
}

impl Gazetteer {
    /// The shipped gazetteer, parsed once.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::parse(TABLE))
    }

    /// Parses the table's format (see `scripts/divisions.py`): `code<TAB>name[<TAB>townships]`.
    /// Lines that do not fit are skipped: the table is generated, and checked by the tests.
    fn parse(table: &str) -> Gazetteer {
        let mut divisions = Vec::new();
        // Townships' short forms (太河 of 太河镇, 中心 of 中心镇) are too often words.
        let mut push = |code: String, name: &str, level: Level| {
            let short = if level == Level::Township { None } else { short_form(name) };
            divisions.push(Division { code, name: name.to_string(), short, level });
        };
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(code), Some(name)) = (fields.next(), fields.next()) else { continue };
            let level = match code.len() {
                2 => Level::Province,
                4 => Level::Prefecture,
                6 => Level::County,
                _ => continue,
            };
            push(code.to_string(), name, level);
            for (k, town) in fields.next().unwrap_or("").split(' ').filter(|t| !t.is_empty()).enumerate() {
                push(format!("{code}{:03}", k + 1), town, Level::Township);
            }
        }
        let mut names: Vec<(&str, u32)> =
            divisions.iter().enumerate().map(|(i, d)| (d.name.as_str(), i as u32)).collect();
        names.sort_unstable();
        let mut patterns: Vec<&str> = Vec::new();
        let mut by_name: Vec<Vec<u32>> = Vec::new();
        for (name, i) in names {
            if patterns.last() == Some(&name) {
                if let Some(last) = by_name.last_mut() {
                    last.push(i);
                }
            } else {
                patterns.push(name);
                by_name.push(vec![i]);
            }
        }
        // 38,000 names: a contiguous NFA, built once; a DFA of them would be several times larger.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .expect("division names are plain strings");
        Gazetteer { divisions, matcher, by_name }
    }

    /// The full division names in `text`, leftmost-longest (博山区 in 博山区石马镇, not 山区), less
    /// the township names that running text writes as words ([`reads_as_words`]).
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut chars = CharCounter::new(text);
        for m in self.matcher.find_iter(text) {
            let divisions = &self.by_name[m.pattern().as_usize()];
            let township = divisions.iter().all(|&d| self.division(d).level == Level::Township);
            if township && reads_as_words(&text[m.start()..m.end()], text[m.end()..].chars().next()) {
                continue;
            }
            let start = chars.at(m.start());
            let end = chars.at(m.end());
            out.push(Mention { start, end, divisions: divisions.clone() });
        }
        out
    }

    /// The divisions named `name` exactly.
    pub fn named(&self, name: &str) -> Vec<u32> {
        let m = self.matcher.find(name);
        match m {
            Some(m) if m.start() == 0 && m.end() == name.len() => {
                self.by_name[m.pattern().as_usize()].clone()
            }
            _ => Vec::new(),
        }
    }

    pub fn division(&self, i: u32) -> &Division {
        &self.divisions[i as usize]
    }

    /// The division of `code`: the table is sorted by code.
    pub fn by_code(&self, code: &str) -> Option<u32> {
        self.divisions.binary_search_by(|d| d.code.as_str().cmp(code)).ok().map(|i| i as u32)
    }
}

/// Byte offsets to char offsets, for offsets visited in increasing order.
pub(crate) struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharCounter<'t> {
    pub(crate) fn new(text: &'t str) -> CharCounter<'t> {
        CharCounter { text, byte: 0, chars: 0 }
    }

    /// The char offset of byte offset `b`, which is at least the one asked before.
    pub(crate) fn at(&mut self, b: usize) -> usize {
        let b = b.min(self.text.len());
        if b > self.byte {
            self.chars += self.text.get(self.byte..b).map_or(0, |s| s.chars().count());
            self.byte = b;
        }
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_every_level() {
        let g = Gazetteer::get();
        let count = |l: Level| g.divisions.iter().filter(|d| d.level == l).count();
        assert_eq!(count(Level::Province), 31);
        assert!(count(Level::Prefecture) >= 330, "{}", count(Level::Prefecture));
        assert!(count(Level::County) >= 2800, "{}", count(Level::County));
        assert!(count(Level::Township) >= 38_000, "{}", count(Level::Township));
        let anhua = &g.division(g.named("安化县")[0]);
        assert_eq!(
            (anhua.code.as_str(), anhua.level, anhua.short.as_deref()),
            ("430923", Level::County, Some("安化"))
        );
        let yiyang = g.division(g.named("益阳市")[0]);
        assert!(anhua.related(yiyang) && yiyang.related(anhua));
        let boshan = g.division(g.named("博山区")[0]);
        assert!(!anhua.related(boshan));
        // 石马镇 of 博山区 is in 博山区; the table may hold other 石马镇 elsewhere.
        assert!(g.named("石马镇").iter().any(|&i| g.division(i).related(boshan)));
    }

    #[test]
    fn short_forms_drop_the_generic_part() {
        assert_eq!(short_form("秀山土家族苗族自治县").as_deref(), Some("秀山"));
        assert_eq!(short_form("广西壮族自治区").as_deref(), Some("广西"));
        assert_eq!(short_form("湘西土家族苗族自治州").as_deref(), Some("湘西"));
        assert_eq!(short_form("东华门街道").as_deref(), Some("东华门"));
        assert_eq!(short_form("峨溶镇").as_deref(), Some("峨溶"));
        assert_eq!(short_form("新区"), None);
    }

    #[test]
    fn names_are_found_leftmost_longest_in_char_offsets() {
        let g = Gazetteer::get();
        let text = "区域内含博山区石马镇、博山镇、池上镇全境";
        let found: Vec<(usize, usize, &str)> =
            g.find(text).iter().map(|m| (m.start, m.end, g.division(m.divisions[0]).name.as_str())).collect();
        assert_eq!(found, [(4, 7, "博山区"), (7, 10, "石马镇"), (11, 14, "博山镇"), (15, 18, "池上镇")]);
    }
}
