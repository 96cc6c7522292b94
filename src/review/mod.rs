//! `chachong review`: a report folder turned back into what a reviewer reads — each draft
//! paragraph with its copied and 套话 runs marked, next to the source paragraph it came from.
//!
//! The CSVs say where (char offsets); the texts come from the files themselves: the drafts and
//! corpus named in `chachong-run.txt` ([`crate::manifest`]), or, for a folder without one, the
//! draft paths as written in the report (relative to the current folder) and the corpus given
//! with `--corpus` (default `corpus`). A missing or changed file is said once, plainly, and the
//! rest is shown.
//!
//! [`load`] builds a [`Review`] from a folder; [`from_check`] from a check run in this process.
//! [`terminal`] and [`html`] render it.

pub mod html;
pub mod marked;
pub mod terminal;

use crate::check::Corpus;
use crate::classify::{SpanKind, Verdict};
use crate::index::store;
use crate::ingest::{read_document, Document, Reason};
use crate::manifest::{absolute, text_hash, Manifest, ManifestSource};
use crate::marks::MarkTable;
use crate::names;
use crate::normalize::normalize;
use crate::report::read::{self as tables, DocRec, ParaRow, SpanRec, Tables};
use crate::report::{DraftReport, SourceShare};
use marked::{Marked, RunSpec, RunTag};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Everything to show.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub drafts: Vec<DraftView>,
    /// Files that were missing or had changed, and other trouble, one line each.
    pub problems: Vec<String>,
    /// How many draft and corpus files could not be read.
    pub unreadable: usize,
    /// The report folder read, when there was one.
    pub report_dir: Option<PathBuf>,
    /// The corpus folder the sources were read from.
    pub corpus: Option<PathBuf>,
}

/// One draft.
#[derive(Debug, Clone)]
pub struct DraftView {
    /// The draft's name in the report.
    pub name: String,
    /// Its documents.csv row, if it has one.
    pub summary: Option<DocRec>,
    /// Sources with their shares, most copied first (only the top one when the text is missing).
    pub sources: Vec<SourceShare>,
    /// Whether the draft's text was found.
    pub has_text: bool,
    /// Its paragraphs in order.
    pub paragraphs: Vec<ParaView>,
}

/// One draft paragraph.
#[derive(Debug, Clone)]
pub struct ParaView {
    pub row: ParaRow,
    /// The text in pieces; `None` when the draft could not be read.
    pub text: Option<Marked>,
    /// The source paragraphs its runs come from, the report's `source`/`source_para` first.
    pub sources: Vec<SourceView>,
}

/// A source paragraph shown beside a draft paragraph.
#[derive(Debug, Clone)]
pub struct SourceView {
    /// The corpus document's report name.
    pub source: String,
    /// 1-based paragraph number, when known.
    pub para: Option<usize>,
    /// The paragraph's text with the same runs marked; `None` when the file could not be read.
    pub text: Option<Marked>,
}

impl DraftView {
    /// Paragraphs with verdict `v`.
    pub fn count(&self, v: Verdict) -> usize {
        self.paragraphs.iter().filter(|p| p.row.verdict == v).count()
    }
}

/// Where `review` finds the texts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Corpus folder; overrides the one recorded in the manifest.
    pub corpus: Option<PathBuf>,
    /// Show only this draft: its name in the report, or its file name.
    pub draft: Option<String>,
}

/// Why a report folder cannot be reviewed.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{}: cannot open the report folder: {source}", dir.display())]
    Open { dir: PathBuf, source: std::io::Error },
    #[error("{}: not a folder (give the folder `chachong check --out` wrote)", dir.display())]
    NotAFolder { dir: PathBuf },
    #[error(transparent)]
    Table(#[from] tables::TableError),
    /// The CSVs named in `files` are not what the run recorded in the manifest wrote.
    #[error(
        "{}: the reports are not of one run: {} not what the run recorded in {} wrote (a check \
         stopped while it replaced the reports, or a file copied in or edited since); run the \
         check again",
        dir.display(),
        match files.as_slice() {
            [one] => format!("{one} is"),
            many => format!("{} are", many.join(" and ")),
        },
        crate::report::schema::MANIFEST_FILE
    )]
    NotOneRun { dir: PathBuf, files: Vec<&'static str> },
    #[error("no draft {want:?} in the report (it has: {})", have.join(", "))]
    NoSuchDraft { want: String, have: Vec<String> },
}

