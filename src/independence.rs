//! Document frequency counted over independent documents.
//!
//! An office's corpus holds versions of one document: the draft and the final text, the report
//! and its newspaper reprint, the same file saved in three folders. Each version holds every
//! phrase of the text, so counted document by document a copy of any of them looks like a formula
//! that five writers of the genre produced on their own. What says a phrase is 套话 is how many
//! *independent* documents hold it: versions of one document count once.
//!
//! Two documents are versions of each other when their wordings resemble: the Jaccard share of
//! their distinct shingles, estimated from bottom-k MinHash sketches stored in the index
//! ([`crate::index::versions`]), is at least [`VERSION_MIN_JACCARD`]. Two reports of one
//! province in consecutive years recycle passages but share a small part of their wording; a
//! formula paragraph repeated in fifty reports is a few shingles among each report's thousands.
//!
//! Only the documents a paragraph was aligned with are compared: they are the ones whose versions
//! can inflate the frequency of the text it shares with them, and the comparison stays a few
//! dozen merges of short sorted lists per paragraph.

use crate::classify::Match;
use crate::index::versions::families;
use crate::index::Index;
use crate::params::{POSTINGS_CAP, WINNOW_WINDOW};
use crate::shingle::Shingle;
use std::collections::HashMap;

/// `dfs` (the document frequency of each of a paragraph's `shingles`, document `exclude` left
/// out) with versions of one document counted once. The versions holding a shingle are found two
/// ways, and the larger count is taken (each misses some, neither counts too many):
/// - from its postings, when the index lists every paragraph holding it as a fingerprint (at most
///   [`POSTINGS_CAP`]); a shingle that is no fingerprint takes the count of a neighbour within
///   the winnowing window that is, held by as many documents;
/// - from the documents the paragraph was aligned with, where the shingle lies inside exact
///   matches with several versions.
pub fn independent_dfs(
    index: &Index,
    shingles: &[Shingle],
    dfs: &[u32],
    matches: &[Match],
    exclude: Option<u32>,
) -> Vec<u32> {
    if !dfs.iter().any(|&df| df >= 2) {
        return dfs.to_vec();
    }
    let posted = posted_versions(index, shingles, dfs, exclude);
    let aligned = aligned_versions(index, shingles, dfs, matches);
    // Documents per independent document in the whole corpus: what a holder whose versions are
    // unknown is worth (ten saved copies of a corpus: each holder is a tenth of a writer).
    let writers_per_doc = index.independent_docs as f64 / index.docs.max(1) as f64;
    dfs.iter()
        .zip(posted.iter().zip(&aligned))
        .map(|(&df, (&p, &a))| {
            // Aligned holders counted by family, the others at the corpus's rate of versions.
            let estimated = || {
                let rest = (df.saturating_sub(a.holders) as f64 * writers_per_doc).round() as u32;
                (a.holders - a.versions + rest).max(1)
            };
            match p {
                _ if df == 0 => 0,
                Posted::Own { listed, versions } if listed >= df => {
                    df.saturating_sub(versions.max(a.versions)).max(1)
                }
                // Winnowing made it a fingerprint in some of its paragraphs only: the documents of
                // the others are not listed.
                Posted::Own { listed, versions } => {
                    let unlisted = (df.saturating_sub(listed) as f64 * writers_per_doc).round() as u32;
                    (listed - versions + unlisted).max(1).min(estimated())
                }
                // A neighbour's holders are another set of documents: its versions say as much of
                // this shingle's as the corpus's rate does, and neither counts too few writers.
                Posted::Near(v) => df.saturating_sub(v.max(a.versions)).max(1).min(estimated()),
                Posted::Unknown => estimated(),
            }
        })
        .collect()
}

/// What the postings say of the versions holding a shingle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Posted {
    /// Counted among its own postings: the documents they list, and how many of those are
    /// versions of another.
    Own { listed: u32, versions: u32 },
    /// Taken from a fingerprint within the winnowing window held by as many documents.
    Near(u32),
    /// Neither: a shingle held too widely to list, or no fingerprint beside it.
    Unknown,
}

/// Aligned documents whose exact matches hold a shingle, and how many of them are versions of
/// another one of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Aligned {
    holders: u32,
    versions: u32,
}

