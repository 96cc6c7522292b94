#!/usr/bin/env bash
# Side by side with the peers (issue #7): chachong and every installed peer of ../shared/peers on the
# same corpora (1, 10, 50 MB) and the same 20 labelled drafts, in one run, each run under
# `/usr/bin/time -v` (wall time, peak RSS), all scored by the peers' own scorer.
#
#   bench/run.sh [--sizes "1 10 50"] [--peers "simhash datasketch gaoya dolma dolma:--mode,ngram"]
#                [--timeout SECS] [--work DIR] [--results DIR] [--bin PATH] [--no-setup]
#
#   --sizes     corpus sizes in MB (default "1 10 50"; must be sizes make_bench.py built)
#   --peers     peers to run; "peer:a,b" passes "a b" to ../shared/peers/PEER/run.sh (as run_bench.sh does)
#   --timeout   seconds per run before it is killed and reported as "timeout" (default 1800;
#               env BENCH_TIMEOUT works too)
#   --work      where the generated corpora, drafts, truth.csv and chachong's indexes go
#               (default /tmp/chachong-peers-bench; built by make_bench.py if absent, never committed)
#   --results   where results.tsv, raw/ and RESULTS.md go (default bench/results, gitignored)
#   --bin       time this chachong binary instead of building the repository's (cargo build --release)
#   --no-setup  do not run ../shared/peers/setup.sh for peers that are not installed; skip them
#
# Needs: ../shared beside the repository (peers/, data/, seeds/), python3, GNU time (/usr/bin/time),
# coreutils timeout, cargo; PyPI access the first time if peers are not installed yet (setup.sh).
# Writes bench/results/results.tsv (one line per run), bench/results/raw/ (each run's reports, logs,
# time -v output), bench/results/RESULTS.md (the tables, via bench/table.py) and prints RESULTS.md.
#
# Per corpus size: the page cache is warmed with the corpus, then
#   chachong  index     `chachong index` into a fresh index (WORK/index_<N>mb.PID, removed after)
#   chachong  check     `chachong check --index` of the 20 drafts against that index
#   chachong  noindex   `chachong check --no-index` of the 20 drafts (index + check in one process)
#   PEER      index     PEER/run.sh with no drafts (reads the corpus, builds its in-memory index)
#   PEER      check     PEER/run.sh with the 20 drafts (index + check in one process; the peer's
#                       timings.json splits it into build_index and check_drafts)
# A run that fails or times out is recorded as such and the benchmark goes on.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

sizes="1 10 50"
peers="simhash datasketch gaoya dolma dolma:--mode,ngram"
tmo=${BENCH_TIMEOUT:-1800}
work=/tmp/chachong-peers-bench
bin=""
res=$repo/bench/results
setup=1
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a value}; shift 2 ;;
    --peers) peers=${2?--peers needs a value}; shift 2 ;;
    --timeout) tmo=${2:?--timeout needs a value}; shift 2 ;;
    --work) work=${2:?--work needs a value}; shift 2 ;;
    --results) res=${2:?--results needs a value}; shift 2 ;;
    --bin) bin=${2:?--bin needs a value}; shift 2 ;;
    --no-setup) setup=0; shift ;;
    -h|--help) usage ;;
    *) echo "bench/run.sh: unknown argument '$1' (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
done
case $tmo in ''|*[!0-9]*) echo "bench/run.sh: --timeout must be whole seconds, got '$tmo'" >&2; exit 2 ;; esac

say() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# --- what we need from outside the repository ---------------------------------------------------
shared=$repo/../shared
if [ ! -d "$shared" ]; then
  cat >&2 <<EOF
bench/run.sh: ../shared is missing (looked for $(cd "$repo/.." && pwd)/shared).
This benchmark needs the project's shared folder beside the repository: ../shared/peers (the peer
wrappers, make_bench.py, score.py), ../shared/data and ../shared/seeds (the texts the corpora and drafts
are built from). Check out or mount it there and run bench/run.sh again.
EOF
  exit 2
