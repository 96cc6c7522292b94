//! `chachong audit` on real documents with planted reuse (tests/fixtures/audit/README.md): exactly
//! the planted pairs and clusters, nothing for text shared only as 套话, and every document's
//! verdicts equal to a check of it against the corpus without it.

mod common;

use chachong::audit::clusters::ClusterKind;
use chachong::audit::{audit, dates, Audit};
use chachong::check::{Checker, Corpus};
use chachong::params::Settings;
use common::{analyzer, load, root};
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/audit/corpus";

fn run_audit(corpus: &Corpus) -> Audit {
    let checker = Checker { analyzer: analyzer(), corpus, settings: Settings::default() };
    let all: Vec<u32> = (0..corpus.len() as u32).collect();
    audit(&checker, &all, &|_| {})
}

#[test]
fn finds_exactly_the_planted_pairs_and_clusters() {
    let corpus = load(&root().join(FIXTURE));
    let result = run_audit(&corpus);
    let pairs: Vec<(&str, &str, &str, usize, usize)> = result
        .pairs
        .iter()
        .map(|p| (p.doc_a.as_str(), p.doc_b.as_str(), p.source.as_str(), p.shared_chars, p.longest_run))
        .collect();
    let study = "20211220_工作总结.txt";
    let (talk, speech) = ("20220301_研讨发言材料.txt", "20220701_七一讲话.txt");
    let (outline, news) = ("20230115_民主生活会发言提纲.txt", "20230520_新闻报道.txt");
    assert_eq!(
        pairs,
        vec![
            (study, talk, study, 359, 359),
            (study, speech, study, 359, 359),
            (talk, speech, talk, 359, 359),
            (outline, news, outline, 339, 263),
        ]
    );
    // Every date is in a file name, each a day apart from the others.
    assert!(result.pairs.iter().all(|p| p.source_by == "file name"));
    let p = &result.pairs[3];
    // 339 shared chars of each one's significant chars; the news report is a page saved from
    // 中国菏泽网, whose chrome lines (您当前位置, byline, ICP and Copyright footers) are masked out
    // of it since analysis version 2 (0.114 of it before).
    assert_eq!((format!("{:.3}", p.share_a), format!("{:.3}", p.share_b)), ("0.058".into(), "0.121".into()));
    // The passage three documents share counts about half towards each of their pairs; the one
    // two documents share, nearly whole.
    let evidence: Vec<String> = result.pairs.iter().map(|p| format!("{:.1}", p.evidence)).collect();
    assert_eq!(evidence, vec!["177.8", "177.8", "177.8", "263.0"]);
    assert_eq!((p.date_a.as_str(), p.date_b.as_str()), ("2023-01-15", "2023-05-20"));

    let clusters: Vec<(usize, ClusterKind, &str, Vec<String>)> = result
        .clusters
        .iter()
        .map(|c| {
            let members = c.members.iter().map(|m| format!("{}#{}", m.document, m.para)).collect();
            (c.id, c.kind, c.earliest.as_str(), members)
        })
        .collect();
    assert_eq!(
        clusters,
        vec![
            (
                1,
                ClusterKind::Specific,
                study,
                vec![
                    "20211220_工作总结.txt#4".to_string(),
                    "20220301_研讨发言材料.txt#9".to_string(),
                    "20220701_七一讲话.txt#25".to_string()
                ]
            ),
            (
                2,
                ClusterKind::Boilerplate,
                study,
                vec!["20211220_工作总结.txt#8".to_string(), "20230115_民主生活会发言提纲.txt#12".to_string()]
            ),
            (
                3,
                ClusterKind::Specific,
                outline,
                vec!["20230115_民主生活会发言提纲.txt#9".to_string(), "20230520_新闻报道.txt#11".to_string()]
            ),
        ]
    );
    assert!(result.clusters[0].excerpt.starts_with("一是完善学习机制。"));
    assert_eq!(result.reports.len(), 5);
    // Each document is aligned with the documents dated before it only.
    assert_eq!(result.aligned_pairs, 175);
}

/// Copies the files of `dir` except `without` into a new temporary folder.
fn copy_without(dir: &Path, without: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(dir).expect("fixture folder") {
        let entry = entry.expect("entry");
        if entry.file_name().to_string_lossy() != without {
            std::fs::copy(entry.path(), out.path().join(entry.file_name())).expect("copy");
        }
    }
    out
}

