//! Real files made by real tools (tests/fixtures/formats/README.md says how): a GBK web page with
//! its chrome, a PDF and a .doc written by LibreOffice, a scanned PDF, and a folder mixing them
//! with files that must be refused or skipped. Each has its exact expected result or error line.

mod common;

use chachong::ingest::{read_document, soffice_available, Document};
use common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mixed(name: &str) -> PathBuf {
    root().join("tests/fixtures/formats/mixed").join(name)
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.paragraphs.iter().map(|p| &doc.text[p.byte_start..p.byte_end]).collect()
}

/// Non-blank lines of a text file, trimmed as chachong trims paragraphs.
fn lines_of(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(path)).expect("fixture");
    text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn gbk_page_gives_the_article_and_flags_its_chrome() {
    let doc = read_document(&mixed("page.gbk.html")).expect("page reads");
    let seed = lines_of("corpus/seeds/002_a74691705c227c73.txt");
    let mut expected = vec![
        "您的位置:新文秘网>>政府/行政/民主生活会/>>正文".to_string(),
        "行政审批局2022年度民主生活会个人发言提纲".to_string(),
        "发表时间:2023/1/5 10:21:33".to_string(),
    ];
    expected.extend(seed[1..5].iter().cloned());
    expected.push("(未完,全文共6140字,当前仅显示2360字,请阅读下面提示信息。".to_string());
    assert_eq!(paragraphs(&doc), expected);
    // Navigation, login bar, sidebar, footer and scripts are not text of the page.
    for chrome in ["首页", "登录", "相关文章", "版权所有", "弹窗", "广告", "_hmt"] {
        assert!(!doc.text.contains(chrome), "{chrome}");
    }
    // Offsets: chars of the extracted text, paragraphs joined with '\n'.
    let second = &doc.paragraphs[1];
    let start = expected[0].chars().count() + 1;
    assert_eq!((second.start, second.end), (start, start + expected[1].chars().count()));
}

#[test]
fn libreoffice_pdf_gives_the_docx_paragraphs() {
    let doc = read_document(&mixed("speech.pdf")).expect("pdf reads");
    let expected = lines_of("tests/fixtures/ingest/seed003.docx.expected");
    assert_eq!(doc.paragraphs.len(), 21);
    // The PDF keeps the words and their order; only spacing differs from the .docx (LibreOffice
    // draws tabs and some spaces as gaps, not glyphs).
    let got: Vec<String> = paragraphs(&doc).iter().map(|p| squeeze(p)).collect();
    let want: Vec<String> = expected.iter().map(|p| squeeze(p)).collect();
    assert_eq!(got, want);
    assert!(paragraphs(&doc)[0].starts_with("今年以来，XX市行政审批局坚持以习近平新时代"));
}

#[test]
fn scanned_pdf_is_refused_with_no_text_layer() {
    let err = read_document(&mixed("scanned.pdf")).expect_err("no text");
    assert_eq!(
        err.reason.to_string(),
        "the PDF has no text layer (a scanned PDF?): run OCR on it first, or check the .docx it was made from"
    );
}

#[test]
fn libreoffice_doc_gives_the_seed_text() {
    let result = read_document(&mixed("old.doc"));
    if !soffice_available() {
        common::missing_tool("libreoffice_doc_gives_the_seed_text", "soffice (LibreOffice) is not installed");
        let err = result.expect_err("no LibreOffice");
        assert!(err.reason.to_string().starts_with("needs LibreOffice to convert it"), "{err}");
        return;
    }
    let doc = result.expect(".doc converts");
    let txt = read_document(&root().join("corpus/seeds/000_9947b52c349c4fd4.txt")).expect("seed reads");
    assert_eq!(paragraphs(&doc), paragraphs(&txt));
}

#[test]
fn damaged_utf8_keeps_the_text_around_the_damage() {
    let doc = read_document(&mixed("sub/bad-utf8.txt")).expect("damaged UTF-8 reads");
    assert_eq!(
        paragraphs(&doc),
        ["深入学习贯彻党的二十大\u{FFFD}神，扎实推进全面从严治党。", "坚持以人民为中心的发展思想。"]
    );
}

