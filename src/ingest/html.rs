//! HTML pages as browsers save them from template sites, portals and newspapers: the charset from
//! the BOM, `<meta charset>` or detection; text from block elements, one paragraph per block;
//! scripts, styles and the page's own chrome (navigation, footer, sidebars) left out.
//!
//! The document text is the blocks' texts joined with `\n` (see docs/report-format.md): inside a
//! block, runs of HTML whitespace become one space, `<br>` ends a line, and `<pre>` keeps its lines.

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::text::{decode_checked, decode_text};

/// Bytes searched for `<meta charset>`: the HTML standard's prescan looks at 1024; saved pages
/// often put long comments or scripts first, so a little more.
const META_PRESCAN: usize = 4096;

/// Open elements tracked; deeper nesting (only in broken or hostile pages) is not tracked, which
/// bounds the cost of matching end tags.
const MAX_DEPTH: usize = 256;

/// Elements whose content is never text of the page.
const HIDDEN: &[&[u8]] = &[
    b"head",
    b"title",
    b"script",
    b"style",
    b"noscript",
    b"template",
    b"iframe",
    b"object",
    b"svg",
    b"math",
    b"select",
    b"button",
    b"textarea",
    b"canvas",
    b"audio",
    b"video",
];

/// Elements that are page chrome rather than the article in HTML5 pages.
const CHROME: &[&[u8]] = &[b"nav", b"footer", b"header", b"aside"];

/// Words that, as a part of an element's `class` or `id` (split at `-`, `_` and spaces), mark
/// chrome on older pages that build their layout from `<div>`s.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "foot",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "sidebar",
    "copyright",
    "topbar",
    "toolbar",
    "share",
    "login",
    "banner",
    "comment",
    "comments",
    "ad",
    "ads",
    "advert",
];

/// Elements that start a new block (paragraph) of text.
const BLOCKS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"br",
    b"caption",
    b"center",
    b"dd",
    b"details",
    b"dialog",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"html",
    b"legend",
    b"li",
    b"main",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"table",
    b"tbody",
    b"td",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
    b"ul",
];

/// Elements without an end tag.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// The text of an HTML page, see the module documentation. A page whose chrome rules leave no
/// text is read again with only scripts, styles and the head left out, so an unusual layout
/// loses its chrome filter rather than its article.
pub fn html_text(bytes: &[u8]) -> Result<String, super::Reason> {
    let source = decode_html(bytes)?;
    // html5gum is not ours; a panic on a malformed page must not end a batch.
    std::panic::catch_unwind(|| {
        let text = extract(&source, true);
        if text.chars().any(|c| !super::is_space(c)) {
            text
        } else {
            extract(&source, false)
        }
    })
    .map_err(|_| super::Reason::ReaderFailed("HTML page", "HTML"))
}

/// Decodes the page: a BOM wins, then a `<meta charset>` or `<meta http-equiv content>` in the
/// first bytes, then the same detection as plain text. GBK and GB2312 labels decode as GB18030,
/// their superset; a declared charset that yields garbage falls back to detection.
fn decode_html(bytes: &[u8]) -> Result<String, super::Reason> {
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    if !has_bom {
        if let Some(enc) = meta_charset(&bytes[..bytes.len().min(META_PRESCAN)]) {
            if let Ok(text) = decode_checked(enc, bytes) {
                return Ok(text);
            }
        }
    }
    decode_text(bytes)
}

/// The encoding a `<meta>` in `head` declares, as the HTML standard maps labels (UTF-16 labels
/// mean UTF-8 there, since the meta itself was readable as ASCII).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let tag_start = from + pos;
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = rest.trim_ascii_start();
            if let Some(value) = rest.strip_prefix(b"=") {
                let value = value.trim_ascii_start();
                let value = value.strip_prefix(b"\"").or_else(|| value.strip_prefix(b"'")).unwrap_or(value);
                let end = value
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>'))
                    .unwrap_or(value.len());
                if let Some(enc) = Encoding::for_label(&value[..end]) {
                    return Some(match enc {
                        e if e == GBK => GB18030,
                        e if e == UTF_16LE || e == UTF_16BE => UTF_8,
                        e if e.name() == "x-user-defined" => WINDOWS_1252,
                        e => e,
                    });
                }
            }
        }
        from = tag_start + 5;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

struct Open {
    name: Vec<u8>,
    hidden: bool,
    pre: bool,
}

/// The blocks' texts joined with `\n`. `chrome` also leaves out navigation, footers and the like.
fn extract(source: &str, chrome: bool) -> String {
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are raw text, not markup.
    emitter.naively_switch_states(true);
    let mut out = Text::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut hidden = 0usize;
    let mut pre = 0usize;
    for token in Tokenizer::new_with_emitter(source, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                let is_hidden = HIDDEN.contains(&name.as_slice())
                    || (chrome
                        && (CHROME.contains(&name.as_slice())
                            || [&b"class"[..], b"id"]
                                .iter()
                                .any(|a| tag.attributes.get(*a).is_some_and(|v| is_chrome_name(&v.value)))));
                if BLOCKS.contains(&name.as_slice()) && hidden == 0 {
                    out.break_block();
                }
                let is_void = VOID.contains(&name.as_slice()) || tag.self_closing;
                if !is_void && stack.len() < MAX_DEPTH {
                    let is_pre = matches!(name.as_slice(), b"pre" | b"listing" | b"plaintext");
                    hidden += usize::from(is_hidden);
                    pre += usize::from(is_pre);
                    stack.push(Open { name, hidden: is_hidden, pre: is_pre });
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if let Some(at) = stack.iter().rposition(|o| o.name == name) {
                    for o in stack.drain(at..) {
                        hidden -= usize::from(o.hidden);
                        pre -= usize::from(o.pre);
                    }
                }
                if BLOCKS.contains(&name.as_slice()) && hidden == 0 {
                    out.break_block();
                }
            }
            Token::String(s) if hidden == 0 => out.push(&String::from_utf8_lossy(&s.value), pre > 0),
            _ => {}
        }
    }
    out.finish()
}

