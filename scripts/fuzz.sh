#!/bin/sh
# Builds the libFuzzer target over the cell language and runs it.
#
#   scripts/fuzz.sh            fuzz for 60 seconds
#   scripts/fuzz.sh 3600       fuzz for an hour
#   scripts/fuzz.sh -runs=N    fuzz for N executions
#   scripts/fuzz.sh 600 -max_len=256    further arguments go to libFuzzer (later ones win)
#
# The corpus grows in .build/fuzz-corpus (seeded from the golden tests and the notebooks); crashes are written to
# .build/fuzz-crashes. Replay one with a plain build: `swift run rlhf-fuzz .build/fuzz-crashes/crash-…`.
set -eu
cd "$(dirname "$0")/.."
limit="${1:-60}"
[ $# -gt 0 ] && shift
case "$limit" in
    -runs=*) budget="$limit" ;;
    *) budget="-max_total_time=$limit" ;;
esac
scratch=.build/fuzz
swift build -c release --scratch-path "$scratch" --product rlhf-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING
corpus=.build/fuzz-corpus
crashes=.build/fuzz-crashes
mkdir -p "$corpus" "$crashes"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
cp notebooks/*.rlhf Tests/NotebookTests/Golden/*.rlhf "$seeds"/ 2>/dev/null || true
# -rss_limit_mb and -timeout turn a runaway input into a reported finding rather than a stuck run.
"$scratch/release/rlhf-fuzz" "$corpus" "$seeds" "$budget" -max_len=2048 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$@"
