"""bench/results/results.tsv (from bench/run.sh) -> the side-by-side markdown tables.

usage: python3 bench/table.py RESULTS_TSV META_TSV > RESULTS.md
Needs: python3 (standard library only).

RESULTS_TSV has one line per timed run (tool, args, size_mb, corpus_bytes, phase, status, wall_s,
max_rss_mb, load1, internal_timings as JSON, accuracy as printed by ../shared/peers/bench/score.py);
META_TSV holds key<TAB>value lines (started, finished, machine, commit, chachong, load_start,
load_end, timeout, work, command). Only figures found in RESULTS_TSV are printed; a run that did not
finish shows its status (FAILED, timeout, not installed) instead of a number.
"""
import csv
import json
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ACC = re.compile(r"(copy|edited|partial)=(\d+)/(\d+)\(src_ok=(\d+)\)|original_FP=(\d+)/(\d+)")


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def secs(x):
    if x is None:
        return ""
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def ratio(a, b, why=""):
    if a is None or b is None or b == 0:
        return why if why and why != "ok" else "—"
    r = a / b
    if r >= 10:
        return f"{r:.0f}×"
    if r >= 1:
        return f"{r:.1f}×"
    if r >= 0.1:
        return f"{r:.2f}×"
    return f"{r:.3f}×"


def accuracy(s):
    """score.py line -> {label: (found, total, right_source)}, 'original': (flagged, total)."""
    out = {}
    for m in ACC.finditer(s or ""):
        if m.group(1):
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
        else:
            out["original"] = (int(m.group(5)), int(m.group(6)))
    return out


