//! `chachong review`: a report's findings beside their sources, in the terminal or as HTML.

use super::{Error, Outcome};
use chachong::review::{self, terminal};
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(args: Args) -> Outcome {
    if !(0.0..=1.0).contains(&args.min_score) {
        return Err(Error::Flag("--min-score takes a score between 0 and 1, e.g. 0.5"));
    }
    let selection = terminal::Selection::parse_verdicts(&args.verdict, args.min_score)?;
    let opts = review::Options { corpus: args.corpus.clone(), draft: args.draft.clone() };
    let review = review::load(&args.report_dir, &opts)?;
    for p in &review.problems {
        say!("{p}");
    }
    match &args.html {
        Some(path) => {
            super::write_html(path, &review)?;
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
            if color {
                // The colours are escape codes of ours; every text in them went through `clean`.
                print!("{}", terminal::render(&review, &selection, terminal::Style::Color));
            } else {
                show!("{}", terminal::render(&review, &selection, terminal::Style::Plain));
            }
        }
    }
    Ok(if review.unreadable > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
