#!/bin/sh
# Prints a fingerprint of every notebook in notebooks/: for each, the lines `rlhf run` prints and the hash of every
# commit it makes. A commit's hash covers its bindings, every checkpoint tensor, feedback row, metric value, output
# and artifact (store/README.md, "The commit chain"), so two fingerprints are equal only if the runs are bitwise equal.
#
#   scripts/fingerprint.sh [RLHF_BINARY] > before.txt     (default .build/debug/rlhf)
#
# A refactoring that must not change what runs computes the fingerprint before and after and compares them
# (`cmp before.txt after.txt`); the last line is the SHA-256 of everything above it.
set -eu
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/rlhf}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for notebook in notebooks/*.rlhf; do
    store="$work/$(basename "$notebook" .rlhf).sqlite"
    {
        echo "== $notebook"
        # Timings and the temporary store's path are the only things that differ between equal runs.
        "$bin" --store "$store" run "$notebook" | sed -E -e "s|$work|<store>|g" -e 's/[0-9]+(\.[0-9]+)? ?(ms|s|µs)\b/<time>/g'
        "$bin" --store "$store" query --csv "SELECT run_id, cell_id, hash FROM commits ORDER BY id"
    } >> "$work/all.txt"
done
cat "$work/all.txt"
echo "sha256 $(sha256sum < "$work/all.txt" | cut -d' ' -f1)"