class Run:
    def __init__(self, r):
        self.r = r
        self.ok = r is not None and r["status"] == "ok"
        self.wall = num(r["wall_s"]) if self.ok else None
        self.rss = num(r["max_rss_mb"]) if self.ok else None
        try:
            self.tim = json.loads(r["internal_timings"]) if r and r["internal_timings"] else {}
        except json.JSONDecodeError:
            self.tim = {}
        self.acc = accuracy(r["accuracy"]) if self.ok else {}

    def status(self):
        if self.r is None:
            return "not run"
        s = self.r["status"]
        if s.startswith("FAILED"):
            return "FAILED"
        return s

    def cell(self, v, fmt=secs):
        return fmt(v) if self.ok and v is not None else ("" if self.ok else self.status())


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
    meta = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        k, _, v = line.rstrip("\n").partition("\t")
        meta[k] = v
    runs, order, sizes, nbytes = {}, [], [], {}
    for r in rows:
        key = (r["tool"], r["args"] if r["tool"] != "chachong" else "", int(r["size_mb"]))
        if key not in runs:
            runs[key] = {}
            order.append(key)
        runs[key][r["phase"]] = Run(r)
        if key[2] not in sizes:
            sizes.append(key[2])
        nbytes[key[2]] = num(r["corpus_bytes"])

    p = print
    p("# chachong and its peers, side by side (issue #7)")
    p()
    p(f"- date: {meta.get('started', '?')} to {meta.get('finished', '?')}")
    p(f"- machine: {meta.get('machine', '?')}")
    p(f"- commit: {meta.get('commit', '?')}; binary {meta.get('chachong', '?')}")
    p(f"- load average (1, 5, 15 min): {meta.get('load_start', '?')} at start, {meta.get('load_end', '?')} at end")
    p(f"- command: `{meta.get('command', '?')}` (timeout {meta.get('timeout', '?')} s per run; data in {meta.get('work', '?')})")
    p()
    p("| tool | corpus | index wall s | index MB/s | index peak RSS MB | check 20 drafts s | check peak RSS MB "
      "| index+check in one process: wall s / peak RSS MB | verbatim found (right source) | edited found (right source) "
      "| partial found (right source) | originals flagged |")
    p("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    figures = {}   # (tool label, size) -> dict of numbers for the ratios
    notes = []
    for key in order:
        tool, args, size = key
        ph = runs[key]
        label = tool + (f" {args}" if args else "")
        mb = (nbytes.get(size) or 0) / 1e6
        idx = ph.get("index", Run(None))
        if tool == "chachong":
            chk = ph.get("check", Run(None))
            one = ph.get("noindex", Run(None))
            check_s = chk.wall
            check_cell = chk.cell(check_s)
            check_rss = chk.rss
            acc_run = chk
            n_ok, n_acc = one.acc, chk.acc
            if one.ok and chk.ok and n_ok != n_acc:
                notes.append(f"chachong --no-index at {size} MB scored differently from the indexed check: "
                             f"{one.r['accuracy']}")
        else:
            chk = ph.get("check", Run(None))
            one = chk
            check_s = num(chk.tim.get("check_drafts")) if chk.ok else None
            check_cell = chk.cell(check_s) + ("*" if check_s is not None else "")
            check_rss = chk.rss
            acc_run = chk
        mbs = (mb / idx.wall) if idx.ok and idx.wall else None
        one_cell = f"{secs(one.wall)} / {one.rss:.0f}" if one.ok else one.status()
        a = acc_run.acc

        def found(lab):
            if not acc_run.ok:
                return acc_run.status()
            if lab not in a:
                return "?"
            f_, n, right = a[lab]
            return f"{f_}/{n} ({right})"
        fp = (f"{a['original'][0]}/{a['original'][1]}" if "original" in a
              else (acc_run.status() if not acc_run.ok else "?"))
        rss_cell = lambda run, v: (f"{v:.0f}" if run.ok and v is not None else run.cell(None))  # noqa: E731
        p(f"| {label} | {size} MB | {idx.cell(idx.wall)} | {idx.cell(mbs, lambda x: f'{x:.1f}')} "
          f"| {rss_cell(idx, idx.rss)} | {check_cell} | {rss_cell(chk, check_rss)} | {one_cell} "
          f"| {found('copy')} | {found('edited')} | {found('partial')} | {fp} |")
        figures[(label, size)] = dict(index=idx.wall, index_rss=idx.rss, check=check_s, check_rss=check_rss,
                                      one=one.wall, one_rss=one.rss, index_st=idx.status(), check_st=chk.status(),
                                      one_st=one.status())
    p()
    p("Corpus sizes: " + ", ".join(f"{s} MB = {int(nbytes[s] or 0):,} bytes" for s in sizes) + ". "
      "MB/s = corpus bytes / 10⁶ / index wall s. 20 drafts, 260 labelled paragraphs: 80 verbatim, 60 edited, "
      "40 partial (a 20–40 char run of a source inside new text), 80 original; “found” = verdict copy or "
      "partial, “right source” = also the right source document and paragraph (../shared/peers/bench/score.py).")
    p()
    p("How each figure is taken: every run is a separate process under `/usr/bin/time -v` (wall = elapsed, "
      "peak RSS = maximum resident set size). chachong: *index* = `chachong index` into a fresh index; "
      "*check* = `chachong check --index` of the 20 drafts against it (a new process: start-up, corpus stat, "
      "index map included); *one process* = `chachong check --no-index`. Peers keep no index between runs: "
      "*index* = the peer run with no drafts; *one process* = the peer run with the 20 drafts; "
      "\\* *check* = the peer's own `check_drafts` timer inside that process (after its index is built, no "
      "start-up), and its check peak RSS is that process's (it holds the index).")
    for n in notes:
        p()
        p(n)

    # chachong splits paragraphs at `　　` runs inside a line; score.py matches paragraphs by number.
    by_off = []
    try:
        import by_offsets
        raw = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "raw")
        work = meta.get("work", "")
        for s_ in sizes:
            out = os.path.join(raw, f"chachong_{s_}mb_check")
            if os.path.isfile(os.path.join(out, "spans.csv")):
                line = by_offsets.score(os.path.join(work, "truth.csv"), os.path.join(work, f"corpus_{s_}mb"), out)
                by_off.append((s_, accuracy(line)))
    except Exception as e:  # a diagnostic: never lose the tables for it
        p()
        p(f"(bench/by_offsets.py could not re-score chachong: {e})")
    if by_off:
        p()
        p("chachong's own reports, paragraphs matched to the benchmark's by char offsets instead of by number "
          "(`bench/by_offsets.py`; the benchmark numbers non-empty lines, chachong also starts a paragraph at a "
          "`　　` run inside a line, which shifts its numbers in drafts and sources that have such lines):")
        p()
        p("| tool | corpus | verbatim found (right source) | edited found (right source) | partial found (right source) "
          "| originals flagged |")
        p("| --- | --- | --- | --- | --- | --- |")
        for s_, a in by_off:
            cells = [f"{a[k][0]}/{a[k][1]} ({a[k][2]})" if k in a else "?" for k in ("copy", "edited", "partial")]
            fp = f"{a['original'][0]}/{a['original'][1]}" if "original" in a else "?"
            p(f"| chachong, by offsets | {s_} MB | {' | '.join(cells)} | {fp} |")

    tools = [k for k in dict.fromkeys(label for label, _ in figures) if k != "chachong"]
    if ("chachong", sizes[0]) in figures and tools:
        p()
        p("## Ratios, chachong ÷ peer (same run; below 1 means chachong is faster or smaller)")
        p()
        p("| corpus | peer | index wall | index peak RSS | check 20 drafts | check peak RSS | index+check one process: wall | one process: peak RSS |")
        p("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for s in sizes:
            c = figures.get(("chachong", s))
            if not c:
                continue
            for t in tools:
                q = figures.get((t, s))
                if not q:
                    continue
                ix, ck, on = q["index_st"], q["check_st"], q["one_st"]
                p(f"| {s} MB | {t} | {ratio(c['index'], q['index'], ix)} | {ratio(c['index_rss'], q['index_rss'], ix)} "
                  f"| {ratio(c['check'], q['check'], ck)} | {ratio(c['check_rss'], q['check_rss'], ck)} "
                  f"| {ratio(c['one'], q['one'], on)} | {ratio(c['one_rss'], q['one_rss'], on)} |")
        p()
        p("“check 20 drafts” compares chachong's whole `check` process with the peer's in-process "
          "`check_drafts` timer (see above), which favours the peer.")

    p()
    p("## Every run")
    p()
    p("| tool | corpus | phase | status | wall s | peak RSS MB | load (1 min) at start | peer's own timings s |")
    p("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        tim = ""
        if r["internal_timings"]:
            try:
                d = json.loads(r["internal_timings"])
                tim = ", ".join(f"{k} {v}" for k, v in d.items()
                                if k in ("load", "write_corpus", "fingerprint_corpus", "build_index",
                                         "check_drafts", "total"))
            except json.JSONDecodeError:
                tim = "unreadable timings.json"
        label = r["tool"] + (f" {r['args']}" if r["args"] else "")
        p(f"| {label} | {r['size_mb']} MB | {r['phase']} | {r['status']} | {r['wall_s']} | {r['max_rss_mb']} "
          f"| {r['load1']} | {tim} |")


if __name__ == "__main__":
    main()
