//! `chachong export`: a corpus's fingerprints as Parquet, for the Spark job of docs/scale.md.

use super::{open_corpus, progress_bar, Analysis, Error, Outcome, ReadArgs};
use chachong::export::export;
use chachong::open::Access;
use chachong::params::EXPORT_PART_PARAGRAPHS;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus folder to audit, searched recursively for documents.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// A reference corpus, as for `chachong audit --against`: its documents are sources only.
    #[arg(long, value_name = "DIR")]
    against: Option<PathBuf>,
    /// Folder of the Parquet tables (replaced whole).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Paragraphs per Parquet file, each a consecutive range of documents.
    #[arg(long, value_name = "N", default_value_t = EXPORT_PART_PARAGRAPHS)]
    part_paragraphs: usize,
    /// Also count the phrases of FILE as 套话, as for `chachong audit --taohua` (give the same).
    #[arg(long, value_name = "FILE")]
    taohua: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: Args) -> Outcome {
    if args.part_paragraphs == 0 {
        return Err(Error::Flag("--part-paragraphs must be at least 1"));
    }
    let analysis = Analysis::new(&args.read, args.taohua.as_deref())?;
    let loading = analysis.start();
    let mut roots = vec![args.corpus.as_path()];
    roots.extend(args.against.as_deref());
    let opened = open_corpus(&roots, Access::ThisRunOnly, &loading)?;
    let corpus = &opened.corpus;
    let bar = progress_bar("exporting".to_string(), "documents");
    bar.set_length(corpus.len() as u64);
    let audited = |d: u32| corpus.doc(d).doc.path.starts_with(&args.corpus);
    let summary = export(loading.get(), corpus, &audited, args.part_paragraphs, &args.out, &|n| bar.inc(n))
        .map_err(Error::Export)?;
    bar.finish_and_clear();
    showln!(
        "exported {} documents, {} paragraphs, {} postings, {} shingles in {} parts to {}",
        summary.documents,
        summary.paragraphs,
        summary.postings,
        summary.shingles,
        summary.parts,
        args.out.display()
    );
    Ok(if opened.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