fn chachong(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// documents.csv rows cut to draft, paragraphs and chars, and top_source.
fn document_rows(out: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join("documents.csv")).expect("documents.csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            // The status without an unreadable file's reason, which the stderr lines check.
            let status = r[8].split(':').next().unwrap_or("");
            format!("{},{},{},{},{status}", &r[0], &r[1], &r[2], &r[5])
        })
        .collect()
}

#[test]
fn a_mixed_folder_is_checked_whole_and_every_bad_file_named() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let run = chachong(&["check", "--no-index", "--out", o, "tests/fixtures/formats/mixed"]);
    assert_eq!(run.status.code(), Some(2), "unreadable files make exit status 2");
    let d = "tests/fixtures/formats/mixed";
    let mut expected_err =
        vec![format!("chachong: {d}/sub/photo.png: skipped, not a document chachong reads (.png)")];
    let has_soffice = soffice_available();
    if !has_soffice {
        common::missing_tool(
            "a_mixed_folder_is_checked_whole_and_every_bad_file_named",
            "soffice (LibreOffice) is not installed: old.doc is expected to fail",
        );
        expected_err.push(format!(
            "chachong: cannot check {d}/old.doc: needs LibreOffice to convert it: install it \
             (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; Windows/macOS: libreoffice.org) \
             or set CHACHONG_SOFFICE to the soffice program, or save the file as .docx in Word or WPS"
        ));
    }
    expected_err.extend([
        format!(
            "chachong: cannot check {d}/scanned.pdf: the PDF has no text layer (a scanned PDF?): \
             run OCR on it first, or check the .docx it was made from"
        ),
        format!(
            "chachong: cannot check {d}/sub/binary.txt: not valid UTF-8, GB18030 or UTF-16 text: \
             looks like a binary file (11 NUL bytes)"
        ),
        format!(
            "chachong: cannot check {d}/sub/broken.docx: not a Word .docx file (zip archive expected; \
             damaged?): invalid Zip archive: Could not find EOCD"
        ),
    ]);
    let unreadable = if has_soffice { 3 } else { 4 };
    let failed = [
        if has_soffice { "" } else { "{d}/old.doc, " },
        "{d}/scanned.pdf, {d}/sub/binary.txt, {d}/sub/broken.docx",
    ]
    .concat()
    .replace("{d}", d);
    expected_err.extend([
        format!(
            "chachong: {d}/sub/empty.txt: no text to check (empty, or nothing chachong can read as text)"
        ),
        format!(
            // Ten documents in the folder (the .png is no document), one of them empty.
            "chachong: checked {} of 10 drafts; {unreadable} could not be read: {failed}; \
             1 had no text to check: {d}/sub/empty.txt",
            10 - unreadable - 1
        ),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected_err);

    let mut expected_rows = vec![
        format!("{d}/draft.docx,21,4279,seeds/003_68c3191184ca8c9f.txt,ok"),
        format!("{d}/notes.md,2,33,,ok"),
    ];
    if has_soffice {
        expected_rows.push(format!("{d}/old.doc,17,2377,seeds/000_9947b52c349c4fd4.txt,ok"));
    }
    expected_rows.extend([
        format!("{d}/page.gbk.html,8,665,seeds/002_a74691705c227c73.txt,ok"),
        // The PDF printed from draft.docx reads as the same text.
        format!("{d}/speech.pdf,21,4279,seeds/003_68c3191184ca8c9f.txt,ok"),
        format!("{d}/sub/bad-utf8.txt,2,35,,ok"),
        format!("{d}/sub/empty.txt,0,0,,empty"),
    ]);
    if !has_soffice {
        expected_rows.push(format!("{d}/old.doc,,,,unreadable"));
    }
    expected_rows.extend([
        format!("{d}/scanned.pdf,,,,unreadable"),
        format!("{d}/sub/binary.txt,,,,unreadable"),
        format!("{d}/sub/broken.docx,,,,unreadable"),
    ]);
    assert_eq!(document_rows(out.path()), expected_rows);
    let paragraphs = std::fs::read_to_string(out.path().join("paragraphs.csv")).expect("paragraphs.csv");
    let page_flags: Vec<&str> = paragraphs.lines().filter(|l| l.contains("page.gbk.html,")).collect();
    assert!(page_flags[0].contains(",chrome:您的位置,"), "{}", page_flags[0]);
    assert!(page_flags[4].contains("watermark:笔杆儿网"), "{}", page_flags[4]);
    assert!(page_flags[7].contains(",truncated,"), "{}", page_flags[7]);
}

