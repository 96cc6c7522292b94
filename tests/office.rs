//! The reports for office software, as a user gets them from the command line: the .xlsx
//! workbook read back by calamine and compared cell by cell with the CSVs of the same run, in
//! both languages; Chinese CSVs (`--lang zh`) read back by `chachong review`; and the PDF report
//! printed by headless Chromium, whose cover (read by pdftotext) must show the CSV's figures.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::root;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chachong(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

fn draft() -> String {
    root().join("examples/draft.docx").display().to_string()
}

fn corpus() -> String {
    root().join("corpus").display().to_string()
}

/// A CSV's rows, header first, cells as a spreadsheet shows them (the formula escape undone).
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.strip_prefix('\u{feff}').expect("the CSV starts with a BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("CSV row").iter().map(|c| chachong::spreadsheet::unescape(c).to_string()).collect())
        .collect()
}

/// Asserts that sheet `sheet` of `book` holds exactly the cells of the CSV at `csv`: text equal,
/// numbers equal to the CSV's figure (`0.472`, `47.2%`, `12`), blanks blank.
fn assert_sheet_is_csv(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str, csv: &Path) -> usize {
    let want = csv_rows(csv);
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    assert_eq!(range.start(), Some((0, 0)), "sheet {sheet} starts at A1");
    assert_eq!(range.height(), want.len(), "sheet {sheet}: rows, as in {}", csv.display());
    for (r, (got, want)) in range.rows().zip(&want).enumerate() {
        assert_eq!(got.len(), want.len(), "sheet {sheet} row {r}: columns");
        for (c, (cell, text)) in got.iter().zip(want).enumerate() {
            let at = format!("sheet {sheet} row {r} column {c} (CSV {text:?})");
            match cell {
                Data::String(s) => assert_eq!(s, text, "{at}"),
                Data::Float(x) => {
                    let expected = match text.strip_suffix('%') {
                        Some(pct) => pct.parse::<f64>().expect("a percentage") / 100.0,
                        None => text.parse::<f64>().unwrap_or_else(|_| panic!("{at}: a number in the sheet")),
                    };
                    assert!((x - expected).abs() < 1e-9, "{at}: {x}");
                }
                Data::Int(i) => assert_eq!(i.to_string(), *text, "{at}"),
                Data::Empty => assert_eq!(text, "", "{at}"),
                other => panic!("{at}: unexpected cell {other:?}"),
            }
        }
    }
    want.len()
}

/// A file inside the .xlsx (a zip of XML parts).
fn xlsx_part(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("xlsx")).expect("a zip");
    let mut s = String::new();
    zip.by_name(part).expect(part).read_to_string(&mut s).expect("UTF-8 XML");
    s
}

/// Drafts for a check: the sample, a paragraph that starts like a formula, and a broken .docx.
fn drafts(dir: &Path) -> Vec<String> {
    std::fs::write(dir.join("公式.txt"), "=SUM(A1)加快建设现代化产业体系，推动高质量发展取得新成效。\n")
        .expect("write");
    std::fs::write(dir.join("坏稿.docx"), b"not a zip").expect("write");
    vec![draft(), "公式.txt".into(), "坏稿.docx".into()]
}

