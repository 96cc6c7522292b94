//! 旧稿翻新: a draft that is an earlier document of the corpus with its years, dates and figures
//! changed. Alignment already matches across changed numbers (digits are one wildcard), so such a
//! draft is `copy` paragraph after paragraph from one source; what this adds is the name of the
//! practice, the years, and how many figures were changed.

use crate::audit::dates;
use crate::ingest::Document;
use crate::params::{DATE_LINES, RECYCLED_MIN_CHANGED, RECYCLED_MIN_SHARE};

/// The earlier document a draft was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recycled {
    /// The corpus document.
    pub source: String,
    /// Its year, when its name or first lines tell.
    pub source_year: Option<u16>,
    /// The draft's year, likewise.
    pub draft_year: Option<u16>,
    /// Figures (digit strings: 2024, 5.2, 1256) of the text matched with the source, 套话 included,
    /// that the draft changed.
    pub numbers_changed: usize,
    /// Draft paragraphs (1-based), `copy` or `partial`, whose copied text had a figure changed.
    pub paragraphs: Vec<usize>,
    /// The years (2024 in 「2024年」) of the copied text that the draft replaced, and those it put in.
    pub years_replaced: (Option<u16>, Option<u16>),
}

impl Recycled {
    /// `2024→2025`: the source's year and the draft's, by their names or first lines, else the
    /// years replaced in the copied text; one year when only one is known.
    pub fn years(&self) -> String {
        let from = self.source_year.or(self.years_replaced.0);
        let to = self.draft_year.or(self.years_replaced.1);
        match (from, to) {
            (Some(s), Some(d)) if s != d => format!("{s}→{d}"),
            (Some(s), _) => s.to_string(),
            (None, Some(d)) => format!("?→{d}"),
            (None, None) => String::new(),
        }
    }

    /// What the paragraph flag says: the source's year, else its name.
    pub fn label(&self) -> String {
        self.source_year.map_or_else(|| self.source.clone(), |y| y.to_string())
    }
}

/// One span matched with the source, copy or 套话: its paragraph and both texts.
pub struct Pair<'a> {
    pub para: usize,
    /// Whether the paragraph is `copy` or `partial`: only those are flagged.
    pub copied: bool,
    pub text: &'a str,
    pub source_text: &'a str,
}

/// Whether a draft of which `share` comes from `source` (its top source), through `pairs`, is that
/// document recycled: most of it from that one document ([`RECYCLED_MIN_SHARE`]), at least
/// [`RECYCLED_MIN_CHANGED`] of its figures changed, and brought forward in time — the draft dated
/// later than the source, or a year of the copied text replaced by a later one. (A draft of the
/// same year with figures changed is 数据拼凑 of a peer, not an old text renewed.)
pub fn recycled(
    draft: &Document,
    source_name: &str,
    source: &Document,
    share: f64,
    pairs: &[Pair<'_>],
) -> Option<Recycled> {
    if share < RECYCLED_MIN_SHARE {
        return None;
    }
    let mut changed = 0;
    let mut paragraphs = Vec::new();
    let (mut old, mut new): (Option<u16>, Option<u16>) = (None, None);
    for p in pairs {
        let n = changed_figures(&figures(p.source_text), &figures(p.text));
        changed += n;
        if n > 0 && p.copied {
            paragraphs.push(p.para);
        }
        let (before, after) = (years(p.source_text), years(p.text));
        for &y in before.iter().filter(|y| !after.contains(y)) {
            old = Some(old.map_or(y, |o| o.min(y)));
        }
        for &y in after.iter().filter(|y| !before.contains(y)) {
            new = Some(new.map_or(y, |n| n.max(y)));
        }
    }
    paragraphs.sort_unstable();
    paragraphs.dedup();
    let (source_year, draft_year) = (year_of(source), year_of(draft));
    let later = |a: Option<u16>, b: Option<u16>| matches!((a, b), (Some(a), Some(b)) if b > a);
    let forward = later(source_year, draft_year) || later(old, new);
    (changed >= RECYCLED_MIN_CHANGED && forward).then(|| Recycled {
        source: source_name.to_string(),
        source_year,
        draft_year,
        numbers_changed: changed,
        paragraphs,
        years_replaced: (old, new),
    })
}

/// The years that `text` writes as years: 「2024年」.
fn years(text: &str) -> Vec<u16> {
    static YEAR: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re =
        YEAR.get_or_init(|| regex::Regex::new(r"((?:19|20)\d\d)\s*年").expect("the year pattern is valid"));
    re.captures_iter(text).filter_map(|c| c[1].parse().ok()).collect()
}

/// A document's year by its file name or its first lines (its title, its dateline): never the
/// file's time, which for a draft is only when it was last saved.
fn year_of(doc: &Document) -> Option<u16> {
    let name = doc.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let head: String = doc.text.lines().take(DATE_LINES).collect::<Vec<_>>().join("\n");
    dates::parse(&name).or_else(|| dates::parse(&head)).map(|d| d.year)
}

/// The figures of `text` in order: runs of digits, with a decimal point inside (5.2, ５．２).
pub fn figures(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let digit = |c: char| match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(d) = digit(c) {
            cur.push(d);
        } else if matches!(c, '.' | '．')
            && !cur.is_empty()
            && chars.peek().copied().and_then(digit).is_some()
        {
            cur.push('.');
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// How many figures differ between two sequences of figures: those not in their longest common
/// subsequence, counted on the longer side (a changed figure is one, not a removal and an insertion).
pub fn changed_figures(before: &[String], after: &[String]) -> usize {
    let (n, m) = (before.len(), after.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] =
                if before[i] == after[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    n.max(m) - lcs[0][0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn figures_are_digit_runs_with_their_decimals() {
        assert_eq!(figures("增长5.2%左右，城镇新增就业1256万人。"), v(&["5.2", "1256"]));
        assert_eq!(figures("２０２４年增长５．２％，第3."), v(&["2024", "5.2", "3"]));
    }

    #[test]
    fn a_changed_figure_counts_once() {
        assert_eq!(changed_figures(&v(&["2024", "5.2", "1256"]), &v(&["2025", "5.2", "1300"])), 2);
        assert_eq!(changed_figures(&v(&["5", "6"]), &v(&["5", "6"])), 0);
        assert_eq!(changed_figures(&v(&["5"]), &v(&["5", "7", "8"])), 2);
    }
}
