#!/usr/bin/env bash
# Runs the bad-input corpus (BadInputTests) and the kill test (KillTests) against the debug build and prints the
# figures the README's "Reliability" section quotes: corpus size by area, cases passed, kill points, faults survived.
#
#   scripts/reliability-figures.sh            # build, run both, print the figures
#   scripts/reliability-figures.sh --failing  # also list the corpus cases and kill points that failed
#
# Exits 1 if a corpus case or a kill-test check failed (the figures are printed either way). RLHF_KILL_JOBS sets how
# many kill points run at once (default 2). The full logs are kept in $RLHF_FIGURES_LOGS (default: a temporary folder);
# with RLHF_FIGURES_REUSE=1 the logs already there are read again instead of running the tests.
set -uo pipefail
cd "$(dirname "$0")/.."

list_failing=false
[[ "${1:-}" == "--failing" ]] && list_failing=true
logs="${RLHF_FIGURES_LOGS:-$(mktemp -d)}"
mkdir -p "$logs"

if [[ -z "${RLHF_FIGURES_REUSE:-}" ]]; then
    swift build --build-tests >"$logs/build.log" 2>&1 || { cat "$logs/build.log"; echo "build failed"; exit 2; }
    swift test --skip-build --filter BadInputTests >"$logs/corpus.log" 2>&1
    swift test --skip-build --filter KillTests >"$logs/kill.log" 2>&1
fi

# Swift Testing names each case of a parameterized test: "… 1 argument c → AREA/WHAT …".
grep -oE 'Test case passing 1 argument c → [^ ]+' "$logs/corpus.log" | awk '{print $NF}' | sort -u >"$logs/cases.txt"
grep -oE 'recorded an issue with 1 argument c → [^ ]+' "$logs/corpus.log" | awk '{print $NF}' | sort -u \
    >"$logs/failing.txt"
total=$(wc -l <"$logs/cases.txt")
failing=$(wc -l <"$logs/failing.txt")

echo "Bad-input corpus: $total cases, $((total - failing)) passed, $failing failed"
awk -F/ '{print $1}' "$logs/cases.txt" | sort | uniq -c | while read -r count area; do
    failed=$(grep -c "^$area/" "$logs/failing.txt")
    printf '  %-12s %4d cases  %4d passed\n' "$area" "$count" "$((count - failed))"
done
[[ "$total" == 0 ]] && echo "  (no case ran; see $logs/corpus.log)"

kill_line=$(grep -E '^kill test:' "$logs/kill.log")
if [[ -n "$kill_line" ]]; then
    echo "Kill test: ${kill_line#kill test: }"
    echo "  where the kills left the store, by command:"
    grep -E '^  (create|run|resume|gc|gc --vacuum|rollback):' "$logs/kill.log" | sed 's/^/  /'
else
    echo "Kill test: did not finish; see $logs/kill.log"
fi

if $list_failing; then
    echo "Failing corpus cases:"
    sed 's/^/  /' "$logs/failing.txt"
    echo "Failing kill-point checks:"
    grep -E '^↳ (create|run|resume|gc|gc --vacuum|rollback) ' "$logs/kill.log" | sed 's/^↳/ /'
fi
echo "logs: $logs"

kill_failed=$(sed -nE 's/.* ([0-9]+) failed checks$/\1/p' <<<"$kill_line")
[[ "$failing" == 0 && "${kill_failed:-1}" == 0 ]]
