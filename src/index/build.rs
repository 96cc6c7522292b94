//! Writing a segment from the fingerprints of a batch of documents.

use super::segment::{FileKind, Section, Writer};
use super::DocPrints;
use crate::ingest::Paragraph;
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
    /// Its name in reports: the path relative to the corpus root.
    pub name: String,
    pub meta: FileMeta,
    pub prints: DocPrints,
    /// `None` for the in-memory index, whose documents stay in memory as read.
    pub stored: Option<StoredText>,
}

/// Builds a segment from documents sorted by name.
pub fn segment_words(docs: &[SegmentDoc]) -> Vec<u64> {
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
    postings.par_sort_unstable();
    postings.dedup();
    let (post_keys, post_paras): (Vec<u64>, Vec<u32>) = postings.into_iter().unzip();
    shingles.par_sort_unstable();
    let mut df_keys = Vec::new();
    let mut df_counts = Vec::new();
    for run in shingles.chunk_by(|a, b| a == b) {
        df_keys.push(run[0]);
        df_counts.push(run.len() as u32);
    }

    let mut w = Writer::new(FileKind::Segment);
    w.u32s(Section::DocStart, doc_start);
    w.u32s(Section::ParaDoc, para_doc);
    w.keys(Section::PostKeys, Section::PostKeysFence, post_keys);
    w.u32s(Section::PostParas, post_paras);
    w.keys(Section::DfKeys, Section::DfKeysFence, df_keys);
    w.u32s(Section::DfCounts, df_counts);
    for (block, (section, fence)) in SIM_TABLES.iter().enumerate() {
        let mut t: Vec<u64> =
            simhashes.iter().enumerate().map(|(p, &h)| sim_entry(h, block, p as u32)).collect();
        t.par_sort_unstable();
        w.keys(*section, *fence, t);
    }
    w.u64s(Section::Simhashes, simhashes);
    write_docs(&mut w, docs);
    w.finish()
}

/// Names, file metadata, paragraphs and compressed texts.
fn write_docs(w: &mut Writer, docs: &[SegmentDoc]) {
    let mut name_offsets = vec![0u64];
    let mut names = Vec::new();
    let mut meta = Vec::with_capacity(docs.len() * 3);
    for d in docs {
        names.extend_from_slice(d.name.as_bytes());
        name_offsets.push(names.len() as u64);
        meta.extend([d.meta.size, d.meta.mtime_ns, d.meta.hash]);
    }
    w.u64s(Section::NameOffsets, name_offsets);
    w.bytes(Section::Names, names);
    w.u64s(Section::DocMeta, meta);
    if docs.iter().all(|d| d.stored.is_some()) && !docs.is_empty() {
        let mut paras = Vec::new();
        for s in docs.iter().filter_map(|d| d.stored.as_ref()) {
            for p in &s.paragraphs {
                paras.extend([p.start, p.end, p.byte_start, p.byte_end].map(|v| v as u32));
            }
        }
        let blobs: Vec<Vec<u8>> = docs
            .par_iter()
            .map(|d| d.stored.as_ref().map(|s| compress(s.text.as_bytes())).unwrap_or_default())
            .collect();
        let mut text_offsets = vec![0u64];
        let mut texts = Vec::with_capacity(blobs.iter().map(Vec::len).sum());
        for b in blobs {
            texts.extend_from_slice(&b);
            text_offsets.push(texts.len() as u64);
        }
        w.u32s(Section::Paras, paras);
        w.u64s(Section::TextOffsets, text_offsets);
        w.bytes(Section::Texts, texts);
    }
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
/// are damaged: not one whole deflate stream, or not UTF-8 (the body checksum is not read on
/// open, so the text is validated here, with a vectorised check).
pub fn decompress(bytes: &[u8], len: usize) -> Option<String> {
    // Spare room beyond the hint: a little, so that inflating never stalls for want of room.
    const ROOM: usize = 4 << 10;
    let mut out = Vec::with_capacity(len.saturating_add(ROOM));
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
    fn texts_round_trip_through_deflate() {
        let text = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。".repeat(20);
        let packed = compress(text.as_bytes());
        assert!(packed.len() < text.len() / 4);
        for hint in [0, 1, text.len() - 1, text.len(), text.len() + 1] {
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
