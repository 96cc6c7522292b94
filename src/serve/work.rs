//! What the server holds and does: the corpus and its index, the checks (jobs) and their files.
//! Checks and index updates run on one worker thread, in the order asked: a check never competes
//! with an index update for the two cores, and the corpus a check uses is the one the last update
//! left (an update replaces it whole; a check still running keeps the one it started with).

use super::names::{distinct_in, safe_name, NameError};
use super::{Config, ServeError};
use crate::analyze::Loading;
use crate::atomic::write_atomic;
use crate::check::{check_files, Checker, Corpus};
use crate::classify::Verdict;
use crate::corpus::{corpus_files, relative_name};
use crate::index::store::{Progress, UpdateOptions, UpdateReport};
use crate::ingest::read_document_with;
use crate::open::{self, Access};
use crate::params::{SERVE_LIST_DOCS, SERVE_MAX_DRAFTS, SERVE_MAX_JOBS};
use crate::report::{is_empty, is_finding, schema, status, write_run, DraftReport, Unchecked};
use crate::review::{self, pct, Review};
use crate::table::Lang;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

/// Why an upload or a request about a check was refused: said on the page, by its
/// [`Refusal::code`] in the page's language and with this text as the detail.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Name(#[from] NameError),
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit of {} (--max-file-mb)", mib(*limit))]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Unreadable(String),
    #[error("the corpus already holds a file named {0}")]
    Exists(String),
    #[error("no such check (it may have been cleared: start a new one)")]
    NoJob,
    #[error("this check has started: start a new one to add drafts")]
    Started,
    #[error("at most {SERVE_MAX_DRAFTS} drafts in one check")]
    TooMany,
    #[error("no draft was added to this check")]
    NoDrafts,
    #[error("the upload broke off: {0}")]
    Upload(String),
    #[error("cannot store the file: {0}")]
    Io(#[from] io::Error),
}

impl Refusal {
    /// The key the page translates.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Name(NameError::Unsupported(_)) => "unsupported",
            Refusal::Name(_) => "bad_name",
            Refusal::Empty => "empty",
            Refusal::TooLarge { .. } => "too_large",
            Refusal::Unreadable(_) => "unreadable",
            Refusal::Exists(_) => "exists",
            Refusal::NoJob => "no_job",
            Refusal::Started => "started",
            Refusal::TooMany => "too_many",
            Refusal::NoDrafts => "no_drafts",
            Refusal::Upload(_) => "upload",
            Refusal::Io(_) => "io",
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

/// The server's state and its worker's queue.
pub struct App {
    pub config: Config,
    /// `127.0.0.1:PORT`: the only `Host` answered.
    pub host: String,
    /// The random first segment of every path.
    pub token: String,
    /// The working folder (uploaded drafts, their reports).
    pub work: PathBuf,
    loading: Loading,
    state: Mutex<State>,
    tasks: Sender<Task>,
    /// Held while a file is added to the corpus folder, so two uploads of one name cannot both
    /// find the name free.
    corpus_writes: Mutex<()>,
}

enum Task {
    Update,
    Check(u64),
}

#[derive(Default)]
struct State {
    corpus: Option<Arc<Corpus>>,
    index: IndexState,
    jobs: BTreeMap<u64, Job>,
    next_job: u64,
    /// An update is queued and not yet started: files added meanwhile need no other.
    update_queued: bool,
}

#[derive(Default)]
struct IndexState {
    updating: bool,
    /// Files to fingerprint in the running update, and how many are done.
    found: u64,
    done: u64,
    /// Why the last update failed.
    failed: Option<String>,
    /// What the last update did.
    last: Option<UpdateReport>,
    /// What the library said during the last update, and what the corpus walk left out.
    notes: Vec<String>,
}

struct Job {
    dir: PathBuf,
    /// (stored file, name in the report), in the order uploaded.
    drafts: Vec<(PathBuf, String)>,
    phase: Phase,
    checked: usize,
}

enum Phase {
    Open,
    Queued,
    Checking,
    Done(Box<Finished>),
    Failed(String),
}

/// A finished check: what the page shows and what it offers for download.
pub struct Finished {
    pub reports: Vec<DraftReport>,
    pub unchecked: Vec<Unchecked>,
    /// Where the reports were written (none when no draft could be read: nothing is written then,
    /// as with `check`).
    pub report_dir: Option<PathBuf>,
    /// What the HTML report shows, for the formats rendered from it.
    pub review: Option<Review>,
    /// The draft sections of the HTML report to open, so that copied paragraphs show their source.
    open: Vec<String>,
}

/// A file a finished check offers for download. Each format is one arm of each match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    Paragraphs,
    Spans,
    Documents,
    Html,
    Xlsx,
    Pdf,
}

