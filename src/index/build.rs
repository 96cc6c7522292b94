//! Writing a segment from the fingerprints of a batch of documents.

use super::segment::{FileKind, Section, Stamp, Writer};
use super::DocPrints;
use crate::ingest::Paragraph;
use crate::params::{SORT_BUCKET_KEYS, VERSION_SKETCH};
use rayon::prelude::*;
use std::io::Write;

/// What identifies a corpus file's version: size and mtime (cheap to compare) and a hash of its
/// bytes (to confirm a change when the first two differ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileMeta {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// xxh3-64 of the file's bytes.
    pub hash: u64,
}

/// A document's decoded text and paragraphs, kept in the index so that checks can show source
/// text even when the corpus folder has moved.
#[derive(Debug, Clone)]
pub struct StoredText {
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
}

/// One document going into a segment.
#[derive(Debug)]
pub struct SegmentDoc {
    /// Its name in reports: the path relative to the corpus root, shown losslessly
    /// ([`crate::names`]); the segment stores the bytes it stands for.
    pub name: String,
    pub meta: FileMeta,
    pub prints: DocPrints,
    /// `None` for the in-memory index, whose documents stay in memory as read.
    pub stored: Option<StoredText>,
}

/// Sorts documents as a segment numbers them: by the bytes of their names, as the file system
/// gave them (for names that are text, the order of the text).
pub fn sort_by_name(docs: &mut [SegmentDoc]) {
    docs.sort_by_cached_key(|d| crate::names::bytes_of(&d.name).into_owned());
}

/// Builds a segment from documents sorted by name (by the bytes names stand for, see
/// [`sort_by_name`]), fingerprinted with the analysis `stamp` says.
pub fn segment_words(docs: &[SegmentDoc], stamp: Stamp) -> Vec<u64> {
    let mut doc_start = Vec::with_capacity(docs.len() + 1);
    let mut total = 0u32;
    for d in docs {
        doc_start.push(total);
        total += d.prints.simhashes.len() as u32;
    }
    doc_start.push(total);

    let mut para_doc = Vec::with_capacity(total as usize);
    let mut simhashes = Vec::with_capacity(total as usize);
    let mut postings: Vec<(u64, u32)> =
        Vec::with_capacity(docs.iter().map(|d| d.prints.postings.len()).sum());
    let mut shingles: Vec<u64> = Vec::with_capacity(docs.iter().map(|d| d.prints.shingles.len()).sum());
    for (i, d) in docs.iter().enumerate() {
        let base = doc_start[i];
        para_doc.extend(std::iter::repeat_n(i as u32, d.prints.simhashes.len()));
        simhashes.extend_from_slice(&d.prints.simhashes);
        postings.extend(d.prints.postings.iter().map(|&(h, p)| (h, base + p)));
        shingles.extend_from_slice(&d.prints.shingles);
    }
    // Deflating the texts takes as long as the sorts: both at once keep both cores busy.
    let (((post_keys, post_paras), (df_keys, df_counts), tables), texts) = rayon::join(
        || {
            let (postings, df) = rayon::join(
                || {
                    let mut postings = bucket_sort(postings, |&(h, _)| h);
                    postings.dedup();
                    postings.into_iter().unzip::<u64, u32, Vec<u64>, Vec<u32>>()
                },
                || {
                    let shingles = bucket_sort(shingles, |&h| h);
                    let mut df = (Vec::new(), Vec::new());
                    for run in shingles.chunk_by(|a, b| a == b) {
                        df.0.push(run[0]);
                        df.1.push(run.len() as u32);
                    }
                    df
                },
            );
            let tables: Vec<Vec<u64>> = (0..SIM_TABLES.len()).map(|b| sim_table(&simhashes, b)).collect();
            (postings, df, tables)
        },
        || stored_texts(docs),
    );

    let mut w = Writer::new(FileKind::Segment, stamp);
    w.u32s(Section::DocStart, doc_start);
    w.u32s(Section::ParaDoc, para_doc);
    w.keys(Section::PostKeys, Section::PostKeysFence, post_keys);
    w.u32s(Section::PostParas, post_paras);
    w.keys(Section::DfKeys, Section::DfKeysFence, df_keys);
    w.u32s(Section::DfCounts, df_counts);
    for ((section, fence), t) in SIM_TABLES.iter().zip(tables) {
        w.keys(*section, *fence, t);
    }
    w.u64s(Section::Simhashes, simhashes);
    write_docs(&mut w, docs, texts);
    w.finish()
}