/// Why a draft's or a source's text is not shown.
#[derive(Debug, thiserror::Error)]
enum NoText {
    #[error("{0}")]
    Unreadable(Reason),
    #[error("not among the drafts checked")]
    NotChecked,
    #[error("not in the corpus")]
    NotInCorpus,
}

/// Reads report folder `dir` and the files it refers to.
pub fn load(dir: &Path, opts: &Options) -> Result<Review, ReviewError> {
    let meta =
        std::fs::metadata(dir).map_err(|source| ReviewError::Open { dir: dir.to_path_buf(), source })?;
    if !meta.is_dir() {
        return Err(ReviewError::NotAFolder { dir: dir.to_path_buf() });
    }
    let mut tables = tables::read_tables(dir)?;
    let mut problems = Vec::new();
    let manifest = match Manifest::read(dir) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("{e}; looking for the files without it"));
            None
        }
    };
    if let Some(m) = &manifest {
        one_run(dir, &tables, m)?;
    }
    if let Some(want) = &opts.draft {
        keep_draft(&mut tables, want)?;
    }
    let corpus = opts
        .corpus
        .clone()
        .or_else(|| manifest.as_ref().and_then(|m| m.corpus.clone()))
        .unwrap_or_else(|| PathBuf::from("corpus"));
    let texts = DiskTexts { manifest: manifest.as_ref(), corpus: corpus.clone(), stored: OnceLock::new() };
    // Told to give the corpus folder only when it was not given.
    let hint = if opts.corpus.is_some() { "" } else { " (give the corpus folder with --corpus DIR)" };
    let mut review = build(tables, &texts, manifest.as_ref(), problems, hint);
    if let Some(Some(stored)) = texts.stored.get() {
        review.problems.extend(stored.take_damaged().iter().map(ToString::to_string));
    }
    review.report_dir = Some(absolute(dir));
    review.corpus = Some(absolute(&corpus));
    Ok(review)
}

/// Refuses a report folder whose CSVs are not all the ones the run of its manifest wrote: a
/// check killed while it replaced them, or a file copied in from another run, would show one
/// run's paragraphs with another's spans. A file saved again by Excel or WPS is still the run's
/// (see [`tables::digests`]); a manifest without digests (an older chachong) is taken on trust.
fn one_run(dir: &Path, tables: &Tables, manifest: &Manifest) -> Result<(), ReviewError> {
    let differ: Vec<&str> = tables::digests(tables)
        .into_iter()
        .filter(|(file, digest)| manifest.rows.iter().any(|(f, d)| f == file && d != digest))
        .map(|(file, _)| file)
        .collect();
    if differ.is_empty() {
        return Ok(());
    }
    Err(ReviewError::NotOneRun { dir: dir.to_path_buf(), files: differ })
}

/// The review of a check run in this process: `drafts` are (report name, path) as checked.
pub fn from_check(reports: &[DraftReport], drafts: &[(PathBuf, String)], corpus: &Corpus) -> Review {
    let texts = CheckTexts { drafts, corpus };
    let manifest = run_manifest(reports, drafts, corpus);
    let mut review = build(tables::from_reports(reports), &texts, Some(&manifest), Vec::new(), "");
    review.problems.extend(corpus.take_damaged().iter().map(ToString::to_string));
    review.corpus = Some(absolute(&corpus.root));
    review
}

