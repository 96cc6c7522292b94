//! The review as one self-contained HTML file: styles and script inline, no network, no external
//! assets (the machines these reports are read on are often offline), every piece of document
//! text escaped. A Content-Security-Policy allows only the page's own script (by its SHA-256), so
//! even a mistake in escaping could not run a script hidden in a corpus file.
//!
//! Layout: a page header (report folder, corpus, problems, legend), then one `<section
//! class="draft" id="dN">` per draft: its figures (总文字复制比, 套话 share, top sources, template-site
//! flags), verdict filters, and its paragraphs as `<li class="para" id="dN-pM">`, each with the
//! draft text on the left and, when opened, the source paragraph(s) on the right. Runs are
//! `<mark class="cp">` (copied) and `<mark class="bp">` (套话) with a `data-run` shared by the
//! two sides; template-site marks are `<span class="fl">`. The audit's page of document pairs and
//! clusters (`audit::html`) uses the same escaping, marking and stylesheet.

use super::marked::Marked;
use super::{pct, DraftView, ParaView, Review};
use crate::atomic::write_atomic;
use crate::classify::{SpanKind, Verdict};
use crate::params::REVIEW_HTML_SOURCES;
use crate::report::schema::verdict;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

pub(crate) const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");
const VERDICTS: [Verdict; 4] = [Verdict::Copy, Verdict::Partial, Verdict::Boilerplate, Verdict::Original];

/// How the page names its maker, followed by the version: by it a folder walk knows a report
/// written inside the corpus, which must not be indexed as a source.
pub const GENERATOR_MARK: &str = "<meta name=\"generator\" content=\"chachong ";

/// Writes the HTML report to `path`, atomically.
pub fn write(path: &Path, review: &Review) -> io::Result<()> {
    let page = render(review);
    write_atomic(path, |w| w.write_all(page.as_bytes()))
}

/// The HTML report.
pub fn render(review: &Review) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut h = String::with_capacity(64 << 10);
    let names: Vec<&str> = review.drafts.iter().map(|d| d.name.as_str()).collect();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'sha256-{}'; base-uri 'none'; form-action 'none'\">\n\
         {GENERATOR_MARK}{version}\">\n<title>查重报告 · {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        base64(&sha256(JS.as_bytes())),
        esc(&names.join(" · "))
    );

    h.push_str("<header class=\"page-head\">\n");
    let _ = writeln!(h, "<h1>查重报告 <small>chachong {version}</small></h1>");
    let mut wher = Vec::new();
    if let Some(d) = &review.report_dir {
        wher.push(format!("{}: {}", bi("报告", "report"), esc(&d.display().to_string())));
    }
    if let Some(c) = &review.corpus {
        wher.push(format!("{}: {}", bi("语料", "corpus"), esc(&c.display().to_string())));
    }
    if !wher.is_empty() {
        let _ = writeln!(h, "<p class=\"where\">{}</p>", wher.join(" · "));
    }
    if !review.problems.is_empty() {
        h.push_str("<ul class=\"problems\">\n");
        for p in &review.problems {
            let _ = writeln!(h, "<li>{}</li>", esc(p));
        }
        h.push_str("</ul>\n");
    }
    if review.drafts.len() > 1 {
        h.push_str("<nav class=\"toc\"><ol>\n");
        for (i, d) in review.drafts.iter().enumerate() {
            let ratio = d.summary.as_ref().map(|s| pct(s.copied_ratio)).unwrap_or_default();
            let _ = writeln!(h, "<li><a href=\"#d{}\">{}</a> {ratio}</li>", i + 1, esc(&d.name));
        }
        h.push_str("</ol></nav>\n");
    }
    let _ = write!(
        h,
        "<p class=\"legend\"><mark class=\"cp\">{}</mark><mark class=\"bp\">{}</mark>\
         <span class=\"fl\">{}</span><span class=\"hint\">{}</span></p>\n</header>\n<main>\n",
        bi("复制", "copied"),
        bi("套话", "boilerplate"),
        bi("模板网站痕迹", "template-site mark"),
        bi("点击段落查看来源 ·", "click a paragraph to see its source")
    );
    for (i, d) in review.drafts.iter().enumerate() {
        cover(&mut h, i + 1, d, review.corpus.as_deref());
        draft(&mut h, i + 1, d);
    }
    let _ = write!(
        h,
        "</main>\n<footer>chachong {version} · {}</footer>\n<script>{JS}</script>\n</body>\n</html>\n",
        bi("本文件可离线查看", "this file works offline: nothing is loaded from the network")
    );
    h
}

