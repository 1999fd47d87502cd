#!/usr/bin/env bash
# e2e_diverge.sh: issue 13, problem 6 ("divergence is missed and verdicts
# lie"), with the real ./overparam (OVERPARAM_BIN overrides the path):
#   - headless at lr 100, every kind that trains: the Adam pairs (02, 07,
#     08, 09), whose losses stay finite (1e13 .. 1e20), lottery tickets and
#     the rest are called diverged, stop, and their RESULT lines say
#     "undecided: diverged at ..." and never a verdict;
#   - the CSV holds a finite "diverged" record and no training after it;
#   - benign overfitting with no test set (the documented minimal example)
#     prints no NaN and no benign/harmful verdict;
#   - the shipped scenarios at their defaults still conclude;
#   - live, in tmux: an Adam kind at lr 100 says "diverged" in the status
#     row and in its table.
# Conventions of e2e.sh: "ok N - name" / "not ok N - name", then
# "e2e: N passed, M failed"; exit 1 on any failure; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
export OPENBLAS_NUM_THREADS=1

need_bin
SC=$ROOT/scenarios
OUT=$WORK/out

# headless SCENARIO [--set ARG ...]: the report in $OUT, exit status checked
headless() {
	local f=$1
	shift
	"$BIN" --headless "$@" "$f" >"$OUT" 2>&1 || { why="exit $? from $(basename "$f"): $(head -n 3 "$OUT")"; return 1; }
}
has() { grep -qF -- "$1" "$OUT" || { why="no \"$1\" in: $(cat "$OUT")"; return 1; }; }
lacks() { ! grep -qiF -- "$1" "$OUT" || { why="\"$1\" in: $(grep -iF -- "$1" "$OUT")"; return 1; }; }
# every RESULT line is undecided: no verdict drawn
undecided_only() {
	grep -q '^RESULT' "$OUT" || { why="no RESULT line: $(cat "$OUT")"; return 1; }
	! grep '^RESULT' "$OUT" | grep -qv '^RESULT[^:]*: undecided: ' ||
		{ why="a verdict: $(grep '^RESULT' "$OUT")"; return 1; }
	# and no claim holds or fails on a diverged run
	! grep '^CLAIM' "$OUT" | grep -qv ': undecided$' || { why="a claim's verdict: $(grep '^CLAIM' "$OUT")"; return 1; }
}
# the verdicts these kinds printed at lr 100 before
VERDICTS=("barrier separates" "linearly connected" "matching hidden units" "low-loss curve" "bend did not"
	"barrier falls" "does not clearly fall" "winning ticket beats" "no winning ticket" "no round finished"
	"overfitting:" "lazy training:" "does not fall like")
no_verdict() {
	local v
	# the CLAIM lines state what is claimed; undecided_only holds them to
	# "undecided"
	for v in "${VERDICTS[@]}"; do ! grep -v '^CLAIM ' "$OUT" | grep -qiF -- "$v" ||
		{ why="\"$v\" in: $(grep -iF -- "$v" "$OUT")"; return 1; }; done
	undecided_only
}

# ---- headless, lr 100 ----
adam_at_lr_100() {
	headless "$SC/$1" --set train.lr=100 || return 1
	has "RESULT: undecided: diverged at $2" && no_verdict && has "diverged"
}
check "02 mode connectivity, lr 100: nets diverged, undecided, no barrier verdict" \
	adam_at_lr_100 02-mode-connectivity.ini "epoch 1 (net A (seed 1))"
nets_diverged() { grep -q '^net A (seed 1) final loss .*, diverged at epoch [0-9]' "$OUT" &&
	grep -q '^net B (seed 2) final loss .*, diverged at epoch [0-9]' "$OUT" ||
	{ why="nets not marked: $(grep '^net' "$OUT")"; return 1; }; }
check "02 at lr 100: the report marks both nets diverged, at their epoch" nets_diverged
check "07 permutation alignment, lr 100: undecided" \
	adam_at_lr_100 07-permutation-alignment.ini "epoch 1 (net A (seed 1))"
check "08 curved path, lr 100: undecided, no path of NaNs" adam_at_lr_100 08-curved-path.ini "epoch 1"
check "08 at lr 100: no nan printed" lacks "nan"
check "09 barrier vs width, lr 100: undecided at the first width" adam_at_lr_100 09-barrier-vs-width.ini "width 16"
table_diverged() { grep -q '^16 .* diverged ' "$OUT" || { why="row 16: $(grep '^16 ' "$OUT")"; return 1; }; }
check "09 at lr 100: its table row says diverged, no nan" eval 'table_diverged && lacks nan'

