//! The corpus index: fingerprint → postings, per-shingle document frequency, SimHash tables.
//!
//! An index is a list of immutable segments ([`segment`]) of sorted fixed-width arrays, searched by
//! binary search, plus the documents removed since they were written ([`store`]). A check without a
//! stored index builds one segment in memory; a stored index memory-maps its segment files. Both
//! present the same numbering: documents sorted by name, paragraphs numbered through them in that
//! order, so reports do not depend on how the index happens to be segmented.

pub mod build;
pub mod merge;
pub mod segment;
pub mod store;
pub mod versions;

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::CorpusDoc;
use crate::fingerprint::hamming;
use crate::params::{
    boilerplate_min_df, MAX_CANDIDATES, MAX_NEAR_DUPLICATES, MAX_VERSION_DOCS, POSTINGS_CAP,
    SIMHASH_MAX_DISTANCE, VERSION_SKETCH,
};
use crate::shingle::Shingle;
use build::{sim_block, FileMeta, SegmentDoc, SIM_TABLES};
use segment::{Damage, FileKind, FormatError, IndexFile, Section, Stamp, FENCE_STRIDE};

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
    /// The document's [`VERSION_SKETCH`] smallest distinct shingle hashes: a bottom-k MinHash
    /// sketch of its wording.
    pub sketch: Vec<u64>,
}

/// Fingerprints every paragraph of a document.
pub fn fingerprint_document(analyzer: &Analyzer, doc: &CorpusDoc) -> DocPrints {
    let mut scratch = Scratch::default();
    let mut out = DocPrints::default();
    for (i, para) in doc.doc.paragraphs.iter().enumerate() {
        let p = analyzer.index_print(&doc.doc, para, &mut scratch);
        out.postings.extend(p.winnowed.iter().map(|&h| (h, i as u32)));
        out.shingles.extend_from_slice(p.shingles);
        out.simhashes.push(p.simhash);
    }
    out.shingles.sort_unstable();
    out.shingles.dedup();
    out.sketch = out.shingles.iter().take(VERSION_SKETCH).copied().collect();
    out
}

/// Marks a document removed in [`Part::to_logical`].
const REMOVED: u32 = u32::MAX;

/// One segment, and where its documents sit in the index's numbering.
pub struct Part {
    pub file: IndexFile,
    /// The segment's number in the index folder (0 for an in-memory segment).
    pub id: u32,
    /// Segment document → index document, or [`REMOVED`].
    to_logical: Vec<u32>,
    /// Documents of this segment removed since it was written.
    removed: usize,
    /// Whether segment paragraph `p` is index paragraph `p` (a single segment, nothing removed:
    /// the usual index), so that postings need no translation.
    identity: bool,
}

impl Part {
    fn doc_start(&self) -> &[u32] {
        self.file.u32s(Section::DocStart)
    }

    /// Number of documents in the segment, removed ones included.
    pub fn doc_count(&self) -> usize {
        self.doc_start().len().saturating_sub(1)
    }

    /// Name of the segment's document `d`: its bytes, as the file system gave them.
    pub fn name(&self, d: usize) -> Result<&[u8], FormatError> {
        let offsets = self.file.u64s(Section::NameOffsets);
        let names = self.file.raw(Section::Names);
        let (a, b) = (offsets.get(d).copied(), offsets.get(d + 1).copied());
        let bytes = match (a, b) {
            (Some(a), Some(b)) if a <= b && b as usize <= names.len() => &names[a as usize..b as usize],
            _ => return Err(self.damaged(Damage::OutOfBounds(Section::NameOffsets))),
        };
        Ok(bytes)
    }

    /// File metadata of the segment's document `d`.
    pub fn meta(&self, d: usize) -> FileMeta {
        let m = self.file.u64s(Section::DocMeta);
        match m.get(3 * d..3 * d + 3) {
            Some(&[size, mtime_ns, hash]) => FileMeta { size, mtime_ns, hash },
            _ => FileMeta::default(),
        }
    }

    /// The version sketch of the segment's document `d` (see [`DocPrints::sketch`]); empty when the
    /// section is damaged.
    pub fn sketch(&self, d: usize) -> &[u64] {
        let s = self.file.u64s(Section::DocSketch);
        let all = s.get(VERSION_SKETCH * d..VERSION_SKETCH * (d + 1)).unwrap_or(&[]);
        &all[..all.partition_point(|&h| h != u64::MAX)]
    }

    /// Whether the segment stores its documents' texts.
    pub fn has_texts(&self) -> bool {
        !self.file.u64s(Section::TextOffsets).is_empty()
    }