#[test]
fn include_exclude_and_size_limit() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let d = "tests/fixtures/formats/mixed";
    let run = chachong(&[
        "check",
        "--no-index",
        "--out",
        o,
        "--include",
        "*.pdf",
        "--include",
        "*.txt",
        "--exclude",
        "sub/b*",
        d,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        document_rows(out.path()),
        [
            format!("{d}/speech.pdf,21,4279,seeds/003_68c3191184ca8c9f.txt,ok"),
            format!("{d}/sub/empty.txt,0,0,,empty"),
            format!("{d}/scanned.pdf,,,,unreadable"),
        ]
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    let failed: Vec<&str> = stderr.lines().filter(|l| l.contains("cannot check")).collect();
    assert_eq!(failed.len(), 1, "only scanned.pdf fails: {stderr}");
    assert!(failed[0].contains("scanned.pdf"), "{stderr}");

    // 0.0001 MiB is 104 bytes: the 50-byte corpus file passes, the 107-byte draft does not.
    let corpus = tempfile::tempdir().expect("tmp");
    std::fs::write(corpus.path().join("c.txt"), "关于做好明年春节期间安全生产工作。\n").expect("write");
    let c = corpus.path().to_str().expect("utf-8 path");
    let run = chachong(&[
        "check",
        "--no-index",
        "--corpus",
        c,
        "--out",
        o,
        "--max-file-mb",
        "0.0001",
        &format!("{d}/notes.md"),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr).trim_end(),
        format!(
            "chachong: cannot check {d}/notes.md: file is 107 bytes (0.0 MiB), over the limit of 104 bytes \
             (raise it with --max-file-mb)\nchachong: no draft could be read (1 given): no report written, \
             {o} is as it was"
        )
    );
    assert_eq!(chachong(&["check", "--max-file-mb", "0", d]).status.code(), Some(2));
    let run = chachong(&["check", "--out", o, "--include", "[", d]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).starts_with("chachong: bad glob \"[\""));
}

#[test]
fn traditional_text_matches_only_when_folded() {
    let out = tempfile::tempdir().expect("tmp");
    let o = out.path().to_str().expect("utf-8 path");
    let draft = "tests/fixtures/formats/traditional.txt";
    let verdict = |args: &[&str]| {
        let run = chachong(&[&["check", "--out", o][..], args, &[draft]].concat());
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        let text = std::fs::read_to_string(out.path().join("paragraphs.csv")).expect("paragraphs.csv");
        let row = text.lines().nth(1).expect("one paragraph").to_string();
        row.split(',').nth(5).expect("verdict column").to_string()
    };
    assert_eq!(verdict(&[]), "original");
    assert_eq!(verdict(&["--fold-traditional"]), "copy");
}

/// The sample draft printed to PDF by Chromium reads ⼯作 and ⼈⺠ in its text layer: unified,
/// the PDF gets the report of the .docx it was printed from, row for row.
#[test]
fn a_pdf_with_radicals_gets_the_verdicts_of_its_docx() {
    let pdf = root().join("tests/fixtures/formats/draft.chromium.pdf");
    let doc = read_document(&pdf).expect("pdf reads");
    assert!(doc.text.contains("工作") && doc.text.contains("人民"), "radicals unified");
    assert!(!doc.text.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)), "no radical left");
    let rows = |draft: &Path| {
        let out = tempfile::tempdir().expect("tmp");
        let o = out.path().to_str().expect("utf-8 path");
        let run = chachong(&["check", "--no-index", "--out", o, draft.to_str().expect("utf-8 path")]);
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        let text = std::fs::read_to_string(out.path().join("paragraphs.csv")).expect("paragraphs.csv");
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<Vec<String>> =
            reader.records().map(|r| r.expect("row").iter().skip(1).map(str::to_string).collect()).collect();
        let summary = String::from_utf8_lossy(&run.stdout).lines().nth(1).unwrap_or("").to_string();
        (rows, summary)
    };
    let (pdf_rows, pdf_summary) = rows(&pdf);
    let (docx_rows, docx_summary) = rows(&root().join("examples/draft.docx"));
    assert_eq!(pdf_rows.len(), 13);
    assert_eq!(pdf_rows, docx_rows);
    assert_eq!(pdf_summary, docx_summary);
    assert!(pdf_summary.contains("复制比 copied 47.2%"), "{pdf_summary}");
}

