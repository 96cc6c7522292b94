//! Compaction: the live documents of every segment merged into one segment, by a k-way merge of
//! each segment's sorted runs, with removed documents dropped and their document frequencies
//! subtracted. The result is the segment a fresh build of the same documents would write.

use super::build::{padded_sketch, SIM_TABLES};
use super::segment::{FileKind, Section, Writer};
use super::{Index, Part};
use crate::params::VERSION_SKETCH;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Merges sorted runs into one sorted sequence, keeping equal items in run order.
pub fn kmerge<'a, T: Ord + Copy + 'a>(
    mut runs: Vec<Box<dyn Iterator<Item = T> + 'a>>,
) -> impl Iterator<Item = T> + 'a {
    let mut heap = BinaryHeap::with_capacity(runs.len());
    for (i, r) in runs.iter_mut().enumerate() {
        if let Some(x) = r.next() {
            heap.push(Reverse((x, i)));
        }
    }
    std::iter::from_fn(move || {
        let Reverse((x, i)) = heap.pop()?;
        if let Some(next) = runs[i].next() {
            heap.push(Reverse((next, i)));
        }
        Some(x)
    })
}

/// The index as one segment.
pub fn compact(index: &Index) -> Vec<u64> {
    let ds = &index.doc_start;
    let mut w = Writer::new(FileKind::Segment, index.stamp);
    w.u32s(Section::DocStart, ds.clone());
    let mut para_doc = Vec::with_capacity(index.paragraphs());
    for d in 0..index.docs {
        para_doc.extend(std::iter::repeat_n(d as u32, (ds[d + 1] - ds[d]) as usize));
    }
    w.u32s(Section::ParaDoc, para_doc);

    let postings: Vec<(u64, u32)> = kmerge(
        index
            .parts
            .iter()
            .map(|part| {
                let keys = part.file.u64s(Section::PostKeys);
                let paras = part.file.u32s(Section::PostParas);
                Box::new(keys.iter().zip(paras).filter_map(move |(&k, &p)| Some((k, part.logical(p, ds)?))))
                    as Box<dyn Iterator<Item = _>>
            })
            .collect(),
    )
    .collect();
    let (post_keys, post_paras): (Vec<u64>, Vec<u32>) = postings.into_iter().unzip();
    w.keys(Section::PostKeys, Section::PostKeysFence, post_keys);
    w.u32s(Section::PostParas, post_paras);

    let (df_keys, df_counts) = merged_df(index);
    w.keys(Section::DfKeys, Section::DfKeysFence, df_keys);
    w.u32s(Section::DfCounts, df_counts);

    for (section, fence) in SIM_TABLES {
        let table: Vec<u64> = kmerge(
            index
                .parts
                .iter()
                .map(|part| {
                    Box::new(part.file.u64s(section).iter().filter_map(move |&e| {
                        let g = part.logical(e as u32, ds)?;
                        Some((e >> 32) << 32 | g as u64)
                    })) as Box<dyn Iterator<Item = _>>
                })
                .collect(),
        )
        .collect();
        w.keys(section, fence, table);
    }

    let mut simhashes = Vec::with_capacity(index.paragraphs());
    let mut name_offsets = vec![0u64];
    let mut names = Vec::new();
    let mut meta = Vec::with_capacity(3 * index.docs);
    let mut sketches = Vec::with_capacity(VERSION_SKETCH * index.docs);
    let mut paras = Vec::new();
    let mut text_offsets = vec![0u64];
    let mut texts = Vec::new();
    let with_texts = index.parts.iter().all(Part::has_texts);
    for doc in 0..index.docs as u32 {
        let (part, d) = index.doc_at(doc);
        let (p0, p1) = (part.doc_start()[d] as usize, part.doc_start()[d + 1] as usize);
        simhashes.extend_from_slice(&part.file.u64s(Section::Simhashes)[p0..p1]);
        names.extend_from_slice(index.name_bytes(doc));
        name_offsets.push(names.len() as u64);
        let m = part.meta(d);
        meta.extend([m.size, m.mtime_ns, m.hash]);
        sketches.extend(padded_sketch(part.sketch(d)));
        if with_texts {
            paras.extend_from_slice(part.file.u32s(Section::Paras).get(4 * p0..4 * p1).unwrap_or(&[]));
            let offsets = part.file.u64s(Section::TextOffsets);
            let (a, b) = (offsets[d] as usize, offsets[d + 1] as usize);
            texts.extend_from_slice(part.file.raw(Section::Texts).get(a..b).unwrap_or(&[]));
            text_offsets.push(texts.len() as u64);
        }
    }
    w.u64s(Section::Simhashes, simhashes);
    w.u64s(Section::NameOffsets, name_offsets);
    w.bytes(Section::Names, names);
    w.u64s(Section::DocMeta, meta);
    w.u64s(Section::DocSketch, sketches);
    if with_texts && index.docs > 0 {
        w.u32s(Section::Paras, paras);
        w.u64s(Section::TextOffsets, text_offsets);
        w.bytes(Section::Texts, texts);
    }
    w.finish()
}