#[test]
fn the_workbook_holds_the_csvs_cell_for_cell_in_both_languages() {
    for (lang, sheets) in [("en", ["documents", "paragraphs", "spans"]), ("zh", ["文档", "段落", "重复片段"])]
    {
        let dir = tempfile::tempdir().expect("tmp");
        let mut args =
            vec!["check", "--corpus", &corpus(), "--out", "out", "--lang", lang, "--xlsx", "报告.xlsx"]
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>();
        args.extend(drafts(dir.path()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = chachong(dir.path(), &args);
        assert_eq!(run.status.code(), Some(2), "the broken draft: {}", String::from_utf8_lossy(&run.stderr));
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(stdout.contains("Excel report written to 报告.xlsx"), "{stdout}");
        let xlsx = dir.path().join("报告.xlsx");
        let mut book: Xlsx<_> = open_workbook(&xlsx).expect("calamine opens the workbook");
        assert_eq!(book.sheet_names(), sheets, "{lang}: the summary sheet first");
        let out = dir.path().join("out");
        let rows: Vec<usize> = ["documents", "paragraphs", "spans"]
            .iter()
            .zip(sheets)
            .map(|(csv, sheet)| assert_sheet_is_csv(&mut book, sheet, &out.join(format!("{csv}.csv"))))
            .collect();
        // The sample's 13 paragraphs and the one of 公式.txt; three drafts, one unreadable.
        assert_eq!(rows[..2], [4, 15], "{lang}");
        assert!(rows[2] > 10, "{lang}: the sample's spans");
        // A cell starting like a formula is text in the sheet, escaped only in the CSV.
        let paragraphs = std::fs::read_to_string(out.join("paragraphs.csv")).expect("csv");
        assert!(paragraphs.contains(",'=SUM(A1)加快建设"), "{paragraphs}");
        assert!(xlsx_part(&xlsx, "xl/sharedStrings.xml").contains("<t>=SUM(A1)加快建设"));
        assert!(!xlsx_part(&xlsx, "xl/worksheets/sheet2.xml").contains("<f>"), "text, not a formula");
        for n in 1..=3 {
            let xml = xlsx_part(&xlsx, &format!("xl/worksheets/sheet{n}.xml"));
            assert!(
                xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
                "{lang} sheet {n}: header frozen"
            );
            assert!(xml.contains("<autoFilter ref=\"A1:"), "{lang} sheet {n}: header filters");
            assert!(xml.contains("<col min=\"1\" max=\"1\" width="), "{lang} sheet {n}: column widths");
        }
        // The HTML report's verdict colours: copy red on pink, partial orange, 套话 grey.
        let styles = xlsx_part(&xlsx, "xl/styles.xml");
        for rgb in ["FFC3161C", "FFFDE4E4", "FFD9730D", "FF8A8F98", "FFF1F2F4"] {
            assert!(styles.contains(rgb), "{lang}: colour {rgb} in the styles");
        }
        let ratio_format = if lang == "zh" { "formatCode=\"0.0%\"" } else { "formatCode=\"0.000\"" };
        assert!(styles.contains(ratio_format), "{lang}: ratios shown as in the CSV");
    }
}

#[test]
fn an_audit_workbook_has_a_sheet_per_csv() {
    let out = tempfile::tempdir().expect("tmp");
    let fixture = root().join("tests/fixtures/audit/corpus");
    let o = out.path().join("out");
    let xlsx = out.path().join("audit.xlsx");
    let args = ["audit", "--corpus", fixture.to_str().expect("utf-8"), "--out", o.to_str().expect("utf-8")];
    let run = chachong(
        out.path(),
        &[&args[..], &["--lang", "zh", "--xlsx", xlsx.to_str().expect("utf-8")]].concat(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("calamine opens the workbook");
    let sheets = ["文档", "文档对", "段落簇", "簇成员", "段落", "重复片段"];
    assert_eq!(book.sheet_names(), sheets);
    let csvs = ["documents", "pairs", "clusters", "cluster_members", "paragraphs", "spans"];
    let rows: Vec<usize> = sheets
        .iter()
        .zip(csvs)
        .map(|(s, c)| assert_sheet_is_csv(&mut book, s, &o.join(format!("{c}.csv"))))
        .collect();
    // tests/audit.rs: 5 documents, 4 pairs, 3 clusters of 7 members, 140 paragraphs.
    assert_eq!(rows[..5], [6, 5, 4, 8, 141]);
    let clusters = std::fs::read_to_string(o.join("clusters.csv")).expect("csv");
    assert!(
        clusters.starts_with("\u{feff}簇号,段落数,文档数,最早文档,最早日期,类型,字数,摘录\n"),
        "{clusters}"
    );
    assert!(clusters.contains(",特有,") || clusters.contains(",套话,"), "{clusters}");
}

#[test]
fn chinese_reports_read_back_as_the_english_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut runs = Vec::new();
    for lang in ["en", "zh"] {
        let mut args: Vec<String> = ["check", "--corpus", &corpus(), "--out", lang, "--lang", lang]
            .into_iter()
            .map(String::from)
            .collect();
        args.extend(drafts(dir.path()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = chachong(dir.path(), &args);
        assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
        runs.push(run);
    }
    // The terminal summary does not depend on the language of the files.
    let stdout = |r: &Output| String::from_utf8_lossy(&r.stdout).replace("written to zh", "written to en");
    assert_eq!(stdout(&runs[0]), stdout(&runs[1]));
    let zh = std::fs::read_to_string(dir.path().join("zh/documents.csv")).expect("csv");
    let mut lines = zh.lines();
    assert_eq!(
        lines.next(),
        Some(
            "\u{feff}草稿,段落数,字数,总文字复制比,套话比,最大来源,单篇最大复制比,标记,状态,\
             外地地名数,旧稿来源,旧稿年份,改动数字数,同批相同段落数,同批相同草稿"
        )
    );
    let sample = lines.next().expect("the sample's row");
    assert!(sample.contains(",47.2%,") && sample.contains(",正常,"), "{sample}");
    assert!(lines.any(|l| l.starts_with("坏稿.docx,,,,,,,,无法读取: ")), "{zh}");
    let paragraphs = std::fs::read_to_string(dir.path().join("zh/paragraphs.csv")).expect("csv");
    for verdict in [",复制,", ",部分复制,", ",套话,", ",原创,"] {
        assert!(paragraphs.contains(verdict), "{verdict} in {paragraphs}");
    }
    let spans = std::fs::read_to_string(dir.path().join("zh/spans.csv")).expect("csv");
    assert!(spans.starts_with("\u{feff}草稿,段落号,起始,结束,来源,来源起始,来源结束,类型,说明\n"));

    // review reads both the same: every paragraph's verdict, score and source, every figure.
    let load = |lang: &str| {
        chachong::review::load(&dir.path().join(lang), &chachong::review::Options::default())
            .expect("review loads")
    };
    let (en, zh) = (load("en"), load("zh"));
    assert_eq!(en.drafts.len(), 2);
    assert_eq!(en.problems, zh.problems.iter().map(|p| p.replace("/zh", "/en")).collect::<Vec<_>>());
    assert!(en.problems.iter().any(|p| p.contains("坏稿.docx was not checked")), "{:?}", en.problems);
    for (e, z) in en.drafts.iter().zip(&zh.drafts) {
        assert_eq!(e.name, z.name);
        assert_eq!(e.paragraphs.len(), z.paragraphs.len());
        for (a, b) in e.paragraphs.iter().zip(&z.paragraphs) {
            assert_eq!(
                (a.row.para, a.row.verdict, &a.row.source, a.row.source_para),
                (b.row.para, b.row.verdict, &b.row.source, b.row.source_para)
            );
            assert!((a.row.score - b.row.score).abs() < 1e-9, "¶{}", a.row.para);
            assert_eq!(a.sources.len(), b.sources.len());
        }
        let (s, t) = (e.summary.as_ref().expect("row"), z.summary.as_ref().expect("row"));
        assert!((s.copied_ratio - t.copied_ratio).abs() < 1e-9);
        assert!((s.top_source_ratio - t.top_source_ratio).abs() < 1e-9);
        assert_eq!((&s.top_source, s.chars), (&t.top_source, t.chars));
        assert_eq!((s.status.as_str(), t.status.as_str()), ("ok", "正常"));
    }
    // And the command shows a Chinese report as it shows the English one.
    let review = |lang: &str| chachong(dir.path(), &["review", lang]);
    let (e, z) = (review("en"), review("zh"));
    assert_eq!(z.status.code(), Some(0), "{}", String::from_utf8_lossy(&z.stderr));
    assert_eq!(String::from_utf8_lossy(&e.stdout), String::from_utf8_lossy(&z.stdout).replace("/zh", "/en"));
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

/// The figure after `label` on the cover, as pdftotext lays it out: `47.2%` → 0.472, `[930]` → 930.
fn figure(text: &str, label: &str) -> f64 {
    let at = text.find(&format!("{label}：")).unwrap_or_else(|| panic!("no {label} on the cover:\n{text}"));
    let rest = text[at + label.len() + "：".len()..].trim_start();
    let value: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '（').collect();
    let value = value.trim_matches(['[', ']']);
    match value.strip_suffix('%') {
        Some(p) => p.parse::<f64>().expect("a percentage") / 100.0,
        None => value.parse().unwrap_or_else(|_| panic!("{label}: {value:?} is no number")),
    }
}

#[test]
fn the_pdf_cover_shows_the_figures_of_the_csv() {
    if chachong::pdf::browser().is_none() {
        common::missing_tool(
            "the PDF report",
            "no Chromium found (apt-get install chromium): --pdf was not tested",
        );
        return;
    }
    let Some(pdftotext) = which("pdftotext") else {
        common::missing_tool(
            "the PDF report",
            "no pdftotext (apt-get install poppler-utils): the PDF was not read back",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let run = chachong(
        dir.path(),
        &["check", "--corpus", &corpus(), "--out", "out", "--pdf", "报告.pdf", &draft()],
    );
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("PDF report written to 报告.pdf"));
    let pdf = dir.path().join("报告.pdf");
    let info = Command::new(which("pdfinfo").expect("pdfinfo comes with pdftotext"))
        .arg(&pdf)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    let text = Command::new(pdftotext)
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let cover = String::from_utf8(text.stdout).expect("UTF-8 text");
    assert!(cover.contains("文本复制检测报告单"), "{cover}");
    let docs = csv_rows(&dir.path().join("out/documents.csv"));
    let (header, row) = (&docs[0], &docs[1]);
    let col = |name: &str| row[header.iter().position(|h| h == name).expect(name)].clone();
    let ratio = |name: &str| col(name).parse::<f64>().expect("ratio");
    let pct = |x: f64| (x * 1000.0).round() / 1000.0;
    assert_eq!(pct(figure(&cover, "总文字复制比")), ratio("copied_ratio"));
    assert_eq!(pct(figure(&cover, "单篇最大复制比")), ratio("top_source_ratio"));
    let chars: f64 = col("chars").parse().expect("chars");
    assert_eq!(figure(&cover, "总字数"), chars);
    let copied = figure(&cover, "重复字数");
    assert!((copied / chars - ratio("copied_ratio")).abs() <= 0.0005, "重复字数 {copied} of {chars}");
    assert_eq!(figure(&cover, "总段落数"), col("paragraphs").parse::<f64>().expect("paragraphs"));
    // 相似文献列表: the top source first with its share; the shares' chars add up to 重复字数.
    let list = &cover[cover.find("相似文献列表").expect("the list")..];
    let rows: Vec<(f64, f64, String)> = list
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 4 && f[0].parse::<usize>().is_ok()).then(|| {
                let share = f[1].trim_end_matches('%').parse::<f64>().expect("share") / 100.0;
                (share, f[2].trim_matches(['[', ']']).parse::<f64>().expect("chars"), f[3].to_string())
            })
        })
        .collect();
    assert!(rows.len() >= 3, "{list}");
    assert_eq!(rows[0].2, col("top_source"));
    assert_eq!(pct(rows[0].0), ratio("top_source_ratio"));
    assert_eq!(rows.iter().map(|r| r.1).sum::<f64>(), copied);
}

#[test]
fn without_a_browser_the_pdf_is_refused_saying_how_to_install_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(["check", "--corpus", &corpus(), "--out", "out", "--pdf", "r.pdf", &draft()])
        .current_dir(dir.path())
        .env("PATH", "")
        .env_remove("CHACHONG_CHROMIUM")
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("cannot write the PDF report r.pdf: no Chromium found to print it: install it (Debian/Ubuntu: apt-get install chromium"),
        "{stderr}"
    );
    assert!(dir.path().join("out/documents.csv").is_file(), "the CSVs are written first");
    assert!(!dir.path().join("r.pdf").exists());
    let run = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(["check", "--corpus", &corpus(), "--out", "out", "--pdf", "r.pdf", &draft()])
        .current_dir(dir.path())
        .env("CHACHONG_CHROMIUM", dir.path().join("no-such-browser"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("cannot start"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1, "no PDF, no temporary file");
}
