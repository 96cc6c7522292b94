//! The HTML report in a real browser: headless Chromium loads the file, runs its script, and dumps
//! the DOM, which is checked for the highlighted runs, the 复制比 and the absence of any script a
//! document smuggled in. Skipped, with a message, when no Chromium is installed
//! (`apt-get install chromium` on Debian; or set CHROMIUM to the browser's path).

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The DOM of `url` after its scripts ran, or `None` (with a note) when there is no browser.
fn dump_dom(url: &str) -> Option<String> {
    let Some(browser) = chromium() else {
        common::missing_tool(
            url,
            "no Chromium found (apt-get install chromium, or set CHROMIUM): the HTML report was not tested in a browser",
        );
        return None;
    };
    let profile = tempfile::tempdir().expect("profile dir");
    let out = tempfile::NamedTempFile::new().expect("out file");
    let mut child = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .stdout(out.reopen().expect("out"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} did not finish in 90 s", browser.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{} failed: {status}", browser.display());
    let dom = std::fs::read_to_string(out.path()).expect("dumped DOM");
    assert!(dom.contains("</html>"), "no DOM dumped: {dom}");
    Some(dom)
}

fn check_html(cwd: &Path, args: &[&str]) -> PathBuf {
    let html = cwd.join("report.html");
    let run = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .arg("check")
        .args(args)
        .args(["--html", html.to_str().expect("UTF-8 path")])
        .current_dir(cwd)
        .output()
        .expect("the binary runs");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    html
}

/// The draft paragraphs (`<li class="para …">`) of a DOM, each split into its draft side's text
/// and its source side.
fn paragraphs(dom: &str) -> Vec<(String, String, String)> {
    dom.split("<li class=\"para ")
        .skip(1)
        .map(|li| {
            let li = &li[..li.find("</li>").expect("closed li")];
            let head = li[..li.find('>').expect("tag")].to_string();
            let (draft, source) = li.split_once("<div class=\"sside\">").expect("source side");
            let text = draft.split_once("<p class=\"txt").expect("draft text").1;
            (head, text.to_string(), source.to_string())
        })
        .collect()
}

fn count(s: &str, what: &str) -> usize {
    s.matches(what).count()
}

#[test]
fn sample_draft_report_in_chromium() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = root().join("corpus");
    let draft = root().join("examples/draft.docx");
    let html = check_html(
        tmp.path(),
        &["--corpus", corpus.to_str().expect("path"), "--out", "out", draft.to_str().expect("path")],
    );
    let Some(dom) = dump_dom(&format!("file://{}?open=d1-p7", html.display())) else { return };

    assert!(dom.contains("data-js=\"ready\""), "the page's script ran (its CSP hash is right)");
    assert!(dom.contains("<span class=\"value\" data-stat=\"copied_ratio\">47.2%</span>"));
    assert!(dom.contains("<span class=\"value\" data-stat=\"boilerplate_ratio\">11.7%</span>"));
    let paras = paragraphs(&dom);
    assert_eq!(paras.len(), 13);
    let total = |side: usize, what: &str| -> usize {
        paras.iter().map(|p| count(if side == 0 { &p.1 } else { &p.2 }, what)).sum()
    };
    // Five copied runs (¶5, 6, 7, 9, 10) and five 套话 runs (four in ¶4, one in ¶5), on both sides.
    assert_eq!(total(0, "<mark class=\"cp\""), 5);
    assert_eq!(total(1, "<mark class=\"cp\""), 5);
    assert_eq!(total(0, "<mark class=\"bp\""), 5);
    assert_eq!(total(1, "<mark class=\"bp\""), 5);
    // The template-site marks in the text: X次, XXX同, *区 in ¶8 and the watermark in ¶11.
    assert_eq!(total(0, "<span class=\"fl\""), 4);
    assert_eq!(count(&paras[7].1, "<span class=\"fl\""), 3);
    assert!(paras[10]
        .1
        .contains("<span class=\"fl\" title=\"watermark:笔杆儿网\">笔杆儿网www.bgzjy.cn</span>"));
    // ¶7 is an edited copy: the edits inside the run show as such, on both sides.
    assert!(paras[6].1.contains("<span class=\"ed\">强化</span>"), "{}", paras[6].1);
    assert!(paras[6].2.contains("<span class=\"ed\">加强</span>"), "{}", paras[6].2);
    assert!(paras[6].2.contains("<span class=\"sno\">¶51</span>"));
    // ?open=d1-p7 opened ¶7 (the script ran), and nothing else.
    assert!(paras[6].0.starts_with("v-copy has-src open\""), "{}", paras[6].0);
    assert_eq!(paras.iter().filter(|p| p.0.contains(" open\"")).count(), 1);
}

