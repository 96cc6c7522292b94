//! Every tuning constant of the pipeline, in one place, with the reason for its value.
//!
//! Constants that change what is written into fingerprints (shingle size, hash seeds, winnowing
//! window) are part of the fingerprint format: changing them changes every stored index.

/// Words per shingle. Two-word shingles are mostly common collocations (经济 发展); three words
/// (≈ 6 chars of Chinese) are specific enough that their document frequency separates 套话 from
/// one document's wording, and short enough that a lightly edited clause still keeps some.
pub const SHINGLE_WORDS: usize = 3;

/// Winnowing window, in shingles. Guarantees that a shared run of `WINNOW_WINDOW + SHINGLE_WORDS - 1`
/// words (≈ 12 chars, just under the 13-char run that defines `partial`) is always retrieved, while
/// indexing only about 2 / (w + 1) = 40 % of the shingles.
pub const WINNOW_WINDOW: usize = 4;

/// Version of the stored index's file format (`index::segment`). Files of another version are
/// refused with a message saying how to rebuild, never misread.
/// Version 4 stores document names as the file system's bytes (see `crate::names`); version 5
/// records the analysis settings the fingerprints were made with (`index::segment::Stamp`).
pub const INDEX_FORMAT_VERSION: u32 = 5;

/// The oldest index format this chachong reads, as tantivy keeps a readable range: a format bump
/// that only adds need not make every office rebuild its index. Version 4 files hold what
/// version 5 does but the analysis stamp, and were only ever built unfolded with the built-in
/// marks (the one analysis an index could have then).
pub const OLDEST_READABLE_FORMAT_VERSION: u32 = 4;

/// Where a process's liveness cannot be seen (not Linux), a temporary file of a killed write is
/// removed by the next write once it is this old (seconds): no write of one file takes an hour.
pub const STALE_TEMP_SECS: u64 = 3600;

/// Bytes read at a time when opening an index file checks its sections' checksums: large enough
/// that a read costs little per byte, small enough to stay in the L2 cache while it is hashed.
pub const VERIFY_CHUNK_BYTES: usize = 1 << 20;

/// Version of what analysis writes into fingerprints beyond the constants above: the mark table,
/// normalization and segmentation. Bump it with any change to them, so old indexes are rebuilt.
/// Version 2: the template-site marks of 笔墨写作, the 文库 sites and more page chrome.
pub const ANALYSIS_VERSION: u32 = 2;

/// Documents read and fingerprinted per new index segment, in text bytes: bounds the memory of a
/// build, which holds one batch's fingerprints at a time.
pub const SEGMENT_BATCH_BYTES: usize = 64 << 20;

/// Keys per bucket aimed at when a build sorts postings and shingle hashes: one radix pass on the
/// top bits of the (uniform) hashes spreads them into buckets of about this many, each sorted
/// within the L2 cache and in parallel with the others.
pub const SORT_BUCKET_KEYS: usize = 2048;

/// An index is compacted (its segments merged into one) when it has more segments than this…
pub const COMPACT_MAX_SEGMENTS: usize = 8;
/// …or when this share of its documents has been removed or replaced.
pub const COMPACT_DELETED_SHARE: f64 = 0.25;

/// Chars per alignment seed gram. Dense rewrites (one edit every 7–8 chars) leave unchanged runs of
/// 4–7 chars; 4-grams catch them, 3-grams would also match every common word pair.
pub const SEED_GRAM: usize = 4;

/// A source gram occurring more often than this in one paragraph is skipped as a seed: such
/// repeats (的的, numbers) only multiply spurious seeds.
pub const SEED_GRAM_MAX_REPEAT: usize = 16;

/// Largest gap, in significant chars on either side, that the aligner bridges inside one run: a
/// changed number, a synonym swap, an inserted adverb or short clause.
pub const MAX_GAP: usize = 10;

/// How far, in chars, two chained seeds may drift apart diagonally (insertion minus deletion).
pub const MAX_DRIFT: usize = 8;

/// A chain needs at least this share of matched chars over its draft extent to count: below it,
/// it is scattered common words, not a copied run.
pub const MIN_CHAIN_DENSITY: f64 = 0.5;

/// Default minimum matched significant chars for a run to count as reuse (the 13-char rule that
/// CNKI-style reports use, applied to aligned chars rather than to one exact window).
pub const DEFAULT_MIN_RUN: usize = 13;

/// Matched chars from which a shorter run supports a pair that already has a `min_run` run (the
/// pieces of a lightly edited paragraph between its edits).
pub fn support_run(min_run: usize) -> usize {
    (min_run / 2).max(SEED_GRAM + 2).min(min_run)
}

