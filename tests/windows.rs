//! The Windows package (packaging/windows/build.sh) under Wine: its chachong.exe checks the sample
//! .docx against its demo corpus and writes byte for byte the CSVs the Linux binary writes; paths
//! with Chinese names, a drive letter and backslashes work; the stored index is built and then
//! read (memory maps and the lock file on Windows); the reports are what Excel on a Chinese
//! Windows opens (a UTF-8 BOM). Needs the zip (run packaging/windows/build.sh first, as .ci/run
//! does) and Wine (Debian: apt-get install wine64).

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ZIP: &str = "target/windows/chachong-windows-x86_64.zip";

fn wine() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p).flat_map(|d| [d.join("wine64"), d.join("wine")]).collect::<Vec<_>>()
        })
        .unwrap_or_default();
    // Debian's wine64 package alone installs the loader here, without a wrapper on PATH.
    on_path.into_iter().chain([PathBuf::from("/usr/lib/wine/wine64")]).find(|p| p.is_file())
}

/// `path` as Windows names it under Wine: drive Z: is the Unix root, separators are backslashes.
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

fn unzip(zip: &Path, into: &Path) {
    let file = std::fs::File::open(zip).expect("the zip");
    zip::ZipArchive::new(file).expect("a zip").extract(into).expect("unzip");
}

fn csvs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["paragraphs.csv", "spans.csv", "documents.csv"]
        .into_iter()
        .map(|n| (n.to_string(), std::fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}"))))
        .collect()
}

struct Wine {
    program: PathBuf,
    prefix: PathBuf,
}

impl Wine {
    fn run(&self, exe: &Path, cwd: &Path, args: &[&str]) -> Output {
        let out = Command::new(&self.program)
            .arg(exe)
            .args(args)
            .current_dir(cwd)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // Wine turns the Unix arguments and folder names into Windows (UTF-16) ones by the
            // locale's charset: UTF-8, as a Windows program gets Chinese names from Windows.
            .env("LC_ALL", "C.UTF-8")
            // No Mono or Gecko installer dialogs on the first start of the prefix.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .output()
            .expect("wine runs");
        out
    }
}

#[test]
fn the_exe_under_wine_writes_the_linux_reports() {
    let zip = root().join(ZIP);
    if !zip.is_file() {
        common::missing_tool(
            "the Windows build",
            "no target/windows/chachong-windows-x86_64.zip (run packaging/windows/build.sh)",
        );
        return;
    }
    let Some(program) = wine() else {
        common::missing_tool(
            "the Windows build",
            "no Wine (apt-get install wine64): chachong.exe was not run",
        );
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let base = tmp.path().join("查重 测试");
    let app = base.join("程序");
    unzip(&zip, &app);
    let exe = app.join("chachong/chachong.exe");
    assert!(exe.is_file(), "the zip holds chachong/chachong.exe");
    // Wine 8.0 lacks the ProcessPrng that Rust's std calls (see packaging/windows/wine/).
    let shim = root().join("target/windows/wine/bcryptprimitives.dll");
    std::fs::copy(&shim, app.join("chachong/bcryptprimitives.dll"))
        .unwrap_or_else(|e| panic!("{}: {e} (packaging/windows/build.sh builds it)", shim.display()));
    let launcher = std::fs::read_to_string(app.join("chachong/chachong.cmd")).expect("the launcher");
    assert!(launcher.contains("\r\nchachong.exe serve --open\r\n"), "{launcher:?}");
    assert!(app.join("chachong/examples/draft.docx").is_file());
    assert!(!app.join("chachong/corpus/.chachong").exists(), "no index in the package");

    let drafts = base.join("稿件");
    std::fs::create_dir_all(&drafts).expect("mkdir");
    std::fs::copy(root().join("examples/draft.docx"), drafts.join("讲话稿.docx")).expect("copy");
    let linux_corpus = common::corpus_without(&[]);
    let wine = Wine { program, prefix: tmp.path().join("wineprefix") };

    // The same relative names on both: the CSVs must be the same bytes.
    let linux = Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(["check", "--corpus"])
        .arg(linux_corpus.path())
        .args(["--out", "linux", "稿件/讲话稿.docx"])
        .current_dir(&base)
        .output()
        .expect("the Linux binary runs");
    assert_eq!(linux.status.code(), Some(0), "{}", String::from_utf8_lossy(&linux.stderr));
    let started = std::time::Instant::now();
    let win = wine.run(
        &exe,
        &base,
        &["check", "--corpus", "程序/chachong/corpus", "--out", "windows", "稿件/讲话稿.docx"],
    );
    eprintln!(
        "first check under Wine (prefix created, index built): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(win.status.code(), Some(0), "{}", String::from_utf8_lossy(&win.stderr));
    let stderr = String::from_utf8_lossy(&win.stderr);
    assert!(stderr.contains("updated: 46 added"), "the index is built: {stderr}");
    let (l, w) = (csvs(&base.join("linux")), csvs(&base.join("windows")));
    for ((name, l), (_, w)) in l.iter().zip(&w) {
        assert!(
            l == w,
            "{name} differs between Linux and Windows (a zip older than the source? run packaging/windows/build.sh):\n{}\n---\n{}",
            String::from_utf8_lossy(l),
            String::from_utf8_lossy(w)
        );
        assert!(w.starts_with("\u{feff}".as_bytes()), "{name}: a BOM, so Excel reads UTF-8");
    }
    assert_eq!(
        String::from_utf8_lossy(&linux.stdout),
        String::from_utf8_lossy(&win.stdout)
            .replace("\r\n", "\n")
            .replace("written to windows", "written to linux")
    );

    // A drive letter and backslashes everywhere; the index now read, not built; the reports of
    // the first run replaced.
    let corpus = windows_path(&app.join("chachong/corpus"));
    let out = windows_path(&base.join("windows"));
    let draft = windows_path(&drafts.join("讲话稿.docx"));
    let xlsx = windows_path(&base.join("报告.xlsx"));
    let html = windows_path(&base.join("报告.html"));
    let win = wine.run(
        &exe,
        tmp.path(),
        &["check", "--corpus", &corpus, "--out", &out, "--xlsx", &xlsx, "--html", &html, &draft],
    );
    assert_eq!(win.status.code(), Some(0), "{}", String::from_utf8_lossy(&win.stderr));
    let stderr = String::from_utf8_lossy(&win.stderr);
    assert!(stderr.contains("is up to date (46 documents)"), "the stored index is read: {stderr}");
    for ((name, l), (_, w)) in csvs(&base.join("linux")).iter().zip(csvs(&base.join("windows"))) {
        // The draft column names the draft as given; everything else is the same.
        let l = String::from_utf8_lossy(l).replace("稿件/讲话稿.docx", &draft);
        assert_eq!(l, String::from_utf8_lossy(&w), "{name}");
    }
    assert!(base.join("报告.xlsx").is_file() && base.join("报告.html").is_file());
    // review finds the draft again by the Windows path the run recorded.
    let review = wine.run(&exe, tmp.path(), &["review", &out]);
    assert_eq!(review.status.code(), Some(0), "{}", String::from_utf8_lossy(&review.stderr));
    let shown = String::from_utf8_lossy(&review.stdout);
    assert!(shown.contains("47.2%") && !shown.contains("cannot read"), "{shown}");
}
