//! `chachong check`: drafts against a corpus, reported as CSV (and HTML when asked).

use super::{open_corpus, progress_bar, Analysis, Error, Outcome, ReadArgs};
use chachong::check::{check_files, distinct_drafts, Checker};
use chachong::index::store::{self, UpdateOptions};
use chachong::open::Access;
use chachong::params::Settings;
use chachong::report::{is_empty, shown_percent, summary, write_run, Unchecked};
use chachong::review;
use chachong::table::Lang;
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
    /// Exit with status 1 when a draft's copied ratio (复制比), as the summary shows it, exceeds
    /// RATIO: 0.3 or 30%. A draft with no text to check then fails the run (status 2).
    #[arg(long, value_name = "RATIO", value_parser = parse_ratio)]
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
    /// Also write the reports as one Excel workbook (.xlsx): a sheet per CSV, the summary first.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Also write the HTML report as a PDF (A4, a cover with the figures of a 报告单), printed by
    /// headless Chromium, which must be installed.
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Language of the CSV and .xlsx headers and verdicts: zh (Chinese, ratios as percentages) or
    /// en (the names of docs/report-format.md, for scripts).
    #[arg(long, value_name = "zh|en", default_value = "en")]
    lang: Lang,
    /// Also count the phrases of FILE (one per line) as 套话, beside the built-in lexicon: an
    /// office's own formulas, or the 提法 of an era.
    #[arg(long, value_name = "FILE")]
    taohua: Option<PathBuf>,
    /// The draft's own unit or place (安化县, 安化县林业局; repeatable): names of other localities
    /// left in copied text are flagged `foreign_name`. Without it, the drafts' own text tells.
    #[arg(long, value_name = "NAME")]
    unit: Vec<String>,
    /// Do not compare the drafts of a batch with each other (by default, paragraphs with the same
    /// text as another draft's are flagged `batch:`).
    #[arg(long)]
    no_batch: bool,
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

/// `--fail-over`'s value: a ratio (0.47) or a percentage (47%, 47.2 %).
fn parse_ratio(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let (number, scale) = match s.strip_suffix('%').or_else(|| s.strip_suffix('％')) {
        Some(n) => (n.trim_end(), 100.0),
        None => (s, 1.0),
    };
    let expects = "a ratio between 0 and 1 or a percentage, e.g. 0.3 or 30%";
    let ratio = number.parse::<f64>().map_err(|_| format!("takes {expects}"))? / scale;
    if !(0.0..=1.0).contains(&ratio) {
        return Err(format!("takes {expects}"));
    }
    Ok(ratio)
}