impl Download {
    pub const ALL: [Download; 6] = [
        Download::Paragraphs,
        Download::Spans,
        Download::Documents,
        Download::Html,
        Download::Xlsx,
        Download::Pdf,
    ];

    /// The download a request names.
    pub fn parse(name: &str) -> Option<Download> {
        Download::ALL.into_iter().find(|d| d.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Download::Paragraphs => schema::PARAGRAPHS_CSV,
            Download::Spans => schema::SPANS_CSV,
            Download::Documents => schema::DOCUMENTS_CSV,
            Download::Html => "report.html",
            Download::Xlsx => "report.xlsx",
            Download::Pdf => "report.pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Download::Paragraphs | Download::Spans | Download::Documents => "text/csv; charset=utf-8",
            Download::Html => "text/html; charset=utf-8",
            Download::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Download::Pdf => "application/pdf",
        }
    }

    /// The file's bytes: the CSVs as `check` writes them and the HTML report as `check --html`
    /// does, read from the check's report folder. A format written on demand renders it here
    /// from the check's reports or its review, into that folder.
    pub fn bytes(self, f: &Finished) -> io::Result<Vec<u8>> {
        let dir = f.report_dir.as_deref().ok_or_else(|| io::Error::other("no report was written"))?;
        match self {
            Download::Paragraphs | Download::Spans | Download::Documents | Download::Html => {
                std::fs::read(dir.join(self.name()))
            }
            // For people who read it: Chinese headers and verdicts (the CSVs stay as scripts read them).
            Download::Xlsx => {
                crate::xlsx::to_bytes(&crate::report::tables(&f.reports, &f.unchecked), Lang::Zh)
                    .map_err(io::Error::other)
            }
            Download::Pdf => {
                let review = f.review.as_ref().ok_or_else(|| io::Error::other("no report was written"))?;
                crate::pdf::print(review).map_err(io::Error::other)
            }
        }
    }
}

