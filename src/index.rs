//! The corpus index: fingerprint → postings, per-shingle document frequency, SimHash tables.
//!
//! All three are sorted arrays of fixed-width entries, searched by binary search: compact, built by
//! one sort, and the same shape an on-disk, memory-mapped segment takes.

use crate::analyze::Analyzer;
use crate::corpus::CorpusDoc;
use crate::fingerprint::hamming;
use crate::params::{boilerplate_min_df, MAX_CANDIDATES, POSTINGS_CAP, SIMHASH_MAX_DISTANCE};
use crate::shingle::Shingle;
use rayon::prelude::*;

/// Where a paragraph of the corpus is: document number and paragraph number (0-based) in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParaRef {
    pub doc: u32,
    pub para: u32,
}

/// The fingerprints of one corpus document, as the analysis produced them.
#[derive(Debug, Default)]
pub struct DocPrints {
    /// (winnowed hash, paragraph number).
    pub postings: Vec<(u64, u32)>,
    /// Every distinct shingle hash of the document, sorted.
    pub shingles: Vec<u64>,
    /// SimHash per paragraph.
    pub simhashes: Vec<u64>,
}

/// A read-only index of a corpus.
#[derive(Debug, Default)]
pub struct Index {
    /// Number of documents indexed.
    pub docs: usize,
    /// Document frequency from which a shingle is 套话.
    pub boilerplate_df: u32,
    /// First global paragraph number of each document, plus the total at the end.
    doc_start: Vec<u32>,
    /// Postings sorted by (hash, global paragraph).
    post_keys: Vec<u64>,
    post_paras: Vec<u32>,
    /// Distinct shingle hashes, sorted, and the number of documents holding each.
    df_keys: Vec<u64>,
    df_counts: Vec<u32>,
    /// SimHash per global paragraph.
    simhashes: Vec<u64>,
    /// For each of the four 16-bit blocks: (block value, global paragraph), sorted.
    sim_tables: [Vec<(u16, u32)>; 4],
}

/// Fingerprints every paragraph of a document.
pub fn fingerprint_document(analyzer: &Analyzer, doc: &CorpusDoc) -> DocPrints {
    let mut buf = String::new();
    let mut out = DocPrints::default();
    for (i, para) in doc.doc.paragraphs.iter().enumerate() {
        let a = analyzer.analyze(&doc.doc, para, &mut buf);
        out.postings.extend(a.print.winnowed.iter().map(|&h| (h, i as u32)));
        out.shingles.extend(a.shingles.iter().map(|s| s.hash));
        out.simhashes.push(a.print.simhash);
    }
    out.shingles.sort_unstable();
    out.shingles.dedup();
    out
}

impl Index {
    /// Builds the index from the documents' fingerprints, in document order.
    pub fn build(prints: Vec<DocPrints>) -> Index {
        let mut doc_start = Vec::with_capacity(prints.len() + 1);
        let mut total = 0u32;
        for p in &prints {
            doc_start.push(total);
            total += p.simhashes.len() as u32;
        }
        doc_start.push(total);

        let mut postings: Vec<(u64, u32)> = Vec::with_capacity(prints.iter().map(|p| p.postings.len()).sum());
        let mut all_shingles: Vec<u64> = Vec::with_capacity(prints.iter().map(|p| p.shingles.len()).sum());
        let mut simhashes = Vec::with_capacity(total as usize);
        for (d, p) in prints.into_iter().enumerate() {
            let base = doc_start[d];
            postings.extend(p.postings.into_iter().map(|(h, para)| (h, base + para)));
            all_shingles.extend(p.shingles);
            simhashes.extend(p.simhashes);
        }
        postings.par_sort_unstable();
        postings.dedup();
        let (post_keys, post_paras) = postings.into_iter().unzip();

        all_shingles.par_sort_unstable();
        let mut df_keys = Vec::new();
        let mut df_counts = Vec::new();
        for run in all_shingles.chunk_by(|a, b| a == b) {
            df_keys.push(run[0]);
            df_counts.push(run.len() as u32);
        }

        let sim_tables = std::array::from_fn(|block| {
            let mut t: Vec<(u16, u32)> =
                simhashes.iter().enumerate().map(|(i, &h)| (sim_block(h, block), i as u32)).collect();
            t.par_sort_unstable();
            t
        });
        let docs = doc_start.len() - 1;
        Index {
            docs,
            boilerplate_df: boilerplate_min_df(docs),
            doc_start,
            post_keys,
            post_paras,
            df_keys,
            df_counts,
            simhashes,
            sim_tables,
        }
    }

    /// Number of corpus documents holding the shingle `hash`.
    pub fn df(&self, hash: u64) -> u32 {
        self.df_keys.binary_search(&hash).map_or(0, |i| self.df_counts[i])
    }

    /// True when the shingle is 套话 by its document frequency.
    pub fn is_boilerplate(&self, hash: u64) -> bool {
        self.df(hash) >= self.boilerplate_df
    }