/// Solid chars of an exact run that shingles only its source holds must cover end to end for the
/// run to count on its own (`classify::Evidence::specific_stretch`). Two reports of a year share
/// its formulas and, where one formula follows another, the junction words between them: on the
/// shared benchmark at 50 MB those junction stretches were 9 chars or fewer in all but a few of
/// the original paragraphs' matches, while a copied sentence keeps 18 and more of its source's own
/// wording. Three quarters of `min_run` (10 at 13) keeps the public eval set's dense rewrites,
/// whose exact pieces are short.
pub fn specific_run(min_run: usize) -> usize {
    (min_run * 3).div_ceil(4).max(SEED_GRAM + 2)
}

/// Independent documents (version families, `index::versions::count_families`) up to which
/// `min_run` alone tells a copied run from a chance echo of the genre …
pub const CHANCE_BASE_DOCS: usize = 64;
/// … and at most this many chars added beyond it, however large the corpus: a copied sentence of
/// the genre is 18 to 40 chars, and an exact run of [`LONG_EXACT_FACTOR`] × `min_run` counts
/// whatever the corpus.
pub const CHANCE_MAX_EXTRA: usize = 7;

/// The exact length from which a run whose wording only its source holds is evidence of copying,
/// in a corpus of `independent_docs` documents: `min_run`, plus one char for each doubling of the
/// corpus beyond [`CHANCE_BASE_DOCS`]. Like BLAST's E-value, the floor grows with the database:
/// the more independent writers a corpus holds, the longer the formula one of them shares with
/// the draft by chance (two 2026 provincial reports share 「进一步缩小城乡居民收入差距」 and
/// 「发表重要讲话、作出重要指示，为我们」, 13 and 15 chars, with no third document holding them;
/// on the shared benchmark at 50 MB, ≈ 2,700 independent documents, such echoes ran to 17 chars
/// while the copied sentences ran from 18). Versions count once, so ten copies of a corpus need
/// no longer runs than one.
pub fn chance_run(min_run: usize, independent_docs: usize) -> usize {
    let doublings = (independent_docs / CHANCE_BASE_DOCS).checked_ilog2().unwrap_or(0) as usize;
    min_run + doublings.min(CHANCE_MAX_EXTRA)
}

/// An exact match this many times `min_run` long (39 chars at 13) counts as copying whoever else
/// holds it: the genre's formulas run 6 to 20 chars (「确保政府工作始终在法治轨道上运行」, 16), while
/// a passage recycled through three reports is shared by all three.
pub const LONG_EXACT_FACTOR: usize = 3;

/// Digits of figures a run must share exactly with its source alone ([`crate::figures`]) to count
/// as copying even where its words are a formula: two figures, as 「5.67万亿元、增长5.4%」 (five),
/// 「城镇新增就业28万人…5.5%」 (four); one figure of one or two digits (「增长5%」) is chance.
pub const FIGURE_MIN_DIGITS: usize = 4;

/// A run without an exact match of `min_run` chars counts on its own only when it has this many
/// times `min_run` matched chars: a paraphrase leaves that many, two formulaic clauses that happen
/// to sit side by side do not.
pub const FUZZY_RUN_FACTOR: usize = 2;

/// … and only when less than this share of its matched chars lies in shingles that other
/// independent documents hold too: a paraphrase keeps the source's own wording in its unchanged
/// stretches; a formula filled in with another locality's names keeps only the genre's.
pub const FUZZY_MAX_COMMON_SHARE: f64 = 0.7;

/// Default share of a paragraph's significant chars that must come from one source for `copy`.
pub const DEFAULT_COPY_SCORE: f64 = 0.5;

/// A shingle is 套话 evidence when it occurs in at least this many corpus documents …
pub const BOILERPLATE_MIN_DOCS: u32 = 3;
/// … or in at least this share of them, whichever is larger, so the threshold grows with the corpus …
pub const BOILERPLATE_DOC_SHARE: f64 = 0.01;
/// … but never above this many: in a corpus of thousands of reports, a phrase that five of them
/// use independently (a campaign's name, the closing formula of a government work report) is a
/// formula of the genre, not one document's wording.
pub const BOILERPLATE_MAX_DOCS: u32 = 5;

/// Two documents are versions of one text, and count once in a phrase's document frequency, when
/// their distinct shingles overlap by this Jaccard share (`independence`). A report saved again
/// with a char changed in every third paragraph shares about 90 %; two reports of one province in
/// consecutive years, recycling a few passages, a few percent.
pub const VERSION_MIN_JACCARD: f64 = 0.5;

