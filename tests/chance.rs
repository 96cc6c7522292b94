//! The run a copy needs grows with the corpus (issue #13): the more independent writers a corpus
//! holds, the longer the formula one of them shares with a draft by chance. A 15-char clause that
//! one report of the shipped corpus holds is a partial copy against those 49 documents, and only
//! an echo against 2,700 independent ones; a 29-char passage is a copy of its source at either
//! size, at the same offsets.

mod common;

use chachong::classify::{SpanKind, Verdict};
use common::{check, load, root};
use std::path::Path;

const SHANGHAI: &str = "govreports/provincial_2026/2026_上海市_政府工作报告.txt";
/// Written for this test: a clerk's own words.
const OWN: &str =
    "今年以来，我们坚持把群众满意作为工作标准，深入基层听取意见，认真梳理问题清单，逐项研究解决办法。";
/// A clause of the Shanghai report (paragraph 11) that no other document of corpus/ holds.
const CLAUSE: &str = "建立健全招商引资和企业服务机制";
/// A passage of the Shanghai report (paragraph 12).
const PASSAGE: &str = "促进重点产业创新升级，新能源、高端装备等战略性新兴产业实现较快增长";

/// corpus/ with each line of more than 40 chars as a document of its own, named by its 0-based
/// line number: the same text, held by 2,700 independent documents instead of 49.
fn one_document_per_paragraph(into: &Path) -> usize {
    let mut n = 0;
    for entry in walk(&root().join("corpus")) {
        let text = std::fs::read_to_string(&entry).expect("corpus text");
        let stem =
            entry.strip_prefix(root().join("corpus")).expect("inside").to_string_lossy().replace('/', "_");
        for (i, line) in text.lines().enumerate().filter(|(_, l)| l.chars().count() > 40) {
            std::fs::write(into.join(format!("{stem}.{i:04}.txt")), line).expect("write");
            n += 1;
        }
    }
    n
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_clause_shared_with_one_document_is_an_echo_in_a_large_corpus_and_a_passage_is_not() {
    let tmp = tempfile::tempdir().expect("tmp");
    let draft = tmp.path().join("draft.txt");
    std::fs::write(&draft, format!("{OWN}{CLAUSE}。\n{OWN}{PASSAGE}。\n")).expect("write");

    let small = load(&root().join("corpus"));
    assert!(small.index.independent_docs < 64, "{}", small.index.independent_docs);
    let report = check(&small, &draft);
    let p = &report.paragraphs;
    assert_eq!((p[0].verdict, p[0].source.as_str()), (Verdict::Partial, SHANGHAI));
    assert_eq!((p[1].verdict, p[1].source.as_str()), (Verdict::Partial, SHANGHAI));

    let split = tmp.path().join("split");
    std::fs::create_dir(&split).expect("mkdir");
    let files = one_document_per_paragraph(&split);
    let large = load(&split);
    assert!(large.index.independent_docs > 2000, "{} of {files}", large.index.independent_docs);
    let report = check(&large, &draft);
    let p = &report.paragraphs;
    assert!(matches!(p[0].verdict, Verdict::Original | Verdict::Boilerplate), "{:?}", p[0]);
    assert_eq!(p[1].verdict, Verdict::Partial);
    assert_eq!(p[1].source, format!("{}.0011.txt", SHANGHAI.replace('/', "_")));
    let copy: Vec<_> = report.spans.iter().filter(|s| s.kind == SpanKind::Copy).collect();
    assert_eq!(copy.len(), 1, "{:?}", report.spans);
    // Offsets are in the draft's text: the first line and its newline, then OWN; the span takes
    // in the passage's closing 。 as in tests/figures.rs.
    let start = format!("{OWN}{CLAUSE}。\n{OWN}").chars().count();
    assert_eq!((copy[0].para, copy[0].start, copy[0].end), (2, start, start + PASSAGE.chars().count() + 1));
}
