//! The `chachong` command line: parses arguments and calls the library.

use chachong::analyze::Analyzer;
use chachong::check::{check_files, Checker, Corpus};
use chachong::params::Settings;
use chachong::report::{summary, write_reports};
use chachong::walk::{expand_inputs, Filter};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "chachong",
    version,
    about = "查重 for Chinese official writing: what was copied, from where, and what is only 套话"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts (.txt, .md, .docx, .html, .pdf, .doc, .wps, or folders of them) against a corpus
    /// and write CSV reports.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
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
    /// Draft files to check, or folders: every document below them is checked.
    #[arg(required = true)]
    drafts: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

/// How input files are found and read.
#[derive(clap::Args)]
struct InputArgs {
    /// In draft folders, check only files matching GLOB (relative path, e.g. '*.docx'; repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In draft folders, leave out files matching GLOB (e.g. 'old/**'; repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Refuse files larger than this many MiB (drafts and corpus; fractions allowed).
    #[arg(long, value_name = "MIB", default_value_t = (chachong::params::MAX_FILE_BYTES >> 20) as f64)]
    max_file_mb: f64,
    /// Match traditional and simplified characters as the same (萬 = 万), in drafts and corpus.
    #[arg(long)]
    fold_traditional: bool,
}

fn main() -> ExitCode {
    chachong::ingest::quiet_dependency_panics();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(args),
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    if let Some(r) = args.fail_over {
        if !(0.0..=1.0).contains(&r) {
            eprintln!("chachong: --fail-over takes a ratio between 0 and 1, e.g. 0.3 for 30%");
            return ExitCode::from(2);
        }
    }
    if args.min_run == 0 {
        eprintln!("chachong: --min-run must be at least 1");
        return ExitCode::from(2);
    }
    let mut analyzer = Analyzer::new();
    analyzer.fold_traditional = args.input.fold_traditional;
    if args.input.max_file_mb.is_nan() || args.input.max_file_mb <= 0.0 {
        eprintln!("chachong: --max-file-mb takes a positive size in MiB, e.g. 64 or 0.5");
        return ExitCode::from(2);
    }
    // Saturates at u64::MAX for huge values, which means no limit.
    analyzer.limits.max_file_bytes = (args.input.max_file_mb * (1u64 << 20) as f64) as u64;
    let filter = match Filter::new(&args.input.include, &args.input.exclude) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("chachong: {e}");
            return ExitCode::from(2);
        }
    };
    let inputs = expand_inputs(&args.drafts, &filter);
    for note in &inputs.notes {
        eprintln!("chachong: {note}");
    }
    if inputs.files.is_empty() {
        eprintln!("chachong: no drafts to check");
        return ExitCode::from(2);
    }
    let bar = ProgressBar::hidden();
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} files ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(format!("reading corpus {}", args.corpus.display()));
    let loaded = Corpus::load(&args.corpus, &analyzer, &|n| bar.inc(n), &|n| bar.set_length(n));
    bar.finish_and_clear();
    let (corpus, corpus_errors) = match loaded {
        Ok(c) => c,
        Err(e) => {
            eprintln!("chachong: {e}");
            eprintln!("chachong: give the corpus folder with --corpus DIR");
            return ExitCode::from(2);
        }
    };
    for e in &corpus_errors {
        eprintln!("chachong: skipped corpus file {e}");
    }
    let checker = Checker {
        analyzer: &analyzer,
        corpus: &corpus,
        settings: Settings { min_run: args.min_run, ..Settings::default() },
    };
    let drafts: Vec<(PathBuf, String)> =
        inputs.files.iter().map(|p| (p.clone(), p.display().to_string())).collect();
    let mut reports = Vec::new();
    let mut unreadable = !corpus_errors.is_empty();
    for result in check_files(&checker, &drafts) {
        match result {
            Ok(r) => reports.push(r),
            Err(e) => {
                eprintln!("chachong: cannot check {e}");
                unreadable = true;
            }
        }
    }
    if let Err(e) = write_reports(&args.out, &reports, !args.no_bom) {
        eprintln!("chachong: cannot write the reports to {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    for r in &reports {
        print!("{}", summary(r));
    }
    println!("reports written to {}", args.out.display());
    let over = args.fail_over.is_some_and(|limit| reports.iter().any(|r| r.summary.copied_ratio > limit));
    if unreadable {
        ExitCode::from(2)
    } else if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