#[test]
fn audit_verdicts_equal_a_check_against_the_rest_of_the_corpus() {
    // Under names without their dates, the fixture's documents are dated by the years in their
    // first lines or, lacking those, their file times, which order no source.
    let undated = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(root().join(FIXTURE)).expect("fixture folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let rest = name.split_once('_').map_or(name.as_str(), |(_, rest)| rest).to_string();
        std::fs::copy(entry.path(), undated.path().join(rest)).expect("copy");
    }
    let dir = undated.path();
    let corpus = load(dir);
    let result = run_audit(&corpus);
    let date = |name: &str| dates::doc_date(&corpus.doc(corpus.find(name).expect("doc")).doc);
    let mut compared = Vec::new();
    for report in &result.reports {
        // A document that another is known to be later than cannot cite it: its verdicts are not
        // those of a check against all the others.
        if result.reports.iter().any(|r| dates::known_later(date(&r.draft), date(&report.draft))) {
            continue;
        }
        let rest = copy_without(dir, &report.draft);
        let rest = load(rest.path());
        let checker = Checker { analyzer: analyzer(), corpus: &rest, settings: Settings::default() };
        let alone = checker.check(&report.draft, &corpus.doc(corpus.find(&report.draft).expect("doc")).doc);
        assert_eq!(&alone, report, "{}", report.draft);
        compared.push(report.draft.as_str());
    }
    assert_eq!(compared, vec!["七一讲话.txt", "工作总结.txt", "研讨发言材料.txt"]);
}

#[test]
fn a_source_is_earlier_than_its_copy() {
    let dir = root().join(FIXTURE);
    let corpus = load(&dir);
    let result = run_audit(&corpus);
    let report = |name: &str| result.reports.iter().find(|r| r.draft == name).expect("audited");
    // The paragraph recycled in three documents is a copy in the two later ones, of the earliest,
    // and the earliest's own: it copies nothing from the documents written after it.
    let study = report("20211220_工作总结.txt");
    assert_eq!(
        (study.paragraphs[3].verdict.to_string().as_str(), study.summary.copied_ratio),
        ("original", 0.0)
    );
    assert!(study.spans.is_empty(), "{:?}", study.spans);
    let talk = report("20220301_研讨发言材料.txt");
    assert_eq!(
        (talk.paragraphs[8].verdict.to_string().as_str(), talk.paragraphs[8].source.as_str()),
        ("copy", "20211220_工作总结.txt")
    );
    let speech = report("20220701_七一讲话.txt");
    assert!(["20211220_工作总结.txt", "20220301_研讨发言材料.txt"]
        .contains(&speech.paragraphs[24].source.as_str()));
    // The latest document has every other as a possible source: a check against the rest.
    let latest = "20230520_新闻报道.txt";
    let rest = copy_without(&dir, latest);
    let rest = load(rest.path());
    let checker = Checker { analyzer: analyzer(), corpus: &rest, settings: Settings::default() };
    let alone = checker.check(latest, &corpus.doc(corpus.find(latest).expect("doc")).doc);
    assert_eq!(&alone, report(latest));
}