/// The manifest a check or an audit writes beside its reports: `drafts` are (path, report name)
/// of the documents checked (an audit's are corpus documents).
pub fn run_manifest(reports: &[DraftReport], drafts: &[(PathBuf, String)], corpus: &Corpus) -> Manifest {
    let mut m = Manifest {
        version: env!("CARGO_PKG_VERSION").to_string(),
        corpus: Some(absolute(&corpus.root)),
        ..Manifest::default()
    };
    let path_of: HashMap<&str, &PathBuf> = drafts.iter().map(|(p, n)| (n.as_str(), p)).collect();
    let mut cited: HashSet<&str> = HashSet::new();
    for r in reports {
        if let Some(path) = path_of.get(r.draft.as_str()) {
            m.drafts.push(crate::manifest::ManifestDraft {
                name: r.draft.clone(),
                path: absolute(path),
                hash: r.text_hash,
            });
        }
        for s in &r.spans {
            if !cited.insert(&s.source) {
                continue;
            }
            if let Some(id) = corpus.find(&s.source) {
                let doc = &corpus.doc(id).doc;
                let outside = !doc.path.starts_with(&corpus.root);
                m.sources.push(ManifestSource {
                    name: s.source.clone(),
                    hash: text_hash(&doc.text),
                    path: outside.then(|| absolute(&doc.path)),
                });
            }
        }
    }
    m
}

/// Where the texts come from.
trait Texts {
    /// The draft the report calls `name`: (where it was looked for, the document or why not).
    fn draft(&self, name: &str) -> (String, Result<Document, NoText>);
    /// The corpus document the report calls `name`.
    fn source(&self, name: &str) -> (String, Result<Document, NoText>);
}

struct DiskTexts<'a> {
    manifest: Option<&'a Manifest>,
    corpus: PathBuf,
    /// The corpus's stored index (`CORPUS/.chachong`), opened the first time a corpus file is
    /// missing: its stored texts stand in for a corpus that has moved or gone offline.
    stored: OnceLock<Option<Corpus>>,
}

impl Texts for DiskTexts<'_> {
    fn draft(&self, name: &str) -> (String, Result<Document, NoText>) {
        let path = match self.manifest.and_then(|m| m.draft(name)) {
            Some(d) => d.path.clone(),
            None => names::path_of(name).unwrap_or_else(|| PathBuf::from(name)),
        };
        read(&path)
    }

    fn source(&self, name: &str) -> (String, Result<Document, NoText>) {
        // A reference corpus's document is recorded with its path; the corpus's own, by name.
        let recorded = self.manifest.and_then(|m| m.source(name)).and_then(|s| s.path.clone());
        let (shown, doc) = read(&recorded.unwrap_or_else(|| names::join(&self.corpus, name)));
        if doc.is_ok() {
            return (shown, doc);
        }
        let stored = self.stored.get_or_init(|| {
            let index = store::open(&store::default_dir(&self.corpus)).ok().flatten()?;
            Some(Corpus::from_index(&self.corpus, index))
        });
        match stored.as_ref().and_then(|c| c.find(name).map(|id| c.doc(id).doc.clone())) {
            Some(doc) => (format!("{shown} (the text stored in its index)"), Ok(doc)),
            None => (shown, doc),
        }
    }
}

fn read(path: &Path) -> (String, Result<Document, NoText>) {
    let shown = absolute(path).display().to_string();
    let doc = read_document(path).map_err(|e| NoText::Unreadable(e.reason));
    (shown, doc)
}

struct CheckTexts<'a> {
    drafts: &'a [(PathBuf, String)],
    corpus: &'a Corpus,
}

impl Texts for CheckTexts<'_> {
    fn draft(&self, name: &str) -> (String, Result<Document, NoText>) {
        match self.drafts.iter().find(|(_, n)| n == name) {
            Some((path, _)) => read(path),
            None => (name.to_string(), Err(NoText::NotChecked)),
        }
    }

    fn source(&self, name: &str) -> (String, Result<Document, NoText>) {
        let shown = absolute(&names::join(&self.corpus.root, name)).display().to_string();
        match self.corpus.find(name) {
            Some(id) => (shown, Ok(self.corpus.doc(id).doc.clone())),
            None => (shown, Err(NoText::NotInCorpus)),
        }
    }
}

/// A document with a char → byte index, for slicing by the reports' char offsets.
struct Text {
    doc: Document,
    bytes: Vec<usize>,
}

impl Text {
    fn new(doc: Document) -> Text {
        let mut bytes: Vec<usize> = doc.text.char_indices().map(|(b, _)| b).collect();
        bytes.push(doc.text.len());
        Text { doc, bytes }
    }

    fn chars(&self) -> usize {
        self.bytes.len() - 1
    }

