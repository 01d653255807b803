#!/bin/sh
# VADER's throughput: the Swift port (Sources/Sentiment compiled -O, whole-module, as `swift build -c release` does)
# against the reference Python package, on the same texts (the equivalence fixture's), in the same run.
#
#   scripts/vader_throughput.sh [REPEATS]      (needs `pip install vaderSentiment==3.3.2`)
set -eu
cd "$(dirname "$0")/.."
repeats="${1:-20}"
fixture=Tests/SentimentTests/Fixtures/vader_reference.jsonl
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swiftc -O -wmo -module-name VaderThroughput Sources/Sentiment/*.swift scripts/vader_throughput/main.swift \
    -o "$out/vader_throughput"
"$out/vader_throughput" "$fixture" "$repeats"
python3 scripts/vader_throughput/vader_python.py "$fixture" "$repeats"
