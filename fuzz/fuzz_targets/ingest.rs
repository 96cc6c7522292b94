//! Bytes → document, for every format read from memory: the first byte picks the format, the
//! rest is the file. A result must be an error line or a document whose paragraphs tile it.
#![no_main]

use chachong::ingest::{document_from_bytes_with, Limits};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const NAMES: [&str; 4] = ["f.txt", "f.docx", "f.html", "f.pdf"];

fuzz_target!(|data: &[u8]| {
    // Dependency panics are caught by chachong and reported as damaged files; only a panic in
    // chachong's own code (or one that escapes) is a crash.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(chachong::ingest::quiet_dependency_panics);
    let Some((&which, bytes)) = data.split_first() else { return };
    let path = Path::new(NAMES[usize::from(which) % NAMES.len()]);
    // Small limits, so a zip bomb or a long paragraph is refused or cut inside libFuzzer's budget.
    let limits = Limits { max_file_bytes: 1 << 20, max_docx_xml_bytes: 8 << 20, max_paragraph_chars: 300 };
    match document_from_bytes_with(path, bytes, &limits) {
        Ok(doc) => {
            let total = doc.text.chars().count();
            let mut prev_end = 0;
            for p in &doc.paragraphs {
                assert!(p.start < p.end && p.end <= total && p.start >= prev_end, "{p:?} of {total}");
                assert!(p.end - p.start <= limits.max_paragraph_chars);
                let text = &doc.text[p.byte_start..p.byte_end];
                assert_eq!(text.chars().count(), p.end - p.start);
                assert_eq!(doc.text[..p.byte_start].chars().count(), p.start);
                prev_end = p.end;
            }
        }
        Err(e) => {
            let line = e.to_string();
            assert!(!line.contains('\n') && line.starts_with(NAMES[usize::from(which) % NAMES.len()]), "{line}");
        }
    }
});
