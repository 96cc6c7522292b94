//! `chachong index`: builds, updates, compacts or verifies the stored index of a corpus.

use super::{say_notes, say_skipped, say_update, with_progress, Error, Outcome, ReadArgs};
use chachong::analyze::{Analyzer, Loading};
use chachong::check::Corpus;
use chachong::index::store::{self, UpdateOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus folder, searched recursively for documents.
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
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: Args) -> Outcome {
    let dir = args.index.unwrap_or_else(|| store::default_dir(&args.corpus));
    if args.verify {
        let files = store::verify(&dir).map_err(Error::Index)?;
        showln!("index {}: {files} files, every checksum matches", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let max_file_bytes = args.read.limit.max_file_bytes()?;
    let fold_traditional = args.read.fold_traditional;
    let marks = args.read.mark_table()?;
    let loading = Loading::start_with(move || {
        let mut analyzer = Analyzer::new();
        analyzer.limits.max_file_bytes = max_file_bytes;
        analyzer.fold_traditional = fold_traditional;
        analyzer.marks = marks;
        analyzer
    });
    let opts = UpdateOptions { rebuild: args.rebuild, compact: args.compact };
    let message = format!("indexing {}", args.corpus.display());
    let (corpus, report) = with_progress(message, |progress| {
        Corpus::open_indexed(&args.corpus, &dir, &|| loading.get(), opts, progress)
    })
    .map_err(Error::Index)?;
    say_notes(&corpus.notes);
    say_skipped(&report.errors);
    say_update(&dir, corpus.len(), &report);
    Ok(if report.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
