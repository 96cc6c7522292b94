//! `chachong audit`: every document of a corpus against all the others.

use super::{open_corpus, progress_bar, Analysis, Error, Outcome, ReadArgs};
use chachong::audit::{audit, html, skipped_summary, summary, tables, write_audit};
use chachong::check::Checker;
use chachong::open::Access;
use chachong::params::Settings;
use chachong::review;
use chachong::table::Lang;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
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
    /// Also write the reports as one Excel workbook (.xlsx): a sheet per CSV, the summary first.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Language of the CSV and .xlsx headers and verdicts: zh (Chinese, ratios as percentages) or
    /// en (the names of docs/report-format.md, for scripts).
    #[arg(long, value_name = "zh|en", default_value = "en")]
    lang: Lang,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Also count the phrases of FILE (one per line) as 套话, beside the built-in lexicon: an
    /// office's own formulas, or the 提法 of an era.
    #[arg(long, value_name = "FILE")]
    taohua: Option<PathBuf>,
    /// Also write the pairs and clusters as one self-contained HTML page, each pair with the
    /// passages the two documents share side by side.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Align the candidate pairs that spark/candidates.py wrote into DIR (from `chachong export`
    /// of this corpus) instead of retrieving them: see docs/scale.md.
    #[cfg(feature = "spark")]
    #[arg(long, value_name = "DIR")]
    candidates: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: Args) -> Outcome {
    let min_run = super::min_run(args.min_run)?;
    let analysis = Analysis::new(&args.read, args.taohua.as_deref())?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.jobs {
        if n == 0 {
            return Err(Error::Flag("--jobs must be at least 1"));
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|source| Error::Threads { threads: args.jobs.unwrap_or(0), source })?;
    pool.install(|| {
        let loading = analysis.start();
        let mut roots = vec![args.corpus.as_path()];
        roots.extend(args.against.as_deref());
        let opened = open_corpus(&roots, Access::ThisRunOnly, &loading)?;
        let corpus = &opened.corpus;
        super::say_chance_run(corpus, min_run);
        // Documents are numbered by name, so the reference corpus's are found by their path.
        let audited: Vec<u32> =
            (0..corpus.len() as u32).filter(|&d| corpus.doc(d).doc.path.starts_with(&args.corpus)).collect();
        let checker = Checker {
            analyzer: loading.get(),
            corpus,
            settings: Settings { min_run, ..Settings::default() },
        };
        let bar = progress_bar("auditing".to_string(), "documents");
        bar.set_length(audited.len() as u64);
        #[cfg(feature = "spark")]
        let given = match &args.candidates {
            Some(dir) => {
                Some(chachong::export::candidates::read(dir, corpus, min_run).map_err(Error::Candidates)?)
            }
            None => None,
        };
        #[cfg(not(feature = "spark"))]
        let given: Option<std::collections::HashMap<(u32, u32), Vec<u32>>> = None;
        let result = match &given {
            Some(c) => {
                let found = |d: u32, p: usize| c.get(&(d, p as u32)).cloned().unwrap_or_default();
                chachong::audit::audit_given(&checker, &audited, &found, &|n| bar.inc(n))
            }
            None => audit(&checker, &audited, &|n| bar.inc(n)),
        };
        bar.finish_and_clear();
        // The manifest lets `chachong review` find the audited documents from any folder.
        let documents: Vec<(PathBuf, String)> =
            audited.iter().map(|&d| (corpus.doc(d).doc.path.clone(), corpus.doc(d).name.clone())).collect();
        let manifest = review::run_manifest(&result.reports, &documents, corpus);
        write_audit(&args.out, &result, !args.no_bom, args.lang, manifest).map_err(|e| Error::Write {
            what: "report",
            path: e.path,
            source: e.source,
        })?;
        if let Some(path) = &args.xlsx {
            super::write_xlsx(path, &tables(&result), args.lang)?;
        }
        // The reports are on disk: a reader that closed stdout early (`| head`) is not an error.
        // Shown as say!/show! show text: names and passages may hold escape or bidi controls.
        let said = format!(
            "{}{}reports written to {}",
            summary(&result),
            skipped_summary(&opened.errors).unwrap_or_default(),
            args.out.display()
        );
        let _ = writeln!(std::io::stdout().lock(), "{}", chachong::names::terminal_safe(&said));
        if let Some(path) = &args.html {
            let info = html::PageInfo { corpus: &args.corpus, report_dir: &args.out };
            html::write(path, &result, &info).map_err(|source| Error::Write {
                what: "HTML page",
                path: path.clone(),
                source,
            })?;
            let said = format!("HTML page written to {}", path.display());
            let _ = writeln!(std::io::stdout().lock(), "{}", chachong::names::terminal_safe(&said));
        }
        Ok(if opened.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
    })
}
