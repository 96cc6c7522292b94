//! File names that are not UTF-8, as a zip made on a Chinese Windows leaves them on Linux: 报.txt
//! and 博.txt in GBK, which a lossy display makes one name (`��.txt`), beside a file another tool
//! already named `��.txt`. Each is its own document, in the index and in the reports, verbatim
//! copies of each are reported with their own source, and review finds every file again.
#![cfg(unix)]

mod common;

use chachong::review::{self, Options};
use common::root;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 报.txt, 博.txt and 稿.txt in GBK.
const BAO: &[u8] = b"\xb1\xa8.txt";
const BO: &[u8] = b"\xb2\xa9.txt";
const GAO: &[u8] = b"\xb8\xe5.txt";
/// What `to_string_lossy` makes of 报.txt and of 博.txt, here a real UTF-8 name.
const LOSSY: &str = "\u{fffd}\u{fffd}.txt";

fn seed(n: &str) -> String {
    let dir = root().join("corpus/seeds");
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(n))
        .unwrap();
    std::fs::read_to_string(entry.path()).unwrap()
}

/// Lines `from..to` (1-based, `to` excluded) of `text`.
fn lines(text: &str, from: usize, to: usize) -> String {
    text.lines().skip(from - 1).take(to - from).map(|l| format!("{l}\n")).collect()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn chachong(cwd: &Path, args: &[&OsStr]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chachong")).args(args).current_dir(cwd).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// A CSV's rows (header left out).
fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

fn chars(text: &str, start: &str, end: &str) -> String {
    common::chars(text, start.parse().unwrap(), end.parse().unwrap())
}

/// A corpus of 报.txt and 博.txt in GBK, `��.txt` in UTF-8 and c.txt; drafts copying each of the
/// first three: 稿.txt (GBK-named) from 报, b.txt from 博, l.txt from `��.txt`.
fn setup(names: [&[u8]; 4]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, drafts) = (dir.path().join("corpus"), dir.path().join("drafts"));
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&drafts).unwrap();
    let texts = [seed("000"), seed("001"), seed("003"), seed("004")];
    for (name, text) in names.iter().zip(&texts) {
        std::fs::write(corpus.join(OsStr::from_bytes(name)), text).unwrap();
    }
    let paths = vec![drafts.join(OsStr::from_bytes(GAO)), drafts.join("b.txt"), drafts.join("l.txt")];
    let copied = [lines(&texts[0], 4, 6), lines(&texts[1], 10, 13), lines(&texts[2], 3, 6)];
    for (p, text) in paths.iter().zip(&copied) {
        std::fs::write(
            p,
            format!("{text}今年我们组织了三次下乡调研，走访农户一百二十户，解决实际问题四十余件。\n"),
        )
        .unwrap();
    }
    (dir, paths)
}

fn check(cwd: &Path, out: &str, extra: &[&str]) -> Run {
    let mut args: Vec<&OsStr> = vec![os("check"), os("--corpus"), os("corpus"), os("--out"), os(out)];
    args.extend(extra.iter().map(|a| os(a)));
    args.push(os("drafts"));
    chachong(cwd, &args)
}

