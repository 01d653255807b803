#!/usr/bin/env bash
# Regenerates the multi-seed rows of the README's "Alignment science: results" table (and docs/science.md): runs the
# sweeps of dpo_vs_ppo, iterative, active_learning, reward_hacking, annotators, overoptimization, evaluation,
# moderation and customer_service on a temporary store and prints their `rlhf compare` tables.
#
#   scripts/science_sweeps.sh [RLHF_BINARY] [SEEDS]
#   ONLY=reward_hacking,annotators scripts/science_sweeps.sh    # only these notebooks' sweeps
#
# RLHF_BINARY defaults to .build/release/rlhf (build it with `swift build -c release --product rlhf`); SEEDS defaults
# to 1-20 (any `rlhf sweep --seeds` form). JOBS (default 1) runs that many runs at once; CSV=1 also prints each table
# as CSV. The store is deleted at the end unless KEEP=1, which prints its path (then `rlhf report --sweep ID` draws it).
#
# Time, measured with the debug build, 20 seeds, JOBS=1, on a 2-core AMD EPYC shared with other builds: 831 s for
# dpo_vs_ppo, iterative and active_learning (425, 205, 195 s) and 640 s for the other six (reward_hacking 64 s,
# annotators 120 s, overoptimization 122 s, evaluation 153 s, moderation 145 s, customer_service 36 s). A single
# debug run of each notebook takes 1.5-6 s on its own; the release build was not timed.
set -euo pipefail

rlhf="${1:-.build/release/rlhf}"
seeds="${2:-1-20}"
jobs="${JOBS:-1}"
cd "$(dirname "$0")/.."
[ -x "$rlhf" ] || { echo "error: no rlhf binary at $rlhf (build it, or pass its path)" >&2; exit 2; }

dir="$(mktemp -d)"
store="$dir/science.sqlite"
if [ "${KEEP:-0}" = 1 ]; then echo "store: $store"; else trap 'rm -rf "$dir"' EXIT; fi

# ONLY (comma-separated notebook names) limits the run to those notebooks; empty runs them all.
only=",${ONLY:-},"
for name in $(echo "${ONLY:-}" | tr ',' ' '); do
    [ -f "notebooks/$name.rlhf" ] \
        || { echo "error: ONLY names '$name', which is not a notebook in notebooks/" >&2; exit 2; }
done
wanted() { [ "$only" = ",," ] || [[ "$only" == *",$1,"* ]]; }

# A fresh store numbers the sweeps 1, 2, 3 … in the order they are started; `id` is the last one started.
id=0
sweep() {
    local started=$SECONDS
    "$rlhf" sweep "$@" --seeds "$seeds" --jobs "$jobs" --store "$store" >"$dir/sweep.log" 2>&1 \
        || { cat "$dir/sweep.log" >&2; exit 1; }
    took="($((SECONDS - started)) s)"
}
compare() {
    local id=$1; shift
    local args=(--sweep "$id" --store "$store")
    for metric in "$@"; do args+=(--metric "$metric"); done
    "$rlhf" compare "${args[@]}"
    if [ "${CSV:-0}" = 1 ]; then "$rlhf" compare "${args[@]}" --csv; fi
    echo
}

if wanted dpo_vs_ppo; then
id=$((id + 1))
sweep notebooks/dpo_vs_ppo.rlhf
echo "== sweep $id: rlhf sweep notebooks/dpo_vs_ppo.rlhf --seeds $seeds $took"
# A matched difference is logged only where both frontiers reach that KL: its n (`--json`) can be below N.
compare $id matched.ppo_minus_dpo.kl0.25 matched.ppo_minus_dpo.kl0.5 matched.ppo_minus_dpo.kl1 \
    matched.ppo_minus_dpo.kl2 matched.ppo_minus_dpo.kl3
compare $id matched.ppo.kl0.25 matched.dpo.kl0.25 matched.ppo.kl0.5 matched.dpo.kl0.5 matched.ppo.kl1 matched.dpo.kl1
compare $id matched.ppo.kl2 matched.dpo.kl2 matched.ppo.kl3 matched.dpo.kl3
"$rlhf" compare --sweep "$id" --store "$store" --json | python3 -c '
import json, sys
metrics = json.load(sys.stdin)["groups"][0]["metrics"]
for name, m in sorted(metrics.items()):
    if name.startswith("matched.") and m["missing"]:
        print("%s: n %d, %d seeds outside a frontier" % (name, m["n"], m["missing"]))
'
echo
compare $id start.gold rloo.gold rloo.kl adaptive.gold adaptive.kl
fi