/// Sorts `v` by one radix pass on the top bits of `hash`, which must order the items as `Ord`
/// does at that precision, and then sorts each bucket on its own, in parallel. The hashes are
/// uniform, so the buckets are small and sort in cache.
fn bucket_sort<T: Ord + Copy + Default + Send>(v: Vec<T>, hash: impl Fn(&T) -> u64) -> Vec<T> {
    let bits = (v.len() / SORT_BUCKET_KEYS).max(1).ilog2().min(16);
    if bits == 0 {
        let mut v = v;
        v.sort_unstable();
        return v;
    }
    let bucket = |x: &T| (hash(x) >> (64 - bits)) as usize;
    let mut next = vec![0usize; (1 << bits) + 1];
    for x in &v {
        next[bucket(x) + 1] += 1;
    }
    for b in 1..next.len() {
        next[b] += next[b - 1];
    }
    let lens: Vec<usize> = next.windows(2).map(|w| w[1] - w[0]).collect();
    let mut out = vec![T::default(); v.len()];
    for x in v {
        let b = bucket(&x);
        out[next[b]] = x;
        next[b] += 1;
    }
    let mut buckets = Vec::with_capacity(lens.len());
    let mut rest = out.as_mut_slice();
    for len in lens {
        let (head, tail) = rest.split_at_mut(len);
        buckets.push(head);
        rest = tail;
    }
    buckets.into_par_iter().with_min_len(64).for_each(|b| b.sort_unstable());
    out
}

/// A SimHash table sorted by block value, then paragraph: a counting sort on the 16-bit block,
/// filled in paragraph order.
fn sim_table(simhashes: &[u64], block: usize) -> Vec<u64> {
    let mut next = vec![0usize; (1 << 16) + 1];
    for &h in simhashes {
        next[sim_block(h, block) as usize + 1] += 1;
    }
    for b in 1..next.len() {
        next[b] += next[b - 1];
    }
    let mut t = vec![0u64; simhashes.len()];
    for (p, &h) in simhashes.iter().enumerate() {
        let b = sim_block(h, block) as usize;
        t[next[b]] = sim_entry(h, block, p as u32);
        next[b] += 1;
    }
    t
}

/// The documents' paragraphs, deflated texts and text offsets, when every document has its text
/// to store.
struct Texts {
    paras: Vec<u32>,
    offsets: Vec<u64>,
    deflated: Vec<u8>,
}

fn stored_texts(docs: &[SegmentDoc]) -> Option<Texts> {
    let stored: Vec<&StoredText> = docs.iter().map(|d| d.stored.as_ref()).collect::<Option<_>>()?;
    if stored.is_empty() {
        return None;
    }
    let blobs: Vec<Vec<u8>> = stored.par_iter().map(|s| compress(s.text.as_bytes())).collect();
    let mut paras = Vec::with_capacity(4 * stored.iter().map(|s| s.paragraphs.len()).sum::<usize>());
    for s in &stored {
        for p in &s.paragraphs {
            paras.extend([p.start, p.end, p.byte_start, p.byte_end].map(|v| v as u32));
        }
    }
    let mut offsets = Vec::with_capacity(blobs.len() + 1);
    offsets.push(0u64);
    let mut deflated = Vec::with_capacity(blobs.iter().map(Vec::len).sum());
    for b in blobs {
        deflated.extend_from_slice(&b);
        offsets.push(deflated.len() as u64);
    }
    Some(Texts { paras, offsets, deflated })
}

/// Names, file metadata, and the stored texts when there are.
fn write_docs(w: &mut Writer, docs: &[SegmentDoc], texts: Option<Texts>) {
    let mut name_offsets = vec![0u64];
    let mut names = Vec::new();
    let mut meta = Vec::with_capacity(docs.len() * 3);
    let mut sketches = Vec::with_capacity(docs.len() * VERSION_SKETCH);
    for d in docs {
        names.extend_from_slice(&crate::names::bytes_of(&d.name));
        name_offsets.push(names.len() as u64);
        meta.extend([d.meta.size, d.meta.mtime_ns, d.meta.hash]);
        sketches.extend(padded_sketch(&d.prints.sketch));
    }
    w.u64s(Section::NameOffsets, name_offsets);
    w.bytes(Section::Names, names);
    w.u64s(Section::DocMeta, meta);
    w.u64s(Section::DocSketch, sketches);
    if let Some(t) = texts {
        w.u32s(Section::Paras, t.paras);
        w.u64s(Section::TextOffsets, t.offsets);
        w.bytes(Section::Texts, t.deflated);
    }
}