#[test]
fn the_same_verdicts_on_the_shipped_corpus() {
    let corpus = load(&root().join("corpus"));
    let result = run_audit(&corpus);
    assert_eq!(result.reports.len(), 46);
    // The latest document (its dateline: 2026年2月5日) may cite any other: a check against the rest.
    let name = "govreports/provincial_2026/2026_安徽省_政府工作报告.txt";
    let rest = common::corpus_without(&[name]);
    let rest = load(rest.path());
    let checker = Checker { analyzer: analyzer(), corpus: &rest, settings: Settings::default() };
    let id = corpus.find(name).expect("doc");
    let alone = checker.check(name, &corpus.doc(id).doc);
    assert_eq!(&alone, &result.reports[id as usize], "{name}");
    assert!(alone.paragraphs.iter().any(|p| !p.source.is_empty()), "{name} has sources");
    // A source is earlier than its copy: the 2014 report copies nothing from 2015 or later, and
    // the 2015 report's main source is the 2014 one; no report cites a later one.
    let date = |name: &str| {
        let doc = &corpus.doc(corpus.find(name).expect("doc")).doc;
        dates::doc_date(doc)
    };
    let report = |name: &str| &result.reports[corpus.find(name).expect("doc") as usize];
    let y2014 = report("govreports/national/2014_国务院_政府工作报告.txt");
    assert_eq!(y2014.summary.top_source, "govreports/national/2013_国务院_政府工作报告.txt");
    let y2015 = report("govreports/national/2015_国务院_政府工作报告.txt");
    assert_eq!(y2015.summary.top_source, "govreports/national/2014_国务院_政府工作报告.txt");
    for r in result.reports.iter().filter(|r| r.draft.starts_with("govreports/")) {
        for s in &r.spans {
            assert!(
                !dates::known_later(date(&s.source), date(&r.draft)),
                "{} cites the later {}",
                r.draft,
                s.source
            );
        }
    }
    let pair = result
        .pairs
        .iter()
        .find(|p| {
            p.doc_a.ends_with("/2014_国务院_政府工作报告.txt")
                && p.doc_b.ends_with("/2015_国务院_政府工作报告.txt")
        })
        .expect("the 2014 and 2015 reports are a pair");
    assert_eq!((pair.source.as_str(), pair.source_by.as_str()), (pair.doc_a.as_str(), "file name"));
    // The 2024 report (dated 2024-03-05 by its dateline) and the NPC's resolution on it, dated by
    // its file name to the year only: which came first, the dates do not say.
    let resolution = result
        .pairs
        .iter()
        .find(|p| p.doc_b == "govreports/npc_resolutions/2024_全国人大_关于政府工作报告的决议.txt")
        .expect("the 2024 report and its resolution are a pair");
    assert_eq!(
        (resolution.doc_a.as_str(), resolution.source.as_str(), resolution.source_by.as_str()),
        ("govreports/national/2024_国务院_政府工作报告.txt", "", "unknown")
    );
    // The 2026 reports' 「“十五五”时期是…关键时期」 paragraph, in six variants that each match
    // another closely (so their verdicts are copy), is a formula of the year: 6 documents > 3.
    let plan = cluster_starting(&result, "“十五五”时期是基本实现社会主义现代化夯实基础");
    assert_eq!((plan.documents, plan.kind), (6, ClusterKind::Boilerplate));
    assert!(result.clusters.iter().all(|c| c.documents <= 3 || c.kind == ClusterKind::Boilerplate));
    assert!(result
        .clusters
        .iter()
        .all(|c| !dates::is_dateline(&c.excerpt) || c.kind == ClusterKind::Boilerplate));
    // The 2017 report's guiding paragraph and the NPC resolution that restates it: both mostly
    // 套话 (0.73 and 1.00 of their extent in 套话 spans), each `boilerplate`. (Before an audit
    // cited only earlier sources, the report's paragraph was `partial` of a stretch that the
    // later 2022 report holds: no source of a 2017 text.)
    let guiding = cluster_starting(&result, "今年将召开中国共产党第十九次全国代表大会");
    assert_eq!((guiding.documents, guiding.kind), (2, ClusterKind::Boilerplate));
    let verdicts: Vec<String> = guiding
        .members
        .iter()
        .map(|m| {
            let id = corpus.find(&m.document).expect("member document") as usize;
            result.reports[id].paragraphs[m.para - 1].verdict.to_string()
        })
        .collect();
    assert_eq!(verdicts, vec!["boilerplate", "boilerplate"]);
}

/// The cluster whose representative paragraph starts with `excerpt`.
fn cluster_starting<'a>(result: &'a Audit, excerpt: &str) -> &'a chachong::audit::clusters::ClusterRow {
    result
        .clusters
        .iter()
        .find(|c| c.excerpt.starts_with(excerpt))
        .unwrap_or_else(|| panic!("no cluster {excerpt}"))
}