fi
shared=$(cd "$shared" && pwd)
peerdir=$shared/peers
for need in "$peerdir/bench/make_bench.py" "$peerdir/bench/score.py" "$shared/data" "$shared/seeds"; do
  [ -e "$need" ] || { echo "bench/run.sh: $need is missing; ../shared is incomplete (see ../shared/peers/README.md)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench/run.sh: needs GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2; exit 2; }
command -v timeout >/dev/null || { echo "bench/run.sh: needs 'timeout' (coreutils)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/run.sh: needs python3" >&2; exit 2; }

mkdir -p "$res" && res=$(cd "$res" && pwd) || { echo "bench/run.sh: cannot create the results folder $res" >&2; exit 2; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
# the commit measured: HEAD when the run starts, and the last commit that changed chachong itself
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$repo" status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock 2>/dev/null)" ] \
  && commit="$commit (with uncommitted changes to src/ or Cargo.*)"
src_commit=$(git -C "$repo" log -1 --format=%h -- src Cargo.toml Cargo.lock 2>/dev/null || echo unknown)
say "load average at start: $load_start"

# --- chachong -----------------------------------------------------------------------------------
if [ -z "$bin" ]; then
  say "building chachong (cargo build --release)"
  cargo build --release -q || { echo "bench/run.sh: cargo build --release failed; fix the build and run again" >&2; exit 1; }
  bin=$repo/target/release/chachong
fi
[ -x "$bin" ] || { echo "bench/run.sh: chachong binary $bin not found or not executable" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# --- benchmark data (the peers' make_bench.py; deterministic) -----------------------------------
have_data=1
[ -f "$work/truth.csv" ] && [ -d "$work/drafts" ] || have_data=0
for s in $sizes; do [ -d "$work/corpus_${s}mb" ] || have_data=0; done
if [ $have_data = 0 ]; then
  say "building the benchmark data into $work (make_bench.py, sizes $sizes)"
  mkdir -p "$work"
  python3 "$peerdir/bench/make_bench.py" "$shared/data" "$shared/seeds" "$work" --sizes "$(echo $sizes | tr ' ' ',')" \
    || { echo "bench/run.sh: make_bench.py failed (see above); remove $work and run again" >&2; exit 1; }
else
  say "benchmark data present in $work (remove it to rebuild)"
fi
drafts=("$work"/drafts/*.txt)
[ ${#drafts[@]} -eq 20 ] || say "warning: expected 20 drafts in $work/drafts, found ${#drafts[@]}"
truth=$work/truth.csv

# --- peers: installed? else setup.sh ------------------------------------------------------------
peer_ok() { # peer name -> 0 when its interpreter imports what its run.sh needs
  case $1 in
    simhash) "$peerdir/.venv/bin/python" -c "import jieba, simhash" ;;
    datasketch) "$peerdir/.venv/bin/python" -c "import datasketch, jieba" ;;
    gaoya) "$peerdir/.venv/bin/python" -c "import gaoya" ;;
    dolma) "$peerdir/.venv-dolma/bin/python" -c "import dolma" || "$peerdir/.venv/bin/python" -c "import dolma" ;;
    *) [ -x "$peerdir/$1/run.sh" ] ;;
  esac >/dev/null 2>&1
}
names=""
for spec in $peers; do p=${spec%%:*}; [[ " $names " == *" $p "* ]] || names="$names $p"; done
missing=""
for p in $names; do
  [ -x "$peerdir/$p/run.sh" ] || { say "no peer '$p' in $peerdir (skipped)"; continue; }
  peer_ok "$p" || missing="$missing $p"
done
if [ -n "$missing" ] && [ $setup = 1 ]; then
  say "installing peers:$missing ($peerdir/setup.sh, log in $res/setup.log)"
  "$peerdir/setup.sh" $missing > "$res/setup.log" 2>&1 || say "setup.sh failed (see $res/setup.log); going on with what installed"
fi
installed=""
for p in $names; do
  if [ -x "$peerdir/$p/run.sh" ] && peer_ok "$p"; then installed="$installed $p"
  else say "peer $p is not installed: its rows say 'not installed' (install: $peerdir/setup.sh $p)"; fi
done

# --- one timed run ------------------------------------------------------------------------------
tsv=$res/results.tsv
[ -f "$tsv" ] && mv "$tsv" "$tsv.prev"
printf 'tool\targs\tsize_mb\tcorpus_bytes\tphase\tstatus\twall_s\tmax_rss_mb\tload1\tinternal_timings\taccuracy\n' > "$tsv"
rm -rf "$res/raw"; mkdir -p "$res/raw"

row() { # tool args size bytes phase status wall rss load timings accuracy
  local IFS=$'\t'; echo "$*" >> "$tsv"
  say "$1${2:+ $2} ${3} MB $5: $6 wall=${7:-?}s rss=${8:-?}MB ${11}"
}
timed() { # tool args size bytes phase outdir -- command...
  local tool=$1 args=$2 size=$3 bytes=$4 phase=$5 out=$6; shift 7
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$out/time.txt" timeout -k 30 "$tmo" "$@" > "$out/log.txt" 2>&1
  local rc=$? status=ok
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then status=timeout
  elif [ $rc -ne 0 ]; then status="FAILED rc=$rc"; fi
  local wall rss tim="" acc=""
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$out/time.txt" 2>/dev/null)
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$out/time.txt" 2>/dev/null)
  [ -f "$out/timings.json" ] && tim=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":"), ensure_ascii=False))' "$out/timings.json" 2>/dev/null)
  if [ "$status" = ok ] && [ "$phase" != index ]; then
    if [ -f "$out/paragraphs.csv" ]; then
      acc=$(python3 "$peerdir/bench/score.py" "$truth" "$out/paragraphs.csv" 2>>"$out/log.txt") || acc="score failed"
    else
      status="FAILED no paragraphs.csv"
    fi
  fi
  [ "$status" = ok ] || say "$tool $size MB $phase: $status (log: $out/log.txt)"
  row "$tool" "$args" "$size" "$bytes" "$phase" "$status" "$wall" "$rss" "$load" "$tim" "$acc"
  [ "$status" = ok ]
}

# --- the runs -----------------------------------------------------------------------------------
for size in $sizes; do
  corpus=$work/corpus_${size}mb
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END{print s+0}')
  say "corpus ${size} MB: $bytes bytes, $(find "$corpus" -type f | wc -l) files; warming the page cache"
  find "$corpus" -type f -exec cat {} + > /dev/null

  # chachong: index (fresh), check against it, and check --no-index
  idx=$work/index_${size}mb.$$   # per process, so two runs do not share it
  rm -rf "$idx"
  out=$res/raw/chachong_${size}mb_index; mkdir -p "$out"
  if timed chachong "" "$size" "$bytes" index "$out" -- "$bin" index --corpus "$corpus" --index "$idx"; then
    du -sb "$idx" | cut -f1 > "$out/index_bytes"
    out=$res/raw/chachong_${size}mb_check; mkdir -p "$out"
    timed chachong "" "$size" "$bytes" check "$out" -- "$bin" check --corpus "$corpus" --index "$idx" --out "$out" "${drafts[@]}"
  else
    row chachong "" "$size" "$bytes" check "skipped: index failed" "" "" "" "" ""
  fi
  out=$res/raw/chachong_${size}mb_noindex; mkdir -p "$out"
  timed chachong "--no-index" "$size" "$bytes" noindex "$out" -- "$bin" check --no-index --corpus "$corpus" --out "$out" "${drafts[@]}"
  rm -rf "$idx"

  # peers, as ../shared/peers/bench/run_bench.sh runs them
  for spec in $peers; do
    peer=${spec%%:*}; args=""; [ "$spec" != "$peer" ] && args=$(echo "${spec#*:}" | tr ',' ' ')
    tag="$peer$(echo "$args" | tr -d ' -')"
    if [[ " $installed " != *" $peer "* ]]; then
      for phase in index check; do row "$peer" "$args" "$size" "$bytes" "$phase" "not installed" "" "" "" "" ""; done
      continue
    fi
    for phase in index check; do
      out=$res/raw/${tag}_${size}mb_$phase; mkdir -p "$out"
      d=(); [ $phase = check ] && d=("${drafts[@]}")
      # shellcheck disable=SC2086  # args are word-split on purpose, as in run_bench.sh
      timed "$peer" "$args" "$size" "$bytes" "$phase" "$out" -- "$peerdir/$peer/run.sh" --corpus "$corpus" --out "$out" $args "${d[@]}"
    done
  done
done

# --- the table ----------------------------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average at end: $load_end"
model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
mem=$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)
cat > "$res/meta.tsv" <<EOF
started	$started
finished	$(date -u '+%Y-%m-%d %H:%M UTC')
machine	${model:-unknown CPU}, $(nproc) cores, $mem RAM, $(uname -sr)
commit	$commit (chachong's source last changed in $src_commit)
chachong	$bin ($("$bin" --version 2>/dev/null))
load_start	$load_start
load_end	$load_end
timeout	$tmo
work	$work
command	bench/run.sh --sizes "$sizes" --peers "$peers" --timeout $tmo
EOF
python3 "$repo/bench/table.py" "$tsv" "$res/meta.tsv" > "$res/RESULTS.md" \
  || { echo "bench/run.sh: bench/table.py failed; the raw figures are in $tsv" >&2; exit 1; }
cat "$res/RESULTS.md"
say "written $res/RESULTS.md (raw: $res/results.tsv, $res/raw/)"