/// Hashes in a document's bottom-k MinHash sketch, stored in the index. The Jaccard estimate's
/// standard error is at most 1 / (2 √k) ≈ 0.09 at 32: versions (≈ 0.9) and independent
/// documents (< 0.2) stay far apart on either side of [`VERSION_MIN_JACCARD`], at 256 bytes per
/// document.
pub const VERSION_SKETCH: usize = 32;

/// Counting a corpus's independent documents compares only documents that share one of their
/// smallest this many sketch hashes: versions (Jaccard ≈ 0.9) share at least one of four with
/// probability above 0.999, and each document joins four buckets.
pub const VERSION_BUCKET_HASHES: usize = 4;
/// … and skips a bucket of more documents than this: a hash that many documents hold is a phrase
/// of the genre (「第一条　为了」), and the versions among them share other hashes as well.
pub const VERSION_BUCKET_MAX: usize = 256;
/// … and compares each document of a bucket with one of each of the first this many families met
/// there: ten copies of a text fall in one family at the first comparison, and a bucket of many
/// independent documents costs at most this many comparisons per document.
pub const VERSION_BUCKET_FAMILIES: usize = 16;

/// A run is boilerplate when at least this share of its chars is covered by 套话 shingles.
pub const BOILERPLATE_RUN_SHARE: f64 = 0.5;

/// … or, for a run shorter than `SHORT_RUN_FACTOR × min_run` matched chars, when at least this
/// share of its matched chars lie in high-frequency shingles.
pub const BOILERPLATE_MATCHED_SHARE: f64 = 0.7;
/// See [`BOILERPLATE_MATCHED_SHARE`].
pub const SHORT_RUN_FACTOR: usize = 3;

/// A paragraph with no copy is `boilerplate` when 套话 runs cover at least this share of it.
pub const BOILERPLATE_PARAGRAPH_SHARE: f64 = 0.5;

/// Retrieval reads at most this many postings of one fingerprint: common shingles would otherwise
/// make every query touch a large part of the corpus (their document frequency is kept apart).
pub const POSTINGS_CAP: usize = 64;

/// Source paragraphs aligned per draft paragraph, best retrieval score first.
pub const MAX_CANDIDATES: usize = 16;

/// Versions of one document (`index::versions`) whose paragraphs are aligned with a draft
/// paragraph beside the document's own, which alone count toward [`MAX_CANDIDATES`]: the
/// versions must be aligned for the phrases they share to count once, and a few are enough to see
/// which of them holds a passage as the draft has it; more would let ten saved copies of each
/// report crowd the other writers out (bounds the list at (1 + this) × [`MAX_CANDIDATES`]).
pub const MAX_VERSION_DOCS: usize = 3;

/// SimHash near-duplicates aligned per draft paragraph, nearest first, on top of
/// [`MAX_CANDIDATES`]: enough to find the source of a recycled paragraph, and bounded so that a
/// paragraph repeated in thousands of documents does not make an audit quadratic.
pub const MAX_NEAR_DUPLICATES: usize = 16;

/// SimHash distance (of 64 bits) within which two paragraphs are near-duplicates (Manku et al. 2007).
pub const SIMHASH_MAX_DISTANCE: u32 = 3;

/// Characters of a paragraph shown in the `excerpt` column.
pub const EXCERPT_CHARS: usize = 40;
/// Characters of the longest matched run shown in the `matched_text` column.
pub const MATCHED_TEXT_CHARS: usize = 80;

/// `chachong review` compares the two sides of a run char by char to show the edits inside it;
/// an equal stretch counts as the same text only from this many chars, since the shorter ones a
/// longest common subsequence finds inside a rewritten clause (a lone 的) would speckle the edit.
pub const REVIEW_MIN_SAME: usize = 2;
/// Above this many char pairs (a run of ~1,400 chars on each side) review shows a run whole:
/// the char-by-char comparison is quadratic, and runs that long are verbatim copies anyway.
pub const REVIEW_MAX_CELLS: usize = 2_000_000;
/// Sources listed under a draft's summary in the terminal: the main ones, on one screen.
pub const REVIEW_TERMINAL_SOURCES: usize = 5;
/// Sources listed in a draft's HTML header, where there is room for a longer tail.
pub const REVIEW_HTML_SOURCES: usize = 10;

/// The settings a user can change on the command line.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Minimum matched significant chars for `partial`.
    pub min_run: usize,
    /// Share of a paragraph from one source for `copy`.
    pub copy_score: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { min_run: DEFAULT_MIN_RUN, copy_score: DEFAULT_COPY_SCORE }
    }
}