    /// The stored text and paragraphs of document `d`, `None` if absent or damaged.
    pub fn stored(&self, d: usize) -> Option<build::StoredText> {
        let offsets = self.file.u64s(Section::TextOffsets);
        let texts = self.file.raw(Section::Texts);
        let (a, b) = (*offsets.get(d)? as usize, *offsets.get(d + 1)? as usize);
        let starts = self.doc_start();
        let (p0, p1) = (*starts.get(d)? as usize, *starts.get(d + 1)? as usize);
        let raw = self.file.u32s(Section::Paras).get(4 * p0..4 * p1)?;
        let text_end = raw.chunks_exact(4).map(|c| c[3] as usize).max().unwrap_or(0);
        let text = build::decompress(texts.get(a..b)?, text_end)?;
        let paragraphs: Vec<crate::ingest::Paragraph> = raw
            .chunks_exact(4)
            .map(|c| crate::ingest::Paragraph {
                start: c[0] as usize,
                end: c[1] as usize,
                byte_start: c[2] as usize,
                byte_end: c[3] as usize,
            })
            .collect();
        paragraphs_fit(&text, &paragraphs).then_some(build::StoredText { text, paragraphs })
    }

    fn damaged(&self, why: Damage) -> FormatError {
        FormatError::Corrupt(self.file.path.clone(), why)
    }

    /// Checks every count and offset that lookups and compaction index with against what it
    /// points into, so that no number read from the file is used unbounded: a file damaged past
    /// its checksums (or made to look whole) is an error, never a panic or a huge allocation.
    /// Reads the small sections whole and only the lengths of the large ones.
    fn validate(&self) -> Result<(), FormatError> {
        let f = &self.file;
        let bad = |s| Err(self.damaged(Damage::OutOfBounds(s)));
        let starts = self.doc_start();
        let (docs, paras) = (self.doc_count(), starts.last().copied().unwrap_or(0) as usize);
        if starts.first().is_some_and(|&s| s != 0) || !starts.is_sorted() {
            return bad(Section::DocStart);
        }
        let para_doc = f.u32s(Section::ParaDoc);
        let belongs =
            |d: usize| para_doc[starts[d] as usize..starts[d + 1] as usize].iter().all(|&x| x as usize == d);
        if para_doc.len() != paras || !(0..docs).all(belongs) {
            return bad(Section::ParaDoc);
        }
        let sized = [
            (Section::PostParas, f.u32s(Section::PostParas).len(), f.u64s(Section::PostKeys).len()),
            (Section::DfCounts, f.u32s(Section::DfCounts).len(), f.u64s(Section::DfKeys).len()),
            (Section::Simhashes, f.u64s(Section::Simhashes).len(), paras),
            (Section::NameOffsets, f.u64s(Section::NameOffsets).len(), docs + 1),
            (Section::DocMeta, f.u64s(Section::DocMeta).len(), 3 * docs),
            (Section::DocSketch, f.u64s(Section::DocSketch).len(), VERSION_SKETCH * docs),
        ];
        if let Some(&(s, ..)) = sized.iter().find(|(_, len, want)| len != want) {
            return bad(s);
        }
        if let Some((table, _)) = SIM_TABLES.into_iter().find(|&(t, _)| f.u64s(t).len() != paras) {
            return bad(table);
        }
        let fenced = [(Section::PostKeys, Section::PostKeysFence), (Section::DfKeys, Section::DfKeysFence)];
        for (keys, fence) in fenced.into_iter().chain(SIM_TABLES) {
            if f.u64s(fence).len() != f.u64s(keys).len().div_ceil(FENCE_STRIDE) {
                return bad(fence);
            }
        }
        let within = |offsets: &[u64], bytes: usize| {
            offsets.first() == Some(&0)
                && offsets.is_sorted()
                && offsets.last().is_some_and(|&e| e as usize <= bytes)
        };
        if !within(f.u64s(Section::NameOffsets), f.raw(Section::Names).len()) {
            return bad(Section::NameOffsets);
        }
        if self.has_texts() {
            if f.u64s(Section::TextOffsets).len() != docs + 1
                || !within(f.u64s(Section::TextOffsets), f.raw(Section::Texts).len())
            {
                return bad(Section::TextOffsets);
            }
            if f.u32s(Section::Paras).len() != 4 * paras {
                return bad(Section::Paras);
            }
        }
        Ok(())
    }