fn chachong(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

#[test]
fn cli_writes_six_reports_and_names_unreadable_files() {
    let corpus = tempfile::tempdir().expect("tmp");
    for entry in std::fs::read_dir(root().join(FIXTURE)).expect("fixture") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), corpus.path().join(entry.file_name())).expect("copy");
    }
    std::fs::write(corpus.path().join("broken.docx"), b"not a zip").expect("write");
    // An OLE2 file named .docx: Word's password-protected format.
    std::fs::write(corpus.path().join("locked.docx"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])
        .expect("write");
    std::fs::copy(root().join("tests/fixtures/ingest/random.txt"), corpus.path().join("random.txt"))
        .expect("copy");
    let out = tempfile::tempdir().expect("tmp");
    let (c, o) = (corpus.path().to_str().expect("utf-8"), out.path().to_str().expect("utf-8"));
    let run = chachong(&["audit", "--corpus", c, "--out", o, "--jobs", "2"]);
    assert_eq!(run.status.code(), Some(2), "unreadable corpus files");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    for name in ["broken.docx", "locked.docx", "random.txt"] {
        assert!(stderr.contains(&format!("skipped corpus file {c}/{name}: ")), "{stderr}");
    }
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).expect("report written");
    let pairs = read("pairs.csv");
    assert!(pairs.starts_with(
        "\u{feff}doc_a,doc_b,shared_chars,share_a,share_b,longest_run,simhash_distance,source,date_a,date_b,evidence,source_by,shared_text\n"
    ));
    assert_eq!(pairs.lines().count(), 5);
    // The outline's passage that the news report copied, as the outline words it.
    assert!(
        pairs.lines().any(|l| l.starts_with("20230115_民主生活会发言提纲.txt,20230520_新闻报道.txt,")
            && l.contains(",file name,针对其他方面查摆出的4个突出问题。一是认真调查研究，")),
        "{pairs}"
    );
    let clusters = read("clusters.csv");
    assert!(clusters
        .starts_with("\u{feff}cluster,paragraphs,documents,earliest,earliest_date,kind,chars,excerpt\n"));
    assert_eq!(clusters.lines().count(), 4);
    let members = read("cluster_members.csv");
    assert!(members.starts_with("\u{feff}cluster,document,para,excerpt\n"));
    assert!(members.contains("\n1,20220701_七一讲话.txt,25,一是完善学习机制。"), "{members}");
    assert_eq!(members.lines().count(), 8);
    assert_eq!(read("documents.csv").lines().count(), 6);
    assert!(read("spans.csv").starts_with("\u{feff}draft,para,"));
    assert!(read("paragraphs.csv").contains("\n20230520_新闻报道.txt,11,"));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("audited 5 documents, 140 paragraphs"), "{stdout}");
    assert!(stdout.contains("4 document pairs share copied text; 3 clusters"), "{stdout}");
    // Counted by kind: the zip that is none and the random bytes are not what they are named.
    assert!(
        stdout.contains(
            "\n3 corpus files could not be read: 2 not text or not the format named, 1 password-protected\nreports written to "
        ),
        "{stdout}"
    );

    assert_eq!(chachong(&["audit", "--jobs", "0"]).status.code(), Some(2));
    let run = chachong(&["audit", "--corpus", "no-such-corpus", "--out", o]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no-such-corpus"));
}

#[test]
fn a_reference_corpus_is_a_source_but_not_audited() {
    let fixture = root().join(FIXTURE);
    let (audited, reference) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    for (name, dir) in [
        ("20220301_研讨发言材料.txt", &audited),
        ("20230520_新闻报道.txt", &audited),
        ("20211220_工作总结.txt", &reference),
        ("20230115_民主生活会发言提纲.txt", &reference),
    ] {
        std::fs::copy(fixture.join(name), dir.path().join(name)).expect("copy");
    }
    let roots = [audited.path(), reference.path()];
    let (corpus, errors) = Corpus::load_roots(&roots, analyzer(), &|_| {}, &|_| {}).expect("loads");
    assert!(errors.is_empty());
    let checker = Checker { analyzer: analyzer(), corpus: &corpus, settings: Settings::default() };
    // Documents are numbered by name: the reference corpus's absolute paths sort first.
    let ids: Vec<u32> =
        (0..corpus.len() as u32).filter(|&d| corpus.doc(d).doc.path.starts_with(audited.path())).collect();
    assert_eq!(ids, vec![2, 3]);
    let result = audit(&checker, &ids, &|_| {});
    let reference_name = |n: &str| reference.path().join(n).to_string_lossy().into_owned();
    let pairs: Vec<(&str, &str, &str)> =
        result.pairs.iter().map(|p| (p.doc_a.as_str(), p.doc_b.as_str(), p.source.as_str())).collect();
    let (study, outline) =
        (reference_name("20211220_工作总结.txt"), reference_name("20230115_民主生活会发言提纲.txt"));
    assert_eq!(
        pairs,
        vec![
            (study.as_str(), "20220301_研讨发言材料.txt", study.as_str()),
            (outline.as_str(), "20230520_新闻报道.txt", outline.as_str()),
        ]
    );
    let kinds: Vec<(ClusterKind, usize)> = result.clusters.iter().map(|c| (c.kind, c.documents)).collect();
    assert_eq!(kinds, vec![(ClusterKind::Specific, 2), (ClusterKind::Specific, 2)]);
    let drafts: Vec<&str> = result.reports.iter().map(|r| r.draft.as_str()).collect();
    assert_eq!(drafts, vec!["20220301_研讨发言材料.txt", "20230520_新闻报道.txt"]);
}

