//! The subcommands, one file each (as xsv has them): each turns its flags into a checked
//! configuration once, calls the library, and says on stdout and stderr what was done. `main.rs`
//! only parses the command line and hands over.

/// A line on stderr after `chachong: `, shown by [`chachong::names::terminal_safe`]: a file name
/// holding escape codes must not recolour or clear the user's terminal.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("chachong: {}", chachong::names::terminal_safe(&format!($($arg)*)))
    };
}

/// Text on stdout, shown likewise.
macro_rules! show {
    ($($arg:tt)*) => {
        print!("{}", chachong::names::terminal_safe(&format!($($arg)*)))
    };
}

/// A line on stdout, shown likewise.
macro_rules! showln {
    ($($arg:tt)*) => {
        println!("{}", chachong::names::terminal_safe(&format!($($arg)*)))
    };
}

pub mod audit;
pub mod check;
#[cfg(feature = "spark")]
pub mod export;
pub mod index;
pub mod review;
pub mod serve;

use chachong::analyze::{Analyzer, Loading};
use chachong::index::store::{Progress, StoreError, UpdateReport};
use chachong::ingest::IngestError;
use chachong::marks::MarkTable;
use chachong::open::{self, Access, OpenError, Opened};
use chachong::taohua::Lexicon;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Why a subcommand stopped before doing its work: printed as `chachong: {error}`, exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A flag's value that its parser alone cannot refuse; the message says what it takes.
    #[error("{0}")]
    Flag(&'static str),
    /// A 套话 lexicon file that cannot be used.
    #[error(transparent)]
    Lexicon(#[from] chachong::taohua::LexiconError),
    #[error("{}: cannot read the mark rules: {source}", path.display())]
    ReadMarks { path: PathBuf, source: std::io::Error },
    /// A rule of `--marks FILE` that cannot be used.
    #[error("{}: {source}", path.display())]
    Marks { path: PathBuf, source: chachong::marks::RuleError },
    /// An `--include` or `--exclude` glob.
    #[error(transparent)]
    Glob(#[from] chachong::walk::GlobError),
    #[error(transparent)]
    Verdict(#[from] chachong::review::terminal::UnknownVerdict),
    /// A report folder that cannot be reviewed.
    #[error(transparent)]
    Review(#[from] chachong::review::ReviewError),
    #[error("no drafts to check")]
    NoDrafts,
    /// The corpus could not be opened; `hint` when the folder was not given (the default
    /// `corpus` may not be the one meant) and the folder itself was the trouble, not its index.
    #[error("{error}{}", if *hint { "\nchachong: give the corpus folder with --corpus DIR" } else { "" })]
    Corpus { error: OpenError, hint: bool },
    #[error("{0}")]
    Index(StoreError),
    #[error("cannot write the {what} {}: {source}", path.display())]
    Write { what: &'static str, path: PathBuf, source: std::io::Error },
    #[error("cannot write the PDF report {}: {source}", path.display())]
    Pdf { path: PathBuf, source: chachong::pdf::PdfError },
    #[error("{0}")]
    Serve(chachong::serve::ServeError),
    #[cfg(feature = "spark")]
    #[error("{0}")]
    Export(chachong::export::ExportError),
    #[cfg(feature = "spark")]
    #[error("{0}")]
    Candidates(chachong::export::candidates::CandidatesError),
    #[error("cannot start {threads} worker threads: {source}")]
    Threads { threads: usize, source: rayon::ThreadPoolBuildError },
}

/// What a subcommand that ran returns: its exit status (0, or 1 and 2 as its help says).
pub type Outcome = Result<ExitCode, Error>;

/// How files are read, for drafts and corpus alike.
#[derive(clap::Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub limit: LimitArgs,
    /// Match traditional and simplified characters as the same (萬 = 万), in drafts and corpus.
    #[arg(long)]
    pub fold_traditional: bool,
    /// More template-site marks, one per line: kind<TAB>label<TAB>regex (kind: watermark,
    /// truncated or chrome), added to the built-in table for drafts and corpus alike.
    #[arg(long, value_name = "FILE")]
    pub marks: Option<PathBuf>,
}

impl ReadArgs {
    /// The mark table: the built-in one with the rules of `--marks FILE` added.
    pub fn mark_table(&self) -> Result<MarkTable, Error> {
        let Some(path) = &self.marks else { return Ok(MarkTable::builtin()) };
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::ReadMarks { path: path.clone(), source })?;
        MarkTable::builtin().with_rules(&text).map_err(|source| Error::Marks { path: path.clone(), source })
    }
}

/// How large a file may be read.
#[derive(clap::Args)]
pub struct LimitArgs {
    /// Refuse files larger than this many MiB (drafts and corpus; fractions allowed).
    #[arg(long, value_name = "MIB", default_value_t = (chachong::params::MAX_FILE_BYTES >> 20) as f64)]
    pub max_file_mb: f64,
}

impl LimitArgs {
    /// The limit in bytes.
    pub fn max_file_bytes(&self) -> Result<u64, Error> {
        if self.max_file_mb.is_nan() || self.max_file_mb <= 0.0 {
            return Err(Error::Flag("--max-file-mb takes a positive size in MiB, e.g. 64 or 0.5"));
        }
        // Saturates at u64::MAX for huge values, which means no limit.
        Ok((self.max_file_mb * (1u64 << 20) as f64) as u64)
    }
}

/// The analysis a run applies to drafts and corpus, checked once from the flags.
pub struct Analysis {
    pub lexicon: Lexicon,
    pub marks: MarkTable,
    pub fold_traditional: bool,
    pub max_file_bytes: u64,
}

impl Analysis {
    pub fn new(read: &ReadArgs, taohua: Option<&Path>) -> Result<Analysis, Error> {
        Ok(Analysis {
            max_file_bytes: read.limit.max_file_bytes()?,
            lexicon: Lexicon::load(taohua)?,
            marks: read.mark_table()?,
            fold_traditional: read.fold_traditional,
        })
    }

    /// Starts building the analyzer (jieba's dictionary takes a moment) while the caller goes on.
    pub fn start(self) -> Loading {
        Loading::start_with(move || {
            let mut analyzer = Analyzer::new();
            analyzer.lexicon = self.lexicon;
            analyzer.marks = self.marks;
            analyzer.fold_traditional = self.fold_traditional;
            analyzer.limits.max_file_bytes = self.max_file_bytes;
            analyzer
        })
    }
}

/// `--min-run`, which clap takes as any count.
pub fn min_run(n: usize) -> Result<usize, Error> {
    if n == 0 {
        return Err(Error::Flag("--min-run must be at least 1"));
    }
    Ok(n)
}

/// A progress bar on stderr, hidden when stderr is not a terminal; `unit` names what it counts.
pub fn progress_bar(message: String, unit: &str) -> ProgressBar {
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

/// Runs `work` with a progress bar on stderr showing `message`; what the library says goes above it.
pub fn with_progress<T>(message: String, work: impl FnOnce(&Progress) -> T) -> T {
    let bar = progress_bar(message, "files");
    let progress = Progress {
        files_found: &|n| bar.set_length(n),
        tick: &|n| bar.inc(n),
        say: &|m| bar.suspend(|| say!("{m}")),
    };
    let result = work(&progress);
    bar.finish_and_clear();
    result
}

/// Opens the corpus below `roots` as `access` says, with a progress bar, and says on stderr which
/// corpus files were skipped and what was done to the index.
pub fn open_corpus(roots: &[&Path], access: Access, loading: &Loading) -> Result<Opened, Error> {
    let (message, dir) = match &access {
        Access::Index { dir, .. } => (format!("indexing {}", roots[0].display()), Some(dir.clone())),
        Access::ThisRunOnly => {
            let names: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
            (format!("reading corpus {}", names.join(" + ")), None)
        }
    };
    let opened =
        with_progress(message, |progress| open::open(roots, access, loading, progress)).map_err(|error| {
            let folder = matches!(error, OpenError::Read(_) | OpenError::Index(StoreError::Corpus(_)));
            let hint = folder && roots.first() == Some(&Path::new("corpus"));
            Error::Corpus { error, hint }
        })?;
    say_notes(&opened.corpus.notes);
    say_skipped(&opened.errors);
    if let (Some(dir), Some(report)) = (dir, &opened.update) {
        say_update(&dir, opened.corpus.len(), report);
    }
    Ok(opened)
}

/// Writes `review` as the one-file HTML report at `path` and says so.
pub fn write_html(path: &Path, review: &chachong::review::Review) -> Result<(), Error> {
    chachong::review::html::write(path, review).map_err(|source| Error::Write {
        what: "HTML report",
        path: path.to_path_buf(),
        source,
    })?;
    showln!("HTML report written to {}", path.display());
    Ok(())
}

/// Writes `tables` as the Excel workbook at `path` and says so.
pub fn write_xlsx(
    path: &Path,
    tables: &[chachong::table::Table],
    lang: chachong::table::Lang,
) -> Result<(), Error> {
    chachong::xlsx::write(path, tables, lang).map_err(|source| Error::Write {
        what: "Excel report",
        path: path.to_path_buf(),
        source,
    })?;
    showln!("Excel report written to {}", path.display());
    Ok(())
}

/// Prints `review` as the PDF report at `path` and says so.
pub fn write_pdf(path: &Path, review: &chachong::review::Review) -> Result<(), Error> {
    chachong::pdf::write(path, review).map_err(|source| Error::Pdf { path: path.to_path_buf(), source })?;
    showln!("PDF report written to {}", path.display());
    Ok(())
}

/// Says on stderr what the corpus walk left out (lock files, special files, chachong's reports).
pub fn say_notes(notes: &[impl std::fmt::Display]) {
    for n in notes {
        say!("{n}");
    }
}

/// Says on stderr, when the corpus is large enough to raise it, from how many chars a run whose
/// wording only its source holds counts as copying ([`chachong::params::chance_run`]).
pub fn say_chance_run(corpus: &chachong::corpus::Corpus, min_run: usize) {
    let n = corpus.index.independent_docs;
    let run = chachong::params::chance_run(min_run, n);
    if run > min_run {
        say!(
            "{n} independent documents in the corpus: a run of wording only its source holds \
             counts as copying from {run} chars (--min-run {min_run}, one more per doubling beyond {})",
            chachong::params::CHANCE_BASE_DOCS
        );
    }
}

/// Names on stderr the corpus files that could not be read.
pub fn say_skipped(errors: &[IngestError]) {
    for e in errors {
        say!("skipped corpus file {e}");
    }
}

/// Says on stderr what an update did to the index in `dir`.
pub fn say_update(dir: &Path, docs: usize, report: &UpdateReport) {
    say!("{}", describe_update(dir, docs, report));
}

fn describe_update(dir: &Path, docs: usize, r: &UpdateReport) -> String {
    if !r.wrote() && !r.compacted {
        let read_only = if r.read_only { "; its folder is read-only, so it is used as it is" } else { "" };
        return format!("index {} is up to date ({docs} documents){read_only}", dir.display());
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
