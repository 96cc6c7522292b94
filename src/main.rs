//! The `chachong` command line: parses arguments and calls the library.

use chachong::analyze::Analyzer;
use chachong::check::{check_files, Checker, Corpus};
use chachong::params::Settings;
use chachong::report::{summary, write_reports};
use chachong::review::{self, terminal};
use clap::{Parser, Subcommand, ValueEnum};
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
    /// Check drafts (.txt, .md, .docx) against a corpus and write CSV reports.
    Check(CheckArgs),
    /// Show a report's findings: each flagged paragraph beside its source, in the terminal or as
    /// one HTML file.
    Review(ReviewArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Corpus folder, searched recursively for .txt, .md and .docx files.
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
    /// Also write the report as one self-contained HTML file (as `chachong review --html`).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Draft files to check.
    #[arg(required = true)]
    drafts: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// Report folder written by `chachong check --out`.
    report_dir: PathBuf,
    /// Paragraphs to list, comma-separated: copy, partial, boilerplate, original, flagged (with
    /// template-site flags), all.
    #[arg(long, value_name = "LIST", default_value = "copy,partial,flagged")]
    verdict: String,
    /// Only paragraphs with at least this score (0..1).
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    min_score: f64,
    /// Only this draft: its name in the report, or its file name.
    #[arg(long, value_name = "NAME")]
    draft: Option<String>,
    /// Corpus folder (default: the one the check used, recorded in chachong-run.txt, else `corpus`).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Write one self-contained HTML file instead of the terminal listing.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Colors in the terminal listing: auto (when stdout is a terminal and NO_COLOR is unset),
    /// always or never; without colors, runs are marked 【copied】 〔套话〕 〖template-site mark〗.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Review(args) => run_review(args),
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
    let analyzer = Analyzer::new();
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
        args.drafts.iter().map(|p| (p.clone(), p.display().to_string())).collect();
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
    let written = write_reports(&args.out, &reports, !args.no_bom)
        .and_then(|()| review::run_manifest(&reports, &drafts, &corpus).write(&args.out));
    if let Err(e) = written {
        eprintln!("chachong: cannot write the reports to {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    for r in &reports {
        print!("{}", summary(r));
    }
    println!("reports written to {}", args.out.display());
    if let Some(path) = &args.html {
        let mut review = review::from_check(&reports, &drafts, &corpus);
        review.report_dir = Some(chachong::manifest::absolute(&args.out));
        for p in &review.problems {
            eprintln!("chachong: {p}");
        }
        if let Err(e) = review::html::write(path, &review) {
            eprintln!("chachong: cannot write the HTML report {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("HTML report written to {}", path.display());
    }
    let over = args.fail_over.is_some_and(|limit| reports.iter().any(|r| r.summary.copied_ratio > limit));
    if unreadable {
        ExitCode::from(2)
    } else if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_review(args: ReviewArgs) -> ExitCode {
    if !(0.0..=1.0).contains(&args.min_score) {
        eprintln!("chachong: --min-score takes a score between 0 and 1, e.g. 0.5");
        return ExitCode::from(2);
    }
    let selection = match terminal::Selection::parse_verdicts(&args.verdict, args.min_score) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("chachong: {e}");
            return ExitCode::from(2);
        }
    };
    let opts = review::Options { corpus: args.corpus.clone(), draft: args.draft.clone() };
    let review = match review::load(&args.report_dir, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chachong: {e}");
            return ExitCode::from(2);
        }
    };
    for p in &review.problems {
        eprintln!("chachong: {p}");
    }
    match &args.html {
        Some(path) => {
            if let Err(e) = review::html::write(path, &review) {
                eprintln!("chachong: cannot write the HTML report {}: {e}", path.display());
                return ExitCode::from(2);
            }
            println!("HTML report written to {}", path.display());
        }
        None => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let style = if color { terminal::Style::Color } else { terminal::Style::Plain };
            print!("{}", terminal::render(&review, &selection, style));
        }
    }
    if review.unreadable > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
