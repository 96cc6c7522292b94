//! A stored index with fuzzed bytes and every checksum recomputed after the change, as a file
//! damaged before it was summed (or made to look whole) would be: the first input byte picks the
//! file (even: the segment, odd: the deletes file), the rest is its content. What the checksums
//! cannot catch, the bounds checks must: the index is refused, or answers with every offset inside
//! its document; never a crash, a hang or an allocation beyond the file's size.
#![no_main]

#[path = "index_common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use xxhash_rust::xxh3::xxh3_64;

const HEADER_LEN: usize = 64;
const ENTRY_LEN: usize = 32;

/// Recomputes what `index::segment` sums: each section's xxh3 in its table entry, the header's
/// (bytes 0..40, the mark digest at 56..64 and the table) at 40, the body's at 48. Entries pointing outside the file keep
/// their sum.
fn seal(bytes: &mut [u8]) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    let count = u32::from_le_bytes([bytes[32], bytes[33], bytes[34], bytes[35]]) as usize;
    let table_end = HEADER_LEN + count.min((bytes.len() - HEADER_LEN) / ENTRY_LEN) * ENTRY_LEN;
    for at in (HEADER_LEN..table_end).step_by(ENTRY_LEN) {
        let field = |i: usize| u64::from_le_bytes(bytes[at + i..at + i + 8].try_into().unwrap_or([0; 8]));
        let (offset, len) = (field(8) as usize, field(16) as usize);
        if let Some(section) = offset.checked_add(len).and_then(|end| bytes.get(offset..end)) {
            let sum = xxh3_64(section);
            bytes[at + 24..at + 32].copy_from_slice(&sum.to_le_bytes());
        }
    }
    let mut head = bytes[..40].to_vec();
    head.extend_from_slice(&bytes[56..64]);
    head.extend_from_slice(&bytes[HEADER_LEN..table_end]);
    let sum = xxh3_64(&head);
    bytes[40..48].copy_from_slice(&sum.to_le_bytes());
    let body = xxh3_64(&bytes[HEADER_LEN..]);
    bytes[48..56].copy_from_slice(&body.to_le_bytes());
}

fuzz_target!(|data: &[u8]| {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(chachong::ingest::quiet_dependency_panics);
    let s = common::setup();
    let Some((&pick, bytes)) = data.split_first() else { return };
    let mut bytes = bytes.to_vec();
    seal(&mut bytes);
    let which = usize::from(pick & 1);
    if let Some((corpus, report)) = common::trial(s, which, &bytes) {
        common::well_formed(s, &corpus, &report);
        if bytes == s.files[which].1 {
            assert_eq!(report, s.baseline, "the index as written answers as written");
        }
    }
});