    /// The text of chars `start..end`, clipped to the document.
    fn slice(&self, start: usize, end: usize) -> &str {
        let n = self.chars();
        let (a, b) = (start.min(n), end.min(n).max(start.min(n)));
        &self.doc.text[self.bytes[a]..self.bytes[b]]
    }

    /// The index of the paragraph holding char `offset`.
    fn para_at(&self, offset: usize) -> Option<usize> {
        let k = self.doc.paragraphs.partition_point(|p| p.end <= offset);
        self.doc.paragraphs.get(k).filter(|p| p.start <= offset).map(|_| k)
    }
}

/// The drafts of a report: in documents.csv order, then any that only paragraphs.csv or spans.csv
/// names.
fn draft_names(tables: &Tables) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let rows = tables.documents.iter().map(|d| &d.draft).chain(tables.paragraphs.iter().map(|p| &p.draft));
    for name in rows.chain(tables.spans.iter().map(|s| &s.draft)) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// Keeps only the rows of the draft(s) `want` names ([`draft_matches`]).
fn keep_draft(tables: &mut Tables, want: &str) -> Result<(), ReviewError> {
    let names = draft_names(tables);
    if !names.iter().any(|n| draft_matches(n, want)) {
        return Err(ReviewError::NoSuchDraft { want: want.to_string(), have: names });
    }
    tables.paragraphs.retain(|p| draft_matches(&p.draft, want));
    tables.spans.retain(|s| draft_matches(&s.draft, want));
    tables.documents.retain(|d| draft_matches(&d.draft, want));
    Ok(())
}

fn build(
    tables: Tables,
    texts: &dyn Texts,
    manifest: Option<&Manifest>,
    mut problems: Vec<String>,
    corpus_hint: &str,
) -> Review {
    let names = draft_names(&tables);
    let Tables { paragraphs, spans, documents, sources: known_sources, .. } = tables;
    let marks = MarkTable::builtin();
    let mut unreadable = 0;
    let mut cache: HashMap<String, Option<Text>> = HashMap::new();
    let mut drafts = Vec::new();
    for name in names {
        let summary = documents.iter().find(|d| d.draft == name).cloned();
        if let Some(why) = summary.as_ref().and_then(|d| d.unchecked()) {
            problems.push(format!("draft {name} was not checked: {why}"));
            continue;
        }
        let mut rows: Vec<ParaRow> = paragraphs.iter().filter(|p| p.draft == name).cloned().collect();
        rows.sort_by_key(|p| (p.para, p.start));
        let mut draft_spans: Vec<&SpanRec> = spans.iter().filter(|s| s.draft == name).collect();
        draft_spans.sort_by(|a, b| {
            (a.row.start, a.row.end, &a.row.source).cmp(&(b.row.start, b.row.end, &b.row.source))
        });

        let (shown, doc) = texts.draft(&name);
        let text = match doc {
            Ok(doc) => {
                if let Some(d) = manifest.and_then(|m| m.draft(&name)) {
                    if d.hash != text_hash(&doc.text) {
                        problems.push(format!(
                            "draft {name}: {shown} has changed since the check, so the marks may be misplaced (check it again)"
                        ));
                    }
                }
                Some(Text::new(doc))
            }
            Err(e) => {
                problems.push(format!(
                    "draft {name}: cannot read {shown}: {e}; showing its report without the text"
                ));
                unreadable += 1;
                None
            }
        };
        if let Some(t) = &text {
            if let Some(p) = rows.iter().find(|p| {
                t.doc
                    .paragraphs
                    .get(p.para.wrapping_sub(1))
                    .is_none_or(|q| (q.start, q.end) != (p.start, p.end))
            }) {
                problems.push(format!(
                    "draft {name}: paragraph {} is not at chars {}–{} of {shown} as the report says: has the file changed since the check?",
                    p.para, p.start, p.end
                ));
            }
        }

        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let mine: Vec<(usize, &SpanRec)> = draft_spans
                .iter()
                .enumerate()
                .filter(|(_, s)| s.row.para == row.para)
                .map(|(i, s)| (i, *s))
                .collect();
            for name in std::iter::once(&row.source).chain(mine.iter().map(|(_, s)| &s.row.source)) {
                if !name.is_empty() && !cache.contains_key(name) {
                    let t = load_source(name, texts, manifest, &mut problems, corpus_hint);
                    cache.insert(name.clone(), t);
                }
            }
            let (runs, source_runs) = run_specs(&mine, text.as_ref(), &cache);
            let marked =
                text.as_ref().map(|t| Marked::new(t.slice(row.start, row.end), row.start, &runs, &marks));
            let sources = source_views(&row, &source_runs, &marks, &cache);
            views.push(ParaView { row, text: marked, sources });
        }

        let sources = match known_sources.get(&name) {
            Some(s) => s.clone(),
            None => match &text {
                Some(t) => shares(t, &views, &draft_spans, summary.as_ref(), &marks),
                None => summary
                    .iter()
                    .filter(|d| !d.top_source.is_empty())
                    .map(|d| SourceShare {
                        source: d.top_source.clone(),
                        chars: d.chars.map_or(0, |c| (d.top_source_ratio * c as f64).round() as usize),
                        ratio: d.top_source_ratio,
                    })
                    .collect(),
            },
        };
        drafts.push(DraftView { name, summary, sources, has_text: text.is_some(), paragraphs: views });
    }
    unreadable += cache.values().filter(|t| t.is_none()).count();
    Review { drafts, problems, unreadable, report_dir: None, corpus: None }
}