/// Document frequencies summed over segments, less those of removed documents; zeros dropped.
fn merged_df(index: &Index) -> (Vec<u64>, Vec<u32>) {
    let runs = index
        .parts
        .iter()
        .map(|part| {
            let keys = part.file.u64s(Section::DfKeys);
            Box::new(keys.iter().copied().zip(part.file.u32s(Section::DfCounts).iter().copied()))
                as Box<dyn Iterator<Item = _>>
        })
        .collect();
    let (delta_keys, delta_counts) = &index.df_delta;
    let mut keys = Vec::new();
    let mut counts = Vec::new();
    let mut flush = |key: u64, count: u32| {
        let less = delta_keys.binary_search(&key).map_or(0, |i| delta_counts[i]);
        if count > less {
            keys.push(key);
            counts.push(count - less);
        }
    };
    let mut current: Option<(u64, u32)> = None;
    for (k, c) in kmerge(runs) {
        match &mut current {
            Some((ck, cc)) if *ck == k => *cc += c,
            _ => {
                if let Some((ck, cc)) = current {
                    flush(ck, cc);
                }
                current = Some((k, c));
            }
        }
    }
    if let Some((ck, cc)) = current {
        flush(ck, cc);
    }
    (keys, counts)
}

#[cfg(test)]
mod tests {
    use super::super::build::segment_words;
    use super::super::segment::{IndexFile, Stamp};
    use super::super::tests::doc;
    use super::super::Removed;
    use super::*;

    #[test]
    fn kmerge_merges_sorted_runs() {
        let runs: Vec<Box<dyn Iterator<Item = u32>>> =
            vec![Box::new([1, 4, 9].into_iter()), Box::new([2, 3, 10].into_iter()), Box::new([].into_iter())];
        assert_eq!(kmerge(runs).collect::<Vec<_>>(), vec![1, 2, 3, 4, 9, 10]);
    }

    #[test]
    fn compacting_gives_the_segment_of_a_fresh_build() {
        let seg = |docs: Vec<crate::index::build::SegmentDoc>, id| {
            (id, IndexFile::from_words(segment_words(&docs, Stamp::default()), FileKind::Segment).unwrap())
        };
        let first =
            vec![doc("a.txt", &[(&[10, 20], &[10, 20, 30], 0)]), doc("d.txt", &[(&[20], &[20, 60], 5)])];
        let second = vec![doc("b.txt", &[(&[20, 40], &[20, 30, 40], 7), (&[], &[], 1 << 33)])];
        let removed = Removed {
            tombstones: vec![(1, 1)],
            df_keys: vec![20, 60],
            df_counts: vec![1, 1],
            post_keys: vec![20],
            post_counts: vec![1],
        };
        let split = Index::from_parts(vec![seg(first, 1), seg(second, 2)], removed).unwrap();
        let fresh = segment_words(
            &[
                doc("a.txt", &[(&[10, 20], &[10, 20, 30], 0)]),
                doc("b.txt", &[(&[20, 40], &[20, 30, 40], 7), (&[], &[], 1 << 33)]),
            ],
            Stamp::default(),
        );
        assert_eq!(compact(&split), fresh);
    }
}
