#!/usr/bin/env bash
# Copy ≠ 套话 as the corpus grows (issue #13): the shared benchmark's 20 drafts checked against its
# 1 MB and 50 MB corpora and against the 50 MB corpus with the ~500 MB of benches/make_corpus.py
# added, by each binary given, in one run; scored by the benchmark's scorer (paragraph numbers) and
# by bench/by_offsets.py (char offsets, chachong's own paragraphing).
#
#   bench/verdicts_at_scale.sh [--work DIR] BIN [BIN...]
#
# --work  where the corpora and reports go (default /tmp/chachong-scale; built if absent, never
#         committed: ../shared/data/speeches may not be redistributed)
# Prints one line per binary and corpus: wall/user seconds, peak RSS (KB), then both scores.
# Needs ../shared (peers/bench/make_bench.py, data/, seeds/), python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=/tmp/chachong-scale
if [ "${1:-}" = --work ]; then work=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: bench/verdicts_at_scale.sh [--work DIR] BIN [BIN...]" >&2; exit 2; }
shared=$repo/../shared
if [ ! -f "$work/truth.csv" ]; then
  python3 "$shared/peers/bench/make_bench.py" "$shared/data" "$shared/seeds" "$work" --sizes 1,50
fi
if [ ! -d "$work/corpus_550mb" ]; then
  python3 benches/make_corpus.py "$work/corpus_50mb" "$work/big" 10
  mkdir -p "$work/corpus_550mb"
  cp -r "$work/corpus_50mb/." "$work/corpus_550mb/"
  cp -r "$work/big/corpus" "$work/corpus_550mb/big"
fi
for size in 1 50 550; do
  corpus=$work/corpus_${size}mb
  cat $(find "$corpus" -type f) > /dev/null   # warm the page cache alike for every binary
  for bin in "$@"; do
    tag=$(basename "$bin")
    out=$work/out/$tag-${size}mb
    rm -rf "$out"; mkdir -p "$out"
    /usr/bin/time -f "%e %U %M" -o "$out/time" "$bin" check --no-index --corpus "$corpus" --out "$out" \
      "$work"/drafts/*.txt > /dev/null 2> "$out/stderr"
    by_number=$(python3 "$shared/peers/bench/score.py" "$work/truth.csv" "$out/paragraphs.csv")
    by_offset=$(python3 bench/by_offsets.py "$work/truth.csv" "$corpus" "$out" 2> /dev/null)
    echo "$tag ${size}MB [wall user KB: $(cat "$out/time")] by number: $by_number | by offsets: $by_offset"
  done
done
