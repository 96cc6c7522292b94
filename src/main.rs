//! The `chachong` command line: parses arguments and calls the library.

use chachong::analyze::{Analyzer, Loading};
use chachong::audit::{audit, summary as audit_summary, write_audit};
use chachong::check::{check_files, Checker, Corpus};
use chachong::index::store::{self, Progress, StoreError, UpdateOptions, UpdateReport};
use chachong::params::Settings;
use chachong::report::{summary, write_reports};
use chachong::review::{self, terminal};
use chachong::taohua::Lexicon;
use chachong::walk::{expand_inputs, Filter};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
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
    /// Build or update the stored index of a corpus, so that checks need not re-read it.
    Index(IndexArgs),
    /// Show a report's findings: each flagged paragraph beside its source, in the terminal or as
    /// one HTML file.
    Review(ReviewArgs),
    /// Check every document of a corpus against all the others: reports, pairs.csv, clusters.csv.
    Audit(AuditArgs),
}

#[derive(clap::Args)]
struct AuditArgs {
    /// Corpus folder to audit, searched recursively for documents.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// A reference corpus: its documents are sources for the audited ones, and count in document
    /// frequency (formulas it holds widely are 套话), but are not audited.
    #[arg(long, value_name = "DIR")]
    against: Option<PathBuf>,
    /// Folder for paragraphs.csv, spans.csv, documents.csv, pairs.csv, clusters.csv and
    /// cluster_members.csv.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Write the CSVs without the UTF-8 byte-order mark (Excel and WPS need it to show Chinese).
    #[arg(long)]
    no_bom: bool,
    /// Matched significant chars needed for `partial`.
    #[arg(long, default_value_t = chachong::params::DEFAULT_MIN_RUN, value_parser = clap::value_parser!(usize))]
    min_run: usize,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Also count the phrases of FILE (one per line) as 套话, beside the built-in lexicon: an
    /// office's own formulas, or the 提法 of an era.
    #[arg(long, value_name = "FILE")]
    taohua: Option<PathBuf>,
}

