#!/usr/bin/env python3
"""A large corpus for the index benchmarks: COPIES copies of a corpus folder, each with small
deterministic edits (one char changed in about a third of the lines, digits shifted), so that
copies share text like real reuse but are not byte-identical. Also writes a 10,000-char draft
assembled from the source corpus with edits.

    python3 benches/make_corpus.py ../shared/data /tmp/big 8      # ~500 MB from the 62 MB corpus

Do not commit its output (../shared/data/speeches may not be redistributed).
"""
import os
import random
import sys

FILLERS = "新要全好大进推展强实稳深"
SUFFIXES = (".txt", ".md")


def edit(text, rng, shift):
    out = []
    for line in text.split("\n"):
        if line and rng.random() < 0.33:
            i = rng.randrange(len(line))
            if "\u4e00" <= line[i] <= "\u9fff":
                line = line[:i] + rng.choice(FILLERS) + line[i + 1:]
        line = "".join(chr((ord(c) - 48 + shift) % 10 + 48) if c.isdigit() and c.isascii() else c for c in line)
        out.append(line)
    return "\n".join(out)


def files(root):
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for n in sorted(names):
            if n.endswith(SUFFIXES) and not n.startswith("."):
                yield os.path.join(d, n)


def main():
    src, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    paths = list(files(src))
    total = 0
    for k in range(copies):
        for p in paths:
            rel = os.path.relpath(p, src)
            with open(p, encoding="utf-8", errors="replace") as f:
                text = f.read()
            rng = random.Random(f"{k}/{rel}")
            dest = os.path.join(out, "corpus", f"copy-{k}", rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            data = edit(text, rng, k + 1).encode("utf-8")
            with open(dest, "wb") as f:
                f.write(data)
            total += len(data)
    rng = random.Random("draft")
    draft, chars = [], 0
    while chars < 10000:
        with open(rng.choice(paths), encoding="utf-8", errors="replace") as f:
            paras = [l.strip() for l in f.read().split("\n") if len(l.strip()) > 40]
        if paras:
            para = edit(rng.choice(paras), rng, 0)
            draft.append(para)
            chars += len(para)
    with open(os.path.join(out, "draft10k.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(draft) + "\n")
    print(f"{out}/corpus: {copies} copies, {len(paths) * copies} files, {total / 1e6:.0f} MB; {out}/draft10k.txt: {chars} chars")


if __name__ == "__main__":
    main()
