//! `chachong audit --html FILE`: the audit's findings as one self-contained page — the document
//! pairs, each with the passages the two share side by side (the same runs marked on both sides,
//! edits inside them set apart, as the review page marks a copied paragraph beside its source),
//! then the clusters of recycled paragraphs with their members. It uses the review page's
//! escaping, marking and stylesheet ([`crate::review::html`]) and runs no script: the
//! Content-Security-Policy allows none.

use super::clusters::{ClusterKind, ClusterRow};
use super::pairs::{PairRow, UNKNOWN_ORDER};
use super::Audit;
use crate::atomic::write_atomic;
use crate::classify::SpanKind;
use crate::marks::MarkTable;
use crate::review::html::{esc, marked, CSS, GENERATOR_MARK};
use crate::review::marked::{same_chars, Marked, RunSpec, RunTag};
use crate::review::pct;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

/// Where the audit's documents and reports are, for the page's header.
pub struct PageInfo<'a> {
    pub corpus: &'a Path,
    pub report_dir: &'a Path,
}

/// Writes the audit page to `path`, atomically.
pub fn write(path: &Path, audit: &Audit, info: &PageInfo<'_>) -> io::Result<()> {
    let page = render(audit, info);
    write_atomic(path, |w| w.write_all(page.as_bytes()))
}

/// The audit page.
pub fn render(audit: &Audit, info: &PageInfo<'_>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut h = String::with_capacity(64 << 10);
    let corpus = crate::manifest::absolute(info.corpus).display().to_string();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         base-uri 'none'; form-action 'none'\">\n\
         {GENERATOR_MARK}{version}\">\n<title>查重审计 audit · {}</title>\n<style>\n{CSS}\
         .pair, .cluster {{ margin: 0 0 28px; }}\n.pair h3, .cluster h3 {{ margin: 0 0 4px; font-size: 1.05em; }}\n\
         .pair .para {{ cursor: auto; }}\n.members {{ margin: 4px 0 0; }}\n</style>\n</head>\n<body>\n",
        esc(&corpus)
    );
    let specific = audit.clusters.iter().filter(|c| c.kind == ClusterKind::Specific).count();
    let _ = writeln!(
        h,
        "<header class=\"page-head\">\n<h1>查重审计 audit <small>chachong {version}</small></h1>\n\
         <p class=\"where\">语料 corpus: {} · 报告 report: {}</p>\n\
         <p>{} 篇文档 documents · {} 对文档有复制 document pairs share copied text · \
         {} 组重复段落 clusters of recycled paragraphs ({} specific, {} 套话)</p>\n\
         <nav class=\"toc\"><ol><li><a href=\"#pairs\">文档对 pairs</a></li><li><a href=\"#clusters\">重复段落 clusters</a></li></ol></nav>\n\
         <p class=\"legend\"><mark class=\"cp\">两篇共有 shared by the two</mark>\
         <span class=\"hint\">左：较早或 doc_a；右：另一篇 · left: the source (or doc_a), right: the other</span></p>\n</header>\n<main>",
        esc(&corpus),
        esc(&crate::manifest::absolute(info.report_dir).display().to_string()),
        audit.reports.len(),
        audit.pairs.len(),
        audit.clusters.len(),
        specific,
        audit.clusters.len() - specific
    );
    let marks = MarkTable::builtin();
    h.push_str("<section id=\"pairs\">\n<h2>文档对 document pairs</h2>\n");
    if audit.pairs.is_empty() {
        h.push_str("<p class=\"none\">没有文档对 no pair of documents shares copied text</p>\n");
    }
    for (i, p) in audit.pairs.iter().enumerate() {
        pair(&mut h, i + 1, p, &marks);
    }
    h.push_str("</section>\n<section id=\"clusters\">\n<h2>重复段落 clusters of recycled paragraphs</h2>\n");
    if audit.clusters.is_empty() {
        h.push_str("<p class=\"none\">没有 none</p>\n");
    }
    for c in &audit.clusters {
        cluster(&mut h, c);
    }
    let _ = write!(
        h,
        "</section>\n</main>\n<footer>chachong {version} · 本文件可离线查看 this file works offline: nothing is loaded from the network</footer>\n</body>\n</html>\n"
    );
    h
}

