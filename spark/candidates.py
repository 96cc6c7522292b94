"""The candidate pairs of `chachong audit`, on Apache Spark, from the Parquet of `chachong export`.

    spark-submit spark/candidates.py EXPORT_DIR OUT_DIR [--min-run N] [--files N]
    python3 spark/candidates.py EXPORT_DIR OUT_DIR --master 'local[2]'   (pyspark from PyPI)

For every paragraph of every audited document, the corpus paragraphs that `chachong audit` would
align it with, by exactly the rules of the in-process retrieval (src/index/mod.rs,
`Index::candidates_where`), with the limits the export carries in its `meta` table:

- the query is every distinct shingle of the paragraph, if the paragraph has at least
  min(min_run, default_min_run) significant chars;
- each shingle reads the first `postings_cap` postings of its fingerprint (by global paragraph
  number), the paragraphs of the audited document itself left out before the cap; the posting count
  without them, `total`, times the share of independent documents (distinct version families over
  distinct documents) among those holding the capped postings, `n`, weighs the fingerprint
  1 / (1 + ln n);
- documents known to be dated after the audited one are left out after the cap (a source is
  earlier than its copy: src/audit/dates.rs, `known_later`);
- a paragraph's score is the sum of its weights in ascending (unsigned) fingerprint order; the best
  `max_candidates` families, best first (ties by paragraph number): the first document met of a
  family takes its slots, at most `max_version_docs` other documents of the family come along
  without taking one (index::Index::best_of_independent);
- plus the `max_near_duplicates` nearest paragraphs within `simhash_max_distance` bits of SimHash
  (nearest first, ties by paragraph number), for a paragraph with at least one shingle.

Writes OUT_DIR/candidates (doc, para, candidate: a global paragraph number), sorted and split into
files by document range, and OUT_DIR/meta: the export's meta table with `min_run` added, which
`chachong audit --candidates` checks against the corpus it audits.
"""

import argparse
import math
import sys

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

FORMAT = "chachong-export"
FORMAT_VERSION = "2"

COLUMNS = {
    "documents": ["doc", "name", "first_para", "paragraphs", "audited", "family", "year", "month", "day",
                  "year_basis", "basis"],
    "paragraphs": ["doc", "para", "global", "chars", "simhash"],
    "postings": ["fingerprint", "doc", "para", "global"],
    "shingles": ["doc", "para", "fingerprint", "position"],
    "sketches": ["doc", "rank", "hash"],
    "meta": ["key", "value"],
}

MASK = (1 << 64) - 1
FILE_TIME = 2


class ExportError(Exception):
    pass


def read_tables(spark, export):
    """The export's tables, refused with one message when a table or column is missing or the
    export is of another format version."""
    tables = {}
    for name, cols in COLUMNS.items():
        path = f"{export}/{name}"
        try:
            df = spark.read.parquet(path)
        except Exception as e:  # Spark raises AnalysisException for a missing or unreadable folder.
            raise ExportError(f"{path}: not a table of chachong export ({type(e).__name__})") from None
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise ExportError(f"{path}: missing columns {', '.join(missing)}")
        tables[name] = df
    meta = {r["key"]: r["value"] for r in tables["meta"].collect()}
    if meta.get("format") != FORMAT:
        raise ExportError(f"{export}/meta: not an export of chachong (format {meta.get('format')!r})")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"{export}: export format version {meta.get('format_version')}, this job reads version "
            f"{FORMAT_VERSION}: export the corpus again with this chachong")
    return tables, meta


def known_later_sql(a, b):
    """SQL for `dates::known_later(date(a), date(b))` over the columns prefixed `a` and `b`."""
    def order(x, y):
        # DocDate::order: the first differing field decides; a 0 before it means unknown.
        return (f"CASE WHEN {a}year = 0 OR {b}year = 0 THEN NULL "
                f"WHEN {a}year <> {b}year THEN {x}year > {y}year "
                f"WHEN {a}month = 0 OR {b}month = 0 THEN NULL "
                f"WHEN {a}month <> {b}month THEN {x}month > {y}month "
                f"WHEN {a}day = 0 OR {b}day = 0 THEN NULL "
                f"WHEN {a}day <> {b}day THEN {x}day > {y}day ELSE NULL END")
    basis = (f"CASE WHEN {a}year = {b}year THEN greatest({a}basis, {b}basis) "
             f"ELSE greatest({a}year_basis, {b}year_basis) END")
    # Documents without a date have year 0: order is NULL, and NULL is not true.
    return f"(coalesce({order(a, b)}, false) AND ({basis}) <> {FILE_TIME})"