#[test]
fn gbk_names_are_two_documents_each_its_own_source() {
    let (dir, drafts) = setup([BAO, BO, LOSSY.as_bytes(), b"c.txt"]);
    let cwd = dir.path();
    let first = check(cwd, "out", &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(
        first.stderr.contains("updated: 4 added, 0 changed, 0 removed, 0 unchanged; 4 documents"),
        "{}",
        first.stderr
    );
    let (bao, bo, lossy) = ("\u{fffd}[B1A8].txt", "\u{fffd}[B2A9].txt", "\u{fffd}[EFBFBDEFBFBD].txt");
    let gao = "drafts/\u{fffd}[B8E5].txt";

    // Each draft's copies come from its own source, char for char.
    let docs = rows(&cwd.join("out/documents.csv"));
    let tops: Vec<(&str, &str)> = docs.iter().map(|r| (r[0].as_str(), r[5].as_str())).collect();
    assert_eq!(tops, [("drafts/b.txt", bo), ("drafts/l.txt", lossy), (gao, bao)]);
    let spans = rows(&cwd.join("out/spans.csv"));
    let corpus = cwd.join("corpus");
    for (draft, source, file, path) in [
        (gao, bao, BAO, &drafts[0]),
        ("drafts/b.txt", bo, BO, &drafts[1]),
        ("drafts/l.txt", lossy, LOSSY.as_bytes(), &drafts[2]),
    ] {
        let draft_text = std::fs::read_to_string(path).unwrap();
        let source_text = std::fs::read_to_string(corpus.join(OsStr::from_bytes(file))).unwrap();
        let mine: Vec<&Vec<String>> = spans.iter().filter(|s| s[0] == draft && s[7] == "copy").collect();
        assert!(mine.len() >= 2, "{draft}: {spans:?}");
        for s in mine {
            assert_eq!(s[4], source);
            assert_eq!(chars(&draft_text, &s[2], &s[3]), chars(&source_text, &s[5], &s[6]), "{s:?}");
        }
    }

    // The same reports from the stored index, without it, and with the files named in UTF-8.
    let again = check(cwd, "out2", &[]);
    assert!(again.stderr.contains("is up to date (4 documents)"), "{}", again.stderr);
    let unindexed = check(cwd, "out3", &["--no-index"]);
    assert_eq!(unindexed.code, Some(0), "{}", unindexed.stderr);
    for f in ["paragraphs.csv", "spans.csv", "documents.csv"] {
        let want = std::fs::read(cwd.join("out").join(f)).unwrap();
        assert_eq!(std::fs::read(cwd.join("out2").join(f)).unwrap(), want, "{f}");
        assert_eq!(std::fs::read(cwd.join("out3").join(f)).unwrap(), want, "{f}");
    }
    let (utf8_dir, _) = setup(["报.txt".as_bytes(), "博.txt".as_bytes(), "lossy.txt".as_bytes(), b"c.txt"]);
    let utf8 = check(utf8_dir.path(), "out", &["--no-index"]);
    assert_eq!(utf8.code, Some(0), "{}", utf8.stderr);
    let rename = |s: String| s.replace(bao, "报.txt").replace(bo, "博.txt").replace(lossy, "lossy.txt");
    let sorted = |t: String| {
        let mut l: Vec<String> = t.lines().map(str::to_string).collect();
        l.sort();
        l
    };
    for f in ["paragraphs.csv", "spans.csv", "documents.csv"] {
        let gbk = rename(std::fs::read_to_string(cwd.join("out").join(f)).unwrap());
        let plain = std::fs::read_to_string(utf8_dir.path().join("out").join(f)).unwrap();
        assert_eq!(sorted(gbk), sorted(plain), "{f}");
    }

    // Review finds each draft and each source by its bytes, and shows the right paragraphs.
    let r = review::load(&cwd.join("out"), &Options::default()).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.unreadable, 0);
    for (draft, name, file) in
        [(gao, bao, BAO), ("drafts/b.txt", bo, BO), ("drafts/l.txt", lossy, LOSSY.as_bytes())]
    {
        let d = r.drafts.iter().find(|d| d.name == draft).unwrap();
        assert!(d.has_text, "{draft}");
        let source = chachong::ingest::read_document(&corpus.join(OsStr::from_bytes(file))).unwrap();
        let copies: Vec<_> = d.paragraphs.iter().filter(|p| p.row.verdict.to_string() == "copy").collect();
        assert!(!copies.is_empty(), "{draft}");
        for p in copies {
            let s = &p.sources[0];
            assert_eq!(s.source, name);
            let shown = s.text.as_ref().unwrap().plain();
            let para = &source.paragraphs[s.para.unwrap() - 1];
            assert_eq!(shown, &source.text[para.byte_start..para.byte_end], "{draft} ¶{}", p.row.para);
            assert_eq!(p.text.as_ref().unwrap().plain(), shown, "a verbatim copy");
        }
    }
    let listed = chachong(cwd, &[os("review"), os("out"), os("--color"), os("never")]);
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert!(listed.stdout.contains(&format!("← {bao} ¶")), "{}", listed.stdout);
}