pub fn run(args: Args) -> Outcome {
    let min_run = super::min_run(args.min_run)?;
    let analysis = Analysis::new(&args.read, args.taohua.as_deref())?;
    let filter = Filter::new(&args.filter.include, &args.filter.exclude)?;
    let inputs = expand_inputs(&args.drafts, &filter);
    for note in &inputs.notes {
        say!("{note}");
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
    super::say_chance_run(corpus, min_run);
    let checker =
        Checker { analyzer: loading.get(), corpus, settings: Settings { min_run, ..Settings::default() } };
    let (files, repeated) = distinct_drafts(&inputs.files);
    for p in &repeated {
        say!("{}: given more than once, checked once", p.display());
    }
    for p in files.iter().filter(|p| checker.corpus_doc_of(p).is_some()) {
        say!("{}: a file of the corpus, checked against the other corpus documents", p.display());
    }
    let drafts: Vec<(PathBuf, String)> =
        files.iter().map(|p| (p.clone(), chachong::names::shown_path(p))).collect();
    let mut reports = Vec::new();
    let mut unchecked = Vec::new();
    let bar = progress_bar("checking".to_string(), "drafts");
    if drafts.len() > 1 {
        bar.set_length(drafts.len() as u64);
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let findings = chachong::findings::Options { units: args.unit.clone() };
    let results = check_files(&checker, &drafts, &findings, &|n| bar.inc(n));
    bar.finish_and_clear();
    for damaged in corpus.take_damaged() {
        say!("{damaged}");
    }
    for (result, (_, name)) in results.into_iter().zip(&drafts) {
        match result {
            Ok(r) => reports.push(r),
            Err(e) => {
                say!("cannot check {e}");
                unchecked.push(Unchecked { draft: name.clone(), reason: e.reason.to_string() });
            }
        }
    }
    if !args.no_batch && reports.len() > 1 {
        let checked: Vec<(PathBuf, String)> =
            drafts.iter().filter(|(_, n)| reports.iter().any(|r| &r.draft == n)).cloned().collect();
        let twins = chachong::findings::batch::twins_of_files(checker.analyzer, &checker.settings, &checked);
        chachong::findings::batch::annotate(&mut reports, twins);
    }
    if reports.is_empty() {
        say!(
            "no draft could be read ({} given): no report written, {} is as it was",
            drafts.len(),
            args.out.display()
        );
        return Ok(ExitCode::from(2));
    }
    let empty: Vec<&str> = reports.iter().filter(|r| is_empty(r)).map(|r| r.draft.as_str()).collect();
    for draft in &empty {
        say!("{draft}: no text to check (empty, or nothing chachong can read as text)");
    }
    let manifest = review::run_manifest(&reports, &drafts, corpus);
    write_run(&args.out, &reports, &unchecked, !args.no_bom, args.lang, manifest)
        .map_err(|e| Error::Write { what: "report", path: e.path, source: e.source })?;
    for r in &reports {
        show!("{}", summary(r));
    }
    showln!("reports written to {}", args.out.display());
    if let Some(path) = &args.xlsx {
        super::write_xlsx(path, &chachong::report::tables(&reports, &unchecked), args.lang)?;
    }
    if args.html.is_some() || args.pdf.is_some() {
        let mut review = review::from_check(&reports, &drafts, corpus);
        review.report_dir = Some(chachong::manifest::absolute(&args.out));
        for p in &review.problems {
            say!("{p}");
        }
        if let Some(path) = &args.html {
            super::write_html(path, &review)?;
        }
        if let Some(path) = &args.pdf {
            super::write_pdf(path, &review)?;
        }
    }
    if !unchecked.is_empty() || !empty.is_empty() {
        say!("{}", batch_total(drafts.len(), &unchecked, &empty));
    }
    let mut over = false;
    if let Some(limit) = args.fail_over {
        let limit = shown_percent(limit);
        for r in reports.iter().filter(|r| !is_empty(r)) {
            let shown = shown_percent(r.summary.copied_ratio);
            if shown > limit {
                say!(
                    "{}: 复制比 {shown:.1}% is over --fail-over {limit:.1}% by {:.1} points",
                    r.draft,
                    shown - limit
                );
                over = true;
            }
        }
        if !empty.is_empty() {
            say!("--fail-over: {} had no text to check", empty.join(", "));
        }
    }
    let failed_to_check = !unchecked.is_empty() || (args.fail_over.is_some() && !empty.is_empty());
    Ok(if failed_to_check || !opened.errors.is_empty() {
        ExitCode::from(2)
    } else if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The last line of a batch in which some drafts could not be checked.
fn batch_total(given: usize, unchecked: &[Unchecked], empty: &[&str]) -> String {
    let mut line = format!("checked {} of {given} drafts", given - unchecked.len() - empty.len());
    if !unchecked.is_empty() {
        let names: Vec<&str> = unchecked.iter().map(|u| u.draft.as_str()).collect();
        line.push_str(&format!("; {} could not be read: {}", unchecked.len(), names.join(", ")));
    }
    if !empty.is_empty() {
        line.push_str(&format!("; {} had no text to check: {}", empty.len(), empty.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_over_takes_ratios_and_percentages() {
        assert_eq!(parse_ratio("0.47"), Ok(0.47));
        assert_eq!(parse_ratio("47%"), Ok(0.47));
        assert_eq!(parse_ratio("47.2 %").map(shown_percent), Ok(47.2));
        assert_eq!(parse_ratio("30％"), Ok(0.3));
        assert!(parse_ratio("47").is_err());
        assert!(parse_ratio("-1%").is_err());
        assert!(parse_ratio("abc").is_err());
    }

    #[test]
    fn the_total_names_what_was_not_checked() {
        let unchecked = [Unchecked { draft: "a.docx".into(), reason: "not a .docx".into() }];
        assert_eq!(
            batch_total(4, &unchecked, &["e.txt"]),
            "checked 2 of 4 drafts; 1 could not be read: a.docx; 1 had no text to check: e.txt"
        );
    }
}