/// The cover a printed report opens each draft with, as CNKI's 报告单 does: 总文字复制比, 单篇最大
/// 复制比, 重复字数 and the 相似文献列表 (every source with its share). Shown in print only: on screen
/// the draft's header says the same.
fn cover(h: &mut String, n: usize, d: &DraftView, corpus: Option<&Path>) {
    let _ = writeln!(
        h,
        "<section class=\"cover\" id=\"c{n}\" data-draft=\"{}\">\n<h2 class=\"cover-title\">文本复制检测报告单</h2>\n\
         <table class=\"cover-meta\"><tbody>\n<tr><th>检测文献</th><td>{}</td></tr>",
        esc(&d.name),
        esc(&d.name)
    );
    if let Some(c) = corpus {
        let _ = writeln!(h, "<tr><th>比对语料</th><td>{}</td></tr>", esc(&c.display().to_string()));
    }
    let _ = writeln!(
        h,
        "<tr><th>检测工具</th><td>chachong {}</td></tr>\n</tbody></table>",
        env!("CARGO_PKG_VERSION")
    );
    let Some(s) = &d.summary else {
        h.push_str("<p class=\"none\">documents.csv has no row for this draft</p>\n</section>\n");
        return;
    };
    let fig = |h: &mut String, key: &str, label: &str, value: String, note: String| {
        let _ = writeln!(
            h,
            "<p class=\"fig {key}\"><span class=\"k\">{label}</span> <span class=\"v\" data-cover=\"{key}\">{value}</span>{note}</p>"
        );
    };
    let copied_chars = copied_chars(d);
    h.push_str("<div class=\"cover-figs\">\n");
    fig(h, "copied_ratio", "总文字复制比", pct(s.copied_ratio), String::new());
    let top = if s.top_source.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"src\">（{}）</span>", esc(&s.top_source))
    };
    fig(h, "top_source_ratio", "单篇最大复制比", pct(s.top_source_ratio), top);
    fig(h, "copied_chars", "重复字数", format!("[{copied_chars}]"), String::new());
    fig(
        h,
        "chars",
        "总字数",
        format!("[{}]", s.chars.map_or(String::from("—"), |c| c.to_string())),
        String::new(),
    );
    fig(h, "boilerplate_ratio", "套话比", pct(s.boilerplate_ratio), String::new());
    let suspect = d.count(Verdict::Copy) + d.count(Verdict::Partial);
    fig(h, "paragraphs", "总段落数", format!("[{}]", d.paragraphs.len()), String::new());
    fig(h, "suspect_paragraphs", "疑似段落数", format!("[{suspect}]"), String::new());
    h.push_str("</div>\n");
    if d.sources.is_empty() {
        h.push_str("<p class=\"none\">相似文献列表：无 no source copied from</p>\n");
    } else {
        h.push_str(
            "<table class=\"cover-sources\"><caption>相似文献列表</caption>\n\
             <thead><tr><th>序号</th><th>复制比</th><th>重复字数</th><th>文献</th></tr></thead><tbody>\n",
        );
        for (i, src) in d.sources.iter().enumerate() {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"share\">{}</td><td class=\"chars\">[{}]</td><td class=\"name\">{}</td></tr>",
                i + 1,
                pct(src.ratio),
                src.chars,
                esc(&src.source)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str(
        "<p class=\"cover-note\">总文字复制比：与语料文献相同或仅略改的文字占全文有效字数（不计标点、空白和模板网站痕迹）之比；\
         套话（同类文书普遍使用的提法）不计入复制。单篇最大复制比：复制最多的一篇文献所占之比。</p>\n</section>\n",
    );
}

/// The draft's copied significant chars (重复字数): the sum over its sources, each char counted
/// once; from the ratio when only the top source is known (the draft's text was not found).
fn copied_chars(d: &DraftView) -> usize {
    match &d.summary {
        Some(s) if !d.has_text => s.chars.map_or(0, |c| (s.copied_ratio * c as f64).round() as usize),
        _ => d.sources.iter().map(|s| s.chars).sum(),
    }
}

fn draft(h: &mut String, n: usize, d: &DraftView) {
    let id = format!("d{n}");
    let _ = writeln!(h, "<section class=\"draft\" id=\"{id}\" data-draft=\"{}\">", esc(&d.name));
    h.push_str("<header class=\"doc-head\">\n");
    let _ = writeln!(h, "<h2>{}</h2>", esc(&d.name));

    h.push_str("<div class=\"figs\">\n<div class=\"stats\">\n");
    match &d.summary {
        Some(s) => {
            let _ = writeln!(
                h,
                "<div class=\"stat main\"><span class=\"label\">{}</span>\
                 <span class=\"value\" data-stat=\"copied_ratio\">{}</span></div>\n\
                 <div class=\"stat\"><span class=\"label\">{}</span>\
                 <span class=\"value\" data-stat=\"boilerplate_ratio\">{}</span></div>",
                bi("总文字复制比", "copied"),
                pct(s.copied_ratio),
                bi("套话", "boilerplate"),
                pct(s.boilerplate_ratio)
            );
        }
        None => h.push_str(
            "<div class=\"stat\"><span class=\"none\">documents.csv has no row for this draft</span></div>\n",
        ),
    }
    let counts: Vec<String> =
        VERDICTS.iter().map(|&v| format!("{} {}", d.count(v), bi(verdict(v).zh, &v.to_string()))).collect();
    let _ = writeln!(
        h,
        "<div class=\"stat\"><span class=\"label\">{}</span><span class=\"value\">{}</span>\
         <span class=\"sub\">{}</span></div>\n</div>",
        bi("段落", "paragraphs"),
        d.paragraphs.len(),
        counts.join(" · ")
    );

    let flagged: Vec<&ParaView> = d.paragraphs.iter().filter(|p| !p.row.flags.is_empty()).collect();
    let _ = write!(h, "<div class=\"flags\"><h3>{}</h3>", bi("模板网站痕迹", "template-site flags"));
    if flagged.is_empty() {
        let _ = write!(h, "<p class=\"none\">{}</p>", bi("无", "none"));
    } else {
        h.push_str("<ul>\n");
        for p in flagged {
            let _ = writeln!(
                h,
                "<li><a href=\"#{id}-p{0}\">¶{0}</a> {1}</li>",
                p.row.para,
                p.row
                    .flags
                    .iter()
                    .map(|f| format!("<span class=\"fl\">{}</span>", esc(&f.to_string())))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</div>\n</div>\n<div class=\"srcs\">\n");
    if d.sources.is_empty() {
        let _ = writeln!(h, "<p class=\"none\">{}</p>", bi("没有复制来源", "no source copied from"));
    } else {
        let _ = writeln!(
            h,
            "<table class=\"sources\"><caption>{}</caption><tbody>",
            bi("主要来源", "top sources")
        );
        let top = d.sources.first().map_or(1.0, |s| s.ratio).max(1e-9);
        for s in d.sources.iter().take(REVIEW_HTML_SOURCES) {
            let _ = writeln!(
                h,
                "<tr><td class=\"share\">{}</td><td class=\"bar\"><span style=\"width:{:.1}%\"></span></td>\
                 <td class=\"name\">{}</td></tr>",
                pct(s.ratio),
                (s.ratio / top * 100.0).clamp(0.0, 100.0),
                esc(&s.source)
            );
        }
        if d.sources.len() > REVIEW_HTML_SOURCES {
            let _ = writeln!(
                h,
                "<tr><td></td><td></td><td class=\"name\">… {} more</td></tr>",
                d.sources.len() - REVIEW_HTML_SOURCES
            );
        }
        h.push_str("</tbody></table>\n");
    }

    h.push_str("</div>\n</header>\n");

    h.push_str("<div class=\"tools\" role=\"group\" aria-label=\"filters\">\n");
    for v in VERDICTS {
        let _ = writeln!(
            h,
            "<label><input type=\"checkbox\" data-verdict=\"{v}\" checked> {} <span class=\"n\">{}</span></label>",
            bi(verdict(v).zh, &v.to_string()),
            d.count(v)
        );
    }
    let _ = writeln!(
        h,
        "<button type=\"button\" data-open=\"all\">{}</button>\
         <button type=\"button\" data-open=\"none\">{}</button>\
         <span class=\"hint\">{}</span>\n</div>",
        bi("展开全部来源", "open all"),
        bi("收起", "close all"),
        bi("点击段落查看来源", "click a paragraph to see its source")
    );
    if !d.has_text {
        let _ = writeln!(
            h,
            "<p class=\"problems\">{}</p>",
            bi("草稿文件未找到", "the draft file was not found: paragraphs show the report's excerpts.")
        );
    }

    h.push_str("<ol class=\"paras\">\n");
    for p in &d.paragraphs {
        para(h, &id, p);
    }
    h.push_str("</ol>\n</section>\n");
}

fn para(h: &mut String, id: &str, p: &ParaView) {
    let r = &p.row;
    let has_src = if p.sources.is_empty() { "" } else { " has-src" };
    let _ = writeln!(
        h,
        "<li class=\"para v-{v}{has_src}\" id=\"{id}-p{n}\" data-verdict=\"{v}\" data-score=\"{s:.3}\" tabindex=\"0\" aria-expanded=\"false\">",
        v = r.verdict,
        n = r.para,
        s = r.score
    );
    h.push_str("<div class=\"dside\"><div class=\"pmeta\">");
    let _ = write!(
        h,
        "<a class=\"pno\" href=\"#{id}-p{n}\">¶{n}</a><span class=\"vd\">{}</span>",
        bi(verdict(r.verdict).zh, &r.verdict.to_string()),
        n = r.para
    );
    if r.verdict != Verdict::Original {
        let _ = write!(h, "<span class=\"score\">{:.3}</span>", r.score);
    }
    if !r.source.is_empty() {
        let at = r.source_para.map(|n| format!(" ¶{n}")).unwrap_or_default();
        let _ = write!(h, "<span class=\"from\">← {}{at}</span>", esc(&r.source));
    }
    for f in &r.flags {
        let _ = write!(h, "<span class=\"fl\">{}</span>", esc(&f.to_string()));
    }
    h.push_str("</div>\n");
    match &p.text {
        Some(m) => {
            let _ = writeln!(h, "<p class=\"txt\">{}</p>", marked(m, id));
        }
        None => {
            let _ = writeln!(h, "<p class=\"txt missing\">{}…</p>", esc(&r.excerpt));
        }
    }
    h.push_str("</div>\n<div class=\"sside\">\n");
    if p.sources.is_empty() {
        let why = match r.verdict {
            Verdict::Boilerplate => bi("只有套话，没有单一来源", "only 套话: no single source"),
            _ => bi("语料中没有匹配", "no match in the corpus"),
        };
        let _ = writeln!(h, "<p class=\"nosrc\">{why}</p>");
    }
    for s in &p.sources {
        let at = s.para.map(|n| format!("¶{n}")).unwrap_or_default();
        let _ = write!(
            h,
            "<div class=\"srcpara\" data-source=\"{}\"><div class=\"srchead\">{}: <span class=\"file\">{}</span> <span class=\"sno\">{at}</span></div>",
            esc(&s.source),
            bi("来源", "source"),
            esc(&s.source)
        );
        match &s.text {
            Some(m) => {
                let _ = write!(h, "<p class=\"txt\">{}</p>", marked(m, id));
            }
            None => {
                let _ = write!(
                    h,
                    "<p class=\"txt missing\">{}</p>",
                    bi("来源文件未找到", "the source file was not found")
                );
            }
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</li>\n");
}

/// A paragraph's pieces as HTML; run ids are prefixed with the draft's id.
pub(crate) fn marked(m: &Marked, id: &str) -> String {
    let mut out = String::new();
    for g in m.groups() {
        if let Some(run) = g.run {
            let class = match run.kind {
                SpanKind::Copy => "cp",
                SpanKind::Boilerplate => "bp",
            };
            let _ = write!(out, "<mark class=\"{class}\" data-run=\"{id}r{}\">", run.id);
        }
        for p in g.pieces {
            let text = match &p.flag {
                Some(f) => format!("<span class=\"fl\" title=\"{}\">{}</span>", esc(f), esc(&p.text)),
                None => esc(&p.text),
            };
            if g.run.is_some() && !p.same {
                let _ = write!(out, "<span class=\"ed\">{text}</span>");
            } else {
                out.push_str(&text);
            }
        }
        if g.run.is_some() {
            out.push_str("</mark>");
        }
    }
    out
}

/// A label in both languages, both shown; a page that frames the report may show one of them, by
/// `data-lang="zh"` or `"en"` on the report's root (as `chachong serve`'s language switch does).
fn bi(zh: &str, en: &str) -> String {
    format!("<span class=\"l-zh\">{zh}</span><span class=\"l-en\"> {en}</span>")
}

/// Text made safe for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls other than tab and newline are not allowed in HTML text.
            '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// SHA-256 (FIPS 180-4), for the Content-Security-Policy's script hash.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_and_base64_known_answers() {
        // FIPS 180-2 examples; the CSP takes the base64 of the digest.
        assert_eq!(base64(&sha256(b"abc")), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        assert_eq!(base64(&sha256(b"")), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(base64(&sha256(long)), "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('1')</script> & \"x\""),
            "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;x&quot;"
        );
    }

    #[test]
    fn the_script_holds_no_closing_tag() {
        assert!(!JS.to_ascii_lowercase().contains("</script"));
        assert!(!CSS.to_ascii_lowercase().contains("</style"));
    }
}