#[test]
fn documents_sharing_only_taohua_make_no_pair_and_no_cluster() {
    let corpus = load(&root().join("corpus/seeds"));
    let result = run_audit(&corpus);
    let taohua_spans: usize = result
        .reports
        .iter()
        .map(|r| r.spans.iter().filter(|s| s.kind == chachong::classify::SpanKind::Boilerplate).count())
        .sum();
    assert_eq!(taohua_spans, 16, "the seeds share 套话 runs");
    assert_eq!(result.pairs, vec![]);
    assert_eq!(result.clusters, vec![]);
}

#[test]
fn one_shared_policy_phrase_makes_a_partial_paragraph_but_no_pair() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("2026_甲市_工作报告.txt"),
        "今年我们着力改善老旧小区的供水管网，新建社区食堂十二处，推进新一轮服务业扩大开放综合试点，群众办事更加方便。\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("2026_乙县_工作报告.txt"),
        "全县围绕茶叶和竹木两大产业延链补链，推进新一轮服务业扩大开放综合试点，乡村旅游收入稳步增长。\n",
    )
    .expect("write");
    let corpus = load(dir.path());
    let result = run_audit(&corpus);
    let verdicts: Vec<String> = result.reports.iter().map(|r| r.paragraphs[0].verdict.to_string()).collect();
    assert_eq!(verdicts, vec!["partial", "partial"]);
    assert_eq!(result.pairs, vec![]);
}

/// Real sentences of the 2026 provincial reports in corpus/: a phrase each pair of tests shares,
/// and text of each report that the other does not have.
const JOBS: &str = "切实加强外卖员、快递员、网约车司机等新就业群体服务保障";
const NURSING: &str = "新增社区嵌入式养老服务机构";
const ELDERLY: &str = "健全覆盖城乡的养老服务网络，实施好失能老人养老服务消费补贴项目，新增社区嵌入式养老服务机构150家，培育镇街区域养老服务中心100家，新增认知障碍照护床位3000张。";
const HUBEI: &str = "统筹推进“水铁公空管”五类交通网络互联互通、整合运营，支持武汉建设国际性综合交通枢纽，支持襄阳、宜昌、黄冈-鄂州-黄石建设全国性综合交通枢纽，加快长江航道整治、武汉枢纽直通线、高速公路提质扩容、川气东送二线湖北段等重大项目建设，推动天河国际机场和花湖国际机场联动发展，努力打造内陆地区最为便捷的立体交通网络。";
const ANHUI: &str = "基本公共服务均等化水平不高，稳就业促增收压力加大，民生保障短板不少。资源环境约束趋紧，绿色转型任务较重。一些重点领域还有风险隐患，安全发展基础需进一步夯实。一些政府工作人员市场化思维、国际化视野、专业化能力有待提升，一些部门“四风”问题依然存在，部分领域腐败问题仍有发生。";

