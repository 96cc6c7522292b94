//! `chachong serve`: the check as a local web page, for people who never open a terminal. The page
//! is served by chachong itself (hyper) on the loopback address only; everything it needs — markup,
//! styles, script — is compiled into the binary, so it works with the network unplugged and no
//! draft leaves the machine.
//!
//! On the page: drafts are uploaded (one request per file, the body being the file itself), checked
//! against the corpus by the same pipeline as `chachong check` ([`crate::check::check_files`]), and
//! shown as the HTML report ([`crate::review::html`]) with the CSVs to download; files added to the
//! corpus go into the corpus folder and the stored index is brought up to date as `check` does it
//! ([`crate::open`]).
//!
//! What a request may do is bounded, since any page the browser opens can send requests to the
//! loopback address:
//! - its `Host` must be the address and port bound, so a DNS-rebinding page (whose requests carry
//!   its own host name) gets nothing;
//! - its path must start with a random key, printed in the URL and known to no other page;
//! - an upload over the file limit of `check` (`--max-file-mb`) is refused before it is read;
//! - a file name from a request is kept only if it is one plain, safe file name ([`names`]);
//! - files are written only into the working folder (a temporary folder, removed on Ctrl-C or
//!   SIGTERM), the corpus folder and the index folder.
//!
//! Routes ([`http`]): the page at `/KEY/`, its JSON API below `/KEY/api/`, a check's HTML report
//! and downloads below `/KEY/jobs/N/`. The work itself (checks, index updates) runs on one worker
//! thread, in order ([`work`]).

mod http;
mod names;
mod work;

use crate::analyze::Loading;
use crate::params::Settings;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `chachong serve` serves.
pub struct Config {
    /// The corpus folder: checked against, and where files added from the page go.
    pub corpus: PathBuf,
    /// The stored index of the corpus.
    pub index: PathBuf,
    /// The port to listen on; 0 lets the system choose a free one.
    pub port: u16,
    pub settings: Settings,
    /// The largest upload taken, in bytes: the limit `check` reads files under.
    pub max_upload_bytes: u64,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{}: the corpus folder is not there (give it with --corpus DIR)", .0.display())]
    NoCorpus(PathBuf),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: io::Error },
    #[error("cannot make the working folder: {0}")]
    WorkDir(io::Error),
    #[error("cannot draw a random key for the address: {0}")]
    Random(getrandom::Error),
    #[error("the server stopped: {0}")]
    Runtime(io::Error),
}

/// A server bound to its port, not yet answering.
pub struct Server {
    listener: TcpListener,
    app: Arc<work::App>,
}

impl Server {
    /// Binds 127.0.0.1:`config.port`, makes the working folder and starts the worker, which opens
    /// the corpus (bringing its index up to date) while the page can already be loaded.
    pub fn bind(config: Config, loading: Loading) -> Result<Server, ServeError> {
        if !config.corpus.is_dir() {
            return Err(ServeError::NoCorpus(config.corpus));
        }
        let port = config.port;
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|source| ServeError::Bind { port, source })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Bind { port, source })?;
        let app = work::App::start(config, loading, addr)?;
        Ok(Server { listener, app })
    }

    /// The address to open, key included.
    pub fn url(&self) -> String {
        format!("http://{}/{}/", self.app.host, self.app.token)
    }

    /// The working folder: uploaded drafts and their reports.
    pub fn work_dir(&self) -> &Path {
        &self.app.work
    }

    /// Answers requests until Ctrl-C (or SIGTERM), then removes the working folder.
    pub fn run(self) -> Result<(), ServeError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(ServeError::Runtime)?;
        let app = self.app;
        let result = runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(self.listener).map_err(ServeError::Runtime)?;
            tokio::spawn(accept(listener, app.clone()));
            #[cfg(unix)]
            {
                // `kill` and a closed session's SIGTERM clear the working folder as Ctrl-C does.
                use tokio::signal::unix::{signal, SignalKind};
                let mut term = signal(SignalKind::terminate()).map_err(ServeError::Runtime)?;
                let app = app.clone();
                tokio::spawn(async move {
                    term.recv().await;
                    app.remove_work_dir();
                    std::process::exit(0);
                });
            }
            tokio::signal::ctrl_c().await.map_err(ServeError::Runtime)
        });
        app.remove_work_dir();
        result
    }
}

/// Serves each connection on its own task; a failed accept (out of file handles) is waited out.
async fn accept(listener: tokio::net::TcpListener, app: Arc<work::App>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let app = app.clone();
                async move { Ok::<_, std::convert::Infallible>(http::handle(app, req).await) }
            });
            // A connection that breaks off is the client's affair.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// How long to wait after a failed accept before the next: file handles come back as connections
/// close.
const ACCEPT_RETRY: std::time::Duration = std::time::Duration::from_millis(100);
