//! The five real seed documents, each checked against the shipped corpus without itself: their
//! template-site residue is flagged where it sits, and the 套话 they share with each other and with
//! the government work reports comes out as boilerplate, never as copying.

mod common;

use chachong::classify::{SpanKind, Verdict};
use chachong::marks::Flag;
use chachong::report::DraftReport;
use common::*;

fn check_seed(name: &str) -> (DraftReport, String) {
    let rel = format!("seeds/{name}");
    let corpus = load(corpus_without(&[&rel]).path());
    let path = root().join("corpus").join(&rel);
    let text = std::fs::read_to_string(&path).expect("seed");
    (check(&corpus, &path), text)
}

fn watermarked(r: &DraftReport) -> Vec<usize> {
    r.paragraphs
        .iter()
        .filter(|p| p.flags.contains(&Flag::Watermark("笔杆儿网".into())))
        .map(|p| p.para)
        .collect()
}

fn reused(r: &DraftReport) -> Vec<usize> {
    r.paragraphs
        .iter()
        .filter(|p| matches!(p.verdict, Verdict::Copy | Verdict::Partial))
        .map(|p| p.para)
        .collect()
}

#[test]
fn seed_000_watermarks_placeholders_and_formula() {
    let (r, text) = check_seed("000_9947b52c349c4fd4.txt");
    assert_eq!(watermarked(&r), [2, 3, 4, 5, 6, 11, 12, 13, 14, 16]);
    assert_eq!(r.paragraphs.len(), 17, "the `　　` inside line 4 starts a paragraph");
    let p3 = &r.paragraphs[2];
    assert_eq!((p3.start, p3.end), (56, 212));
    assert_eq!(chars(&text, 185, 212), "笔杆儿网，www.biganzijiayuan.com");
    assert_eq!(r.paragraphs[3].start, 214);
    assert_eq!(r.paragraphs[7].flags, [Flag::Placeholder("*区".into())]);
    assert!(reused(&r).is_empty(), "{:?}", reused(&r));
    // The opening paragraph on the 20th Party Congress is nothing but formula.
    assert_eq!(p3.verdict, Verdict::Boilerplate);
    let span = r.spans.iter().find(|s| s.para == 3 && s.start == 73).expect("a 套话 span in ¶3");
    assert_eq!(
        chars(&text, span.start, span.end),
        "全面建设社会主义现代化国家新征程、向第二个百年奋斗目标进军"
    );
    assert_eq!(span.kind, SpanKind::Boilerplate);
    assert!(r.summary.flags.contains(&Flag::Watermark("笔杆儿网".into())));
    assert_eq!(r.summary.copied_ratio, 0.0);
    assert!(r.summary.boilerplate_ratio > 0.03);
}

#[test]
fn seed_001_paywall_cut_is_truncated() {
    let (r, text) = check_seed("001_440a4fa48f8209b1.txt");
    let p28 = &r.paragraphs[27];
    assert_eq!((p28.para, p28.start, p28.end, p28.chars), (28, 1042, 1088, 0));
    assert_eq!(chars(&text, 1042, 1088), "……(新文秘网http://www.wm114.cn省略1008字,正式会员可完整阅读)……");
    assert_eq!(p28.flags, [Flag::Watermark("新文秘网".into()), Flag::Truncated]);
    let last = r.paragraphs.iter().find(|p| p.para == 47).expect("¶47");
    assert_eq!(last.flags, [Flag::Truncated]);
    assert!(chars(&text, last.start, last.end).contains("(未完,全文共6140字"));
    assert_eq!(r.paragraphs[0].flags, [Flag::Chrome("您的位置".into())]);
    assert!(reused(&r).is_empty());
}

#[test]
fn shared_formula_between_seeds_is_boilerplate() {
    let formulas = ["习近平新时代中国特色社会主义思想", "统筹推进", "全心全意为人民服务的根本宗旨"];
    let mut seen = 0;
    for seed in ["002_a74691705c227c73.txt", "003_68c3191184ca8c9f.txt", "004_788ffb7d0e5f7190.txt"] {
        let (r, text) = check_seed(seed);
        assert!(reused(&r).is_empty(), "{seed}: {:?}", reused(&r));
        for s in &r.spans {
            let t = chars(&text, s.start, s.end);
            if formulas.iter().any(|f| t.contains(f)) {
                assert_eq!(s.kind, SpanKind::Boilerplate, "{seed}: {t}");
                seen += 1;
            }
        }
    }
    assert!(seen >= 3, "the formulas were matched at all ({seen})");
}