    /// The index paragraph of segment paragraph `p`, `None` when its document was removed.
    fn logical(&self, p: u32, doc_start: &[u32]) -> Option<u32> {
        let d = *self.file.u32s(Section::ParaDoc).get(p as usize)? as usize;
        let logical = *self.to_logical.get(d)?;
        if logical == REMOVED {
            return None;
        }
        Some(doc_start[logical as usize] + p - self.doc_start()[d])
    }
}

/// A read-only index of a corpus.
pub struct Index {
    parts: Vec<Part>,
    /// Index document → (part, segment document).
    docs_at: Vec<(u32, u32)>,
    /// Index documents' names as the file system gave them, sorted: the numbering of documents.
    keys: Vec<Box<[u8]>>,
    /// The same names as reports show them ([`crate::names::shown`]).
    names: Vec<String>,
    /// First paragraph of each index document, plus the total at the end.
    doc_start: Vec<u32>,
    /// Shingles whose document frequency removed documents lower, sorted, and by how much.
    df_delta: (Vec<u64>, Vec<u32>),
    /// Fingerprints whose postings removed documents held, sorted, and how many.
    post_delta: (Vec<u64>, Vec<u32>),
    /// Number of documents indexed.
    pub docs: usize,
    /// The analysis its fingerprints were made with: a check must analyse its drafts so.
    pub stamp: Stamp,
    /// The version family of each document: the number of its first member
    /// ([`versions::family_ids`]).
    family: Vec<u32>,
    /// Number of independent documents among them, versions of one text counted once
    /// ([`versions::family_ids`]): how many writers could echo a draft by chance.
    pub independent_docs: usize,
    /// Document frequency from which a shingle is 套话.
    pub boilerplate_df: u32,
}

/// Documents removed from an index's segments: (segment number, segment document), sorted, and
/// the document frequencies and postings they held (so counts stay exact without a scan).
#[derive(Debug, Default, Clone)]
pub struct Removed {
    pub tombstones: Vec<(u32, u32)>,
    pub df_keys: Vec<u64>,
    pub df_counts: Vec<u32>,
    pub post_keys: Vec<u64>,
    pub post_counts: Vec<u32>,
}

impl Index {
    /// Builds an in-memory index of documents (any order; they are numbered by name) fingerprinted
    /// with the default analysis.
    pub fn build(docs: Vec<SegmentDoc>) -> Index {
        Index::build_with(docs, Stamp::default())
    }

    /// [`Index::build`] of documents fingerprinted with the analysis `stamp` says.
    pub fn build_with(mut docs: Vec<SegmentDoc>, stamp: Stamp) -> Index {
        build::sort_by_name(&mut docs);
        let words = build::segment_words(&docs, stamp);
        let file = IndexFile::from_words(words, FileKind::Segment)
            .expect("a segment just built in memory has a valid header");
        Index::from_parts(vec![(0, file)], Removed::default())
            .expect("a segment just built in memory has valid names")
    }