#[test]
fn a_few_shared_policy_phrases_make_partial_paragraphs_but_no_pair() {
    let dir = tempfile::tempdir().expect("tmp");
    let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).expect("write");
    write(
        "2026_甲省_工作报告.txt",
        format!("{HUBEI}{JOBS}，稳定和扩大农民工等重点群体就业渠道。发展医养结合服务，{NURSING}110个、农村幸福院750个。\n"),
    );
    write(
        "2026_乙省_工作报告.txt",
        format!("{ANHUI}推进生活服务领域标准化建设，{JOBS}。实施好失能老人养老服务消费补贴项目，{NURSING}150家。\n"),
    );
    let corpus = load(dir.path());
    let result = run_audit(&corpus);
    let verdicts: Vec<Vec<String>> =
        result.reports.iter().map(|r| r.paragraphs.iter().map(|p| p.verdict.to_string()).collect()).collect();
    assert_eq!(verdicts, vec![vec!["partial"], vec!["partial"]]);
    let shared: Vec<usize> = result.reports.iter().map(|r| r.paragraphs[0].matched_chars).collect();
    assert_eq!(shared, vec![41, 41], "more than the 26 chars of one phrase");
    assert_eq!(result.pairs, vec![], "two shared phrases are below the pair floor");
}

#[test]
fn a_short_document_copied_whole_is_a_pair() {
    let dir = tempfile::tempdir().expect("tmp");
    let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).expect("write");
    write("20260110_养老服务通知.txt", format!("{ELDERLY}\n"));
    write("20260302_工作报告.txt", format!("{HUBEI}\n{ELDERLY}\n{ANHUI}\n"));
    let corpus = load(dir.path());
    let result = run_audit(&corpus);
    let pairs: Vec<(&str, &str, &str)> =
        result.pairs.iter().map(|p| (p.doc_a.as_str(), p.doc_b.as_str(), p.source.as_str())).collect();
    assert_eq!(
        pairs,
        vec![("20260110_养老服务通知.txt", "20260302_工作报告.txt", "20260110_养老服务通知.txt")]
    );
    assert_eq!(format!("{:.3}", result.pairs[0].share_a), "1.000");
}

/// Seeds (real documents sharing only 套话), each with the paragraph of `appended` of the same
/// rank after it when that is not empty.
fn seeds_with(appended: &[&str]) -> Audit {
    let dir = tempfile::tempdir().expect("tmp");
    let mut seeds: Vec<_> = std::fs::read_dir(root().join("corpus/seeds"))
        .expect("seeds")
        .map(|e| e.expect("seed").path())
        .collect();
    seeds.sort();
    for (seed, paragraph) in seeds.iter().zip(appended) {
        let mut text = std::fs::read_to_string(seed).expect("seed");
        if !paragraph.is_empty() {
            text = format!("{}\n{paragraph}\n", text.trim_end());
        }
        std::fs::write(dir.path().join(seed.file_name().expect("name")), text).expect("write");
    }
    run_audit(&load(dir.path()))
}

#[test]
fn a_passage_a_third_document_also_holds_is_weaker_evidence_of_a_pair() {
    let two = seeds_with(&[HUBEI, HUBEI, ""]);
    let pairs: Vec<(&str, &str, usize)> =
        two.pairs.iter().map(|p| (p.doc_a.as_str(), p.doc_b.as_str(), p.shared_chars)).collect();
    assert_eq!(pairs, vec![("000_9947b52c349c4fd4.txt", "001_440a4fa48f8209b1.txt", 138)]);

    // In three documents the passage counts half towards each pair (69 < 104 chars): none of the
    // three copied it from another more than from the third; the cluster shows all three.
    let three = seeds_with(&[HUBEI, HUBEI, HUBEI]);
    assert_eq!(three.pairs, vec![]);
    let clusters: Vec<(ClusterKind, usize)> = three.clusters.iter().map(|c| (c.kind, c.documents)).collect();
    assert_eq!(clusters, vec![(ClusterKind::Specific, 3)]);
}