/// Document frequency at or above which a shingle counts as 套话 in a corpus of `docs` documents.
pub fn boilerplate_min_df(docs: usize) -> u32 {
    let share = (docs as f64 * BOILERPLATE_DOC_SHARE).ceil() as u32;
    share.clamp(BOILERPLATE_MIN_DOCS, BOILERPLATE_MAX_DOCS)
}

/// Files larger than this are refused before they are read (`--max-file-mb` changes it). A long
/// speech is tens of KB as text and a few MB as .docx or PDF; 64 MiB leaves room for PDFs with
/// images while keeping a batch's memory bounded when a video or disk image carries a
/// document's extension.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A .docx whose `word/document.xml` inflates past this is refused: a zip bomb expands a few KB
/// into gigabytes, while the XML of a 500-page report is about 20 MiB.
pub const MAX_DOCX_XML_BYTES: u64 = 256 << 20;

/// Paragraphs longer than this many chars are cut (at a sentence end, see
/// [`crate::ingest::split_paragraphs_limited`]). A paragraph of official writing is rarely over
/// 1,000 chars; text flattened into one line (a PDF or web page without breaks) can be megabytes,
/// and alignment time grows with paragraph length times candidate length.
pub const MAX_PARAGRAPH_CHARS: usize = 3000;

/// How far back from [`MAX_PARAGRAPH_CHARS`] a sentence end is looked for, in chars: far enough to
/// find one in any real prose, near enough that pieces stay close to the limit.
pub const PARAGRAPH_CUT_WINDOW: usize = 1000;

/// Name patterns (prefix, suffix; ASCII case ignored) of the lock and temp files Word, WPS and
/// LibreOffice leave beside an open document: `~$报告.docx` (Word/WPS owner file, also for .doc and
/// .wps), `.~lock.报告.docx#` (LibreOffice), `~WRL0001.tmp` (Word's save temporaries, also
/// `~WRD`, `~WRF`). They carry a document's extension or none but hold no text, so a folder walk
/// skips and counts them instead of failing the run on each.
pub const LOCK_FILE_PATTERNS: [(&str, &str); 3] = [("~$", ""), (".~lock.", "#"), ("~wr", ".tmp")];

/// Bytes at the start of an .html file searched for the generator mark of chachong's own HTML
/// report (it comes within the first 600 bytes, before the title), so that a report written
/// inside the corpus is not indexed as a source; a few KB cost nothing beside reading the file.
pub const REPORT_SNIFF_BYTES: u64 = 4096;

/// Seconds LibreOffice may take to convert one .doc/.wps file: a long report converts in a few
/// seconds; a hung conversion (a damaged file) must not stall a batch.
pub const SOFFICE_TIMEOUT_SECS: u64 = 120;

/// Seconds headless Chromium may take to print the PDF report: the sample draft's adds 3.8 s to
/// its check on two busy cores (`time chachong check --pdf`), so this leaves room for batches of
/// hundreds of drafts; a browser that hangs must not hold the check forever.
pub const PDF_TIMEOUT_SECS: u64 = 300;

/// Lines at the top of a document searched for its date (title, dateline, salutation): a report's
/// `——2024年3月5日在…` line comes within the first few.
pub const DATE_LINES: usize = 6;

/// Longest dateline, in chars (`audit::dates::is_dateline`): a report's
/// `——2024年3月5日在第十四届全国人民代表大会第二次会议上` is 30, a rule's adoption line with its
/// meeting's full name 40-odd; a sentence that opens with a date runs longer, or has a full stop.
pub const DATELINE_MAX_CHARS: usize = 48;

/// Two paragraphs are near-duplicates, and join one cluster, when the runs aligned between them
/// cover at least this share of each. Requiring it of both sides keeps a short sentence quoted in
/// two unrelated long paragraphs from chaining them together; two thirds rather than half keeps
/// chains of half-similar formula paragraphs apart (at 0.5 one cluster of the 62 MB corpus held
/// 3,219 of its 3,595 documents), while a yearly paragraph edited in places still joins.
pub const CLUSTER_MIN_SHARE: f64 = 0.65;

/// A recycled paragraph that opens with a section number (「（五）」「一、」「第三章」), has no full stop
/// and is shorter than this many times `min_run` is a heading, not a passage: section titles of
/// reports run to 30-odd chars (「（五）继续深化改革开放，进一步完善有利于科学发展的体制机制」, 26).
pub const HEADING_MAX_RUNS: usize = 3;

