#!/usr/bin/env bash
# The stored index, measured: build time and MB/s, index size per corpus char, check latency with
# the index warm in the page cache, incremental update for 1 % new documents, peak RSS.
#
#   benches/index_times.sh [WORK_DIR]      (from the repository root; needs ../shared/data)
#
# WORK_DIR (default /tmp/chachong-bench) receives the generated corpora (benches/make_corpus.py):
# a 62 MB one (one edited copy of ../shared/data) and a ~500 MB one (eight copies).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d ../shared/data ] || { echo "needs ../shared/data (the 62 MB corpus) beside the repository" >&2; exit 2; }
work=${1:-/tmp/chachong-bench}
cargo build --release -q
bin=$PWD/target/release/chachong
mkdir -p "$work"
[ -d "$work/mid/corpus" ] || python3 benches/make_corpus.py ../shared/data "$work/mid" 1 >&2
[ -d "$work/big/corpus" ] || python3 benches/make_corpus.py ../shared/data "$work/big" 8 >&2

timed() { # label, command...: one table row with wall time and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs kb < "$work/time"
  echo "$secs $kb"
}
chars() { python3 - "$1" <<'PY'
import os, sys
n = b = 0
for d, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [x for x in dirs if not x.startswith(".")]
    for f in files:
        if f.endswith((".txt", ".md")):
            data = open(os.path.join(d, f), "rb").read()
            b += len(data); n += len(data.decode("utf-8", "replace"))
print(n, b)
PY
}
add_one_percent() { python3 - "$1" <<'PY'
import os, sys
root = sys.argv[1]
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) if "/." not in d for f in fs if f.endswith(".txt"))
for p in paths[:: 100]:
    text = open(p, encoding="utf-8").read().replace("。", "。新", 3)
    open(p[:-4] + "_new.txt", "w", encoding="utf-8").write(text)
print(len(paths[:: 100]))
PY
}

echo "| corpus | MB | index build | MB/s | peak RSS | index size | bytes per corpus char | check sample draft | check 10k-char draft | check peak RSS | +1 % documents | update ÷ build |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for name in data mid big; do
  case $name in
    data) corpus=../shared/data; index=$work/data-index; label="../shared/data" ;;
    mid) corpus=$work/mid/corpus; index=$corpus/.chachong; label="62 MB generated" ;;
    big) corpus=$work/big/corpus; index=$corpus/.chachong; label="500 MB generated" ;;
  esac
  find "$corpus" -name '*_new.txt' -delete
  rm -rf "$index"
  read -r nchars nbytes < <(chars "$corpus")
  read -r build_s build_kb < <(timed build "$bin" index --corpus "$corpus" --index "$index")
  size=$(du -sb "$index" | cut -f1)
  best() { # best of three warm checks
    local b=999 r=0
    for _ in 1 2 3; do
      read -r s kb < <(timed check "$bin" check --corpus "$corpus" --index "$index" --out "$work/rep" "$@")
      if awk "BEGIN{exit !($s < $b)}"; then b=$s; fi; r=$kb
    done
    echo "$b $r"
  }
  read -r sample_s sample_kb < <(best examples/draft.docx)
  read -r big_s big_kb < <(best "$work/big/draft10k.txt")
  upd="n/a"; ratio="n/a"
  if [ "$name" != data ]; then
    added=$(add_one_percent "$corpus")
    read -r upd_s _ < <(timed update "$bin" index --corpus "$corpus" --index "$index")
    upd="$upd_s s ($added docs)"; ratio=$(awk "BEGIN{printf \"%.1f %%\", 100*$upd_s/$build_s}")
    find "$corpus" -name '*_new.txt' -delete
  fi
  rss_check=$(( (sample_kb > big_kb ? sample_kb : big_kb) / 1024 ))
  awk -v l="$label" -v mb="$nbytes" -v b="$build_s" -v bkb="$build_kb" -v sz="$size" -v n="$nchars" \
      -v s="$sample_s" -v bs="$big_s" -v rc="$rss_check" -v u="$upd" -v r="$ratio" 'BEGIN {
    printf "| %s | %.0f | %.1f s | %.1f | %d MB | %.0f MB | %.2f | %.2f s | %.2f s | %d MB | %s | %s |\n",
      l, mb/1e6, b, mb/1e6/b, bkb/1024, sz/1e6, sz/n, s, bs, rc, u, r }'
done