lottery_at_lr_100() {
	headless "$SC/11-lottery-tickets.ini" --set train.lr=100 || return 1
	has "RESULT: undecided: diverged at epoch" && no_verdict && lacks "no round finished"
}
check "11 lottery tickets, lr 100: undecided: diverged, not \"no round finished\"" lottery_at_lr_100

other_at_lr_100() { headless "$SC/$1" --set train.lr=100 && has "RESULT" && has "undecided: diverged at epoch" && no_verdict; }
for s in 01-optimization-ease.ini 03-benign-overfitting.ini 05-benign-vs-harmful.ini 10-lazy-training.ini; do
	check "${s%%-*} at lr 100: undecided, no verdict" other_at_lr_100 "$s"
done

# ---- the CSV: a finite diverged record, nothing trained after it ----
csv_diverged() {
	"$BIN" --headless --csv "$WORK/02.csv" --set train.lr=100 "$SC/02-mode-connectivity.ini" >/dev/null 2>&1 ||
		{ why="exit $?"; return 1; }
	# rows: scenario,series,metric,epoch,index,value
	awk -F, '
		$3 == "diverged" { n++; if ($6 + 0 > 1e6 && $6 !~ /nan|inf/) finite++; at[$2] = $4 }
		$3 == "train_loss" && ($2 in at) && $4 > at[$2] { late++ }
		END {
			if (n < 2) { print "diverged rows: " n; exit 1 }
			if (finite < 2) { print "finite diverged losses: " finite; exit 1 }
			if (late) { print late " training losses after divergence"; exit 1 }
		}' "$WORK/02.csv" >"$WORK/why" || { why=$(cat "$WORK/why"); return 1; }
}
check "02 at lr 100, --csv: finite losses called diverged, no training after" csv_diverged

# ---- no test set ----
cat >"$WORK/minimal.ini" <<'EOF'
[scenario]
kind  = benign_overfitting
title = Linear, isotropic
[data]
samples = 100
dim     = 500
[train]
epochs  = 300
EOF
no_test_set() {
	headless "$WORK/minimal.ini" "$@" || return 1
	lacks "nan" && has "no test set (data.test_samples = 0): test error not measured" &&
		lacks "harmful overfitting" && lacks "benign overfitting:"
}
noisy_no_test_set() {
	no_test_set --set data.noise=0.3 &&
		has "RESULT: undecided: no test set (data.test_samples = 0), so benign or harmful cannot be told"
}
check "benign, test_samples 0, noise 0.3: no NaN, no benign/harmful verdict" noisy_no_test_set
check "the documented minimal example: no NaN" no_test_set

# ---- the defaults still conclude ----
concludes() {
	headless "$SC/$1" || return 1
	has "$2" && lacks "undecided" && lacks "diverged"
}
check "02 at its defaults: still a barrier verdict" concludes 02-mode-connectivity.ini \
	"RESULT: a loss barrier separates the two solutions"
check "03 at its defaults: still benign" concludes 03-benign-overfitting.ini "RESULT: benign overfitting"

# ---- live: an Adam kind at lr 100 ----
start_at 100 30 "" --set train.lr=100 "$SC/02-mode-connectivity.ini" "$SC/07-permutation-alignment.ini"
header_diverged() { header | grep -q '^ diverged '; }
live_02() {
	wait_for "Networks" 10 || { why="no table"; return 1; }
	eventually 10 header_diverged || { why="status row: $(header)"; return 1; }
	wait_match 'net A \(seed 1\) .* diverged' 5 && wait_match 'net B \(seed 2\) .* diverged' 5 ||
		{ why="table rows not diverged"; return 1; }
	! screen | grep -qiw -e nan -e inf || { why="nan or inf on screen"; return 1; }
}
check "live 02 at lr 100: the status row and both table rows say diverged" live_02
live_07() {
	keys Right
	wait_for "as trained" 5 || return 1
	eventually 10 header_diverged || { why="status row: $(header)"; return 1; }
	wait_match 'as trained diverged' 5 || { why="the barrier chart's legend does not say diverged"; return 1; }
}
check "live 07 at lr 100: the status row and the barrier legend say diverged" live_07
check "q restores the terminal" quit

e2e_summary
