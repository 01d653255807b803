#!/usr/bin/env bash
# Regenerates the multi-seed rows of the README's "Alignment science: results" table (and docs/science.md): runs the
# sweeps of dpo_vs_ppo, iterative and active_learning on a temporary store and prints their `rlhf compare` tables.
#
#   scripts/science_sweeps.sh [RLHF_BINARY] [SEEDS]
#
# RLHF_BINARY defaults to .build/release/rlhf (build it with `swift build -c release --product rlhf`); SEEDS defaults
# to 1-20 (any `rlhf sweep --seeds` form). JOBS (default 1) runs that many runs at once; CSV=1 also prints each table
# as CSV. The store is deleted at the end unless KEEP=1, which prints its path (then `rlhf report --sweep ID` draws it).
#
# Time, measured once with the debug build, 20 seeds, JOBS=1, on a 2-core AMD EPYC shared with other builds: 831 s
# (dpo_vs_ppo 425 s, iterative 205 s, active_learning 195 s, 80 runs). A single debug run of each notebook takes
# 4-6 s on its own, so on an idle machine expect about 7 min in debug; the release build was not timed.
set -euo pipefail

rlhf="${1:-.build/release/rlhf}"
seeds="${2:-1-20}"
jobs="${JOBS:-1}"
cd "$(dirname "$0")/.."
[ -x "$rlhf" ] || { echo "error: no rlhf binary at $rlhf (build it, or pass its path)" >&2; exit 2; }

dir="$(mktemp -d)"
store="$dir/science.sqlite"
if [ "${KEEP:-0}" = 1 ]; then echo "store: $store"; else trap 'rm -rf "$dir"' EXIT; fi

# A fresh store numbers the sweeps 1, 2, 3 in the order they are started.
sweep() {
    local started=$SECONDS
    "$rlhf" sweep "$@" --seeds "$seeds" --jobs "$jobs" --store "$store" >"$dir/sweep.log" 2>&1 \
        || { cat "$dir/sweep.log" >&2; exit 1; }
    echo "($((SECONDS - started)) s)"
}
compare() {
    local id=$1; shift
    local args=(--sweep "$id" --store "$store")
    for metric in "$@"; do args+=(--metric "$metric"); done
    "$rlhf" compare "${args[@]}"
    if [ "${CSV:-0}" = 1 ]; then "$rlhf" compare "${args[@]}" --csv; fi
    echo
}

echo "== sweep 1: rlhf sweep notebooks/dpo_vs_ppo.rlhf --seeds $seeds $(sweep notebooks/dpo_vs_ppo.rlhf)"
# A matched difference is logged only where both frontiers reach that KL: its n (`--json`) can be below N.
compare 1 matched.ppo_minus_dpo.kl0.25 matched.ppo_minus_dpo.kl0.5 matched.ppo_minus_dpo.kl1 \
    matched.ppo_minus_dpo.kl2 matched.ppo_minus_dpo.kl3
compare 1 matched.ppo.kl0.25 matched.dpo.kl0.25 matched.ppo.kl0.5 matched.dpo.kl0.5 matched.ppo.kl1 matched.dpo.kl1
compare 1 matched.ppo.kl2 matched.dpo.kl2 matched.ppo.kl3 matched.dpo.kl3
"$rlhf" compare --sweep 1 --store "$store" --json | python3 -c '
import json, sys
metrics = json.load(sys.stdin)["groups"][0]["metrics"]
for name, m in sorted(metrics.items()):
    if name.startswith("matched.") and m["missing"]:
        print("%s: n %d, %d seeds outside a frontier" % (name, m["n"], m["missing"]))
'
echo
compare 1 start.gold rloo.gold rloo.kl adaptive.gold adaptive.kl

echo "== sweep 2: rlhf sweep notebooks/iterative.rlhf --seeds $seeds $(sweep notebooks/iterative.rlhf)"
compare 2 diff.iterated_minus_fair diff.iterated_minus_long
compare 2 final.iterated final.fair_control final.long_control

echo "== sweep 3: rlhf sweep notebooks/active_learning.rlhf --seeds $seeds --param noise=0.0,0.1" \
    "$(sweep notebooks/active_learning.rlhf --param noise=0.0,0.1)"
compare 3 labels.random labels.uncertainty labels.random_minus_uncertainty labels.ratio
compare 3 reached.random reached.uncertainty agreement.random agreement.uncertainty at_budget.uncertainty_minus_random
