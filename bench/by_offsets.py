"""Diagnostic: score a chachong report with its paragraphs re-numbered the benchmark's way.

usage: python3 bench/by_offsets.py TRUTH.csv CORPUS_DIR OUT_DIR [--misses]
  --misses  also list, on stderr, each labelled paragraph not found with the right source and each
            original paragraph called copy/partial
Needs: python3 (standard library only) and ../shared/peers/common/peerlib.py (found relative to
this file, or via PEERLIB_DIR).

The benchmark (../shared/peers: make_bench.py, score.py) numbers paragraphs as non-empty lines;
chachong also starts a paragraph at a `　　` run inside a line (scraped pages put several paragraphs
on one line), so where a draft or source holds such a line, its paragraph numbers and the truth's
differ and score.py, which matches by number, counts a right answer as wrong or missed. This script
maps chachong's rows back by char offsets: each benchmark draft paragraph takes the verdict of the
chachong row(s) inside it (copy > partial > boilerplate > original), and the source paragraph is the
benchmark paragraph of the source that holds the longest copy span (OUT_DIR/spans.csv) of that row.
It prints the same line as score.py. It is a diagnostic next to score.py, not a replacement: the
table in bench/results/RESULTS.md uses score.py for every tool.
"""
import csv
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("PEERLIB_DIR", os.path.join(here, "..", "..", "shared", "peers", "common")))
import peerlib  # noqa: E402

RANK = {"copy": 3, "partial": 2, "boilerplate": 1, "original": 0}


def para_of(paras, off):
    """benchmark paragraph number holding char offset off (or the next one after it)."""
    for n, s, e, _ in paras:
        if off < e:
            return n
    return paras[-1][0] if paras else 0


def score(truth_path, corpus, out, misses=False):
    """The score.py line for chachong's report in OUT_DIR, paragraphs matched by offsets."""
    truth = {}
    for r in csv.DictReader(open(truth_path, encoding="utf-8")):
        truth[(r["draft"], int(r["para"]))] = r
    drafts_dir = os.path.join(os.path.dirname(os.path.abspath(truth_path)), "drafts")
    spans = {}
    for r in csv.DictReader(open(os.path.join(out, "spans.csv"), encoding="utf-8-sig")):
        if r["kind"] == "copy":
            spans.setdefault((os.path.basename(r["draft"]), int(r["para"]), r["source"]), []).append(r)
    src_paras = {}

    def source_para(src, off):
        if src not in src_paras:
            src_paras[src] = list(peerlib.paragraphs(peerlib.read_text(os.path.join(corpus, src))))
        return para_of(src_paras[src], off)

    got = {}   # (draft, benchmark para) -> (verdict, source, source_para)
    bench_paras = {}
    for r in csv.DictReader(open(os.path.join(out, "paragraphs.csv"), encoding="utf-8-sig")):
        d = os.path.basename(r["draft"])
        if d not in bench_paras:
            bench_paras[d] = list(peerlib.paragraphs(peerlib.read_text(os.path.join(drafts_dir, d))))
        bp = para_of(bench_paras[d], int(r["start"]))
        sp = ""
        if r["source"]:
            runs = spans.get((d, int(r["para"]), r["source"]), [])
            if runs:
                best = max(runs, key=lambda x: int(x["end"]) - int(x["start"]))
                sp = str(source_para(r["source"], int(best["source_start"])))
        cand = (r["verdict"], r["source"], sp)
        old = got.get((d, bp))
        if old is None or RANK.get(cand[0], 0) > RANK.get(old[0], 0):
            got[(d, bp)] = cand
    stats = {}
    for k, t in truth.items():
        g = got.get(k)
        s = stats.setdefault(t["label"], [0, 0, 0])
        s[0] += 1
        right = False
        if g and g[0] in ("copy", "partial"):
            s[1] += 1
            if t["source"] and g[1].endswith(t["source"]) and g[2] == t["source_para"]:
                s[2] += 1
                right = True
        flagged = bool(g and g[0] in ("copy", "partial"))
        if misses and (flagged if t["label"] == "original" else not right):
            print(f"{k[0]} para {k[1]}: {t['label']} {t['source']} {t['source_para']} -> got {g}", file=sys.stderr)
    parts = []
    for lab in ["copy", "edited", "partial", "original"]:
        n, found, right = stats.get(lab, [0, 0, 0])
        parts.append(f"original_FP={found}/{n}" if lab == "original" else f"{lab}={found}/{n}(src_ok={right})")
    return " ".join(parts)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    print(score(*sys.argv[1:4], misses="--misses" in sys.argv[4:]))


if __name__ == "__main__":
    main()
