#!/usr/bin/env bash
# Renders a run report in headless Chromium and checks the screenshot, so the report is known to render.
#
#   scripts/screenshot-report.sh [OUT.png]      (default: report.png in a temporary folder, path printed)
#
# Runs notebooks/slides.rlhf on a fresh temporary store, writes `rlhf report 1 -o report.html`, screenshots it at
# 1200×2000 with `chromium --headless`, and fails unless the PNG is exactly 1200×2000 and large enough (> 60 KB) to
# hold charts and text — a blank or unstyled page compresses to far less. Needs Debian's `chromium` package
# (`apt-get install -y chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v chromium >/dev/null || { echo "error: chromium not found (apt-get install -y chromium)" >&2; exit 1; }
swift build >/dev/null
bin="$(swift build --show-bin-path)/rlhf"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="${1:-$tmp/report.png}"

"$bin" run notebooks/slides.rlhf --store "$tmp/lab.sqlite" --quiet >/dev/null
"$bin" report 1 -o "$tmp/report.html" --store "$tmp/lab.sqlite"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$out" --window-size=1200,2000 \
    "file://$tmp/report.html" >/dev/null 2>&1

[ -s "$out" ] || { echo "error: no screenshot written" >&2; exit 1; }
# PNG header: bytes 16–23 are the width and height, big-endian.
read -r width height < <(od -An -tu1 -j16 -N8 "$out" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
size=$(wc -c < "$out")
echo "screenshot $out: ${width}x${height}, $size bytes"
[ "$width" -eq 1200 ] && [ "$height" -eq 2000 ] || { echo "error: expected 1200x2000" >&2; exit 1; }
[ "$size" -gt 60000 ] || { echo "error: screenshot is only $size bytes; the page looks empty" >&2; exit 1; }
echo "report renders"