/// One pair: its figures, which is the source and on what evidence, and its passages, the
/// source's wording on the left when the dates tell which it is.
fn pair(h: &mut String, n: usize, p: &PairRow, marks: &MarkTable) {
    let flip = !p.source.is_empty() && p.source == p.doc_b;
    let (left, right) = if flip {
        ((&p.doc_b, p.share_b, &p.date_b), (&p.doc_a, p.share_a, &p.date_a))
    } else {
        ((&p.doc_a, p.share_a, &p.date_a), (&p.doc_b, p.share_b, &p.date_b))
    };
    let side = |(name, share, date): (&String, f64, &String)| {
        let date = if date.is_empty() { String::new() } else { format!(" · {}", esc(date)) };
        format!("<span class=\"file\">{}</span> ({}{date})", esc(name), pct(share))
    };
    let order = if p.source_by == UNKNOWN_ORDER {
        "先后不明 which is older is unknown".to_string()
    } else {
        format!("来源 source: 较早的 the older, by {}", esc(&p.source_by))
    };
    let _ = writeln!(
        h,
        "<article class=\"pair\" id=\"pair{n}\" data-doc-a=\"{}\" data-doc-b=\"{}\">\n<h3>{n}. {} → {}</h3>\n\
         <p class=\"pmeta\">{} chars shared · longest run {} · evidence {:.1} · {order}</p>\n<ol class=\"paras\">",
        esc(&p.doc_a),
        esc(&p.doc_b),
        side(left),
        side(right),
        p.shared_chars,
        p.longest_run,
        p.evidence
    );
    for (k, passage) in p.passages.iter().enumerate() {
        let (l, lp, r, rp) = if flip {
            (&passage.other, passage.other_para, &passage.own, passage.own_para)
        } else {
            (&passage.own, passage.own_para, &passage.other, passage.other_para)
        };
        let (ml, mr) = marked_pair(l, r, k, marks);
        let id = format!("pair{n}");
        let _ = writeln!(
            h,
            "<li class=\"para open v-copy has-src\" id=\"pair{n}-{k}\">\
             <div class=\"dside\"><div class=\"pmeta\"><span class=\"from\">{} ¶{lp}</span></div><p class=\"txt\">{}</p></div>\
             <div class=\"sside\"><div class=\"srchead\"><span class=\"file\">{}</span> <span class=\"sno\">¶{rp}</span></div><p class=\"txt\">{}</p></div></li>",
            esc(left.0),
            marked(&ml, &id),
            esc(right.0),
            marked(&mr, &id)
        );
    }
    h.push_str("</ol>\n</article>\n");
}

/// The two wordings of passage `k`, each wholly one copied run, with the chars that differ
/// between them set apart.
fn marked_pair(a: &str, b: &str, k: usize, marks: &MarkTable) -> (Marked, Marked) {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (sa, sb) = same_chars(&ca, &cb).map_or((None, None), |(x, y)| (Some(x), Some(y)));
    let tag = RunTag { kind: SpanKind::Copy, id: k };
    let spec = |len: usize, same| [RunSpec { range: 0..len, tag, same }];
    (Marked::new(a, 0, &spec(ca.len(), sa), marks), Marked::new(b, 0, &spec(cb.len(), sb), marks))
}

fn cluster(h: &mut String, c: &ClusterRow) {
    let kind = match c.kind {
        ClusterKind::Specific => "specific 重复使用的段落",
        ClusterKind::Boilerplate => "boilerplate 套话",
    };
    let since =
        if c.earliest_date.is_empty() { String::new() } else { format!(" ({})", esc(&c.earliest_date)) };
    let _ = writeln!(
        h,
        "<article class=\"cluster k-{}\" id=\"cluster{}\">\n<h3>#{} {kind} · {} documents, {} paragraphs · since {}{since}</h3>\n\
         <p class=\"txt\">{}</p>\n<ul class=\"members\">",
        c.kind,
        c.id,
        c.id,
        c.documents,
        c.paragraphs,
        esc(&c.earliest),
        esc(&c.excerpt)
    );
    for m in &c.members {
        let _ = writeln!(
            h,
            "<li><span class=\"file\">{}</span> ¶{} {}</li>",
            esc(&m.document),
            m.para,
            esc(&m.excerpt)
        );
    }
    h.push_str("</ul>\n</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_wordings_are_marked_and_their_edits_set_apart() {
        let marks = MarkTable::builtin();
        let (a, b) = marked_pair(
            "优先推进西部大开发，全面振兴东北地区",
            "优先推进西部大开发，深入振兴东北地区",
            0,
            &marks,
        );
        let (ha, hb) = (marked(&a, "pair1"), marked(&b, "pair1"));
        assert_eq!(ha, "<mark class=\"cp\" data-run=\"pair1r0\">优先推进西部大开发，<span class=\"ed\">全面</span>振兴东北地区</mark>");
        assert_eq!(hb, "<mark class=\"cp\" data-run=\"pair1r0\">优先推进西部大开发，<span class=\"ed\">深入</span>振兴东北地区</mark>");
        let (s, _) = marked_pair("<script>alert(1)</script>", "<script>alert(1)</script>", 0, &marks);
        assert!(marked(&s, "p").contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
