//! `chachong serve` as a user and an attacker meet it: the binary is started on a free port, its
//! page driven in headless Chromium through WebDriver (tests/serve_page.py, selenium and Debian's
//! chromium-driver), and its routes sent requests byte for byte — the wrong Host, no key, names
//! like `../../x`, a 200 MB body — to see each refused with its reason while the server goes on.

mod common;

use common::root;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `chachong serve`, stopped when dropped.
struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    key: String,
}

impl Served {
    /// Starts the server on `corpus` with its index in `index` and its working folder below `tmp`.
    fn start(corpus: &Path, index: &Path, tmp: &Path, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chachong"))
            .args(["serve", "--corpus"])
            .arg(corpus)
            .arg("--index")
            .arg(index)
            .args(extra)
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the URL line");
        let url = line.trim().strip_prefix("http://").unwrap_or_else(|| panic!("no URL printed: {line:?}"));
        let (addr, key) = url.trim_end_matches('/').split_once('/').expect("http://ADDR/KEY/");
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        assert_eq!(key.len(), 32, "a 128-bit key: {key}");
        Served { addr: addr.to_string(), key: key.to_string(), child }
    }

    fn url(&self) -> String {
        format!("http://{}/{}/", self.addr, self.key)
    }

    /// Sends `head` (request line and headers, without the blank line) and `body`; the status and
    /// the body of the answer.
    fn raw(&self, head: &str, body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        let req = format!("{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        s.write_all(req.as_bytes()).expect("write");
        // A server that refuses a body from its length answers and closes without reading it.
        let _ = s.write_all(body);
        read_answer(&mut s)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.raw(&format!("GET /{}/{path} HTTP/1.1\r\nHost: {}", self.key, self.addr), b"")
    }

    fn post(&self, path: &str, body: &[u8]) -> (u16, String) {
        self.raw(&format!("POST /{}/{path} HTTP/1.1\r\nHost: {}", self.key, self.addr), body)
    }

    fn post_json(&self, path: &str, body: &[u8]) -> (u16, Value) {
        let (status, text) = self.post(path, body);
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}")))
    }

    fn get_json(&self, path: &str) -> Value {
        let (status, text) = self.get(path);
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"))
    }

