#!/usr/bin/env bash
# Builds chachong.exe for 64-bit Windows and packages it as target/windows/chachong-windows-x86_64.zip:
# the program, the demo corpus, the sample draft and a launcher to double-click (chachong.cmd,
# which starts `chachong.exe serve --open`). tests/windows.rs runs the packaged .exe under Wine.
#
# Needs the Rust target and a MinGW-w64 linker (Debian/Ubuntu):
#   rustup target add x86_64-pc-windows-gnu
#   apt-get install gcc-mingw-w64-x86-64
# and python3 (for the zip; its zipfile marks the Chinese file names as UTF-8).
set -euo pipefail
cd "$(dirname "$0")/../.."
target=x86_64-pc-windows-gnu
cargo build --release --locked --target "$target" --bin chachong

out=target/windows
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/chachong/examples"
# Without the debug info the release profile keeps (97 MB → 16 MB).
x86_64-w64-mingw32-strip -o "$stage/chachong/chachong.exe" "target/$target/release/chachong.exe"
# The demo corpus without hidden files (its index, .chachong/, is built on the first check).
(cd corpus && find . -mindepth 1 -name '.*' -prune -o -type f -print) | while read -r f; do
  mkdir -p "$stage/chachong/corpus/$(dirname "$f")"
  cp "corpus/$f" "$stage/chachong/corpus/$f"
done
cp examples/draft.docx examples/draft.txt "$stage/chachong/examples/"
# cmd.exe reads batch files line by line and wants CRLF; code page 65001 shows chachong's
# UTF-8 output (Chinese) in the console; the window stays open when the program fails.
printf '%s\r\n' '@echo off' 'chcp 65001 >nul' 'cd /d "%~dp0"' 'chachong.exe serve --open' \
  'if errorlevel 1 pause' > "$stage/chachong/chachong.cmd"
printf '%s\r\n' \
  'chachong 查重 for Windows' \
  '' \
  '双击 chachong.cmd 打开查重页面（本机离线运行，文稿不会离开这台电脑）。' \
  'Double-click chachong.cmd to open the checking page (it runs on this machine, offline).' \
  '' \
  '命令行 Command line (cmd.exe or PowerShell, in this folder):' \
  '  chachong.exe check examples\draft.docx' \
  '  chachong.exe check --lang zh --xlsx 报告.xlsx --corpus corpus 文稿.docx' \
  '' \
  'corpus\ 是示例语料 (the demo corpus); put your own earlier documents in a folder and give it with --corpus.' \
  '报告 reports\*.csv 可直接用 Excel/WPS 打开 (UTF-8 with BOM).' \
  > "$stage/chachong/README.txt"

zip="$out/chachong-windows-x86_64.zip"
rm -f "$zip"
(cd "$stage" && python3 -m zipfile -c ../chachong-windows-x86_64.zip chachong)
rm -rf "$stage"
# Debian 12's Wine 8.0 lacks ProcessPrng (packaging/windows/wine/bcryptprimitives.c): the Wine
# test puts this stand-in beside the .exe. It is not in the zip; Windows has the real one.
mkdir -p "$out/wine"
x86_64-w64-mingw32-gcc -O2 -shared -Wl,--kill-at -o "$out/wine/bcryptprimitives.dll" \
  packaging/windows/wine/bcryptprimitives.c -ladvapi32
echo "$zip"