def best_of_independent(hits, family, limits):
    """The scored candidates of one paragraph, as Index::candidates_where and best_of_independent
    choose them. `hits` are (global, doc, fingerprint, weight) rows."""
    by_para = {}
    for g, doc, h, w in hits:
        by_para.setdefault(g, (doc, []))[1].append((h & MASK, w))
    scored = []
    for g, (doc, weights) in by_para.items():
        score = 0.0
        for _, w in sorted(weights):
            score += w
        scored.append((-score, g, doc))
    scored.sort()
    out, taken, slots = [], [], 0
    for _, g, doc in scored:
        if slots >= limits["max_candidates"]:
            break
        fam = family[doc]
        docs = next((d for f, d in taken if f == fam), None)
        if docs is None:
            taken.append((fam, [doc]))
            slots += 1
        elif docs[0] == doc:
            slots += 1
        elif doc in docs:
            pass
        elif len(docs) <= limits["max_version_docs"]:
            docs.append(doc)
        else:
            continue
        out.append(g)
    return out


def candidates(spark, export, min_run):
    tables, meta = read_tables(spark, export)
    limits = {k: int(meta[k]) for k in ["postings_cap", "max_candidates", "max_version_docs",
                                         "max_near_duplicates", "simhash_max_distance", "default_min_run"]}
    floor = min(min_run, limits["default_min_run"])
    docs = tables["documents"]
    dates = docs.select("doc", "year", "month", "day", "year_basis", "basis")
    qd = dates.select(*[F.col(c).alias("q" + c) for c in dates.columns])
    od = dates.select(*[F.col(c).alias("o" + c) for c in dates.columns])
    later = F.expr(known_later_sql("o", "q"))

    paras = tables["paragraphs"]
    queried = (paras.join(docs.select("doc", "audited"), "doc")
               .where(F.col("audited") & (F.col("chars") >= floor))
               .select(F.col("doc").alias("qdoc"), F.col("para").alias("qpara"), "simhash"))
    query = (tables["shingles"].select(F.col("doc").alias("qdoc"), F.col("para").alias("qpara"), "fingerprint")
             .join(queried.select("qdoc", "qpara"), ["qdoc", "qpara"]))

    # Postings ranked by paragraph within their fingerprint; per fingerprint and document, how many
    # and from which rank (a document's postings are one stretch of them).
    post = tables["postings"].withColumn(
        "rank", F.row_number().over(Window.partitionBy("fingerprint").orderBy("global")))
    totals = post.groupBy("fingerprint").agg(F.count("*").alias("all"))
    own = post.groupBy("fingerprint", "doc").agg(F.count("*").alias("own"), F.min("rank").alias("own_from"))
    q = (query.join(totals, "fingerprint")
         .join(own.withColumnRenamed("doc", "qdoc"), ["fingerprint", "qdoc"], "left")
         .fillna({"own": 0, "own_from": 0})
         .withColumn("total", F.col("all") - F.col("own"))
         .where(F.col("total") > 0))
    cap = limits["postings_cap"]
    capped = (q.join(post.select("fingerprint", F.col("doc").alias("odoc"), "global", "rank"), "fingerprint")
            .where(F.col("rank") <= cap + F.col("own"))
            .where(F.col("odoc") != F.col("qdoc"))
            .withColumn("eff", F.when(F.col("rank") < F.col("own_from"), F.col("rank"))
                        .otherwise(F.col("rank") - F.col("own")))
            .where(F.col("eff") <= cap))
    # A fingerprint's weight counts its holders by version family: total times the share of
    # independent documents among those holding its capped postings (before the date rule).
    fams = docs.select(F.col("doc").alias("odoc"), "family")
    share = (capped.join(F.broadcast(fams), "odoc")
             .groupBy("qdoc", "fingerprint")
             .agg(F.countDistinct("family").alias("families"), F.countDistinct("odoc").alias("holders")))

    @F.udf(T.DoubleType())
    def weight(total, families, holders):
        # As in Rust: 1 / (1 + ln(total * (families / holders))), in f64.
        return 1.0 / (1.0 + math.log(float(total) * (float(families) / float(max(holders, 1)))))

    hits = (capped.join(share, ["qdoc", "fingerprint"])
            .withColumn("weight", weight("total", "families", "holders"))
            .join(F.broadcast(qd), "qdoc").join(F.broadcast(od), "odoc")
            .where(~later))

    family = {r["doc"]: r["family"] for r in docs.select("doc", "family").collect()}
    family_b = spark.sparkContext.broadcast(family)
    limits_b = spark.sparkContext.broadcast(limits)

    @F.udf(T.ArrayType(T.LongType()))
    def choose(rows):
        return best_of_independent([(r[0], r[1], r[2], r[3]) for r in rows], family_b.value, limits_b.value)

    best = (hits.groupBy("qdoc", "qpara")
            .agg(F.collect_list(F.struct("global", "odoc", "fingerprint", "weight")).alias("hits"))
            .select("qdoc", "qpara", F.explode(choose("hits")).alias("candidate")))

    # SimHash near-duplicates: two hashes within 3 bits agree on one of four 16-bit blocks.
    blocks = F.array(*[F.struct(F.lit(b).alias("block"),
                                F.shiftrightunsigned(F.col("simhash"), 16 * b).bitwiseAND(0xFFFF).alias("key"))
                       for b in range(4)])
    with_shingles = query.select("qdoc", "qpara").distinct()
    qs = (queried.join(with_shingles, ["qdoc", "qpara"])
          .select("qdoc", "qpara", F.col("simhash").alias("qsim"), F.explode(blocks).alias("b"))
          .select("qdoc", "qpara", "qsim", "b.block", "b.key"))
    ts = (paras.select(F.col("doc").alias("odoc"), "global", F.col("simhash").alias("osim"),
                       F.explode(blocks).alias("b"))
          .select("odoc", "global", "osim", "b.block", "b.key"))
    near = (qs.join(ts, ["block", "key"])
            .where(F.col("odoc") != F.col("qdoc"))
            .withColumn("distance", F.bit_count(F.col("qsim").bitwiseXOR(F.col("osim"))))
            .where(F.col("distance") <= limits["simhash_max_distance"])
            .select("qdoc", "qpara", "odoc", "global", "distance").distinct()
            .join(F.broadcast(qd), "qdoc").join(F.broadcast(od), "odoc")
            .where(~later)
            .withColumn("n", F.row_number().over(
                Window.partitionBy("qdoc", "qpara").orderBy("distance", "global")))
            .where(F.col("n") <= limits["max_near_duplicates"])
            .select("qdoc", "qpara", F.col("global").alias("candidate")))

    out = (best.union(near).distinct()
           .select(F.col("qdoc").cast("int").alias("doc"), F.col("qpara").cast("int").alias("para"),
                   F.col("candidate").cast("long")))
    meta_out = dict(meta, min_run=str(min_run))
    return out, meta_out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("export")
    p.add_argument("out")
    p.add_argument("--min-run", type=int, default=13)
    p.add_argument("--files", type=int, default=0, help="output files (default: Spark's shuffle partitions)")
    p.add_argument("--master", help="Spark master when run without spark-submit (local[2])")
    args = p.parse_args(argv)
    builder = SparkSession.builder.appName("chachong candidates")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        out, meta = candidates(spark, args.export, args.min_run)
    except ExportError as e:
        print(f"candidates.py: {e}", file=sys.stderr)
        return 2
    files = args.files or int(spark.conf.get("spark.sql.shuffle.partitions"))
    (out.repartitionByRange(files, "doc").sortWithinPartitions("doc", "para", "candidate")
     .write.mode("overwrite").parquet(f"{args.out}/candidates"))
    (spark.createDataFrame(sorted(meta.items()), "key string, value string").coalesce(1)
     .write.mode("overwrite").parquet(f"{args.out}/meta"))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