impl App {
    /// The state, the working folder and the worker, which opens the corpus first.
    pub fn start(config: Config, loading: Loading, addr: SocketAddr) -> Result<Arc<App>, ServeError> {
        let mut key = [0u8; 16];
        getrandom::fill(&mut key).map_err(ServeError::Random)?;
        let token: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let work =
            tempfile::Builder::new().prefix("chachong-serve-").tempdir().map_err(ServeError::WorkDir)?.keep();
        let (tasks, queue) = channel();
        let app = Arc::new(App {
            config,
            host: addr.to_string(),
            token,
            work,
            loading,
            state: Mutex::new(State::default()),
            tasks,
            corpus_writes: Mutex::new(()),
        });
        app.queue_update();
        let worker = app.clone();
        std::thread::spawn(move || worker.work(queue));
        Ok(app)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves plain data behind: go on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn work(&self, queue: Receiver<Task>) {
        for task in queue {
            match task {
                Task::Update => self.update_index(),
                Task::Check(id) => self.check(id),
            }
        }
    }

    fn queue_update(&self) {
        let mut s = self.state();
        if !s.update_queued {
            s.update_queued = true;
            // The worker lives as long as the process: the queue is never closed.
            let _ = self.tasks.send(Task::Update);
        }
    }

    pub fn remove_work_dir(&self) {
        let _ = std::fs::remove_dir_all(&self.work);
    }

    /// Opens the corpus through its index, brought up to date as `check` does it.
    fn update_index(&self) {
        {
            let mut s = self.state();
            s.update_queued = false;
            s.index = IndexState { updating: true, ..IndexState::default() };
        }
        let progress = Progress {
            files_found: &|n| self.state().index.found = n,
            tick: &|n| self.state().index.done += n,
            say: &|m| self.state().index.notes.push(m.to_string()),
        };
        let access = Access::Index { dir: self.config.index.clone(), opts: UpdateOptions::default() };
        let opened = open::open(&[&self.config.corpus], access, &self.loading, &progress);
        let mut s = self.state();
        s.index.updating = false;
        match opened {
            Ok(opened) => {
                let notes = opened.corpus.notes.iter().map(|n| n.to_string());
                let skipped = opened.errors.iter().map(|e| format!("skipped corpus file {e}"));
                let notes: Vec<String> = notes.chain(skipped).collect();
                s.index.notes.extend(notes);
                s.index.last = opened.update;
                s.corpus = Some(Arc::new(opened.corpus));
            }
            Err(e) => s.index.failed = Some(e.to_string()),
        }
    }

    /// The corpus: its documents on disk (name, size, whether the index holds them) and the index's
    /// state.
    pub fn corpus_view(&self) -> Value {
        let (corpus, index) = {
            let s = self.state();
            let i = &s.index;
            let last = i.last.as_ref().map(|r| {
                json!({"added": r.added, "changed": r.changed, "removed": r.removed, "unchanged": r.unchanged})
            });
            let index = json!({
                "updating": i.updating || s.update_queued,
                "found": i.found,
                "done": i.done,
                "failed": i.failed,
                "last": last,
                "notes": i.notes,
                "documents": s.corpus.as_ref().map(|c| c.len()),
            });
            (s.corpus.clone(), index)
        };
        let root = &self.config.corpus;
        let mut documents = Vec::new();
        let (mut count, mut bytes) = (0usize, 0u64);
        if let Ok(walk) = corpus_files(root) {
            for path in &walk.files {
                let name = relative_name(root, path);
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                count += 1;
                bytes += size;
                if documents.len() < SERVE_LIST_DOCS {
                    let indexed = corpus.as_ref().is_some_and(|c| c.find(&name).is_some());
                    documents.push(json!({"name": name, "bytes": size, "indexed": indexed}));
                }
            }
        }
        json!({
            "folder": crate::manifest::absolute(root).display().to_string(),
            "count": count,
            "bytes": bytes,
            "documents": documents,
            "index": index,
        })
    }

    /// What the page needs to know once: the limits.
    pub fn status_view(&self) -> Value {
        json!({
            "version": env!("CARGO_PKG_VERSION"),
            "max_upload_bytes": self.config.max_upload_bytes,
            "max_drafts": SERVE_MAX_DRAFTS,
        })
    }

    /// Adds an uploaded file to the corpus folder, if it is a readable document under a safe name
    /// that is not taken, and queues the index update.
    pub fn add_to_corpus(&self, name: &str, bytes: &[u8]) -> Result<String, Refusal> {
        let name = safe_name(name)?;
        if bytes.is_empty() {
            return Err(Refusal::Empty);
        }
        // Read as a draft would be, from a file of the same name in the working folder.
        let spool = tempfile::Builder::new().prefix("upload-").tempdir_in(&self.work)?;
        let spooled = spool.path().join(name);
        std::fs::write(&spooled, bytes)?;
        let limits = self.loading.get().limits;
        let doc =
            read_document_with(&spooled, &limits).map_err(|e| Refusal::Unreadable(e.reason.to_string()))?;
        if doc.paragraphs.is_empty() {
            return Err(Refusal::Unreadable("no text in it".into()));
        }
        {
            let _writing = self.corpus_writes.lock().unwrap_or_else(|e| e.into_inner());
            let target = self.config.corpus.join(name);
            // A name already there (a file, a folder, a link) is left alone.
            if std::fs::symlink_metadata(&target).is_ok() {
                return Err(Refusal::Exists(name.to_string()));
            }
            write_atomic(&target, |w| w.write_all(bytes))?;
        }
        self.queue_update();
        Ok(name.to_string())
    }

    /// A new check, open for drafts. The oldest checks beyond [`SERVE_MAX_JOBS`] that are not queued
    /// or running go, with their files.
    pub fn new_job(&self) -> Result<u64, Refusal> {
        let mut s = self.state();
        let idle: Vec<u64> = s
            .jobs
            .iter()
            .filter(|(_, j)| !matches!(j.phase, Phase::Queued | Phase::Checking))
            .map(|(&k, _)| k)
            .collect();
        let excess = (s.jobs.len() + 1).saturating_sub(SERVE_MAX_JOBS);
        for id in idle.into_iter().take(excess) {
            if let Some(job) = s.jobs.remove(&id) {
                let _ = std::fs::remove_dir_all(&job.dir);
            }
        }
        s.next_job += 1;
        let id = s.next_job;
        let dir = self.work.join(format!("job-{id}"));
        std::fs::create_dir_all(dir.join("drafts"))?;
        s.jobs.insert(id, Job { dir, drafts: Vec::new(), phase: Phase::Open, checked: 0 });
        Ok(id)
    }

    /// Stores an uploaded draft in check `id`, under its own name made distinct from the others'.
    pub fn add_draft(&self, id: u64, name: &str, bytes: &[u8]) -> Result<String, Refusal> {
        let name = safe_name(name)?;
        if bytes.is_empty() {
            return Err(Refusal::Empty);
        }
        let mut s = self.state();
        let job = s.jobs.get_mut(&id).ok_or(Refusal::NoJob)?;
        if !matches!(job.phase, Phase::Open) {
            return Err(Refusal::Started);
        }
        if job.drafts.len() >= SERVE_MAX_DRAFTS {
            return Err(Refusal::TooMany);
        }
        let taken = |n: &str| job.drafts.iter().any(|(_, d)| d == n);
        let path = distinct_in(&job.dir.join("drafts"), name, &taken);
        let stored = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        std::fs::write(&path, bytes)?;
        job.drafts.push((path, stored.clone()));
        Ok(stored)
    }

    /// Queues check `id`.
    pub fn start_job(&self, id: u64) -> Result<(), Refusal> {
        let mut s = self.state();
        let job = s.jobs.get_mut(&id).ok_or(Refusal::NoJob)?;
        if !matches!(job.phase, Phase::Open) {
            return Err(Refusal::Started);
        }
        if job.drafts.is_empty() {
            return Err(Refusal::NoDrafts);
        }
        job.phase = Phase::Queued;
        let _ = self.tasks.send(Task::Check(id));
        Ok(())
    }

    /// Runs check `id` as `chachong check` would, writing its reports into the check's folder.
    fn check(&self, id: u64) {
        let (drafts, dir, corpus, index_failed) = {
            let mut s = self.state();
            let corpus = s.corpus.clone();
            let failed = s.index.failed.clone();
            let Some(job) = s.jobs.get_mut(&id) else { return };
            job.phase = Phase::Checking;
            (job.drafts.clone(), job.dir.clone(), corpus, failed)
        };
        let Some(corpus) = corpus else {
            let why = index_failed.unwrap_or_else(|| "the corpus could not be opened".into());
            return self.set_phase(id, Phase::Failed(why));
        };
        let checker =
            Checker { analyzer: self.loading.get(), corpus: &corpus, settings: self.config.settings };
        let tick = |n: u64| {
            if let Some(job) = self.state().jobs.get_mut(&id) {
                job.checked += n as usize;
            }
        };
        let results = check_files(&checker, &drafts, &crate::findings::Options::default(), &tick);
        let mut reports = Vec::new();
        let mut unchecked = Vec::new();
        for (result, (_, name)) in results.into_iter().zip(&drafts) {
            match result {
                Ok(r) => reports.push(r),
                Err(e) => unchecked.push(Unchecked { draft: name.clone(), reason: e.reason.to_string() }),
            }
        }
        // Drafts checked together are compared with each other too, as `check` compares them.
        if reports.len() > 1 {
            let read: Vec<(PathBuf, String)> =
                drafts.iter().filter(|(_, n)| reports.iter().any(|r| &r.draft == n)).cloned().collect();
            let twins = crate::findings::batch::twins_of_files(checker.analyzer, &checker.settings, &read);
            crate::findings::batch::annotate(&mut reports, twins);
        }
        let open = open_ids(&reports);
        let mut finished = Finished { reports, unchecked, report_dir: None, review: None, open };
        if !finished.reports.is_empty() {
            let out = dir.join("reports");
            let review = review::from_check(&finished.reports, &drafts, &corpus);
            let manifest = review::run_manifest(&finished.reports, &drafts, &corpus);
            let written = write_run(&out, &finished.reports, &finished.unchecked, true, Lang::En, manifest)
                .map_err(|e| e.source)
                .and_then(|()| review::html::write(&out.join(Download::Html.name()), &review));
            if let Err(e) = written {
                return self.set_phase(id, Phase::Failed(format!("cannot write the reports: {e}")));
            }
            finished.report_dir = Some(out);
            finished.review = Some(review);
        }
        self.set_phase(id, Phase::Done(Box::new(finished)));
    }

    fn set_phase(&self, id: u64, phase: Phase) {
        if let Some(job) = self.state().jobs.get_mut(&id) {
            job.phase = phase;
        }
    }

    /// Check `id` as the page shows it: its phase, progress, and when done each draft's figures.
    pub fn job_view(&self, id: u64) -> Result<Value, Refusal> {
        let s = self.state();
        let job = s.jobs.get(&id).ok_or(Refusal::NoJob)?;
        let names: Vec<&str> = job.drafts.iter().map(|(_, n)| n.as_str()).collect();
        let mut view = json!({"job": id, "drafts": names, "total": job.drafts.len(), "checked": job.checked});
        let (phase, more) = match &job.phase {
            Phase::Open => ("open", json!({})),
            Phase::Queued => ("queued", json!({"index_updating": s.index.updating || s.update_queued})),
            Phase::Checking => ("checking", json!({})),
            Phase::Failed(why) => ("failed", json!({"error": why})),
            Phase::Done(f) => ("done", finished_view(id, f)),
        };
        view["phase"] = json!(phase);
        if let (Value::Object(v), Value::Object(more)) = (&mut view, more) {
            v.extend(more);
        }
        Ok(view)
    }

    /// The bytes of a finished check's download.
    pub fn download(&self, id: u64, what: Download) -> Result<Vec<u8>, Refusal> {
        let s = self.state();
        match s.jobs.get(&id).map(|j| &j.phase) {
            Some(Phase::Done(f)) => Ok(what.bytes(f)?),
            _ => Err(Refusal::NoJob),
        }
    }
}

/// `dN-pM` of the copied and partly copied paragraphs, as the HTML report names them.
fn open_ids(reports: &[DraftReport]) -> Vec<String> {
    let mut ids = Vec::new();
    for (d, r) in reports.iter().enumerate() {
        for p in r.paragraphs.iter().filter(|p| matches!(p.verdict, Verdict::Copy | Verdict::Partial)) {
            ids.push(format!("d{}-p{}", d + 1, p.para));
        }
    }
    ids
}

fn finished_view(id: u64, f: &Finished) -> Value {
    let mut rows: Vec<Value> = f.reports.iter().map(report_view).collect();
    rows.extend(
        f.unchecked.iter().map(|u| json!({"name": u.draft, "status": "unreadable", "reason": u.reason})),
    );
    let written = f.report_dir.is_some();
    let downloads: Vec<&str> =
        if written { Download::ALL.iter().map(|d| d.name()).collect() } else { Vec::new() };
    let report = written.then(|| format!("jobs/{id}/report.html?open={}", f.open.join(",")));
    json!({"results": rows, "downloads": downloads, "report": report})
}

fn report_view(r: &DraftReport) -> Value {
    let s = &r.summary;
    let count = |v: Verdict| r.paragraphs.iter().filter(|p| p.verdict == v).count();
    let sources: Vec<Value> =
        r.sources.iter().take(5).map(|x| json!({"name": x.source, "share": pct(x.ratio)})).collect();
    // Template-site marks; the findings on the batch are listed apart.
    let flags: Vec<Value> = r
        .paragraphs
        .iter()
        .filter_map(|p| {
            let marks: Vec<String> =
                p.flags.iter().filter(|f| !is_finding(f)).map(|f| f.to_string()).collect();
            (!marks.is_empty()).then(|| json!({"para": p.para, "flags": marks}))
        })
        .collect();
    let twins: Vec<Value> = r
        .findings
        .twins
        .iter()
        .map(|t| json!({"para": t.para, "partner": t.partner, "partner_para": t.partner_para, "share": pct(t.share)}))
        .collect();
    json!({
        "name": r.draft,
        "status": status(r),
        "empty": is_empty(r),
        "copied": pct(s.copied_ratio),
        "boilerplate": pct(s.boilerplate_ratio),
        "paragraphs": s.paragraphs,
        "counts": {
            "copy": count(Verdict::Copy),
            "partial": count(Verdict::Partial),
            "boilerplate": count(Verdict::Boilerplate),
            "original": count(Verdict::Original),
        },
        "sources": sources,
        "flags": flags,
        "twins": twins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_download_parses_back_from_its_name() {
        for d in Download::ALL {
            assert_eq!(Download::parse(d.name()), Some(d));
        }
        assert_eq!(Download::parse("../paragraphs.csv"), None);
        assert_eq!(Download::parse("chachong-run.txt"), None);
    }
}