/// `speech.pdf` (4 pages; page 2 is object 4, drawn by content stream object 5) damaged as `how`.
fn damaged_speech(how: &str) -> Vec<u8> {
    let mut pdf = std::fs::read(mixed("speech.pdf")).expect("fixture");
    let at =
        |pdf: &[u8], what: &[u8]| pdf.windows(what.len()).position(|w| w == what).expect("in speech.pdf");
    let stream_of = |pdf: &[u8], obj: &str| {
        let o = at(pdf, format!("\n{obj} 0 obj\n").as_bytes());
        o + at(&pdf[o..], b"stream\n") + b"stream\n".len()
    };
    match how {
        // Bytes in the middle of the deflated stream: lopdf inflates up to them and stops quietly.
        "stream" => {
            let s = stream_of(&pdf, "5");
            pdf[s + 200..s + 260].iter_mut().for_each(|b| *b ^= 0x55);
        }
        // The page's /Contents names an object the file does not hold (same length).
        "missing" => {
            let c = at(&pdf, b"/Contents 5 0 R");
            pdf[c..c + 15].copy_from_slice(b"/Contents 7 7 R");
        }
        // The page object itself no longer parses.
        "page" => {
            let p = at(&pdf, b"\n4 0 obj\n<<") + b"\n4 0 obj\n".len();
            pdf[p..p + 12].copy_from_slice(b"#!garbage!#(");
        }
        // Every page's stream loses its zlib header: no page has text left.
        "all" => {
            for obj in ["2", "5", "8", "11"] {
                let s = stream_of(&pdf, obj);
                pdf[s..s + 10].fill(b'A');
            }
        }
        _ => unreachable!("{how}"),
    }
    pdf
}

#[test]
fn a_pdf_with_a_damaged_page_is_refused_naming_the_page_not_checked_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let reason = |why: &str| {
        format!(
            "damaged PDF file: {why}, so none of it is checked: save it again from the program that made it, \
             or check the .docx it was made from"
        )
    };
    let cases = [
        ("stream", reason("page 2 of 4 cannot be read (its content stream does not inflate)")),
        ("missing", reason("page 2 of 4 cannot be read (its content stream is missing or damaged)")),
        ("page", reason("page 2 of 4 cannot be read (its page object is damaged)")),
        ("all", reason("pages 1, 2, 3, 4 of 4 cannot be read (page 1: its content stream does not inflate)")),
    ];
    for (how, want) in &cases {
        let path = dir.path().join(format!("{how}.pdf"));
        std::fs::write(&path, damaged_speech(how)).unwrap();
        // Before: page 2 was drawn blank and the rest checked (16 of the 21 paragraphs), and a PDF
        // whose pages were all damaged was called a scan.
        assert_eq!(read_document(&path).expect_err(how).reason.to_string(), *want, "{how}");
    }
    // In a batch: a note naming file and page, the row's status, exit 2, the other draft checked.
    std::fs::copy(mixed("notes.md"), dir.path().join("notes.md")).unwrap();
    let d = dir.path().to_str().unwrap();
    let out = dir.path().join("out");
    let run = chachong(&["check", "--no-index", "--out", out.to_str().unwrap(), d]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    for (how, want) in &cases {
        assert!(stderr.contains(&format!("chachong: cannot check {d}/{how}.pdf: {want}\n")), "{stderr}");
    }
    let text = std::fs::read_to_string(out.join("documents.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let statuses: Vec<(String, String)> =
        rows.records().map(|r| r.map(|r| (r[0].to_string(), r[8].to_string())).unwrap()).collect();
    let mut want: Vec<(String, String)> =
        cases.iter().map(|(how, why)| (format!("{d}/{how}.pdf"), format!("unreadable: {why}"))).collect();
    want.push((format!("{d}/notes.md"), "ok".to_string()));
    want.sort();
    let mut got = statuses;
    got.sort();
    assert_eq!(got, want);
}
