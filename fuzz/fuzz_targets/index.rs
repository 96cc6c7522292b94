//! A stored index with fuzzed bytes: the first input byte picks the file (even: the segment, odd:
//! the deletes file), the rest is that file's new content. Every byte a lookup reads is under a
//! checksum, so the index must be refused, or, where only bytes no lookup reads changed (padding,
//! the body checksum), answer exactly as the index written: never a crash, a hang or another report.
#![no_main]

#[path = "index_common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(chachong::ingest::quiet_dependency_panics);
    let s = common::setup();
    let Some((&pick, bytes)) = data.split_first() else { return };
    if let Some((corpus, report)) = common::trial(s, usize::from(pick & 1), bytes) {
        common::well_formed(s, &corpus, &report);
        assert_eq!(report, s.baseline, "an index that opens answers as the index written");
    }
});