if wanted iterative; then
id=$((id + 1))
sweep notebooks/iterative.rlhf
echo "== sweep $id: rlhf sweep notebooks/iterative.rlhf --seeds $seeds $took"
compare $id diff.iterated_minus_fair diff.iterated_minus_long
compare $id final.iterated final.fair_control final.long_control
fi

if wanted active_learning; then
id=$((id + 1))
sweep notebooks/active_learning.rlhf --param noise=0.0,0.1
echo "== sweep $id: rlhf sweep notebooks/active_learning.rlhf --seeds $seeds --param noise=0.0,0.1 $took"
compare $id labels.random labels.uncertainty labels.random_minus_uncertainty labels.ratio
compare $id reached.random reached.uncertainty agreement.random agreement.uncertainty at_budget.uncertainty_minus_random
fi

if wanted reward_hacking; then
id=$((id + 1))
sweep notebooks/reward_hacking.rlhf
echo "== sweep $id: rlhf sweep notebooks/reward_hacking.rlhf --seeds $seeds $took"
compare $id diff.gold_b0.3_minus_b0 diff.gold_b0.3_minus_start diff.gold_b3_minus_start diff.gold_b0.3_minus_b3
compare $id diff.rm_b0_minus_b0.3 diff.gold_b0_minus_start collapsed.b0 runaway.b0
compare $id start.gold gold.b0 gold.b0.01 gold.b0.1 gold.b0.3 gold.b1 gold.b3
compare $id start.rm rm.b0 rm.b0.01 rm.b0.1 rm.b0.3 rm.b1 rm.b3
fi

if wanted annotators; then
id=$((id + 1))
sweep notebooks/annotators.rlhf
echo "== sweep $id: rlhf sweep notebooks/annotators.rlhf --seeds $seeds $took"
compare $id agreement.oracle agreement.bt0 agreement.bt0.2 agreement.bt0.5 agreement.bt_t4
compare $id agreement.length1 agreement.length4 agreement.panel panel.disagreement rm_accuracy.length4
compare $id vs_oracle.bt0 vs_oracle.bt0.2 vs_oracle.bt0.5 vs_oracle.bt_t4
compare $id vs_oracle.length1 vs_oracle.length4 vs_oracle.panel diff.bt0_minus_length4
fi

if wanted overoptimization; then
id=$((id + 1))
sweep notebooks/overoptimization.rlhf
echo "== sweep $id: rlhf sweep notebooks/overoptimization.rlhf --seeds $seeds $took"
compare $id start.gold peak.gold peak.sqrt_kl peak.step final.gold final.sqrt_kl
compare $id gain.peak_minus_start drop.peak_minus_final final.proxy_minus_start proxy.rose_every_time \
    gold.rose_then_fell
fi

if wanted evaluation; then
id=$((id + 1))
sweep notebooks/evaluation.rlhf
echo "== sweep $id: rlhf sweep notebooks/evaluation.rlhf --seeds $seeds $took"
compare $id gold.original gold.aligned gold.overoptimised gain.aligned gain.overoptimised
compare $id win.aligned.oracle win.aligned.bt0.05 win.aligned.bt0.5 win.aligned.length1
compare $id win.overoptimised.oracle win.overoptimised.bt0.05 win.overoptimised.bt0.5 win.overoptimised.length1 \
    win.overoptimised.length1_minus_oracle
fi

if wanted moderation; then
id=$((id + 1))
sweep notebooks/moderation.rlhf
echo "== sweep $id: rlhf sweep notebooks/moderation.rlhf --seeds $seeds $took"
compare $id accuracy.before accuracy.ppo accuracy.dpo ppo_gain.mean dpo_gain.mean ppo_minus_dpo.mean
compare $id ppo_gain.gold dpo_gain.gold "ppo_gain.hate speech" ppo_gain.misinformation ppo_gain.spam
compare $id "ppo_gain.adult content" ppo_gain.violence "dpo_gain.hate speech" dpo_gain.misinformation dpo_gain.spam
compare $id "dpo_gain.adult content" dpo_gain.violence
fi

if wanted customer_service; then
id=$((id + 1))
sweep notebooks/customer_service.rlhf
echo "== sweep $id: rlhf sweep notebooks/customer_service.rlhf --seeds $seeds $took"
compare $id support.before.satisfaction support.after.satisfaction gain.satisfaction gain.resolution_rate
compare $id gain.appropriateness gain.turns best_minus_after.satisfaction best_minus_after.turns
compare $id support.before.resolution_rate support.after.resolution_rate support.after.appropriateness \
    support.before.turns support.after.turns
fi
