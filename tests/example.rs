//! The sample draft (examples/README.md is its answer key) against the shipped corpus: every
//! verdict, source, offset and flag, exactly.

mod common;

use chachong::classify::{SpanKind, Verdict};
use chachong::marks::Flag;
use chachong::report::DraftReport;
use common::*;
use std::path::Path;
use std::sync::OnceLock;

fn corpus() -> &'static chachong::check::Corpus {
    static C: OnceLock<chachong::check::Corpus> = OnceLock::new();
    C.get_or_init(|| load(&root().join("corpus")))
}

fn report(rel: &str) -> DraftReport {
    check(corpus(), &root().join(rel))
}

fn source_text(name: &str) -> String {
    std::fs::read_to_string(root().join("corpus").join(name)).expect("corpus file")
}

const NATIONAL_2025: &str = "govreports/national/2025_国务院_政府工作报告.txt";
const NATIONAL_2024: &str = "govreports/national/2024_国务院_政府工作报告.txt";
const SICHUAN: &str = "govreports/provincial_2026/2026_四川省_政府工作报告.txt";
const HUNAN: &str = "govreports/provincial_2026/2026_湖南省_政府工作报告.txt";
const HENAN: &str = "govreports/provincial_2026/2026_河南省_政府工作报告.txt";

/// Verdict, source and 1-based source paragraph of each of the 13 paragraphs.
fn answer_key() -> Vec<(Verdict, &'static str, Option<usize>)> {
    use Verdict::*;
    vec![
        (Original, "", None),
        (Original, "", None),
        (Original, "", None),
        (Boilerplate, "", None),
        (Partial, HENAN, Some(17)),
        (Copy, NATIONAL_2025, Some(33)),
        (Copy, NATIONAL_2024, Some(51)),
        (Original, "", None),
        (Copy, SICHUAN, Some(63)),
        (Copy, HUNAN, Some(75)),
        (Original, "", None),
        (Original, "", None),
        (Original, "", None),
    ]
}

fn assert_matches_key(r: &DraftReport) {
    assert_eq!(r.paragraphs.len(), 13);
    for (p, (verdict, source, para)) in r.paragraphs.iter().zip(answer_key()) {
        assert_eq!(p.verdict, verdict, "¶{} {}", p.para, p.excerpt);
        if verdict != Verdict::Boilerplate {
            assert_eq!((p.source.as_str(), p.source_para), (source, para), "¶{}", p.para);
        }
    }
}

#[test]
fn sample_draft_verdicts_sources_and_flags() {
    let r = report("examples/draft.txt");
    assert_matches_key(&r);
    let text = std::fs::read_to_string(root().join("examples/draft.txt")).expect("draft");
    // Verbatim copies: the whole paragraph, score 1, and the same text on both sides.
    let p6 = &r.paragraphs[5];
    assert_eq!(
        (p6.start, p6.end, p6.score, p6.matched_chars, p6.simhash_distance),
        (669, 964, 1.0, 261, Some(0))
    );
    let s6 = r.spans.iter().find(|s| s.para == 6).expect("span of ¶6");
    assert_eq!(
        (s6.start, s6.end, s6.source.as_str(), s6.source_start, s6.source_end),
        (669, 964, NATIONAL_2025, 6974, 7269)
    );
    assert_eq!(
        chars(&text, s6.start, s6.end),
        chars(&source_text(NATIONAL_2025), s6.source_start, s6.source_end)
    );
    // The partial copy: one inserted sentence, located exactly in both texts.
    let s5: Vec<_> = r.spans.iter().filter(|s| s.para == 5 && s.kind == SpanKind::Copy).collect();
    assert_eq!(s5.len(), 1);
    assert_eq!((s5[0].start, s5[0].end, s5[0].source_start, s5[0].source_end), (598, 640, 2600, 2642));
    assert_eq!(
        chars(&text, 598, 640),
        "突出党建引领基层高效能治理，创新“党建+网格+大数据”模式，城乡基层治理体系不断健全"
    );
    assert_eq!(chars(&source_text(HENAN), 2600, 2642), chars(&text, 598, 640));
    // Edited copies are still one case each, most of the paragraph.
    assert!(r.paragraphs[6].score > 0.9 && r.paragraphs[9].score > 0.85);
    // 套话 is boilerplate, with boilerplate spans only.
    assert!(r.spans.iter().filter(|s| s.para == 4).all(|s| s.kind == SpanKind::Boilerplate));
    assert!(r.spans.iter().filter(|s| s.para != 4 && s.para != 5).all(|s| s.kind == SpanKind::Copy));
    // ¶5 also opens with a statistics formula (「增长…规上工业增加值增长」), numbers bridged.
    let bp5: Vec<_> = r.spans.iter().filter(|s| s.para == 5 && s.kind == SpanKind::Boilerplate).collect();
    assert_eq!(bp5.len(), 1);
    assert_eq!((bp5[0].start, bp5[0].end, bp5[0].source_start, bp5[0].source_end), (485, 513, 803, 837));
    // Template residue.
    assert_eq!(
        r.paragraphs[7].flags,
        [Flag::Placeholder("*区".into()), Flag::Placeholder("XXX同".into()), Flag::Placeholder("X次".into())]
    );
    assert_eq!(r.paragraphs[10].flags, [Flag::Watermark("笔杆儿网".into())]);
    let p11 = &r.paragraphs[10];
    assert_eq!(chars(&text, p11.end - 16, p11.end), "笔杆儿网www.bgzjy.cn");
    // The document row.
    assert_eq!(r.summary.paragraphs, 13);
    assert_eq!(r.summary.top_source, NATIONAL_2024);
    assert!((0.45..0.50).contains(&r.summary.copied_ratio), "{}", r.summary.copied_ratio);
}

#[test]
fn the_same_draft_as_docx_and_gbk_gives_the_same_report() {
    let txt = report("examples/draft.txt");
    for other in ["examples/draft.docx", "tests/fixtures/check/gbk_draft.txt"] {
        let r = report(other);
        assert!(Path::new(&r.draft).ends_with(other));
        assert_eq!(r.paragraphs, txt.paragraphs, "{other}");
        assert_eq!(r.spans, txt.spans, "{other}");
        assert_eq!(r.summary, txt.summary, "{other}");
    }
}