#[test]
fn escape_codes_in_names_are_not_sent_to_the_terminal() {
    let (dir, _) = setup([BAO, BO, LOSSY.as_bytes(), b"c.txt"]);
    let cwd = dir.path();
    // A draft named to clear the screen and recolour what follows, and a file that is no document.
    let evil = cwd.join("drafts/\u{1b}[2J\u{1b}[31mred.txt");
    std::fs::write(&evil, seed("000")).unwrap();
    std::fs::write(cwd.join("drafts/\u{1b}]0;title\u{7}.png"), "x").unwrap();
    let run = check(cwd, "out", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for out in [&run.stdout, &run.stderr] {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
    assert!(run.stdout.contains("drafts/␛[2J␛[31mred.txt\n"), "{}", run.stdout);
    assert!(run.stderr.contains("drafts/␛]0;title␇.png: skipped"), "{}", run.stderr);
    // The CSV keeps the name as it is: it is data, not shown by a terminal.
    assert!(std::fs::read_to_string(cwd.join("out/documents.csv")).unwrap().contains("\u{1b}[2J"));
    let listed = chachong(cwd, &[os("review"), os("out"), os("--color"), os("always")]);
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert!(listed.stdout.contains("drafts/␛[2J␛[31mred.txt"), "{}", listed.stdout);
    assert!(!listed.stdout.contains("\u{1b}[2J"), "{}", listed.stdout);
}

/// Bidirectional controls (which show a name or a sentence reversed: `\u{202e}` makes
/// `gpj.exe` read `exe.jpg`) and escape codes, in a file name and in a paragraph copied into the
/// corpus: what check, review (plain and coloured) and audit print shows none of them.
#[test]
fn bidi_controls_and_escape_codes_in_names_and_text_are_not_sent_to_the_terminal() {
    let (dir, _) = setup([BAO, BO, LOSSY.as_bytes(), b"c.txt"]);
    let cwd = dir.path();
    let paragraph = "各级党组织要\u{202e}压实责任\u{202c}，把\u{2067}整改任务\u{2069}落到实处，\
                     \u{1b}[2J\u{1b}[31m确保问题见底清零\u{1b}[0m，以钉钉子精神抓好落实工作。\n";
    let text = format!("{}{paragraph}", lines(&seed("000"), 4, 6));
    std::fs::write(cwd.join("drafts/\u{202e}gpj.exe.txt"), &text).unwrap();
    std::fs::write(cwd.join("corpus/\u{2066}旧稿\u{2069}.txt"), &text).unwrap();
    let unsafe_char = |c: char| matches!(c, '\u{1b}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let shown = "drafts/\u{fffd}gpj.exe.txt";
    let check = check(cwd, "out", &[]);
    let review = chachong(cwd, &[os("review"), os("out"), os("--color"), os("never")]);
    let colored = chachong(cwd, &[os("review"), os("out"), os("--color"), os("always")]);
    let audit = chachong(cwd, &[os("audit"), os("--corpus"), os("corpus"), os("--out"), os("audited")]);
    for (what, run) in
        [("check", &check), ("review", &review), ("review --color", &colored), ("audit", &audit)]
    {
        assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
        for out in [&run.stdout, &run.stderr] {
            let found: Vec<char> = out.chars().filter(|&c| unsafe_char(c)).collect();
            // The coloured review's own colours are its only escape codes: `ESC [ digits ; m`.
            let own = what == "review --color" && found.iter().all(|&c| c == '\u{1b}');
            assert!(found.is_empty() || own, "{what} printed {found:?}: {out}");
        }
    }
    assert!(colored.stdout.contains("\u{1b}[1m"), "{}", colored.stdout);
    assert!(
        !colored.stdout.contains("\u{1b}[2J") && !colored.stdout.contains("\u{1b}[31m"),
        "{}",
        colored.stdout
    );
    assert!(check.stdout.contains(shown), "{}", check.stdout);
    // The paragraph as review shows it: each control a visible stand-in, the words in their order.
    let seen = "各级党组织要\u{fffd}压实责任\u{fffd}，把\u{fffd}整改任务\u{fffd}落到实处，␛[2J␛[31m确保问题见底清零␛[0m";
    for run in [&review, &colored] {
        assert!(run.stdout.contains(shown), "{}", run.stdout);
        let plain = without_colours(&run.stdout);
        assert!(plain.contains(seen), "{}", run.stdout);
    }
    assert!(audit.stdout.contains(" \u{fffd}旧稿\u{fffd}.txt (76.6%)"), "{}", audit.stdout);
    // The CSV keeps the text as it is: it is data, not shown by a terminal.
    let csv = std::fs::read_to_string(cwd.join("out/paragraphs.csv")).unwrap();
    assert!(csv.contains("\u{202e}gpj.exe.txt") && csv.contains("\u{1b}[2J"), "{csv}");
}

/// `text` without the colour codes (`ESC [ digits and ; m`) review adds.
fn without_colours(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            while chars.next_if(|c| c.is_ascii_digit() || *c == ';').is_some() {}
            chars.next_if_eq(&'m');
            continue;
        }
        out.push(c);
    }
    out
}
