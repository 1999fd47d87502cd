#!/usr/bin/env bash
# e2e_speed.sh: the speed settings as a user meets them, with the real
# ./overparam (OVERPARAM_BIN overrides the path): --no-ftz is documented,
# and neither it (nor OVERPARAM_NO_FTZ=1) nor the worker thread
# (OVERPARAM_WORKERS=1 against 2) changes a byte of a run's CSV, for every
# kind that shares its work; the live UI runs a pair kind on the worker to
# its end. Conventions of e2e.sh: "ok N - name" / "not ok N - name" (screen
# on failure), then "e2e: N passed, M failed"; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

SC="$ROOT/scenarios"

documented() {
	"$BIN" --help | grep -q -- '--no-ftz' && grep -q -- '--no-ftz' "$ROOT/README.md"
}
check "--help and the README name --no-ftz" documented

# One shortened headless run into $WORK/NAME.csv: ENV... -- ARGS...
run_csv() {
	local name=$1
	shift
	local envs=()
	while [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$BIN" --headless --seed 5 --csv "$WORK/$name.csv" "$@" >"$WORK/$name.out" 2>&1 &&
		[ -s "$WORK/$name.csv" ]
}

# The same CSV, byte for byte, four ways: flushing subnormals or not (by
# the option and by the environment), on one thread or with the worker.
same_four_ways() {
	local s=$1
	shift
	run_csv base OVERPARAM_WORKERS=2 -- "$@" "$s" &&
		run_csv noftz OVERPARAM_WORKERS=2 -- --no-ftz "$@" "$s" &&
		run_csv envftz OVERPARAM_WORKERS=2 OVERPARAM_NO_FTZ=1 -- "$@" "$s" &&
		run_csv one OVERPARAM_WORKERS=1 -- "$@" "$s" || return 1
	cmp -s "$WORK/base.csv" "$WORK/noftz.csv" && cmp -s "$WORK/base.csv" "$WORK/envftz.csv" &&
		cmp -s "$WORK/base.csv" "$WORK/one.csv"
}
check "mode connectivity: same CSV with and without FTZ, one thread or two" \
	same_four_ways "$SC/02-mode-connectivity.ini" --set train.epochs=40
check "permutation alignment: the same" same_four_ways "$SC/07-permutation-alignment.ini" --set train.epochs=30
check "curved path: the same (the bend included)" same_four_ways "$SC/08-curved-path.ini" --set train.target_loss=0.05
check "barrier vs width: the same" same_four_ways "$SC/09-barrier-vs-width.ini" --set model.widths=16,48 \
	--set train.epochs=60
check "lottery tickets: the same" same_four_ways "$SC/11-lottery-tickets.ini" --set train.epochs=20 \
	--set train.rounds=2 --set train.eval_every=5

# Live: mode connectivity at full pace on the worker runs to its end, its
# bars and table filled in.
start --pace max "$SC/02-mode-connectivity.ini"
live_to_end() {
	wait_for "stopped at" 5 && wait_match "net B \(seed 2\) +[0-9,]+ +[0-9.e-]+ +[0-9]+" 20
}
check "live mode connectivity on the worker runs to the end" live_to_end
keys q
e2e_summary
