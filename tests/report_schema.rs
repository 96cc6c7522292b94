//! The report tables' definitions (`chachong::report::schema`) against docs/report-format.md,
//! the contract scripts read: each table's documented columns in their order, their Chinese
//! names, and the names of the values (verdicts, kinds, statuses) in both languages.

use chachong::classify::{SpanKind, Verdict};
use chachong::report::schema::{self, ALL};
use chachong::table::{Schema, Term};

fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report-format.md"))
        .expect("docs/report-format.md")
}

/// The cells of a Markdown table row, trimmed, without the outer pipes.
fn cells(line: &str) -> Vec<&str> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(str::trim).collect()
}

/// The first column of the `| column | meaning |` table under `### OUT/<file>`, each cell split
/// at `, ` (`start, end` documents two columns).
fn documented_columns(doc: &str, file: &str) -> Vec<String> {
    let heading = format!("### OUT/{file}");
    let mut lines = doc.lines().skip_while(|l| !l.starts_with(&heading)).skip(1);
    let table = lines
        .by_ref()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect::<Vec<_>>();
    assert!(table.len() > 2, "no column table under {heading}");
    assert_eq!(cells(table[0]), ["column", "meaning"], "{heading}");
    table[2..].iter().flat_map(|l| cells(l)[0].split(", ").map(str::to_string).collect::<Vec<_>>()).collect()
}

/// The `en zh · en zh` pairs of the `--lang zh` table's row whose first cell is `key`.
fn chinese_row(doc: &str, key: &str) -> Vec<(String, String)> {
    let line = doc
        .lines()
        .find(|l| l.trim_start().starts_with('|') && cells(l).first() == Some(&key))
        .unwrap_or_else(|| panic!("no row {key:?} in the --lang zh tables"));
    cells(line)[1]
        .split(" · ")
        .map(|pair| {
            let (en, zh) = pair.trim().rsplit_once(' ').unwrap_or_else(|| panic!("{key}: {pair:?}"));
            (en.trim_matches('`').to_string(), zh.trim_matches('`').to_string())
        })
        .collect()
}

fn pairs(terms: &[Term]) -> Vec<(String, String)> {
    terms.iter().map(|t| (t.en.to_string(), t.zh.to_string())).collect()
}

fn english(s: &Schema) -> Vec<String> {
    s.columns.iter().map(|c| c.en.to_string()).collect()
}

#[test]
fn every_table_is_documented_with_its_columns_in_order() {
    let doc = doc();
    for s in ALL {
        let documented = documented_columns(&doc, s.file);
        let defined = english(s);
        // The contract's columns come first, in its order; chachong's additions (spans.csv's
        // `detail`, documents.csv's findings) follow, documented under "chachong's additions".
        assert!(
            defined.starts_with(&documented),
            "{}: documented {documented:?}, defined {defined:?}",
            s.file
        );
        for added in &defined[documented.len()..] {
            assert!(doc.contains(&format!("`{added}`")), "{}: column {added} is not documented", s.file);
        }
    }
    // The tables of the contract have exactly the columns it lists: a column added must be
    // documented, at the end.
    assert_eq!(documented_columns(&doc, schema::PARAGRAPHS_CSV).len(), 14);
    assert_eq!(documented_columns(&doc, schema::PAIRS_CSV), english(&schema::PAIRS));
    assert_eq!(documented_columns(&doc, schema::CLUSTERS_CSV), english(&schema::CLUSTERS));
}

#[test]
fn chinese_names_are_the_documented_ones() {
    let doc = doc();
    for s in ALL {
        assert_eq!(chinese_row(&doc, s.file), pairs(s.columns), "{}", s.file);
    }
    // The sheets of `--xlsx --lang zh`, in the order the doc lists them.
    let sheets: Vec<&str> = [&schema::DOCUMENTS, &schema::PARAGRAPHS, &schema::SPANS]
        .into_iter()
        .chain([&schema::PAIRS, &schema::CLUSTERS, &schema::CLUSTER_MEMBERS])
        .map(|s| s.name.zh)
        .collect();
    assert!(doc.contains(&format!("`--lang zh`: {})", sheets.join(" · "))), "sheets {sheets:?}");
}

#[test]
fn value_names_are_the_documented_ones() {
    let doc = doc();
    let verdicts: Vec<Term> = schema::VERDICTS.iter().map(|&(_, t, _)| t).collect();
    assert_eq!(chinese_row(&doc, "`verdict`"), pairs(&verdicts));
    let kinds =
        [schema::span_kind(SpanKind::Copy), schema::span_kind(SpanKind::Boilerplate), schema::FOREIGN_NAME];
    assert_eq!(chinese_row(&doc, "spans.csv `kind`"), pairs(&kinds));
    let clusters = [schema::SPECIFIC, schema::verdict(Verdict::Boilerplate)];
    assert_eq!(chinese_row(&doc, "clusters.csv `kind`"), pairs(&clusters));
    let unreadable =
        (format!("{}: <reason>", schema::UNREADABLE.en), format!("{}: <reason>", schema::UNREADABLE.zh));
    let mut statuses = pairs(&[schema::OK, schema::EMPTY]);
    statuses.push(unreadable);
    let documented: Vec<(String, String)> =
        cells(doc.lines().find(|l| l.starts_with("  | `status` |")).expect("the status row"))[1]
            .split(" · ")
            .map(|p| match p.split_once("` `") {
                Some((en, zh)) => (en.trim_matches('`').to_string(), zh.trim_matches('`').to_string()),
                None => {
                    let (en, zh) = p.rsplit_once(' ').expect("en zh");
                    (en.to_string(), zh.to_string())
                }
            })
            .collect();
    assert_eq!(documented, statuses);
    // The English verdicts are the contract's list.
    assert!(doc.contains("| verdict | `copy` · `partial` · `boilerplate` · `original` (see below) |"));
}
