//! The candidate pairs `spark/candidates.py` wrote, read back for `chachong audit --candidates`:
//! for each paragraph of each audited document, the corpus paragraphs to align it with.

use super::{FORMAT, FORMAT_VERSION};
use crate::check::Corpus;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why candidates could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CandidatesError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: not a Parquet file of candidates: {source}", path.display())]
    Parquet { path: PathBuf, source: parquet::errors::ParquetError },
    #[error("{}: missing column {column}", path.display())]
    MissingColumn { path: PathBuf, column: &'static str },
    #[error("{}: {what}", path.display())]
    Mismatch { path: PathBuf, what: String },
}

/// Candidates by (document, paragraph), each list sorted as in-process retrieval returns it.
pub type Candidates = HashMap<(u32, u32), Vec<u32>>;

/// The Parquet files of a table folder (Spark's `part-*.parquet`; `_SUCCESS` and hidden files
/// are not data), sorted.
fn parts(dir: &Path) -> Result<Vec<PathBuf>, CandidatesError> {
    let io = |source| CandidatesError::Io { path: dir.to_path_buf(), source };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.ends_with(".parquet") && !name.starts_with(['.', '_']) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Calls `row` with each row of every file of table folder `dir`, its columns `names` looked up by
/// name (a file without one of them is refused, naming it).
fn each_row(
    dir: &Path,
    names: &[&'static str],
    mut row: impl FnMut(&parquet::record::Row, &[usize]) -> Result<(), parquet::errors::ParquetError>,
) -> Result<(), CandidatesError> {
    for path in parts(dir)? {
        let pq = |source| CandidatesError::Parquet { path: path.clone(), source };
        let file = std::fs::File::open(&path)
            .map_err(|source| CandidatesError::Io { path: path.clone(), source })?;
        let reader = SerializedFileReader::new(file).map_err(pq)?;
        let schema = reader.metadata().file_metadata().schema_descr();
        let fields = schema.root_schema().get_fields();
        let mut at = Vec::with_capacity(names.len());
        for &column in names {
            let i = fields.iter().position(|f| f.name() == column);
            at.push(i.ok_or_else(|| CandidatesError::MissingColumn { path: path.clone(), column })?);
        }
        for r in reader.get_row_iter(None).map_err(pq)? {
            row(&r.map_err(pq)?, &at).map_err(pq)?;
        }
    }
    Ok(())
}

/// Reads the candidates in `dir` (`candidates/` and `meta/` as the Spark job writes them),
/// refusing those of another export format, another corpus (other documents or paragraphs) or
/// another `min_run`.
pub fn read(dir: &Path, corpus: &Corpus, min_run: usize) -> Result<Candidates, CandidatesError> {
    let meta_dir = dir.join("meta");
    let mut meta: HashMap<String, String> = HashMap::new();
    each_row(&meta_dir, &["key", "value"], |r, at| {
        meta.insert(r.get_string(at[0])?.clone(), r.get_string(at[1])?.clone());
        Ok(())
    })?;
    let get = |k: &str| meta.get(k).map(String::as_str).unwrap_or("");
    let mismatch = |what: String| Err(CandidatesError::Mismatch { path: meta_dir.clone(), what });
    if get("format") != FORMAT {
        return mismatch(format!("not candidates of a chachong export (format {:?})", get("format")));
    }
    if get("format_version") != FORMAT_VERSION.to_string() {
        return mismatch(format!(
            "export format version {}, this chachong reads version {FORMAT_VERSION}: export the corpus again",
            get("format_version")
        ));
    }
    let expected = [
        ("documents", corpus.len().to_string()),
        ("paragraphs", corpus.index.paragraphs().to_string()),
        ("min_run", min_run.to_string()),
    ];
    for (key, want) in expected {
        if !meta.contains_key(key) {
            return mismatch(format!("no {key} in the meta table: not the output of spark/candidates.py"));
        }
        if get(key) != want {
            return mismatch(format!("made for {key} {}, this audit has {want}", get(key)));
        }
    }
    let paragraphs = corpus.index.paragraphs() as i64;
    let mut out = Candidates::new();
    let cand_dir = dir.join("candidates");
    each_row(&cand_dir, &["doc", "para", "candidate"], |r, at| {
        let (doc, para, cand) = (r.get_int(at[0])?, r.get_int(at[1])?, r.get_long(at[2])?);
        let fits = doc >= 0 && (doc as usize) < corpus.len() && (0..paragraphs).contains(&cand);
        if !fits || para < 0 || para as u32 >= corpus.index.doc_paragraphs(doc as u32).len() as u32 {
            return Err(parquet::errors::ParquetError::General(format!(
                "candidate row ({doc}, {para}, {cand}) outside the corpus"
            )));
        }
        out.entry((doc as u32, para as u32)).or_default().push(cand as u32);
        Ok(())
    })?;
    for list in out.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    Ok(out)
}
