//! `chachong check`: drafts against a corpus, reported as CSV (and HTML when asked).

use super::{open_corpus, Analysis, Error, Outcome, ReadArgs};
use chachong::check::{check_files, Checker};
use chachong::index::store::{self, UpdateOptions};
use chachong::open::Access;
use chachong::params::Settings;
use chachong::report::{summary, write_reports};
use chachong::review;
use chachong::walk::{expand_inputs, Filter};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus folder, searched recursively for documents.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Folder for paragraphs.csv, spans.csv and documents.csv.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Write the CSVs without the UTF-8 byte-order mark (Excel and WPS need it to show Chinese).
    #[arg(long)]
    no_bom: bool,
    /// Matched significant chars needed for `partial`.
    #[arg(long, default_value_t = chachong::params::DEFAULT_MIN_RUN, value_parser = clap::value_parser!(usize))]
    min_run: usize,
    /// Exit with status 1 when a draft's copied ratio (复制比) exceeds RATIO (0..1).
    #[arg(long, value_name = "RATIO")]
    fail_over: Option<f64>,
    /// Index folder [default: CORPUS/.chachong]; created or updated as the corpus changes.
    #[arg(long)]
    index: Option<PathBuf>,
    /// Read and fingerprint the corpus for this run only; neither use nor write an index.
    #[arg(long, conflicts_with = "index")]
    no_index: bool,
    /// Also write the report as one self-contained HTML file (as `chachong review --html`).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also count the phrases of FILE (one per line) as 套话, beside the built-in lexicon: an
    /// office's own formulas, or the 提法 of an era.
    #[arg(long, value_name = "FILE")]
    taohua: Option<PathBuf>,
    /// Draft files to check, or folders: every document below them is checked.
    #[arg(required = true)]
    drafts: Vec<PathBuf>,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    read: ReadArgs,
}

/// Which files of a draft folder are checked.
#[derive(clap::Args)]
struct FilterArgs {
    /// In draft folders, check only files matching GLOB (relative path, e.g. '*.docx'; repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In draft folders, leave out files matching GLOB (e.g. 'old/**'; repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
}

pub fn run(args: Args) -> Outcome {
    if let Some(r) = args.fail_over {
        if !(0.0..=1.0).contains(&r) {
            return Err(Error::Flag("--fail-over takes a ratio between 0 and 1, e.g. 0.3 for 30%"));
        }
    }
    let min_run = super::min_run(args.min_run)?;
    let analysis = Analysis::new(&args.read, args.taohua.as_deref())?;
    let filter = Filter::new(&args.filter.include, &args.filter.exclude).map_err(Error::Input)?;
    let inputs = expand_inputs(&args.drafts, &filter);
    for note in &inputs.notes {
        eprintln!("chachong: {note}");
    }
    if inputs.files.is_empty() {
        return Err(Error::NoDrafts);
    }
    let loading = analysis.start();
    let access = if args.no_index {
        Access::ThisRunOnly
    } else {
        let dir = args.index.clone().unwrap_or_else(|| store::default_dir(&args.corpus));
        Access::Index { dir, opts: UpdateOptions::default() }
    };
    let opened = open_corpus(&[&args.corpus], access, &loading)?;
    let corpus = &opened.corpus;
    let checker =
        Checker { analyzer: loading.get(), corpus, settings: Settings { min_run, ..Settings::default() } };
    let drafts: Vec<(PathBuf, String)> =
        inputs.files.iter().map(|p| (p.clone(), p.display().to_string())).collect();
    let mut reports = Vec::new();
    let mut unreadable = !opened.errors.is_empty();
    for result in check_files(&checker, &drafts) {
        match result {
            Ok(r) => reports.push(r),
            Err(e) => {
                eprintln!("chachong: cannot check {e}");
                unreadable = true;
            }
        }
    }
    write_reports(&args.out, &reports, !args.no_bom)
        .and_then(|()| review::run_manifest(&reports, &drafts, corpus).write(&args.out))
        .map_err(|source| Error::Write { what: "reports to", path: args.out.clone(), source })?;
    for r in &reports {
        print!("{}", summary(r));
    }
    println!("reports written to {}", args.out.display());
    if let Some(path) = &args.html {
        let mut review = review::from_check(&reports, &drafts, corpus);
        review.report_dir = Some(chachong::manifest::absolute(&args.out));
        for p in &review.problems {
            eprintln!("chachong: {p}");
        }
        review::html::write(path, &review).map_err(|source| Error::Write {
            what: "HTML report",
            path: path.clone(),
            source,
        })?;
        println!("HTML report written to {}", path.display());
    }
    let over = args.fail_over.is_some_and(|limit| reports.iter().any(|r| r.summary.copied_ratio > limit));
    Ok(if unreadable {
        ExitCode::from(2)
    } else if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