/// Characters of a cluster's representative paragraph shown in `clusters.csv`.
pub const CLUSTER_EXCERPT_CHARS: usize = 80;

/// Shared significant chars a document pair needs, in multiples of `min_run` (8 × 13 = 104, two or
/// three sentences): one or two policy phrases shared by two reports make paragraphs `partial`
/// but are no evidence that one document was copied from the other. Reading the government work
/// reports' audit, nearly every pair sharing fewer than 100 chars shared a few formulas of the year
/// (「清理废除妨碍统一市场和公平竞争的各种规定和做法」, 「稳中求进、提质增效的政策取向」), while
/// consecutive reports recycling a passage share hundreds. WCopyfind's pair report has such a
/// floor too (100 words by default). The chars are weighted by how few other documents hold them
/// (`audit::pairs::rarity`): at equal length, a passage only the two share is better evidence of
/// copying between them than one that a third document holds too.
pub const PAIR_MIN_RUNS: usize = 8;

/// … unless the shared text is at least this share of either document: a short notice copied
/// whole is a pair however few chars it has.
pub const PAIR_MIN_DOC_SHARE: f64 = 0.5;

/// Paragraphs with text at a document's head read as its title for its locality (`findings::names`):
/// the title (「安化县2024年森林防火工作方案」) and the line under it (a dateline, the issuing unit).
pub const LOCALITY_TITLE_PARAGRAPHS: usize = 2;

/// Without a place in its title, a document is of the most specific division that at least this
/// share of its place names lie in: a county's report names its own townships most, a province's
/// its cities, and a national text no single province half the time.
pub const LOCALITY_MIN_SHARE: f64 = 0.5;

/// A draft is an earlier document recycled (旧稿翻新, `findings::recycled`) when at least this share
/// of it comes from that one document (its `top_source_ratio`): most of it, not one borrowed section.
pub const RECYCLED_MIN_SHARE: f64 = 0.5;

/// … and at least this many of the copied text's figures were changed: one differing number may be
/// a typo mended; two or more (the year, the targets) are a text brought up to date.
pub const RECYCLED_MIN_CHANGED: usize = 2;

/// Two paragraphs of one batch's drafts are the same record text (`findings::batch`) when exact
/// matches cover at least this share of each: 谈心谈话 records that differ only in the name, the
/// date and a word or two.
pub const BATCH_MIN_SHARE: f64 = 0.8;

/// … and both are at least this many times `min_run` significant chars long (4 × 13 = 52, two
/// sentences): shorter lines shared by two drafts are headings, datelines (「——2026年1月26日在…省
/// 第十四届人民代表大会第四次会议上」, the figures wildcards) and salutations, not a record's text.
pub const BATCH_MIN_RUNS: usize = 4;

/// Shared passages kept per document pair, the longest: what `pairs.csv`'s `shared_text` and the
/// audit's HTML page show of a pair, so an auditor sees what it is without opening both documents.
/// Three show whether a pair is one passage copied or several; more belong in `spans.csv`.
pub const PAIR_PASSAGES: usize = 3;

/// Chars of `pairs.csv`'s `shared_text`: the longest passages, joined by ` … `, cut here — a few
/// sentences, within what a spreadsheet cell shows when widened.
pub const PAIR_TEXT_CHARS: usize = 200;
/// Drafts one check of `chachong serve` takes: a folder of a year's drafts, while the uploads a
/// page can pile into the working folder stay bounded (this many times `--max-file-mb`).
pub const SERVE_MAX_DRAFTS: usize = 200;

/// Checks `chachong serve` keeps, with their drafts and reports, in its working folder; past this
/// the oldest one not queued or running is removed, so a page left open for weeks does not fill
/// the disk.
pub const SERVE_MAX_JOBS: usize = 32;

/// Corpus documents the page lists by name (all are counted): a list longer than a few thousand
/// rows is no help to read and slows the page that polls it.
pub const SERVE_LIST_DOCS: usize = 2000;

/// Paragraphs per Parquet file of `chachong export` (each file a consecutive range of documents):
/// a few tens of MB per file of the largest table, as Spark likes its input splits, and many
/// files for a corpus of millions of paragraphs so that its tasks read in parallel.
pub const EXPORT_PART_PARAGRAPHS: usize = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boilerplate_threshold_grows_with_the_corpus_up_to_its_cap() {
        let got: Vec<u32> = [1, 60, 300, 301, 450, 2719, 100_000].map(boilerplate_min_df).to_vec();
        assert_eq!(got, vec![3, 3, 3, 4, 5, 5, 5]);
    }
}