#[test]
fn a_cluster_whose_every_phrase_recurs_elsewhere_is_boilerplate() {
    let both = format!("{HUBEI}{ANHUI}");
    let kinds = |audit: &Audit| -> Vec<(ClusterKind, usize)> {
        audit.clusters.iter().map(|c| (c.kind, c.documents)).collect()
    };
    // Two documents share a paragraph that only they hold: a specific recycled passage.
    let alone = seeds_with(&[&both, &both, "", ""]);
    assert_eq!(kinds(&alone), vec![(ClusterKind::Specific, 2)]);
    // When a third document holds its first half and a fourth its second, all the two share but
    // the few chars where the halves meet is held by others too (and neither half alone is a
    // near-duplicate of the whole): the pair of paragraphs is a corner of a formula.
    let parts = seeds_with(&[&both, &both, HUBEI, ANHUI]);
    assert_eq!(kinds(&parts), vec![(ClusterKind::Boilerplate, 2)]);
    let verdicts: Vec<String> = parts.reports[..2]
        .iter()
        .map(|r| r.paragraphs.last().map(|p| p.verdict.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(verdicts, vec!["copy", "copy"], "the check still calls each paragraph a copy");
}

/// `chachong` run from folder `cwd`.
fn chachong_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

#[test]
fn review_of_an_audit_finds_its_documents_from_any_folder() {
    // An office's folder: the units' documents and a reference corpus, named relative to it.
    let fixture = root().join(FIXTURE);
    let work = tempfile::tempdir().expect("tmp");
    for (name, dir) in [
        ("20220301_研讨发言材料.txt", "units"),
        ("20230520_新闻报道.txt", "units"),
        ("20211220_工作总结.txt", "ref"),
        ("20230115_民主生活会发言提纲.txt", "ref"),
    ] {
        std::fs::create_dir_all(work.path().join(dir)).expect("mkdir");
        std::fs::copy(fixture.join(name), work.path().join(dir).join(name)).expect("copy");
    }
    let run =
        chachong_in(work.path(), &["audit", "--corpus", "units", "--against", "ref", "--out", "reports"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let manifest = std::fs::read_to_string(work.path().join("reports/chachong-run.txt")).expect("manifest");
    let units = std::path::absolute(work.path().join("units")).expect("abs");
    assert!(
        manifest.contains(&format!(
            "\ndraft\t20230520_新闻报道.txt\t{}\t",
            units.join("20230520_新闻报道.txt").display()
        )),
        "{manifest}"
    );

    // Reviewed from elsewhere, by a colleague given the report folder.
    let elsewhere = tempfile::tempdir().expect("tmp");
    let reports = work.path().join("reports");
    let review =
        chachong_in(elsewhere.path(), &["review", "--color", "never", reports.to_str().expect("utf-8")]);
    let (stdout, stderr) = (String::from_utf8_lossy(&review.stdout), String::from_utf8_lossy(&review.stderr));
    assert_eq!(review.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "every document and source found");
    let shown: Vec<&str> = stdout.lines().collect();
    let at = shown
        .iter()
        .position(|l| l.starts_with("  ¶9 copy 复制 · score 1.000 · ref/20211220_工作总结.txt ¶4"))
        .unwrap_or_else(|| panic!("the recycled paragraph of 研讨发言材料 is listed:\n{stdout}"));
    assert!(
        shown[at + 1].starts_with("    【一是完善学习机制。探索形成党组理论学习中心组"),
        "{}",
        shown[at + 1]
    );
    assert_eq!(shown[at + 2], "    ← ref/20211220_工作总结.txt ¶4");
    assert!(
        shown[at + 3].starts_with("      【一是完善学习机制。"),
        "the reference document's text: {}",
        shown[at + 3]
    );
}

#[test]
fn a_dateline_is_never_a_specific_cluster() {
    // Two consecutive reports of one NPC term: their datelines share the congress's name
    // (「在第十四届全国人民代表大会第」), which no other document of the two holds.
    let dir = tempfile::tempdir().expect("tmp");
    for year in [2023, 2024] {
        let name = format!("{year}_国务院_政府工作报告.txt");
        std::fs::copy(root().join("corpus/govreports/national").join(&name), dir.path().join(&name))
            .expect("copy");
    }
    let result = run_audit(&load(dir.path()));
    let dateline = cluster_starting(&result, "——2023年3月5日在第十四届全国人民代表大会第一次会议上");
    assert_eq!((dateline.documents, dateline.kind), (2, ClusterKind::Boilerplate));
    let specific: Vec<String> = result
        .clusters
        .iter()
        .filter(|c| c.kind == ClusterKind::Specific)
        .map(|c| c.excerpt.chars().take(12).collect())
        .collect();
    assert_eq!(
        specific,
        ["这些年我国发展取得的成就", "今年发展主要预期目标是：", "我们要全面准确、坚定不移"]
    );
}
