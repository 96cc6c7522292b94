//! Versions of one document: the same text saved twice, a draft and its final form, a report and
//! its reprint. They are told from independent documents by the resemblance of their wordings,
//! estimated from bottom-k MinHash sketches of their distinct shingles ([`super::DocPrints::sketch`]),
//! which the index stores per document.

use crate::params::{
    VERSION_BUCKET_FAMILIES, VERSION_BUCKET_HASHES, VERSION_BUCKET_MAX, VERSION_MIN_JACCARD,
};
use std::collections::HashMap;

/// The Jaccard share of two documents' shingle sets, estimated from their bottom-k sketches: the
/// share of the union's smallest hashes that both hold. A sketch shorter than the other is a whole
/// (short) document; a full one stops the merge where it ends, since hashes past it are unknown.
pub fn resemblance(a: &[u64], b: &[u64]) -> f64 {
    let k = a.len().max(b.len());
    let (mut i, mut j, mut taken, mut both) = (0, 0, 0usize, 0usize);
    while taken < k {
        let (x, y) = (a.get(i), b.get(j));
        let stop = |exhausted: bool, len: usize| exhausted && len == k;
        if stop(x.is_none(), a.len()) || stop(y.is_none(), b.len()) {
            break;
        }
        match (x, y) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) | (None, Some(_)) => j += 1,
            (Some(_), None) => i += 1,
            (None, None) => break,
        }
        taken += 1;
    }
    if taken == 0 {
        0.0
    } else {
        both as f64 / taken as f64
    }
}

/// The version family of each of `sketches` (the index of the first member of its family): single
/// linkage over pairs whose [`resemblance`] is at least [`VERSION_MIN_JACCARD`].
pub fn families(sketches: &[&[u64]]) -> Vec<usize> {
    let mut family: Vec<usize> = (0..sketches.len()).collect();
    for a in 0..sketches.len() {
        for b in a + 1..sketches.len() {
            let (ra, rb) = (root(&mut family, a), root(&mut family, b));
            if ra != rb && resemblance(sketches[a], sketches[b]) >= VERSION_MIN_JACCARD {
                family[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    (0..sketches.len()).map(|i| root(&mut family, i)).collect()
}

/// How many independent documents (version families) `sketches` hold ([`family_ids`]).
pub fn count_families<'a>(sketches: impl Iterator<Item = &'a [u64]>) -> usize {
    let ids = family_ids(sketches);
    ids.iter().enumerate().filter(|&(d, &f)| f as usize == d).count()
}

/// The version family of each of `sketches` (the number of its first member), without comparing
/// every pair: versions share most of their smallest hashes, so only documents that share one of
/// their [`VERSION_BUCKET_HASHES`] smallest are compared. A hash shared by more than
/// [`VERSION_BUCKET_MAX`] documents is a phrase of the genre, not the mark of one text.
pub fn family_ids<'a>(sketches: impl Iterator<Item = &'a [u64]>) -> Vec<u32> {
    let sketches: Vec<&[u64]> = sketches.collect();
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (d, s) in sketches.iter().enumerate() {
        for &h in s.iter().take(VERSION_BUCKET_HASHES) {
            buckets.entry(h).or_default().push(d);
        }
    }
    let mut family: Vec<usize> = (0..sketches.len()).collect();
    let mut keys: Vec<u64> = buckets.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let members = &buckets[&key];
        if members.len() < 2 || members.len() > VERSION_BUCKET_MAX {
            continue;
        }
        // Each member against one document of each family met in the bucket so far, up to
        // [`VERSION_BUCKET_FAMILIES`]: a bucket of many independent documents stays linear.
        let mut seen: Vec<usize> = Vec::new();
        for &b in members {
            let joined = seen.iter().any(|&a| {
                let (ra, rb) = (root(&mut family, a), root(&mut family, b));
                let same = ra == rb || resemblance(sketches[a], sketches[b]) >= VERSION_MIN_JACCARD;
                if same {
                    family[ra.max(rb)] = ra.min(rb);
                }
                same
            });
            if !joined && seen.len() < VERSION_BUCKET_FAMILIES {
                seen.push(b);
            }
        }
    }
    (0..sketches.len()).map(|d| root(&mut family, d) as u32).collect()
}

fn root(family: &mut [usize], mut i: usize) -> usize {
    while family[i] != i {
        family[i] = family[family[i]];
        i = family[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_sharing_most_of_their_sketch_are_one_family() {
        let a: Vec<u64> = (0..32).collect();
        let b: Vec<u64> = (0..40).filter(|x| x % 5 != 4).collect(); // union's 32 smallest: 26 in both
        let c: Vec<u64> = (0..32).map(|x| 2 * x + 1).collect(); // odd: 16 of the union's 32 smallest
        assert!((resemblance(&a, &b) - 26.0 / 32.0).abs() < 1e-9);
        assert!((resemblance(&a, &c) - 16.0 / 32.0).abs() < 1e-9);
        assert!((resemblance(&a[..3], &a[..3]) - 1.0).abs() < 1e-9);
        assert_eq!(families(&[&a, &b, &c[8..]]), vec![0, 0, 2]);
        assert_eq!(count_families([&a[..], &b, &c[8..]].into_iter()), 2);
        let far: Vec<u64> = (100..132).collect();
        assert_eq!(count_families([&a[..], &a, &far].into_iter()), 2);
    }
}