    /// Assembles an index from segments and the documents removed from them.
    pub fn from_parts(files: Vec<(u32, IndexFile)>, removed: Removed) -> Result<Index, FormatError> {
        let mut parts: Vec<Part> = files
            .into_iter()
            .map(|(id, file)| Part { file, id, to_logical: Vec::new(), removed: 0, identity: false })
            .collect();
        let mut live: Vec<(Vec<u8>, u32, u32)> = Vec::new();
        for (pi, part) in parts.iter_mut().enumerate() {
            part.validate()?;
            let n = part.doc_count();
            part.to_logical = vec![0; n];
            for d in 0..n {
                if removed.tombstones.binary_search(&(part.id, d as u32)).is_ok() {
                    part.to_logical[d] = REMOVED;
                    part.removed += 1;
                } else {
                    live.push((part.name(d)?.to_vec(), pi as u32, d as u32));
                }
            }
        }
        // Fingerprints of two analyses are not comparable: one index holds one.
        let stamp = parts.first().map_or(Stamp::default(), |p| p.file.stamp);
        if let Some(other) = parts.iter().find(|p| p.file.stamp != stamp) {
            return Err(FormatError::Incompatible(
                other.file.path.clone(),
                format!("built with {}, another segment of the index with {stamp}", other.file.stamp),
            ));
        }
        live.sort();
        // A name is one document: two live documents of one name (a damaged name table, summed
        // again) would report one's copies as the other's.
        if let Some(w) = live.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(parts[w[1].1 as usize].damaged(Damage::DuplicateName));
        }
        let mut doc_start = Vec::with_capacity(live.len() + 1);
        let mut total = 0u32;
        // The index numbers paragraphs in u32, as the segments do: their sum must fit.
        let mut all_paragraphs = 0u32;
        for part in &parts {
            let n = part.doc_start().last().copied().unwrap_or(0);
            all_paragraphs = all_paragraphs
                .checked_add(n)
                .ok_or_else(|| part.damaged(Damage::OutOfBounds(Section::DocStart)))?;
        }
        let mut docs_at = Vec::with_capacity(live.len());
        let mut names = Vec::with_capacity(live.len());
        let mut keys = Vec::with_capacity(live.len());
        for (logical, (key, pi, d)) in live.into_iter().enumerate() {
            let part = &mut parts[pi as usize];
            part.to_logical[d as usize] = logical as u32;
            let starts = part.doc_start();
            doc_start.push(total);
            total += starts[d as usize + 1] - starts[d as usize];
            docs_at.push((pi, d));
            names.push(crate::names::shown(&key).into_owned());
            keys.push(key.into_boxed_slice());
        }
        doc_start.push(total);
        for part in &mut parts {
            part.identity = part.removed == 0
                && part.to_logical.iter().enumerate().all(|(d, &l)| l as usize == d)
                && part.doc_start() == doc_start.as_slice();
        }
        let docs = names.len();
        let family =
            versions::family_ids(docs_at.iter().map(|&(pi, d)| parts[pi as usize].sketch(d as usize)));
        let independent_docs = family.iter().enumerate().filter(|&(d, &f)| f as usize == d).count();
        Ok(Index {
            parts,
            docs_at,
            names,
            keys,
            doc_start,
            df_delta: (removed.df_keys, removed.df_counts),
            post_delta: (removed.post_keys, removed.post_counts),
            docs,
            stamp,
            family,
            independent_docs,
            boilerplate_df: boilerplate_min_df(docs),
        })
    }

    /// The segments.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Name of index document `doc`, as reports show it.
    pub fn name(&self, doc: u32) -> &str {
        &self.names[doc as usize]
    }

    /// Name of index document `doc` as the file system gave it.
    pub fn name_bytes(&self, doc: u32) -> &[u8] {
        &self.keys[doc as usize]
    }

    /// The index document reports call `name`.
    pub fn find(&self, name: &str) -> Option<u32> {
        let key = crate::names::bytes_of(name);
        self.keys.binary_search_by(|k| k.as_ref().cmp(key.as_ref())).ok().map(|i| i as u32)
    }

    /// Segment and segment document of index document `doc`.
    pub fn doc_at(&self, doc: u32) -> (&Part, usize) {
        let (p, d) = self.docs_at[doc as usize];
        (&self.parts[p as usize], d as usize)
    }

    /// Number of documents removed from the segments since they were written.
    pub fn removed_docs(&self) -> usize {
        self.parts.iter().map(|p| p.removed).sum()
    }

    /// Number of corpus documents holding the shingle `hash`.
    pub fn df(&self, hash: u64) -> u32 {
        let mut df: u32 = 0;
        for part in &self.parts {
            let i = part.file.lower_bound(Section::DfKeys, Section::DfKeysFence, hash);
            if part.file.u64s(Section::DfKeys).get(i) == Some(&hash) {
                df += part.file.u32s(Section::DfCounts).get(i).copied().unwrap_or(0);
            }
        }
        if let Ok(i) = self.df_delta.0.binary_search(&hash) {
            df = df.saturating_sub(self.df_delta.1[i]);
        }
        df
    }

    /// True when the shingle is 套话 by its document frequency.
    pub fn is_boilerplate(&self, hash: u64) -> bool {
        self.df(hash) >= self.boilerplate_df
    }

    /// The first [`POSTINGS_CAP`] paragraphs (in index order) holding the winnowed fingerprint
    /// `hash`, and the full count.
    pub fn postings(&self, hash: u64) -> (Vec<u32>, usize) {
        self.postings_except(hash, None)
    }

    /// As [`Index::postings`], as if document `exclude` were not in the corpus: its entries are
    /// left out before the cap and from the count, so an audit retrieves for a corpus document what
    /// a check of it against the rest of the corpus would.
    pub fn postings_except(&self, hash: u64, exclude: Option<u32>) -> (Vec<u32>, usize) {
        // The excluded document's part and paragraphs, numbered in its segment.
        let own = exclude.map(|doc| {
            let (part, d) = self.docs_at[doc as usize];
            let starts = self.parts[part as usize].doc_start();
            (part as usize, starts[d as usize]..starts[d as usize + 1])
        });
        let mut out = Vec::new();
        let mut total = 0;
        for (pi, part) in self.parts.iter().enumerate() {
            let lo = part.file.lower_bound(Section::PostKeys, Section::PostKeysFence, hash);
            let hi = lo + prefix_len(&part.file.u64s(Section::PostKeys)[lo..], |k| k == hash);
            let paras = part.file.u32s(Section::PostParas).get(lo..hi).unwrap_or(&[]);
            // A segment's entries for one fingerprint are sorted by paragraph, so the excluded
            // document's are one stretch of them.
            let skip = match &own {
                Some((op, r)) if *op == pi => {
                    paras.partition_point(|&p| p < r.start)..paras.partition_point(|&p| p < r.end)
                }
                _ => 0..0,
            };
            total += paras.len() - skip.len();
            let kept = paras[..skip.start].iter().chain(&paras[skip.end..]);
            if part.identity {
                // Entries of a damaged file past the last paragraph are dropped, as `logical` does.
                let n = self.paragraphs() as u32;
                out.extend(kept.filter(|&&p| p < n).take(POSTINGS_CAP));
            } else {
                // Removed documents' entries are skipped, so read until CAP live ones.
                out.extend(kept.filter_map(|&p| part.logical(p, &self.doc_start)).take(POSTINGS_CAP));
            }
        }
        if let Ok(i) = self.post_delta.0.binary_search(&hash) {
            total = total.saturating_sub(self.post_delta.1[i] as usize);
        }
        // Each segment's numbering follows the index's, so the first CAP of each hold the first CAP
        // of all.
        out.sort_unstable();
        out.truncate(POSTINGS_CAP);
        (out, total)
    }

    /// The version family of index document `doc`: versions of one text share it.
    pub fn family(&self, doc: u32) -> u32 {
        self.family[doc as usize]
    }

    /// The version sketch of index document `doc`.
    pub fn sketch(&self, doc: u32) -> &[u64] {
        let (part, d) = self.doc_at(doc);
        part.sketch(d)
    }

    /// The index paragraphs of document `doc`.
    pub fn doc_paragraphs(&self, doc: u32) -> std::ops::Range<u32> {
        self.doc_start[doc as usize]..self.doc_start[doc as usize + 1]
    }

    /// Corpus paragraphs whose SimHash is within [`SIMHASH_MAX_DISTANCE`] of `simhash`. By the
    /// pigeonhole principle, two hashes within 3 bits agree exactly on one of four 16-bit blocks.
    pub fn near_duplicates(&self, simhash: u64) -> Vec<u32> {
        self.near_with_distance(simhash).into_iter().map(|(p, _)| p).collect()
    }

    /// As [`Index::near_duplicates`], each with its distance, sorted by paragraph.
    fn near_with_distance(&self, simhash: u64) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for part in &self.parts {
            let sims = part.file.u64s(Section::Simhashes);
            for (block, (section, fence)) in SIM_TABLES.iter().enumerate() {
                let table = part.file.u64s(*section);
                let key = sim_block(simhash, block);
                let lo = part.file.lower_bound(*section, *fence, key << 32);
                for &e in table[lo..].iter().take_while(|&&e| e >> 32 == key) {
                    let p = e as u32;
                    let Some(distance) = sims.get(p as usize).map(|&h| hamming(h, simhash)) else {
                        continue;
                    };
                    if distance <= SIMHASH_MAX_DISTANCE {
                        out.extend(part.logical(p, &self.doc_start).map(|g| (g, distance)));
                    }
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
        self.candidates_except(shingles, simhash, None)
    }

    /// As [`Index::candidates`], as if document `exclude` were not in the corpus: its postings are
    /// left out before the cap and from the counts, and its paragraphs are no near-duplicates.
    pub fn candidates_except(&self, shingles: &[Shingle], simhash: u64, exclude: Option<u32>) -> Vec<u32> {
        self.candidates_where(shingles, simhash, exclude, None)
    }

    /// As [`Index::candidates_except`], keeping only paragraphs of the documents `source_ok`
    /// accepts, when given (an audit's documents not dated after the checked one): the others are
    /// left out before the caps, though a fingerprint they hold still weighs as one held that often.
    pub fn candidates_where(
        &self,
        shingles: &[Shingle],
        simhash: u64,
        exclude: Option<u32>,
        source_ok: Option<&(dyn Fn(u32) -> bool + Sync)>,
    ) -> Vec<u32> {
        let kept = |p: u32| source_ok.is_none_or(|ok| ok(self.locate(p).doc));
        let own = exclude.map_or(0..0, |d| self.doc_paragraphs(d));
        let mut hashes: Vec<u64> = shingles.iter().map(|s| s.hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let mut hits: Vec<(u32, f64)> = Vec::new();
        for h in hashes {
            let (paras, total) = self.postings_except(h, exclude);
            if total == 0 {
                continue;
            }
            // A fingerprint held by many paragraphs says little about any one of them; held by the
            // versions of one text, it is one writer's (ten saved copies of a rare passage must not
            // weigh it down to a formula's weight).
            let weight = 1.0 / (1.0 + (total as f64 * self.independent_share(&paras)).ln());
            hits.extend(paras.iter().filter(|&&p| kept(p)).map(|&p| (p, weight)));
        }
        // Stable: each paragraph's weights are summed in fingerprint order, which the Spark job of
        // spark/candidates.py repeats to the last bit (an unstable sort's order is its own).
        hits.sort_by_key(|&(p, _)| p);
        let mut scored: Vec<(u32, f64)> = Vec::new();
        for (p, w) in hits {
            match scored.last_mut() {
                Some(last) if last.0 == p => last.1 += w,
                _ => scored.push((p, w)),
            }
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out = self.best_of_independent(&scored);
        if !shingles.is_empty() {
            // The nearest first: a paragraph repeated across the corpus (a chapter heading in every
            // law) would otherwise bring every copy as a candidate, quadratic over an audit.
            let mut near: Vec<(u32, u32)> = self
                .near_with_distance(simhash)
                .into_iter()
                .filter(|&(p, _)| !own.contains(&p) && kept(p))
                .collect();
            near.sort_unstable_by_key(|&(p, distance)| (distance, p));
            out.extend(near.into_iter().take(MAX_NEAR_DUPLICATES).map(|(p, _)| p));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The share of the documents holding `paras` that are independent of one another: version
    /// families over documents (1 when no two are versions of one text).
    fn independent_share(&self, paras: &[u32]) -> f64 {
        let mut docs: Vec<u32> = paras.iter().map(|&p| self.locate(p).doc).collect();
        docs.sort_unstable();
        docs.dedup();
        let mut families: Vec<u32> = docs.iter().map(|&d| self.family(d)).collect();
        families.sort_unstable();
        families.dedup();
        families.len() as f64 / docs.len().max(1) as f64
    }

    /// The first [`MAX_CANDIDATES`] of `scored` (best first), not counting paragraphs of versions
    /// of a document already taken, of which at most [`MAX_VERSION_DOCS`] per document are
    /// taken: ten saved copies of each report would otherwise fill the list with a few texts and
    /// leave out the other writers the draft shares a passage with, and a few versions show which
    /// of them holds it as the draft has it.
    fn best_of_independent(&self, scored: &[(u32, f64)]) -> Vec<u32> {
        let mut out = Vec::new();
        // Per family met: its documents taken, the first of them the one whose paragraphs count.
        let mut taken: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut slots = 0;
        for &(p, _) in scored {
            if slots >= MAX_CANDIDATES {
                break;
            }
            let doc = self.locate(p).doc;
            let family = self.family(doc);
            match taken.iter_mut().find(|(f, _)| *f == family) {
                None => {
                    taken.push((family, vec![doc]));
                    slots += 1;
                }
                Some((_, docs)) if docs[0] == doc => slots += 1,
                Some((_, docs)) if docs.contains(&doc) => {}
                Some((_, docs)) if docs.len() <= MAX_VERSION_DOCS => docs.push(doc),
                Some(_) => continue,
            }
            out.push(p);
        }
        out
    }

    /// SimHash of an index paragraph.
    pub fn simhash(&self, para: u32) -> u64 {
        let r = self.locate(para);
        let (part, d) = self.doc_at(r.doc);
        let p = part.doc_start()[d] + r.para;
        part.file.u64s(Section::Simhashes).get(p as usize).copied().unwrap_or(0)
    }

    /// Document and paragraph of an index paragraph.
    pub fn locate(&self, para: u32) -> ParaRef {
        let doc = self.doc_start.partition_point(|&s| s <= para) - 1;
        ParaRef { doc: doc as u32, para: para - self.doc_start[doc] }
    }

    /// Index paragraph of a document's paragraph.
    pub fn global(&self, r: ParaRef) -> u32 {
        self.doc_start[r.doc as usize] + r.para
    }

    /// Number of paragraphs indexed.
    pub fn paragraphs(&self) -> usize {
        self.doc_start.last().copied().unwrap_or(0) as usize
    }
}

/// Whether `paragraphs` lie in order in `text`, on char boundaries, each with the char offsets of
/// its bytes: a damaged paragraph table must slice nothing and offset no report.
fn paragraphs_fit(text: &str, paragraphs: &[crate::ingest::Paragraph]) -> bool {
    let (mut at, mut chars) = (0, 0);
    paragraphs.iter().all(|p| {
        let (Some(gap), Some(body)) = (text.get(at..p.byte_start), text.get(p.byte_start..p.byte_end)) else {
            return false;
        };
        chars += gap.chars().count();
        at = p.byte_start;
        p.start == chars && p.end == chars + body.chars().count()
    })
}

/// The length of the prefix of `v` for which `pred` holds (`pred` must hold for a prefix),
/// found by galloping from the start: a fingerprint's few postings cost a read or two, not a
/// binary search of the whole rest of the section.
fn prefix_len(v: &[u64], pred: impl Fn(u64) -> bool) -> usize {
    // `pred` holds for v[..lo].
    let mut lo = 0;
    let mut step = 1;
    loop {
        let probe = lo + step;
        if probe > v.len() {
            return lo + v[lo..].partition_point(|&k| pred(k));
        }
        if !pred(v[probe - 1]) {
            return lo + v[lo..probe - 1].partition_point(|&k| pred(k));
        }
        lo = probe;
        step *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document whose paragraphs have these (winnowed, shingles, simhash).
    pub fn doc(name: &str, paras: &[(&[u64], &[u64], u64)]) -> SegmentDoc {
        let mut d = DocPrints::default();
        for (i, (win, sh, sim)) in paras.iter().enumerate() {
            d.postings.extend(win.iter().map(|&h| (h, i as u32)));
            d.shingles.extend_from_slice(sh);
            d.simhashes.push(*sim);
        }
        d.shingles.sort_unstable();
        d.shingles.dedup();
        SegmentDoc { name: name.to_string(), meta: FileMeta::default(), prints: d, stored: None }
    }

    fn three() -> Vec<SegmentDoc> {
        vec![
            doc("c.txt", &[(&[], &[30], 1 << 40)]),
            doc("a.txt", &[(&[10, 20], &[10, 20, 30], 0), (&[40], &[40, 30], u64::MAX)]),
            doc("b.txt", &[(&[20], &[20, 30], 0b111)]),
        ]
    }

    #[test]
    fn galloping_finds_the_prefix() {
        let v: Vec<u64> = (0..100).map(|i| u64::from(i >= 37)).collect();
        for n in [0, 1, 2, 3, 36, 37, 38, 99, 100] {
            assert_eq!(prefix_len(&v[..n], |k| k == 0), n.min(37), "{n}");
        }
        assert_eq!(prefix_len(&[], |_| true), 0);
    }

    #[test]
    fn postings_df_and_locations() {
        let idx = Index::build(three());
        assert_eq!(idx.docs, 3);
        assert_eq!(idx.paragraphs(), 4);
        assert_eq!((idx.name(0), idx.name(2), idx.find("b.txt")), ("a.txt", "c.txt", Some(1)));
        assert_eq!(idx.postings(20), (vec![0, 2], 2));
        assert_eq!(idx.postings(99).1, 0);
        assert_eq!((idx.df(30), idx.df(20), idx.df(40), idx.df(5)), (3, 2, 1, 0));
        assert!(idx.is_boilerplate(30) && !idx.is_boilerplate(20));
        assert_eq!(idx.locate(2), ParaRef { doc: 1, para: 0 });
        assert_eq!(idx.locate(1), ParaRef { doc: 0, para: 1 });
        assert_eq!(idx.global(ParaRef { doc: 2, para: 0 }), 3);
        assert_eq!(idx.simhash(3), 1 << 40);
    }

    #[test]
    fn candidates_except_leave_out_the_excluded_document() {
        let a = doc("a", &[(&[10, 20], &[10, 20], 7), (&[30], &[30], 1 << 50)]);
        let b = doc("b", &[(&[20], &[20], 7)]);
        let c = doc("c", &[(&[10], &[10], 7 ^ 1)]);
        let idx = Index::build(vec![c, a, b]);
        let query = [Shingle { hash: 10, start: 0, end: 4 }, Shingle { hash: 20, start: 2, end: 6 }];
        assert_eq!(idx.candidates(&query, 7), vec![0, 2, 3]);
        assert_eq!(idx.candidates_except(&query, 7, Some(0)), vec![2, 3]);
        assert_eq!(idx.candidates_except(&query, 7, Some(1)), vec![0, 3]);
        assert_eq!(idx.postings_except(10, Some(0)), (vec![3], 1));
        assert_eq!(idx.postings_except(10, Some(2)), (vec![0], 1));
        assert_eq!(idx.doc_paragraphs(0), 0..2);
    }

    /// A one-paragraph document of `family`'s wording (its versions share their whole sketch).
    fn version(name: &str, family: u64, prints: &[u64]) -> SegmentDoc {
        let mut d = doc(name, &[(prints, prints, family << 20)]);
        d.prints.sketch = (0..32).map(|k| family * 1000 + k).collect();
        d
    }

    #[test]
    fn ten_versions_of_each_holder_do_not_crowd_a_rarer_source_out() {
        // Twenty writers, each saved ten times, hold five formulas each (writer f the formulas
        // f..f+5, so each formula is held by five writers, fifty documents); one text, saved ten
        // times too, holds the rare fingerprints 100 and 101. By raw counts each writer weighs
        // 5 / (1 + ln 50) ≈ 1.02 and the rare text 2 / (1 + ln 10) ≈ 0.61: sixteen writers fill
        // the list before it. Counted by writers (5 against 1) the rare text ranks first.
        let mut docs = Vec::new();
        for f in 0..20u64 {
            let formulas: Vec<u64> = (f..f + 5).map(|j| j + 1).collect();
            for v in 0..10 {
                docs.push(version(&format!("f{f:02}-{v}"), f + 1, &formulas));
            }
        }
        for v in 0..10 {
            docs.push(version(&format!("r-{v}"), 99, &[100, 101]));
        }
        let idx = Index::build(docs);
        assert_eq!(idx.independent_docs, 21);
        let query: Vec<Shingle> =
            (1..=24).chain([100, 101]).map(|hash| Shingle { hash, start: 0, end: 4 }).collect();
        let found = idx.candidates(&query, 0x5555_5555_5555_5555);
        let rare: Vec<&str> =
            found.iter().map(|&p| idx.name(idx.locate(p).doc)).filter(|n| n.starts_with("r-")).collect();
        // The rare text's first version and MAX_VERSION_DOCS of its others.
        assert_eq!(rare, ["r-0", "r-1", "r-2", "r-3"]);
        // One slot per writer, each with 1 + MAX_VERSION_DOCS documents, and the list closed at
        // the sixteenth writer's first.
        assert_eq!(found.len(), (MAX_CANDIDATES - 1) * (1 + MAX_VERSION_DOCS) + 1);
    }

    #[test]
    fn simhash_tables_find_within_three_bits_only() {
        let sims = [0u64, 0b111, 0b1111, u64::MAX, (1 << 63) | 1];
        let docs = sims.iter().enumerate().map(|(i, &s)| doc(&format!("{i}"), &[(&[], &[], s)])).collect();
        let idx = Index::build(docs);
        assert_eq!(idx.near_duplicates(0), vec![0, 1, 4]);
        assert_eq!(idx.near_duplicates(u64::MAX ^ 0b11), vec![3]);
    }

    #[test]
    fn segments_and_removals_number_like_one_index() {
        let whole = Index::build(three());
        let mut docs = three();
        let c = docs.remove(0);
        let stale = doc("b.txt", &[(&[20, 50], &[20, 50], 0)]);
        let seg = |docs: Vec<SegmentDoc>, id| {
            (
                id,
                IndexFile::from_words(build::segment_words(&docs, Stamp::default()), FileKind::Segment)
                    .unwrap(),
            )
        };
        // Segment 1 holds a.txt and an old b.txt (removed, its df subtracted); segment 2 the rest.
        let removed = Removed {
            tombstones: vec![(1, 1)],
            df_keys: vec![20, 50],
            df_counts: vec![1, 1],
            post_keys: vec![20, 50],
            post_counts: vec![1, 1],
        };
        let mut first = vec![docs.remove(0), stale];
        first.sort_by(|a, b| a.name.cmp(&b.name));
        let split = Index::from_parts(vec![seg(first, 1), seg(vec![docs.remove(0), c], 2)], removed).unwrap();
        assert_eq!(split.docs, 3);
        assert_eq!(split.removed_docs(), 1);
        for h in [10, 20, 30, 40, 50] {
            assert_eq!(split.df(h), whole.df(h), "df {h}");
            assert_eq!(split.postings(h), whole.postings(h), "postings {h}");
            for d in 0..3 {
                assert_eq!(
                    split.postings_except(h, Some(d)),
                    whole.postings_except(h, Some(d)),
                    "{h} but {d}"
                );
            }
        }
        for p in 0..4 {
            assert_eq!(split.simhash(p), whole.simhash(p));
        }
        assert_eq!(split.near_duplicates(0), whole.near_duplicates(0));
    }
}
