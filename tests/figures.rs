//! Specifics are evidence: a sentence whose wording every report of a year shares
//! (「全市生产总值达到…万亿元、增长…，好于预期」) is a copy of one report when it keeps that
//! report's figures, and only its formula when the figures are the draft's own.

mod common;

use chachong::classify::{SpanKind, Verdict};
use common::{chars, check, load, root};

const SHANGHAI: &str = "govreports/provincial_2026/2026_上海市_政府工作报告.txt";
/// Written for this test: a clerk's own words.
const OWN: &str =
    "今年以来，我们坚持把群众满意作为工作标准，深入基层听取意见，认真梳理问题清单，逐项研究解决办法。";

#[test]
fn a_figure_sentence_shared_with_one_report_is_partial_with_its_source() {
    let corpus = load(&root().join("corpus"));
    let dir = tempfile::tempdir().expect("tmp");
    let draft = dir.path().join("draft.txt");
    let copied = "全市生产总值达到5.67万亿元、增长5.4%，好于预期。";
    let own_figures = "全市生产总值达到3.12万亿元、增长6.1%，好于预期。";
    std::fs::write(&draft, format!("{OWN}{copied}\n{OWN}{own_figures}\n")).expect("write");
    let report = check(&corpus, &draft);

    let p = &report.paragraphs;
    assert_eq!(p[0].verdict, Verdict::Partial);
    assert_eq!(p[0].source, SHANGHAI);
    assert_ne!(p[1].verdict, Verdict::Partial, "the same formula with the draft's own figures");
    assert_ne!(p[1].verdict, Verdict::Copy);

    let copy: Vec<_> = report.spans.iter().filter(|s| s.kind == SpanKind::Copy).collect();
    assert_eq!(copy.len(), 1, "{:?}", report.spans);
    let span = copy[0];
    // The copied sentence: after OWN (48 chars), to the end of the first line.
    let own_len = OWN.chars().count();
    assert_eq!((span.para, span.start, span.end), (1, own_len, own_len + copied.chars().count()));
    let text = std::fs::read_to_string(root().join("corpus").join(SHANGHAI)).expect("source");
    // In the source the sentence goes on; its span ends at its last significant char.
    assert_eq!(chars(&text, span.source_start, span.source_end), copied.trim_end_matches('。'));
}