fn is_chrome_name(value: &[u8]) -> bool {
    String::from_utf8_lossy(value)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| CHROME_WORDS.contains(&w))
}

/// The document text being built: finished blocks, and the open block's text.
#[derive(Default)]
struct Text {
    done: String,
    block: String,
    /// A collapsed whitespace run waits here until text follows it in the same block.
    space: bool,
}

impl Text {
    fn push(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            if pre && (c == '\n' || c == '\r') {
                // Line ends in a <pre> end lines; a "\r\n" leaves an empty block, which is dropped.
                self.break_block();
            } else if !pre && matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.space = !self.block.is_empty();
            } else {
                if self.space {
                    self.block.push(' ');
                    self.space = false;
                }
                self.block.push(c);
            }
        }
    }

    fn break_block(&mut self) {
        self.space = false;
        if self.block.chars().any(|c| !super::is_space(c)) {
            if !self.done.is_empty() {
                self.done.push('\n');
            }
            self.done.push_str(&self.block);
        }
        self.block.clear();
    }

    fn finish(mut self) -> String {
        self.break_block();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_whitespace_and_entities() {
        let page = "<html><head><title>标题 - 网站</title><style>p{}</style></head><body>\
                    <h1>关于  加强\n作风建设的讲话</h1><p>　　同志们：<br>今天&nbsp;我们&lt;开会&gt;。</p>\
                    <div>第一<span>段</span><b>继续</b></div><table><tr><td>格一</td><td>格二</td></tr></table>\
                    <script>var a = '<p>不是正文</p>';</script></body></html>";
        assert_eq!(
            html_text(page.as_bytes()).unwrap(),
            "关于 加强 作风建设的讲话\n　　同志们：\n今天\u{a0}我们<开会>。\n第一段继续\n格一\n格二"
        );
    }

    #[test]
    fn chrome_is_left_out() {
        let page = "<body><div id=\"top-nav\"><a>首页</a> &gt; <a>讲话</a></div><nav><ul><li>导航</li></ul></nav>\
                    <div class=\"main content\"><p>正文一。</p><p>正文二。</p></div>\
                    <div class=\"footer\">版权所有<p>备案号</p></div><aside>推荐阅读</aside><p>尾段。</p></body>";
        assert_eq!(html_text(page.as_bytes()).unwrap(), "正文一。\n正文二。\n尾段。");
        // When the chrome rules leave nothing, the page is read without them.
        let all_chrome = "<div class=\"sidebar\"><p>唯一的正文。</p></div>";
        assert_eq!(html_text(all_chrome.as_bytes()).unwrap(), "唯一的正文。");
    }

    #[test]
    fn pre_keeps_lines_and_unclosed_tags_recover() {
        let page = "<pre>一行\r\n  二行\n\n三行</pre><div><p>未闭合<div>内层</div>后文";
        assert_eq!(html_text(page.as_bytes()).unwrap(), "一行\n  二行\n三行\n未闭合\n内层\n后文");
    }

    #[test]
    fn charset_from_meta_or_detection() {
        let body = "<p>深入学习贯彻党的二十大精神，扎实推进各项工作。</p>";
        let (gbk, _, _) = GB18030.encode(body);
        for meta in [
            "<meta charset=\"gb2312\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\" />",
            "",
        ] {
            let mut page = format!("<html><head>{meta}</head><body>").into_bytes();
            page.extend_from_slice(&gbk);
            assert_eq!(html_text(&page).unwrap(), "深入学习贯彻党的二十大精神，扎实推进各项工作。", "{meta}");
        }
        assert_eq!(meta_charset(b"<META CHARSET='utf-16'>"), Some(UTF_8));
        assert_eq!(meta_charset(b"<meta name=x><meta charset=big5>"), Some(encoding_rs::BIG5));
        assert_eq!(meta_charset(b"<meta charset=nonsense>"), None);
        // A BOM wins over the meta.
        let mut bom = b"\xEF\xBB\xBF<meta charset=gbk><p>".to_vec();
        bom.extend_from_slice("中文".as_bytes());
        assert_eq!(html_text(&bom).unwrap(), "中文");
    }

    #[test]
    fn deep_nesting_and_odd_input_do_not_fail() {
        let deep = format!("{}正文{}", "<div class=\"nav\">".repeat(5000), "</div>".repeat(10));
        assert!(html_text(deep.as_bytes()).is_ok());
        for s in ["", "<", "<p", "</p></p>", "<!--", "<script>", "&", "&#xFFFFFF;", "<svg><p>x"] {
            assert!(html_text(s.as_bytes()).is_ok(), "{s:?}");
        }
    }
}
