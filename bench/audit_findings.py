#!/usr/bin/env python3
"""Checks, independently of chachong's own matching, that each finding of an audit is more than
boilerplate: that the documents of every pair in pairs.csv, and the paragraphs of every `specific`
cluster in clusters.csv, share some text that no other document of the corpus holds.

    bench/audit_findings.py CORPUS OUT [--sample N]

CORPUS is the audited folder (UTF-8 .txt files), OUT the audit's report folder. Text is compared
as its CJK chars only; two texts share a stretch when every 13-char window of it (the 13-char rule)
occurs in both. A stretch is *specific* when none of its windows occurs in a document outside the
pair or cluster; a finding with no specific stretch consists only of text that other documents
hold too. Prints one line per finding (its specific chars and longest specific stretch), then the
count of findings without one; with --sample, the findings ranked 1, 1+k, 1+2k, … and the last.
"""

import argparse
import collections
import csv
import os
import sys

WINDOW = 13


def cjk(text):
    return "".join(c for c in text if "\u4e00" <= c <= "\u9fff")


def read_rows(out, name):
    with open(os.path.join(out, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def windows(s):
    return (s[i : i + WINDOW] for i in range(len(s) - WINDOW + 1))


def specific_stretches(texts, holders, members):
    """Stretches of the first text that another of `texts` shares and no non-member holds."""
    others = set()
    for t in texts[1:]:
        others.update(windows(t))
    first = texts[0]
    ok = [w in others and holders[w] <= members for w in windows(first)]
    stretches, i = [], 0
    while i < len(ok):
        if ok[i]:
            j = i
            while j + 1 < len(ok) and ok[j + 1]:
                j += 1
            stretches.append(first[i : j + WINDOW])
            i = j + 1
        else:
            i += 1
    return stretches


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--sample", type=int, default=0, help="show only about this many findings")
    args = ap.parse_args()

    raw = {}
    for top, _, files in os.walk(args.corpus):
        for f in files:
            if f.endswith(".txt") and not top.split(os.sep)[-1].startswith("."):
                path = os.path.join(top, f)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    raw[os.path.relpath(path, args.corpus)] = fh.read()
    holders = collections.defaultdict(set)
    for name, text in raw.items():
        for w in windows(cjk(text)):
            holders[w].add(name)

    findings = []
    for r in read_rows(args.out, "pairs.csv"):
        a, b = r["doc_a"], r["doc_b"]
        texts = [cjk(raw[a]), cjk(raw[b])]
        label = f"pair {a} + {b} ({r['shared_chars']} shared chars)"
        findings.append((label, specific_stretches(texts, holders, {a, b})))

    paragraphs = {(p["draft"], p["para"]): p for p in read_rows(args.out, "paragraphs.csv")}
    members = collections.defaultdict(list)
    for m in read_rows(args.out, "cluster_members.csv"):
        members[m["cluster"]].append((m["document"], m["para"]))
    for c in read_rows(args.out, "clusters.csv"):
        if c["kind"] != "specific":
            continue
        texts = []
        for doc, para in members[c["cluster"]]:
            p = paragraphs.get((doc, para))
            if p is None:  # a reference corpus's paragraph: not in paragraphs.csv
                continue
            texts.append(cjk(raw[doc][int(p["start"]) : int(p["end"])]))
        docs = {doc for doc, _ in members[c["cluster"]]}
        # Each member against the others: the cluster is specific if any member is.
        best = max(
            (specific_stretches(texts[i:] + texts[:i], holders, docs) for i in range(len(texts))),
            key=lambda s: sum(map(len, s)),
            default=[],
        )
        label = f"cluster {c['cluster']} ({c['documents']} documents) {c['excerpt'][:24]}"
        findings.append((label, best))

    shown = range(len(findings))
    if args.sample and len(findings) > args.sample:
        step = max(1, (len(findings) - 1) // (args.sample - 1))
        shown = sorted(set(list(range(0, len(findings), step))[: args.sample - 1] + [len(findings) - 1]))
    for i in shown:
        label, stretches = findings[i]
        longest = max(stretches, key=len, default="")
        print(f"{i + 1:4d} {sum(map(len, stretches)):5d} {label}\n       longest specific: {longest[:60]}")
    bare = [label for label, s in findings if not s]
    print(f"{len(findings)} findings, {len(bare)} without text specific to them", file=sys.stderr)
    for label in bare:
        print(f"  only shared with other documents too: {label}", file=sys.stderr)


if __name__ == "__main__":
    main()
