//! `chachong serve`: the check as a local web page (see [`chachong::serve`]).

use super::{Analysis, Error, Outcome, ReadArgs};
use chachong::index::store;
use chachong::params::Settings;
use chachong::serve::{Config, Server};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus folder: checked against, and where documents added on the page go.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Index folder [default: CORPUS/.chachong]; created or updated as the corpus changes.
    #[arg(long)]
    index: Option<PathBuf>,
    /// Port on 127.0.0.1 [default: a free one, chosen by the system].
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
    /// Matched significant chars needed for `partial`.
    #[arg(long, default_value_t = chachong::params::DEFAULT_MIN_RUN)]
    min_run: usize,
    /// Also count the phrases of FILE (one per line) as 套话, beside the built-in lexicon.
    #[arg(long, value_name = "FILE")]
    taohua: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: Args) -> Outcome {
    let min_run = super::min_run(args.min_run)?;
    let analysis = Analysis::new(&args.read, args.taohua.as_deref())?;
    let max_upload_bytes = analysis.max_file_bytes;
    let index = args.index.unwrap_or_else(|| store::default_dir(&args.corpus));
    let config = Config {
        corpus: args.corpus,
        index,
        port: args.port,
        settings: Settings { min_run, ..Settings::default() },
        max_upload_bytes,
    };
    let server = Server::bind(config, analysis.start()).map_err(Error::Serve)?;
    let url = server.url();
    println!("{url}");
    eprintln!("chachong: serving the page at {url} (only this computer can open it; Ctrl-C stops it)");
    if args.open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("chachong: cannot open a browser ({e}): open {url} yourself");
        }
    }
    server.run().map_err(Error::Serve)?;
    Ok(ExitCode::SUCCESS)
}
