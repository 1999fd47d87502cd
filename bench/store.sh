#!/usr/bin/env bash
# bench/store.sh: what recording every run costs (docs/store.md), from
# bench/run (or alone: bash bench/store.sh). The fastest configuration:
# scenario 1 at width 10, headless at max pace, 20000 epochs; epochs/s with
# the store and with --no-store, alternated, best of 5 each. Target: under
# 5% lost.
set -u
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export XDG_DATA_HOME="$DIR"
ARGS=(--headless --set model.widths=10 --set train.epochs=20000 scenarios/01-optimization-ease.ini)

eps() { # epochs/s of one run: the "ran N epochs in S s (R epochs/s)" line
	./overparam "$@" "${ARGS[@]}" | sed -n 's/^ran [0-9]* epochs in [0-9.]* s (\([0-9]*\) epochs\/s)$/\1/p'
}

best_on=0
best_off=0
for i in 1 2 3 4 5; do
	on=$(eps --store "$DIR/runs.db")
	off=$(eps --no-store)
	[ -n "$on" ] && [ -n "$off" ] || { echo "store bench: a run failed"; exit 1; }
	[ "$on" -gt "$best_on" ] && best_on=$on
	[ "$off" -gt "$best_off" ] && best_off=$off
done
records=$(sqlite3 "$DIR/runs.db" 'SELECT count(*) FROM record')
bytes=$(sqlite3 "$DIR/runs.db" 'SELECT page_count * page_size FROM pragma_page_count, pragma_page_size')
awk -v on="$best_on" -v off="$best_off" -v r="$records" -v b="$bytes" 'BEGIN {
	printf "recording, width 10 headless max pace: %d epochs/s recorded, %d not: %.1f%% lost (target < 5%%); %.1f bytes a record\n",
		on, off, 100 * (off - on) / off, b / r
}'