    /// Waits until the index is no longer being updated, and returns the corpus view.
    fn corpus_settled(&self) -> Value {
        let started = Instant::now();
        loop {
            let v = self.get_json("api/corpus");
            if v["index"]["updating"] == false {
                return v;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "the index update did not end: {v}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Checks `drafts` (name, bytes) as the page does; the finished check.
    fn check(&self, drafts: &[(&str, &[u8])]) -> Value {
        let (status, job) = self.post_json("api/jobs", b"");
        assert_eq!(status, 200, "{job}");
        let id = job["job"].as_u64().expect("job id");
        for (name, bytes) in drafts {
            let (status, v) = self.post_json(&format!("api/jobs/{id}/drafts?name={}", enc(name)), bytes);
            assert_eq!(status, 200, "{name}: {v}");
        }
        let (status, v) = self.post_json(&format!("api/jobs/{id}/start"), b"");
        assert_eq!(status, 200, "{v}");
        let started = Instant::now();
        loop {
            let v = self.get_json(&format!("api/jobs/{id}"));
            if v["phase"] == "done" || v["phase"] == "failed" {
                return v;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "the check did not end: {v}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server with `signal` (`-INT`: as Ctrl-C does).
    fn stop(&mut self, signal: &str) {
        let status =
            Command::new("kill").args([signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success());
        let started = Instant::now();
        while self.child.try_wait().expect("wait").is_none() {
            assert!(started.elapsed() < Duration::from_secs(20), "kill {signal} did not stop the server");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_answer(s: &mut TcpStream) -> (u16, String) {
    let mut answer = Vec::new();
    // A server that answers early and closes may reset the connection after its answer is in.
    let _ = s.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status =
        text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("no answer: {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
    (status, body)
}

fn enc(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every file below `dir`, relative, sorted.
fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("below").to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// A corpus of the two national reports the sample draft copies most from.
fn small_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for year in [2024, 2025] {
        let name = format!("{year}_国务院_政府工作报告.txt");
        std::fs::copy(root().join("corpus/govreports/national").join(&name), dir.join(&name)).expect("copy");
    }
}

#[test]
fn requests_are_held_to_the_host_the_key_and_the_limits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (corpus, index, work) = (tmp.path().join("corpus"), tmp.path().join("index"), tmp.path().join("tmp"));
    small_corpus(&corpus);
    std::fs::create_dir(&work).expect("mkdir");
    let mut s = Served::start(&corpus, &index, &work, &["--max-file-mb", "1"]);
    let host = s.addr.clone();
    let key = s.key.clone();

    // The page, with the key and the bound Host only.
    let (status, page) = s.get("");
    assert_eq!(status, 200);
    assert!(page.contains("<script src=\"app.js\" defer></script>") && page.contains("检查草稿"), "{page}");
    let (status, js) = s.get("app.js");
    assert_eq!(status, 200);
    assert!(js.contains("'use strict'"));
    for evil in ["evil.example", "evil.example:80", "localhost", "127.0.0.1", "127.0.0.2:1"] {
        let (status, body) = s.raw(&format!("GET /{key}/ HTTP/1.1\r\nHost: {evil}"), b"");
        assert_eq!(status, 421, "Host {evil}: {body}");
        assert!(body.contains(&format!("only at http://{host}/")), "{body}");
    }
    let port = host.rsplit(':').next().expect("port");
    let (status, _) = s.raw(&format!("GET /{key}/ HTTP/1.1\r\nHost: localhost:{port}"), b"");
    assert_eq!(status, 421, "a name for the address is not the address bound");
    let (status, _) = s.raw(&format!("GET /{key}/ HTTP/1.0"), b"");
    assert_eq!(status, 421, "no Host at all");
    for path in
        ["/", "/api/corpus", "/app.js", &format!("/{}/", &key[..31]), &format!("/{key}x/"), "/../etc/passwd"]
    {
        let (status, body) = s.raw(&format!("GET {path} HTTP/1.1\r\nHost: {host}"), b"");
        assert_eq!(status, 403, "{path}: {body}");
        assert!(body.contains("needs the key"), "{body}");
    }
    let (status, body) =
        s.raw(&format!("POST /{key}/api/jobs HTTP/1.1\r\nHost: {host}\r\nOrigin: http://evil.example"), b"");
    assert_eq!((status, body.contains("another site")), (403, true), "{body}");
    let (status, _) = s.get("jobs/1/download/..%2F..%2Fchachong-run.txt");
    assert_eq!(status, 404);

    // The index of the small corpus.
    let c = s.corpus_settled();
    assert_eq!(c["count"], 2, "{c}");
    assert_eq!(c["index"]["documents"], 2, "{c}");
    assert_eq!(c["index"]["last"]["added"], 2, "{c}");

    // Bad uploads to the corpus, each refused with its reason.
    let docx = std::fs::read(root().join("examples/draft.docx")).expect("draft.docx");
    let corrupt = &docx[..docx.len() / 2];
    let refusals: [(&str, &[u8], u16, &str, &str); 8] = [
        ("../../x", b"text", 400, "bad_name", "folder part"),
        ("../../x.txt", b"text", 400, "bad_name", "folder part"),
        ("..\\x.txt", b"text", 400, "bad_name", "folder part"),
        (".hidden.txt", b"text", 400, "bad_name", "hidden"),
        ("x.exe", b"MZ", 400, "unsupported", ".exe"),
        ("空.txt", b"", 400, "empty", "empty"),
        ("坏.docx", corrupt, 400, "unreadable", "not a Word .docx"),
        ("2024_国务院_政府工作报告.txt", b"replaced?", 409, "exists", "already holds"),
    ];
    for (name, body, want, code, says) in refusals {
        let (status, v) = s.post_json(&format!("api/corpus/files?name={}", enc(name)), body);
        assert_eq!((status, v["error"].as_str()), (want, Some(code)), "{name}: {v}");
        assert!(v["detail"].as_str().is_some_and(|d| d.contains(says)), "{name}: {v}");
    }
    // Over --max-file-mb (1 MiB here): refused from its Content-Length before it is read, and
    // when it comes without one (chunked) as soon as the limit is passed.
    let mut conn = TcpStream::connect(&host).expect("connect");
    write!(
        conn,
        "POST /{key}/api/corpus/files?name=big.txt HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    // 1.25 MiB: past the limit, and not so far past that a reset could overtake the answer.
    for _ in 0..20 {
        // The server stops reading once past the limit; what it does not read is its to drop.
        if write!(conn, "10000\r\n")
            .and_then(|()| conn.write_all(&[b'b'; 0x10000]))
            .and_then(|()| write!(conn, "\r\n"))
            .is_err()
        {
            break;
        }
    }
    let (status, body) = read_answer(&mut conn);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("too_large"), "{body}");
    // A 200 MB body, declared: the answer comes before it is sent.
    let mut conn = TcpStream::connect(&host).expect("connect");
    write!(
        conn,
        "POST /{key}/api/corpus/files?name=big.txt HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\n\r\n",
        200u64 << 20
    )
    .expect("write");
    let (status, body) = read_answer(&mut conn);
    assert_eq!((status, body.contains("too_large")), (413, true), "{body}");
    assert!(body.contains("larger than the limit of 1.0 MiB (--max-file-mb)"), "{body}");

    // A good document is taken, and the index brought up to date with it.
    let text = "关于加强基层治理的几点思考\n推进基层治理现代化，健全党组织领导的自治、法治、德治相结合的城乡基层治理体系。\n";
    let (status, v) = s.post_json(&format!("api/corpus/files?name={}", enc("基层治理.txt")), text.as_bytes());
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "基层治理.txt");
    assert_eq!(std::fs::read_to_string(corpus.join("基层治理.txt")).expect("stored"), text);
    let c = s.corpus_settled();
    assert_eq!(c["index"]["documents"], 3, "{c}");
    assert_eq!(c["index"]["last"]["added"], 1, "{c}");
    let listed: Vec<(&str, bool)> = c["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| (d["name"].as_str().unwrap_or(""), d["indexed"] == true))
        .collect();
    assert!(listed.contains(&("基层治理.txt", true)), "{listed:?}");

    // Drafts: bad names refused at upload; a corrupt .docx is the check's row with its reason,
    // and the good draft beside it is checked.
    let (_, job) = s.post_json("api/jobs", b"");
    let id = job["job"].as_u64().expect("id");
    for (name, code) in [("../../x.docx", "bad_name"), ("稿.zip", "unsupported"), ("空.docx", "empty")] {
        let body: &[u8] = if code == "empty" { b"" } else { b"PK" };
        let (status, v) = s.post_json(&format!("api/jobs/{id}/drafts?name={}", enc(name)), body);
        assert_eq!((status, v["error"].as_str()), (400, Some(code)), "{name}: {v}");
    }
    let (status, v) = s.post_json(&format!("api/jobs/{}/start", id), b"");
    assert_eq!((status, v["error"].as_str()), (400, Some("no_drafts")), "{v}");
    let done = s.check(&[("坏.docx", corrupt), ("draft.docx", &docx), ("draft.docx", &docx)]);
    assert_eq!(done["phase"], "done", "{done}");
    assert_eq!(done["drafts"], serde_json::json!(["坏.docx", "draft.docx", "draft (2).docx"]));
    let results = done["results"].as_array().expect("results");
    assert_eq!(results.len(), 3, "{done}");
    assert_eq!(results[0]["name"], "draft.docx");
    assert_eq!(results[0]["status"], "ok");
    assert_eq!(results[1]["name"], "draft (2).docx");
    assert_eq!(results[2]["name"], "坏.docx");
    assert_eq!(results[2]["status"], "unreadable");
    assert!(results[2]["reason"].as_str().is_some_and(|r| r.contains("not a Word .docx")), "{done}");
    let jid = done["job"].as_u64().expect("id");
    let (status, csv) = s.get(&format!("jobs/{jid}/download/documents.csv"));
    assert_eq!(status, 200);
    assert!(csv.contains("坏.docx") && csv.contains("not a Word .docx"), "{csv}");
    let (status, html) = s.get(&format!("jobs/{jid}/report.html"));
    assert_eq!(status, 200);
    assert!(html.contains("<meta name=\"generator\" content=\"chachong "), "the HTML report");
    let (status, v) = s.post_json(&format!("api/jobs/{jid}/drafts?name=late.txt"), b"x");
    assert_eq!((status, v["error"].as_str()), (409, Some("started")), "{v}");

    // After all that the server still answers, and it wrote nothing but the corpus document it
    // took, the index, and its working folder.
    assert_eq!(s.get("").0, 200);
    let mut corpus_files = files_below(&corpus);
    corpus_files.sort();
    assert_eq!(
        corpus_files,
        ["2024_国务院_政府工作报告.txt", "2025_国务院_政府工作报告.txt", "基层治理.txt"]
    );
    let outside: Vec<String> = files_below(tmp.path())
        .into_iter()
        .filter(|f| {
            !f.starts_with("corpus/") && !f.starts_with("index/") && !f.starts_with("tmp/chachong-serve-")
        })
        .collect();
    assert!(outside.is_empty(), "written outside its folders: {outside:?}");
    let work_dirs: Vec<String> =
        files_below(&work).iter().filter_map(|f| f.split('/').next().map(String::from)).collect();
    assert!(!work_dirs.is_empty());
    assert!(
        files_below(&work).iter().any(|f| f.ends_with("job-2/drafts/坏.docx")),
        "{:?}",
        files_below(&work)
    );

    // Ctrl-C stops it and removes its working folder.
    s.stop("-INT");
    assert!(files_below(&work).is_empty(), "{:?}", files_below(&work));
}

/// A program on PATH, or at `env` when that variable is set.
fn tool(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|d| names.iter().map(move |n| d.join(n))).find(|p| p.is_file())
}

/// A Python that has selenium and openpyxl: `python3` on PATH, else Debian's (python3-selenium installs there).
fn python_with_selenium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PYTHON").map(PathBuf::from),
        Some("python3".into()),
        Some("/usr/bin/python3".into()),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import selenium, openpyxl"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A CSV's header, its BOM left off.
fn csv_header(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    r.headers().expect("header").iter().map(|c| c.trim_start_matches('\u{feff}').to_string()).collect()
}

/// The figure after `label：` on the PDF's cover, as pdftotext lays it out (`47.2%`, `[930]`).
fn cover_figure(text: &str, label: &str) -> String {
    let at = text.find(&format!("{label}：")).unwrap_or_else(|| panic!("no {label} on the cover:\n{text}"));
    let rest = text[at + label.len() + "：".len()..].trim_start();
    rest.chars().take_while(|c| !c.is_whitespace() && *c != '（').collect()
}

fn read_csv(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records().map(|x| x.expect("row")).collect()
}

fn column(path: &Path, name: &str) -> usize {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let h = r.headers().expect("header").clone();
    h.iter()
        .position(|c| c.trim_start_matches('\u{feff}') == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn the_page_in_chromium_shows_what_check_reports() {
    let test = "the_page_in_chromium_shows_what_check_reports";
    let (Some(chromium), Some(driver), Some(python), Some(pdftotext)) = (
        tool("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]),
        tool("CHROMEDRIVER", &["chromedriver"]),
        python_with_selenium(),
        tool("PDFTOTEXT", &["pdftotext"]),
    ) else {
        common::missing_tool(
            test,
            "Chromium, chromium-driver, Python's selenium and openpyxl or pdftotext is missing \
             (apt-get install chromium chromium-driver python3-selenium python3-openpyxl poppler-utils)",
        );
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = common::corpus_without(&[]);
    let _ = std::fs::remove_dir_all(corpus.path().join(".chachong"));
    let draft = root().join("examples/draft.docx");

    // What `chachong check` says of the sample draft, against the same corpus.
    let out = tmp.path().join("check");
    let run = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .arg("check")
        .arg("--corpus")
        .arg(corpus.path())
        .arg("--index")
        .arg(tmp.path().join("check-index"))
        .arg("--out")
        .arg(&out)
        .arg(&draft)
        .output()
        .expect("check runs");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let documents = read_csv(&out.join("documents.csv"));
    let ratio = |col: &str| -> String {
        let v: f64 = documents[0][column(&out.join("documents.csv"), col)].parse().expect("ratio");
        format!("{:.1}%", v * 100.0)
    };
    // And in Chinese, as the page's workbook is.
    let zh = tmp.path().join("check-zh");
    let run = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(["check", "--lang", "zh", "--corpus"])
        .arg(corpus.path())
        .arg("--index")
        .arg(tmp.path().join("check-index"))
        .arg("--out")
        .arg(&zh)
        .arg(&draft)
        .output()
        .expect("check runs");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let paragraphs_csv = out.join("paragraphs.csv");
    let (verdict, source, source_para) = (
        column(&paragraphs_csv, "verdict"),
        column(&paragraphs_csv, "source"),
        column(&paragraphs_csv, "source_para"),
    );
    let paragraphs = read_csv(&paragraphs_csv);
    let spans_csv = out.join("spans.csv");
    let kind = column(&spans_csv, "kind");
    let copy_spans = read_csv(&spans_csv).iter().filter(|r| &r[kind] == "copy").count();

    // The page, driven.
    let work = tmp.path().join("tmp");
    std::fs::create_dir(&work).expect("mkdir");
    let s = Served::start(corpus.path(), &tmp.path().join("index"), &work, &[]);
    let empty = tmp.path().join("空白.txt");
    std::fs::write(&empty, "").expect("write");
    let corrupt = tmp.path().join("损坏.docx");
    let docx = std::fs::read(&draft).expect("draft");
    std::fs::write(&corrupt, &docx[..docx.len() / 2]).expect("write");
    let big = tmp.path().join("大文件.txt");
    std::fs::File::create(&big).and_then(|f| f.set_len(200 << 20)).expect("a 200 MB file");
    let added = tmp.path().join("基层治理.txt");
    let added_text = "关于加强基层治理的几点思考\n推进基层治理现代化，健全党组织领导的自治、法治、德治相结合的城乡基层治理体系。\n";
    std::fs::write(&added, added_text).expect("write");
    let shot = tmp.path().join("serve.png");
    let seen_path = tmp.path().join("seen.json");
    let bad = [&empty, &corrupt, &big].map(|p| p.display().to_string()).join(";");
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir(&downloads).expect("mkdir");
    let records = root().join("tests/fixtures/findings/records");
    let batch =
        ["记录1.txt", "记录2.txt", "记录3.txt"].map(|n| records.join(n).display().to_string()).join(";");
    let script = Command::new(&python)
        .arg(root().join("tests/serve_page.py"))
        .arg(s.url())
        .args([&chromium, &driver, &draft])
        .arg(&bad)
        .args([&added, &shot, &seen_path, &downloads])
        .arg(&batch)
        .output()
        .expect("python runs");
    let seen = std::fs::read_to_string(&seen_path).unwrap_or_default();
    assert!(script.status.success(), "{}\nseen: {seen}", String::from_utf8_lossy(&script.stderr));
    let seen: Value = serde_json::from_str(&seen).expect("JSON");

    // The figures shown, on the page and in its report, are check's.
    assert_eq!(seen["title"], "检查草稿", "Chinese by default");
    assert_eq!(seen["summary"][0]["draft"], "draft.docx");
    assert_eq!(seen["summary"][0]["stats"]["copied_ratio"], ratio("copied_ratio").as_str(), "{seen}");
    assert_eq!(seen["summary"][0]["stats"]["boilerplate_ratio"], ratio("boilerplate_ratio").as_str());
    assert_eq!(seen["report_copied"], ratio("copied_ratio").as_str());
    // Each paragraph marked with check's verdict; copied ones open beside their source, in red.
    let shown = seen["paragraphs"].as_array().expect("paragraphs");
    assert_eq!(shown.len(), paragraphs.len());
    let mut marks = 0;
    for (p, row) in shown.iter().zip(&paragraphs) {
        let class = p["class"].as_str().expect("class");
        assert!(class.contains(&format!("v-{}", &row[verdict])), "{p} vs {row:?}");
        marks += p["draft_copy_marks"].as_u64().expect("marks");
        if matches!(&row[verdict], "copy" | "partial") {
            assert_eq!(p["source_shown"], true, "{p}");
            let head = p["source_head"].as_str().expect("head");
            assert!(
                head.contains(&row[source]) && head.contains(&format!("¶{}", &row[source_para])),
                "{head} vs {row:?}"
            );
            assert!(p["source_copy_marks"].as_u64() >= Some(1), "{p}");
            assert_eq!(p["copy_color"], "rgba(195, 22, 28, 1)", "copy red: {p}");
        } else {
            assert_eq!(p["source_shown"], false, "{p}");
        }
        if &row[verdict] == "boilerplate" {
            assert!(p["draft_bp_marks"].as_u64() >= Some(1), "{p}");
        }
    }
    assert_eq!(marks as usize, copy_spans, "one red mark per copied span of spans.csv");
    // The CSV downloaded is check's, the draft named as uploaded.
    let link = seen["downloads"][0].as_str().expect("link");
    assert!(link.ends_with("/jobs/1/download/paragraphs.csv"), "{link}");
    let (status, served) = s.get("jobs/1/download/paragraphs.csv");
    assert_eq!(status, 200);
    let cli = std::fs::read_to_string(&paragraphs_csv)
        .expect("csv")
        .replace(&draft.display().to_string(), "draft.docx");
    assert_eq!(served, cli);

    // The workbook downloaded from the page, read by openpyxl: the Chinese tables of `check --lang
    // zh`, the summary first, headers frozen, verdicts coloured as in the HTML report.
    let book = &seen["xlsx"];
    assert_eq!(book["names"], serde_json::json!(["文档", "段落", "重复片段"]), "{book}");
    assert_eq!(book["frozen"], serde_json::json!(["A2", "A2", "A2"]));
    for (sheet, csv) in [("文档", "documents.csv"), ("段落", "paragraphs.csv"), ("重复片段", "spans.csv")]
    {
        let header: Vec<String> = csv_header(&zh.join(csv));
        let rows = book["sheets"][sheet].as_array().expect("rows");
        assert_eq!(rows[0], serde_json::json!(header), "{sheet}: the header of zh {csv}");
        assert_eq!(rows.len(), read_csv(&zh.join(csv)).len() + 1, "{sheet}: the rows of zh {csv}");
    }
    let zh_docs = &book["sheets"]["文档"];
    let at = csv_header(&zh.join("documents.csv")).iter().position(|h| h == "总文字复制比").expect("col");
    let shown = zh_docs[1][at].as_f64().expect("a number");
    assert_eq!(format!("{:.1}%", shown * 100.0), ratio("copied_ratio"), "总文字复制比 in the workbook");
    let zh_verdict = column(&zh.join("paragraphs.csv"), "判定");
    let cells = book["verdict_cells"].as_array().expect("cells");
    let zh_paragraphs = read_csv(&zh.join("paragraphs.csv"));
    assert_eq!(cells.len(), zh_paragraphs.len());
    let mut coloured = 0;
    for (cell, row) in cells.iter().zip(&zh_paragraphs) {
        assert_eq!(cell["value"], &row[zh_verdict], "{cell}");
        let (fill, font) = match &row[zh_verdict] {
            "复制" => ("FFFDE4E4", Some("FFC3161C")),
            "部分复制" => ("FFFFF1E0", Some("FFD9730D")),
            "套话" => ("FFF1F2F4", Some("FF8A8F98")),
            _ => ("00000000", None),
        };
        assert_eq!(cell["fill"], fill, "{cell}");
        if let Some(font) = font {
            assert_eq!(cell["font"], font, "{cell}");
            coloured += 1;
        }
    }
    assert!(coloured >= 5, "the sample's copied and 套话 paragraphs: {cells:?}");

    // The PDF downloaded from the page: its cover (pdftotext) holds the figures of the framed
    // report's cover, and the 总文字复制比 is the page's.
    let pdf = PathBuf::from(seen["pdf"].as_str().expect("the PDF's path"));
    let text = Command::new(&pdftotext)
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let cover = String::from_utf8(text.stdout).expect("UTF-8 text");
    assert!(cover.contains("文本复制检测报告单") && cover.contains("draft.docx"), "{cover}");
    for (key, label) in [
        ("copied_ratio", "总文字复制比"),
        ("top_source_ratio", "单篇最大复制比"),
        ("copied_chars", "重复字数"),
        ("chars", "总字数"),
        ("boilerplate_ratio", "套话比"),
        ("paragraphs", "总段落数"),
        ("suspect_paragraphs", "疑似段落数"),
    ] {
        assert_eq!(cover_figure(&cover, label), seen["cover"][key].as_str().expect(key), "{label}");
    }
    assert_eq!(cover_figure(&cover, "总文字复制比"), ratio("copied_ratio"));

    // The framed report speaks the page's language: Chinese, English on the switch, and back.
    assert_eq!(seen["report_zh"]["copied_label"], "总文字复制比", "{seen}");
    assert_eq!(seen["report_zh"]["verdict"], "原创");
    assert_eq!(seen["report_zh"]["filter"], "复制 4");
    assert_eq!(seen["report_zh"]["html_lang"], "zh-CN");
    assert_eq!(seen["report_en"]["copied_label"], "copied", "{seen}");
    assert_eq!(seen["report_en"]["verdict"], "original");
    assert_eq!(seen["report_en"]["filter"], "copy 4");
    assert_eq!(seen["report_en"]["html_lang"], "en");
    assert_eq!(seen["report_zh_again"], seen["report_zh"]);

    // English on the switch.
    assert_eq!(seen["english"]["title"], "Check drafts");
    assert_eq!(seen["english"]["progress"], "Done.");
    assert_eq!(seen["chinese_again"], "检查草稿");

    // Bad files: each said on the page, the good draft beside them still checked.
    let notes = seen["bad_notes_after"].as_array().expect("notes");
    let note = |name: &str| -> String {
        let n = notes
            .iter()
            .find(|n| n["name"] == name)
            .unwrap_or_else(|| panic!("{name} not listed: {notes:?}"));
        n["note"].as_str().unwrap_or("").to_string()
    };
    assert_eq!(note("空白.txt"), "文件是空的");
    assert_eq!(note("大文件.txt"), "文件太大（200.0 MB），上限为 64.0 MB");
    assert_eq!(note("损坏.docx"), "已上传");
    assert_eq!(seen["bad_progress"], "检查完成。");
    let rows = seen["bad_summary"].as_array().expect("rows");
    assert_eq!(rows[0]["stats"]["copied_ratio"], ratio("copied_ratio").as_str());
    assert_eq!(rows[1]["draft"], "损坏.docx");
    let why = rows[1]["cells"][1].as_str().expect("cell");
    assert!(why.starts_with("无法读取：not a Word .docx"), "{why}");

    // A document added to the corpus from the page: stored as it was, indexed; the same name again
    // refused.
    assert_eq!(seen["corpus_upload"][0][1], "ok", "{seen}");
    assert_eq!(std::fs::read_to_string(corpus.path().join("基层治理.txt")).expect("stored"), added_text);
    let state = seen["corpus_index_state"].as_str().expect("state");
    assert!(state.starts_with("索引已更新：新增 1、修改 0、删除 0、未变 46"), "{state}");
    let listed = seen["corpus_rows"].as_array().expect("rows");
    assert!(listed
        .iter()
        .any(|r| r.as_str().is_some_and(|r| r.starts_with("基层治理.txt") && r.ends_with("已索引"))));
    assert!(
        seen["corpus_again"][1][0].as_str().is_some_and(|t| t.ends_with("语料库里已有同名文件，未覆盖")),
        "{seen}"
    );
    // Three records of one text checked together: each paragraph 4 and 5 is another's, on the
    // page and in the report, as `check` of the three finds (tests/findings.rs).
    assert_eq!(seen["batch_progress"], "检查完成。");
    let twins = seen["batch_twins"].as_array().expect("rows");
    assert_eq!(twins.len(), 3, "{twins:?}");
    assert!(
        twins[0][0]
            .as_str()
            .is_some_and(|t| t.starts_with("与同批其他草稿相同的段落：¶4 = 记录2.txt ¶4（相同 100.0%）")),
        "{twins:?}"
    );
    let drafts = seen["batch_report"].as_array().expect("drafts");
    assert_eq!(drafts.len(), 3);
    for d in drafts {
        let flags = d["flags"].as_array().expect("flags");
        let batch: Vec<(usize, &str)> = flags
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                f.as_array().into_iter().flatten().filter_map(move |x| x.as_str().map(|x| (i + 1, x)))
            })
            .filter(|(_, f)| f.starts_with("batch:"))
            .collect();
        assert_eq!(batch.iter().map(|b| b.0).collect::<Vec<_>>(), [4, 5], "{d}");
        assert!(batch.iter().all(|(p, f)| f.ends_with(&format!(".txt¶{p}"))), "{d}");
        assert!(batch.iter().all(|(_, f)| !f.contains(d["draft"].as_str().unwrap_or("?"))), "{d}");
    }

    // Nothing went wrong in the page's own script (the 409 of the refused name aside).
    let console: Vec<&str> =
        seen["console"].as_array().expect("console").iter().filter_map(|m| m.as_str()).collect();
    assert!(console.iter().all(|m| m.contains("409")), "{console:?}");

    // SIGTERM, as a closed session sends, removes the working folder too.
    let mut s = s;
    assert!(!files_below(&work).is_empty());
    s.stop("-TERM");
    assert!(files_below(&work).is_empty(), "{:?}", files_below(&work));

    if let Some(dest) = std::env::var_os("CHACHONG_SCREENSHOT") {
        std::fs::copy(&shot, dest).expect("screenshot copied");
    }
}