    /// The paragraphs holding the winnowed fingerprint `hash`, at most [`POSTINGS_CAP`] of them,
    /// and the full count.
    pub fn postings(&self, hash: u64) -> (&[u32], usize) {
        let lo = self.post_keys.partition_point(|&k| k < hash);
        let hi = self.post_keys.partition_point(|&k| k <= hash);
        let all = &self.post_paras[lo..hi];
        (&all[..all.len().min(POSTINGS_CAP)], all.len())
    }

    /// Corpus paragraphs whose SimHash is within [`SIMHASH_MAX_DISTANCE`] of `simhash`. By the
    /// pigeonhole principle, two hashes within 3 bits agree exactly on one of four 16-bit blocks.
    pub fn near_duplicates(&self, simhash: u64) -> Vec<u32> {
        let mut out = Vec::new();
        for (block, table) in self.sim_tables.iter().enumerate() {
            let key = sim_block(simhash, block);
            let lo = table.partition_point(|&(k, _)| k < key);
            for &(k, para) in &table[lo..] {
                if k != key {
                    break;
                }
                if hamming(self.simhashes[para as usize], simhash) <= SIMHASH_MAX_DISTANCE {
                    out.push(para);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The corpus paragraphs most worth aligning with a draft paragraph: those sharing the most
    /// (rarity-weighted) fingerprints with its shingles, plus its SimHash near-duplicates.
    /// Querying every draft shingle against the winnowed corpus keeps winnowing's guarantee.
    pub fn candidates(&self, shingles: &[Shingle], simhash: u64) -> Vec<u32> {
        let mut hashes: Vec<u64> = shingles.iter().map(|s| s.hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let mut hits: Vec<(u32, f64)> = Vec::new();
        for h in hashes {
            let (paras, total) = self.postings(h);
            if total == 0 {
                continue;
            }
            // A fingerprint held by many paragraphs says little about any one of them.
            let weight = 1.0 / (1.0 + (total as f64).ln());
            hits.extend(paras.iter().map(|&p| (p, weight)));
        }
        hits.sort_unstable_by_key(|&(p, _)| p);
        let mut scored: Vec<(u32, f64)> = Vec::new();
        for (p, w) in hits {
            match scored.last_mut() {
                Some(last) if last.0 == p => last.1 += w,
                _ => scored.push((p, w)),
            }
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out: Vec<u32> = scored.iter().take(MAX_CANDIDATES).map(|&(p, _)| p).collect();
        if !shingles.is_empty() {
            out.extend(self.near_duplicates(simhash));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// SimHash of a global paragraph.
    pub fn simhash(&self, para: u32) -> u64 {
        self.simhashes[para as usize]
    }

    /// Document and paragraph of a global paragraph number.
    pub fn locate(&self, para: u32) -> ParaRef {
        let doc = self.doc_start.partition_point(|&s| s <= para) - 1;
        ParaRef { doc: doc as u32, para: para - self.doc_start[doc] }
    }

    /// Global paragraph number of a document's paragraph.
    pub fn global(&self, r: ParaRef) -> u32 {
        self.doc_start[r.doc as usize] + r.para
    }

    /// Number of paragraphs indexed.
    pub fn paragraphs(&self) -> usize {
        self.simhashes.len()
    }
}

fn sim_block(h: u64, block: usize) -> u16 {
    (h >> (16 * block)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(paras: &[(&[u64], &[u64], u64)]) -> DocPrints {
        let mut d = DocPrints::default();
        for (i, (win, sh, sim)) in paras.iter().enumerate() {
            d.postings.extend(win.iter().map(|&h| (h, i as u32)));
            d.shingles.extend_from_slice(sh);
            d.simhashes.push(*sim);
        }
        d.shingles.sort_unstable();
        d.shingles.dedup();
        d
    }

    #[test]
    fn postings_df_and_locations() {
        let a = prints(&[(&[10, 20], &[10, 20, 30], 0), (&[40], &[40, 30], u64::MAX)]);
        let b = prints(&[(&[20], &[20, 30], 0b111)]);
        let c = prints(&[(&[], &[30], 1 << 40)]);
        let idx = Index::build(vec![a, b, c]);
        assert_eq!(idx.docs, 3);
        assert_eq!(idx.paragraphs(), 4);
        assert_eq!(idx.postings(20).0, &[0, 2]);
        assert_eq!(idx.postings(99).1, 0);
        assert_eq!((idx.df(30), idx.df(20), idx.df(40), idx.df(5)), (3, 2, 1, 0));
        assert!(idx.is_boilerplate(30) && !idx.is_boilerplate(20));
        assert_eq!(idx.locate(2), ParaRef { doc: 1, para: 0 });
        assert_eq!(idx.locate(1), ParaRef { doc: 0, para: 1 });
        assert_eq!(idx.global(ParaRef { doc: 2, para: 0 }), 3);
    }

    #[test]
    fn simhash_tables_find_within_three_bits_only() {
        let sims = [0u64, 0b111, 0b1111, u64::MAX, (1 << 63) | 1];
        let docs = sims.iter().map(|&s| prints(&[(&[], &[], s)])).collect();
        let idx = Index::build(docs);
        assert_eq!(idx.near_duplicates(0), vec![0, 1, 4]);
        assert_eq!(idx.near_duplicates(u64::MAX ^ 0b11), vec![3]);
    }
}