/// Whether report name `name` is what the user asked for with `--draft want`: the name itself, or
/// its last path component(s).
fn draft_matches(name: &str, want: &str) -> bool {
    let norm = |s: &str| s.replace('\\', "/");
    let (name, want) = (norm(name), norm(want));
    name == want || name.ends_with(&format!("/{want}"))
}

/// The runs of one draft paragraph as they are marked on the draft side and on the source side,
/// each with which of its chars are the same on the other side (when both texts are at hand).
fn run_specs<'s>(
    mine: &[(usize, &'s SpanRec)],
    draft: Option<&Text>,
    cache: &HashMap<String, Option<Text>>,
) -> (Vec<RunSpec>, Vec<(&'s SpanRec, RunSpec)>) {
    let mut on_draft = Vec::with_capacity(mine.len());
    let mut on_source = Vec::with_capacity(mine.len());
    for &(id, s) in mine {
        let tag = RunTag { kind: s.row.kind, id };
        let (a, b) = match (draft, cache.get(&s.row.source).and_then(Option::as_ref)) {
            (Some(d), Some(t)) => {
                let a: Vec<char> = d.slice(s.row.start, s.row.end).chars().collect();
                let b: Vec<char> = t.slice(s.row.source_start, s.row.source_end).chars().collect();
                marked::same_chars(&a, &b).map_or((None, None), |(a, b)| (Some(a), Some(b)))
            }
            _ => (None, None),
        };
        on_draft.push(RunSpec { range: s.row.start..s.row.end, tag, same: a });
        on_source.push((s, RunSpec { range: s.row.source_start..s.row.source_end, tag, same: b }));
    }
    (on_draft, on_source)
}

/// Reads a corpus document, saying so when it is missing or has changed since the check.
fn load_source(
    name: &str,
    texts: &dyn Texts,
    manifest: Option<&Manifest>,
    problems: &mut Vec<String>,
    hint: &str,
) -> Option<Text> {
    let (shown, doc) = texts.source(name);
    match doc {
        Ok(doc) => {
            if manifest.and_then(|m| m.source_hash(name)).is_some_and(|h| h != text_hash(&doc.text)) {
                problems.push(format!(
                    "source {name}: {shown} has changed since the check, so the marks may be misplaced"
                ));
            }
            Some(Text::new(doc))
        }
        Err(e) => {
            problems
                .push(format!("source {name}: cannot read {shown}: {e}; its paragraphs are not shown{hint}"));
            None
        }
    }
}

/// The source paragraphs of one draft paragraph, each with its runs marked: the report's own
/// source paragraph first, then the others in the order their runs appear in the draft.
fn source_views(
    row: &ParaRow,
    runs: &[(&SpanRec, RunSpec)],
    marks: &MarkTable,
    cache: &HashMap<String, Option<Text>>,
) -> Vec<SourceView> {
    let mut names: Vec<&str> = Vec::new();
    if !row.source.is_empty() {
        names.push(&row.source);
    }
    for (s, _) in runs {
        if !names.contains(&s.row.source.as_str()) {
            names.push(&s.row.source);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let text = cache.get(name).and_then(Option::as_ref);
        // Paragraph index → its runs.
        let mut paras: Vec<(Option<usize>, Vec<RunSpec>)> = Vec::new();
        if name == row.source {
            if let Some(p) = row.source_para.filter(|&p| p > 0) {
                paras.push((Some(p - 1), Vec::new()));
            }
        }
        for (s, spec) in runs.iter().filter(|(s, _)| s.row.source == name) {
            let k = match text {
                Some(t) => t.para_at(s.row.source_start),
                None if name == row.source => row.source_para.and_then(|p| p.checked_sub(1)),
                None => None,
            };
            match paras.iter_mut().find(|(q, _)| *q == k) {
                Some((_, specs)) => specs.push(spec.clone()),
                None => paras.push((k, vec![spec.clone()])),
            }
        }
        for (k, specs) in paras {
            let marked = match (text, k) {
                (Some(t), Some(k)) => t
                    .doc
                    .paragraphs
                    .get(k)
                    .map(|p| Marked::new(&t.doc.text[p.byte_start..p.byte_end], p.start, &specs, marks)),
                _ => None,
            };
            out.push(SourceView { source: name.to_string(), para: k.map(|k| k + 1), text: marked });
        }
    }
    out
}

/// Each source's share of the draft's significant chars, worked out from the copy spans as check
/// counts it: a char counts once, for the paragraph's own source first.
fn shares(
    text: &Text,
    views: &[ParaView],
    spans: &[&SpanRec],
    summary: Option<&DocRec>,
    marks: &MarkTable,
) -> Vec<SourceShare> {
    let mut chars: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for v in views {
        let para_text = text.slice(v.row.start, v.row.end);
        let norm = normalize(para_text, v.row.start, &marks.scan(para_text));
        total += norm.len();
        let mut mine: Vec<&&SpanRec> =
            spans.iter().filter(|s| s.row.para == v.row.para && s.row.kind == SpanKind::Copy).collect();
        mine.sort_by_key(|s| s.row.source != v.row.source);
        let mut claimed = vec![false; norm.len()];
        for s in mine {
            for (i, &off) in norm.offsets.iter().enumerate() {
                if (s.row.start..s.row.end).contains(&(off as usize)) && !claimed[i] {
                    claimed[i] = true;
                    *chars.entry(s.row.source.as_str()).or_default() += 1;
                }
            }
        }
    }
    let total = summary.and_then(|d| d.chars).unwrap_or(total);
    let mut out: Vec<SourceShare> = chars
        .into_iter()
        .map(|(s, c)| SourceShare {
            source: s.to_string(),
            chars: c,
            ratio: if total == 0 { 0.0 } else { c as f64 / total as f64 },
        })
        .collect();
    out.sort_by(|a, b| b.chars.cmp(&a.chars).then(a.source.cmp(&b.source)));
    out
}

/// A ratio as a percentage with one decimal, as the summary prints it.
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn drafts_are_picked_by_name_or_file_name() {
        assert!(draft_matches("examples/draft.docx", "examples/draft.docx"));
        assert!(draft_matches("examples/draft.docx", "draft.docx"));
        assert!(draft_matches("C:\\稿件\\讲话.docx", "讲话.docx"));
        assert!(!draft_matches("examples/draft.docx", "t.docx"));
        assert!(!draft_matches("examples/draft.docx", "draft.txt"));
    }

    #[test]
    fn text_slices_by_chars_and_finds_paragraphs() {
        let doc =
            crate::ingest::document_from_bytes(Path::new("a.txt"), "甲乙\n\n丙丁戊\n".as_bytes()).unwrap();
        let t = Text::new(doc);
        assert_eq!(t.slice(4, 7), "丙丁戊");
        assert_eq!(t.slice(5, 99), "丁戊\n");
        assert_eq!(t.slice(9, 3), "");
        assert_eq!(t.para_at(0), Some(0));
        assert_eq!(t.para_at(5), Some(1));
        assert_eq!(t.para_at(3), None, "the empty line is no paragraph");
        assert_eq!(t.para_at(99), None);
    }
}
