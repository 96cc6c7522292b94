#!/usr/bin/env bash
# Wall time and peak RSS of `chachong check` on the sample draft, against the shipped corpus/ and
# against all of ../shared/data (62 MB, when present), without an index (the corpus read and
# fingerprinted in the run) and with a stored index (kept in a temporary folder, never in
# ../shared), plus the fingerprinting throughput bench.
# Usage: benches/check_times.sh        (from the repository root; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/chachong
out=$(mktemp -d)
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$bin" check --out "$out/rep" "$@" >/dev/null 2>"$out/err" || true
  read -r secs kb < "$out/time"
  printf '| %s | %s s | %s MB |\n' "$label" "$secs" "$((kb / 1024))"
}
echo "| what | wall | peak RSS |"
echo "| --- | --- | --- |"
for i in 1 2 3; do run "sample draft (.docx) vs corpus/ (1.6 MB), no index, run $i" --no-index examples/draft.docx; done
if [ -d ../shared/data ]; then
  for i in 1 2 3; do
    run "sample draft (.docx) vs ../shared/data (62 MB), no index, run $i" --no-index --corpus ../shared/data examples/draft.docx
  done
  "$bin" index --corpus ../shared/data --index "$out/index" 2>/dev/null
  for i in 1 2 3; do
    run "sample draft (.docx) vs ../shared/data (62 MB), stored index, run $i" --corpus ../shared/data --index "$out/index" examples/draft.docx
  done
  cargo bench -q --bench throughput -- ../shared/data
fi