/// Versions among the documents listed in each shingle's postings (see [`independent_dfs`]).
fn posted_versions(index: &Index, shingles: &[Shingle], dfs: &[u32], exclude: Option<u32>) -> Vec<Posted> {
    let mut by_docs: HashMap<Vec<u32>, u32> = HashMap::new();
    let counted: Vec<Option<(u32, u32)>> = shingles
        .iter()
        .zip(dfs)
        .map(|(s, &df)| {
            if df < 2 || df as usize > POSTINGS_CAP {
                return None;
            }
            let (paras, total) = index.postings_except(s.hash, exclude);
            if total == 0 || total > paras.len() {
                return None;
            }
            let mut docs: Vec<u32> = paras.iter().map(|&p| index.locate(p).doc).collect();
            docs.dedup();
            let listed = docs.len() as u32;
            let versions = *by_docs.entry(docs).or_insert_with_key(|docs| {
                let sketches: Vec<&[u64]> = docs.iter().map(|&d| index.sketch(d)).collect();
                let family = families(&sketches);
                family.iter().enumerate().filter(|&(i, &f)| f != i).count() as u32
            });
            Some((listed, versions))
        })
        .collect();
    (0..shingles.len())
        .map(|i| {
            if let Some((listed, versions)) = counted[i] {
                return Posted::Own { listed, versions };
            }
            let near = i.saturating_sub(WINNOW_WINDOW)..(i + WINNOW_WINDOW + 1).min(shingles.len());
            near.filter(|&j| dfs[j] == dfs[i])
                .filter_map(|j| counted[j].map(|(_, v)| (i.abs_diff(j), v)))
                .min()
                .map_or(Posted::Unknown, |(_, v)| Posted::Near(v))
        })
        .collect()
}

/// Versions among the aligned documents whose exact matches hold each shingle (see
/// [`independent_dfs`]).
fn aligned_versions(index: &Index, shingles: &[Shingle], dfs: &[u32], matches: &[Match]) -> Vec<Aligned> {
    let mut docs: Vec<u32> = matches.iter().map(|m| m.source.doc).collect();
    docs.sort_unstable();
    docs.dedup();
    let sketches: Vec<&[u64]> = docs.iter().map(|&d| index.sketch(d)).collect();
    count_versions(shingles, dfs, matches, &docs, &families(&sketches))
}

/// [`aligned_versions`] once the families of the aligned `docs` are known.
fn count_versions(
    shingles: &[Shingle],
    dfs: &[u32],
    matches: &[Match],
    docs: &[u32],
    family: &[usize],
) -> Vec<Aligned> {
    let family_of: HashMap<u32, usize> = docs.iter().zip(family).map(|(&d, &f)| (d, f)).collect();
    let mut holders: Vec<(usize, u32)> = Vec::new();
    shingles
        .iter()
        .zip(dfs)
        .map(|(s, &df)| {
            if df < 2 {
                return Aligned::default();
            }
            let (start, end) = (s.start as usize, s.end as usize);
            holders.clear();
            for m in matches {
                if m.run.pieces.iter().any(|p| p.start <= start && end <= p.end) {
                    holders.push((family_of[&m.source.doc], m.source.doc));
                }
            }
            holders.sort_unstable();
            holders.dedup();
            // Every document of a family beyond its first is a version, not another writer.
            Aligned {
                holders: holders.len() as u32,
                versions: holders.windows(2).filter(|w| w[0].0 == w[1].0).count() as u32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Run;
    use crate::index::ParaRef;

    #[test]
    fn versions_of_one_document_hold_a_shingle_once() {
        let run = |doc, d0: usize, d1: usize| Match {
            source: ParaRef { doc, para: 0 },
            run: Run {
                draft: d0..d1,
                source: 0..d1 - d0,
                matched: d1 - d0,
                longest: d1 - d0,
                pieces: std::iter::once(d0..d1).collect(),
            },
            figures: 0,
        };
        // Documents 4, 7, 9 are versions of one text; 12 is another writer's.
        let matches = [run(4, 0, 30), run(7, 0, 30), run(9, 0, 20), run(12, 10, 25)];
        let sh = |start, end| Shingle { hash: 0, start, end };
        let shingles = [sh(0, 6), sh(12, 18), sh(22, 28), sh(40, 46)];
        let got = count_versions(&shingles, &[3, 9, 6, 4], &matches, &[4, 7, 9, 12], &[0, 0, 0, 3]);
        // 0..6: in 4, 7, 9 (two versions); 12..18: 4, 7, 9 and 12; 22..28: 4 and 7; 40..46: no match.
        let versions: Vec<u32> = got.iter().map(|a| a.versions).collect();
        let holders: Vec<u32> = got.iter().map(|a| a.holders).collect();
        assert_eq!(versions, vec![2, 2, 1, 0]);
        assert_eq!(holders, vec![3, 4, 2, 0]);
    }
}
