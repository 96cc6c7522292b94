//! The `chachong` command line: parses arguments and hands them to the subcommand (src/cli/).

mod cli;

use clap::{Parser, Subcommand};
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
    Check(cli::check::Args),
    /// Build or update the stored index of a corpus, so that checks need not re-read it.
    Index(cli::index::Args),
    /// Show a report's findings: each flagged paragraph beside its source, in the terminal or as
    /// one HTML file.
    Review(cli::review::Args),
    /// Check every document of a corpus against all the others: reports, pairs.csv, clusters.csv.
    Audit(cli::audit::Args),
    /// Write a corpus's fingerprints as Parquet, for an audit's candidate search on Apache Spark.
    #[cfg(feature = "spark")]
    Export(cli::export::Args),
    /// Serve a local web page to check drafts and add to the corpus, for those who prefer a page.
    Serve(cli::serve::Args),
}

fn main() -> ExitCode {
    chachong::ingest::quiet_dependency_panics();
    let outcome = match Cli::parse().command {
        Command::Check(args) => cli::check::run(args),
        Command::Index(args) => cli::index::run(args),
        Command::Review(args) => cli::review::run(args),
        Command::Audit(args) => cli::audit::run(args),
        #[cfg(feature = "spark")]
        Command::Export(args) => cli::export::run(args),
        Command::Serve(args) => cli::serve::run(args),
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("chachong: {}", chachong::names::terminal_safe(&e.to_string()));
        ExitCode::from(2)
    })
}