/// A document's sketch as stored: [`VERSION_SKETCH`] hashes, `u64::MAX` where it has fewer
/// distinct shingles.
pub fn padded_sketch(sketch: &[u64]) -> impl Iterator<Item = u64> + '_ {
    sketch.iter().copied().take(VERSION_SKETCH).chain(std::iter::repeat(u64::MAX)).take(VERSION_SKETCH)
}

/// The SimHash tables, one per 16-bit block, and their fences.
pub const SIM_TABLES: [(Section, Section); 4] = [
    (Section::SimTable0, Section::SimTable0Fence),
    (Section::SimTable1, Section::SimTable1Fence),
    (Section::SimTable2, Section::SimTable2Fence),
    (Section::SimTable3, Section::SimTable3Fence),
];

/// A SimHash table entry: sorts by block value, then paragraph.
pub fn sim_entry(simhash: u64, block: usize, para: u32) -> u64 {
    (sim_block(simhash, block) << 32) | para as u64
}

/// One 16-bit block of a SimHash.
pub fn sim_block(simhash: u64, block: usize) -> u64 {
    (simhash >> (16 * block)) & 0xffff
}

/// Deflate at the fastest level: texts are read back only for the few paragraphs a check aligns,
/// and the build should stay close to fingerprinting speed.
fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Inflates a stored text of at least `len` bytes (where its last paragraph ends), straight into
/// an output sized for it: no copy through a stream buffer, no regrowing. `None` when the bytes
/// are damaged: not one whole deflate stream, or not UTF-8 (checked here, with a vectorised
/// check, as a file whose checksums were made to match could still hold any bytes).
pub fn decompress(bytes: &[u8], len: usize) -> Option<String> {
    // Spare room beyond the hint: a little, so that inflating never stalls for want of room.
    const ROOM: usize = 4 << 10;
    // Deflate expands at most 1032:1, which bounds a hint read from a damaged paragraph table.
    const MAX_RATIO: usize = 1032;
    let mut out = Vec::with_capacity(len.min(bytes.len().saturating_mul(MAX_RATIO)).saturating_add(ROOM));
    let mut dec = flate2::Decompress::new(false);
    loop {
        if out.capacity() - out.len() < ROOM {
            out.reserve(out.len().max(ROOM));
        }
        let (read, wrote) = (dec.total_in(), dec.total_out());
        let rest = bytes.get(read as usize..)?;
        match dec.decompress_vec(rest, &mut out, flate2::FlushDecompress::Finish).ok()? {
            flate2::Status::StreamEnd => break,
            // No progress with room to write: the stream is cut short.
            _ if (read, wrote) == (dec.total_in(), dec.total_out()) => return None,
            _ => {}
        }
    }
    if dec.total_in() != bytes.len() as u64 {
        return None;
    }
    simdutf8::basic::from_utf8(&out).ok()?;
    // Safety: `out` was just checked to be UTF-8.
    Some(unsafe { String::from_utf8_unchecked(out) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_and_counting_sorts_agree_with_a_plain_sort() {
        let hashes: Vec<u64> =
            (0..20_000u64).map(|i| xxhash_rust::xxh3::xxh3_64(&(i % 7_000).to_le_bytes())).collect();
        let pairs: Vec<(u64, u32)> = hashes.iter().enumerate().map(|(i, &h)| (h, (i % 5) as u32)).collect();
        let mut expected = pairs.clone();
        expected.sort_unstable();
        assert_eq!(bucket_sort(pairs, |&(h, _)| h), expected);
        let mut short = vec![3u64, 1, 2];
        assert_eq!(bucket_sort(short.clone(), |&h| h), {
            short.sort_unstable();
            short
        });
        for block in 0..SIM_TABLES.len() {
            let mut expected: Vec<u64> =
                hashes.iter().enumerate().map(|(p, &h)| sim_entry(h, block, p as u32)).collect();
            expected.sort_unstable();
            assert_eq!(sim_table(&hashes, block), expected);
        }
    }

    #[test]
    fn texts_round_trip_through_deflate() {
        let text = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。".repeat(20);
        let packed = compress(text.as_bytes());
        assert!(packed.len() < text.len() / 4);
        // The hint comes from the paragraph table: a damaged one (u32::MAX) still inflates the text.
        for hint in [0, 1, text.len() - 1, text.len(), text.len() + 1, u32::MAX as usize] {
            assert_eq!(decompress(&packed, hint).unwrap(), text);
        }
        assert_eq!(decompress(&packed[..packed.len() / 2], text.len()), None);
        let mut longer = packed.clone();
        longer.push(0);
        assert_eq!(decompress(&longer, text.len()), None);
        let latin1 = compress(b"caf\xe9");
        assert_eq!(decompress(&latin1, 4), None);
    }
}