#[derive(clap::Args)]
struct IndexArgs {
    /// Corpus folder, searched recursively for .txt, .md and .docx files.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Index folder [default: CORPUS/.chachong].
    #[arg(long)]
    index: Option<PathBuf>,
    /// Build the index anew, discarding what is there (also the way out of an index written by
    /// another version of chachong).
    #[arg(long)]
    rebuild: bool,
    /// Merge the index's segments into one.
    #[arg(long)]
    compact: bool,
    /// Only check every index file against its checksum (reads the whole index).
    #[arg(long, conflicts_with_all = ["rebuild", "compact"])]
    verify: bool,
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
    chachong::ingest::quiet_dependency_panics();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Index(args) => run_index(args),
        Command::Review(args) => run_review(args),
        Command::Audit(args) => run_audit(args),
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal; `unit` names what it counts.
fn progress_bar(message: String, unit: &str) -> ProgressBar {
    let bar = ProgressBar::hidden();
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template(&format!("{{msg}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{eta}})"))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Updates the index in `dir`, with a progress bar, and says on stderr what was done.
fn update_index(
    corpus: &std::path::Path,
    dir: &std::path::Path,
    analyzer: &Loading,
    opts: UpdateOptions,
) -> Result<(Corpus, UpdateReport), StoreError> {
    let bar = progress_bar(format!("indexing {}", corpus.display()), "files");
    let progress = Progress {
        files_found: &|n| bar.set_length(n),
        tick: &|n| bar.inc(n),
        say: &|m| bar.suspend(|| eprintln!("chachong: {m}")),
    };
    let result = Corpus::open_indexed(corpus, dir, &|| analyzer.get(), opts, &progress);
    bar.finish_and_clear();
    if let Ok((corpus, report)) = &result {
        for n in &corpus.notes {
            eprintln!("chachong: {n}");
        }
        for e in &report.errors {
            eprintln!("chachong: skipped corpus file {e}");
        }
        eprintln!("chachong: {}", describe_update(dir, corpus.len(), report));
    }
    result
}

fn describe_update(dir: &std::path::Path, docs: usize, r: &UpdateReport) -> String {
    if !r.wrote() && !r.compacted {
        return format!("index {} is up to date ({docs} documents)", dir.display());
    }
    let mut s = format!(
        "index {} updated: {} added, {} changed, {} removed, {} unchanged; {} documents",
        dir.display(),
        r.added,
        r.changed,
        r.removed,
        r.unchanged,
        docs
    );
    if r.compacted {
        s.push_str("; segments merged");
    }
    s
}

fn run_index(args: IndexArgs) -> ExitCode {
    let dir = args.index.unwrap_or_else(|| store::default_dir(&args.corpus));
    if args.verify {
        return match store::verify(&dir) {
            Ok(n) => {
                println!("index {}: {n} files, every checksum matches", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("chachong: {e}");
                ExitCode::from(2)
            }
        };
    }
    let analyzer = Loading::start();
    let opts = UpdateOptions { rebuild: args.rebuild, compact: args.compact };
    match update_index(&args.corpus, &dir, &analyzer, opts) {
        Ok((_, report)) if report.errors.is_empty() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(2),
        Err(e) => {
            eprintln!("chachong: {e}");
            ExitCode::from(2)
        }
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
    let lexicon = match Lexicon::load(args.taohua.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("chachong: {e}");
            return ExitCode::from(2);
        }
    };
    if args.input.max_file_mb.is_nan() || args.input.max_file_mb <= 0.0 {
        eprintln!("chachong: --max-file-mb takes a positive size in MiB, e.g. 64 or 0.5");
        return ExitCode::from(2);
    }
    // Saturates at u64::MAX for huge values, which means no limit.
    let max_file_bytes = (args.input.max_file_mb * (1u64 << 20) as f64) as u64;
    let fold_traditional = args.input.fold_traditional;
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
    let loading = Loading::start_with(move || {
        let mut analyzer = Analyzer::new();
        analyzer.lexicon = lexicon;
        analyzer.fold_traditional = fold_traditional;
        analyzer.limits.max_file_bytes = max_file_bytes;
        analyzer
    });
    // The stored index holds fingerprints of unfolded text: folding reads the corpus afresh.
    if fold_traditional && !args.no_index {
        eprintln!(
            "chachong: --fold-traditional: reading the corpus for this run only, not through its index"
        );
    }
    let loaded = if args.no_index || fold_traditional {
        load_in_memory(&[&args.corpus], loading.get())
    } else {
        let dir = args.index.clone().unwrap_or_else(|| store::default_dir(&args.corpus));
        match update_index(&args.corpus, &dir, &loading, UpdateOptions::default()) {
            Ok((corpus, report)) => Ok((corpus, report.errors)),
            // A corpus on a read-only share: check without storing an index.
            Err(StoreError::Io(path, e)) if !matches!(e.kind(), std::io::ErrorKind::NotFound) => {
                eprintln!(
                    "chachong: cannot write the index ({}: {e}); reading the corpus for this run only",
                    path.display()
                );
                load_in_memory(&[&args.corpus], loading.get())
            }
            Err(e) => Err(e.to_string()),
        }
    };
    let (corpus, corpus_errors) = match loaded {
        Ok(c) => c,
        Err(e) => {
            eprintln!("chachong: {e}");
            eprintln!("chachong: give the corpus folder with --corpus DIR");
            return ExitCode::from(2);
        }
    };
    let checker = Checker {
        analyzer: loading.get(),
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

/// Reads and fingerprints the corpus folders for this run (see [`Corpus::load_roots`]), with a
/// progress bar.
fn load_in_memory(
    roots: &[&Path],
    analyzer: &Analyzer,
) -> Result<(Corpus, Vec<chachong::ingest::IngestError>), String> {
    let names: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    let bar = progress_bar(format!("reading corpus {}", names.join(" + ")), "files");
    let loaded = Corpus::load_roots(roots, analyzer, &|n| bar.inc(n), &|n| bar.set_length(n));
    bar.finish_and_clear();
    if let Ok((corpus, errors)) = &loaded {
        for n in &corpus.notes {
            eprintln!("chachong: {n}");
        }
        for e in errors {
            eprintln!("chachong: skipped corpus file {e}");
        }
    }
    loaded
}

fn run_audit(args: AuditArgs) -> ExitCode {
    if args.min_run == 0 {
        eprintln!("chachong: --min-run must be at least 1");
        return ExitCode::from(2);
    }
    let lexicon = match Lexicon::load(args.taohua.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("chachong: {e}");
            return ExitCode::from(2);
        }
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.jobs {
        if n == 0 {
            eprintln!("chachong: --jobs must be at least 1");
            return ExitCode::from(2);
        }
        pool = pool.num_threads(n);
    }
    let pool = match pool.build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("chachong: cannot start {} worker threads: {e}", args.jobs.unwrap_or(0));
            return ExitCode::from(2);
        }
    };
    pool.install(|| {
        let mut analyzer = Analyzer::new();
        analyzer.lexicon = lexicon;
        let mut roots = vec![args.corpus.as_path()];
        roots.extend(args.against.as_deref());
        let (corpus, corpus_errors) = match load_in_memory(&roots, &analyzer) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("chachong: {e}");
                eprintln!("chachong: give the corpus folder with --corpus DIR");
                return ExitCode::from(2);
            }
        };
        // Documents are numbered by name, so the reference corpus's are found by their path.
        let audited: Vec<u32> =
            (0..corpus.len() as u32).filter(|&d| corpus.doc(d).doc.path.starts_with(&args.corpus)).collect();
        let checker = Checker {
            analyzer: &analyzer,
            corpus: &corpus,
            settings: Settings { min_run: args.min_run, ..Settings::default() },
        };
        let bar = progress_bar("auditing".to_string(), "documents");
        bar.set_length(audited.len() as u64);
        let result = audit(&checker, &audited, &|n| bar.inc(n));
        bar.finish_and_clear();
        if let Err(e) = write_audit(&args.out, &result, !args.no_bom) {
            eprintln!("chachong: cannot write the reports to {}: {e}", args.out.display());
            return ExitCode::from(2);
        }
        // The reports are on disk: a reader that closed stdout early (`| head`) is not an error.
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}reports written to {}",
            audit_summary(&result),
            args.out.display()
        );
        if corpus_errors.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        }
    })
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