#[test]
fn script_in_a_corpus_file_and_a_draft_shows_as_text_and_does_not_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let evil = "推进基层治理现代化，健全党组织领导的自治、法治、德治相结合的城乡基层治理体系，\
                <script>document.documentElement.setAttribute('data-pwned','corpus')</script>\
                完善网格化管理、精细化服务、信息化支撑的基层治理平台，\
                <img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">\
                把矛盾纠纷化解在基层、化解在萌芽状态。";
    std::fs::write(corpus.join("evil<b>.txt"), format!("关于基层治理的报告\n{evil}\n")).expect("write");
    std::fs::copy(root().join("examples/draft.txt"), corpus.join("other.txt")).expect("copy");
    let draft = "在全县基层治理工作会议上的讲话\n\
                 今年，我们要继续在基层治理上下功夫。<script>alert(1)</script>\
                 </p><script>document.documentElement.setAttribute('data-pwned','draft')</script>\n"
        .to_string()
        + evil
        + "\n";
    std::fs::write(tmp.path().join("稿<i>.txt"), draft).expect("write");
    let html = check_html(tmp.path(), &["--corpus", "corpus", "--out", "out", "稿<i>.txt"]);

    // In the file: one script element (the page's own), every document `<` escaped.
    let raw = std::fs::read_to_string(&html).expect("html");
    assert_eq!(count(&raw, "<script"), 1);
    assert_eq!(count(&raw, "<img"), 0);
    assert!(raw.contains("稿&lt;i&gt;.txt"));
    assert!(raw.contains("evil&lt;b&gt;.txt"));

    let url = format!("file://{}?open=d1-p3", html.display());
    let Some(dom) = dump_dom(&url) else { return };
    // The scripts would mark the root element; only the page's own script did.
    let html_tag = &dom[dom.find("<html").expect("html")..];
    let html_tag = &html_tag[..html_tag.find('>').expect("tag")];
    assert!(html_tag.contains("data-js=\"ready\""), "the page's own script ran: {html_tag}");
    assert!(!html_tag.contains("data-pwned"), "a document's script ran: {html_tag}");
    assert_eq!(count(&dom, "<script"), 1);
    assert_eq!(count(&dom, "<img"), 0);
    let paras = paragraphs(&dom);
    assert_eq!(paras.len(), 3);
    assert!(
        paras[1].1.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;&lt;script&gt;"),
        "{}",
        paras[1].1
    );
    // The copied paragraph: the script is text inside the copied run, on both sides.
    let shown = "&lt;script&gt;document.documentElement.setAttribute('data-pwned','corpus')&lt;/script&gt;";
    assert!(paras[2].0.contains("v-copy"), "{}", paras[2].0);
    assert!(paras[2].1.contains(shown), "{}", paras[2].1);
    assert!(paras[2].2.contains(shown), "{}", paras[2].2);
    assert!(paras[2].2.contains("evil&lt;b&gt;.txt"));
    assert!(paras[2].0.contains(" open\""), "?open= opened it");
    assert!(count(&paras[2].1, "<mark class=\"cp\"") >= 1);
}

#[test]
fn audit_page_in_chromium() {
    let tmp = tempfile::tempdir().expect("tmp");
    let html = tmp.path().join("audit.html");
    let run = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(["audit", "--corpus"])
        .arg(root().join("tests/fixtures/audit/corpus"))
        .args(["--out", "out", "--html", "audit.html"])
        .current_dir(tmp.path())
        .output()
        .expect("the binary runs");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).ends_with("HTML page written to audit.html\n"));
    let raw = std::fs::read_to_string(&html).expect("html");
    assert_eq!(count(&raw, "<script"), 0, "the page runs no script");

    let Some(dom) = dump_dom(&format!("file://{}", html.display())) else { return };
    assert_eq!(count(&dom, "<article class=\"pair\""), 4);
    assert_eq!(count(&dom, "<article class=\"cluster k-specific\""), 2);
    assert_eq!(count(&dom, "<article class=\"cluster k-boilerplate\""), 1);
    // The fourth pair: the news report copied a passage of the older outline, shown side by side
    // with the source's wording on the left and the copy's edits (「省」 → 「市」) set apart.
    let pair = &dom[dom.find("<article class=\"pair\" id=\"pair4\"").expect("pair 4")..];
    let pair = &pair[..pair.find("</article>").expect("closed")];
    assert!(pair.contains("<h3>4. <span class=\"file\">20230115_民主生活会发言提纲.txt</span> (5.8% · 2023-01-15) → <span class=\"file\">20230520_新闻报道.txt</span> (12.1% · 2023-05-20)</h3>"), "{pair}");
    assert!(pair.contains("来源 source: 较早的 the older, by file name"), "{pair}");
    let paras = paragraphs(pair);
    assert_eq!(paras.len(), 3, "the three longest passages");
    let (left, right) = (&paras[0].1, &paras[0].2);
    assert!(
        left.contains(
            "<mark class=\"cp\" data-run=\"pair4r0\">针对其他方面查摆出的4个突出问题。一是认真调查研究"
        ),
        "{left}"
    );
    assert!(right.contains("<span class=\"file\">20230520_新闻报道.txt</span>"), "{right}");
    assert!(right.contains("<mark class=\"cp\" data-run=\"pair4r0\">"), "{right}");
    assert!(
        left.contains("<span class=\"ed\">省</span>") && right.contains("<span class=\"ed\">市</span>"),
        "{left}\n{right}"
    );
}
