#!/usr/bin/env bash
# e2e_science.sh: the two science scenarios of issue 6 in the real
# ./overparam (OVERPARAM_BIN overrides the path), in tmux at 80x24: benign vs
# harmful side by side (title, panels, both series, the verdicts, epochs
# advancing, the tail knob turning the spiked side harmful) and double
# descent (title, panels, the N = n marker, the sweep growing to its end with
# the peak at N = n, the ridge knob flattening it). Conventions of e2e.sh:
# "ok N - name" / "not ok N - name" (screen on failure), then
# "e2e: N passed, M failed"; exit 1 on any failure; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

PAIR="$ROOT/scenarios/05-benign-vs-harmful.ini"
DD="$ROOT/scenarios/06-double-descent.ini"

# ---- benign vs harmful ----
start --pace 200 "$PAIR"
pair_panels() {
	wait_for "Benign vs harmful" 10 && wait_for "Test MSE, one teacher: spiked vs isotropic" 5 &&
		wait_for "||theta||: signal vs tail" 2 && wait_for "Verdict (test < 2 sigma^2)" 2 &&
		wait_for "Why" 2 && wait_for "noise sigma^2 0.09" 5 && wait_header "[tail 0.01]" 2
}
check "pair at 80x24: title, chart with the noise floor, split, table, notes, knobs" pair_panels

pair_runs() {
	local e0
	wait_epoch_above 5 10 || return 1
	e0=$(epoch)
	wait_epoch_above $((e0 + 50)) 10
}
check "pair: epochs advance" pair_runs

pair_verdicts() {
	# both rows of the table, each with its verdict and ranks; both split bars
	wait_match '^│ spiked +0\.1[0-9]* +benign +0\.149 +0\.1 +0\.204' 20 &&
		wait_match '^│ isotropic +[0-9.]+ +harmful +5 +0 +0\.2 ' 5 &&
		screen | grep -qE '│ spiked +█' && screen | grep -qE '│ isotropic +█'
}
check "pair: spiked benign, isotropic harmful, with r0/n, k*/n, n/Rk*" pair_verdicts

tail_knob() {
	wait_epoch_above 300 15 || return 1
	keys '>' # tail 0.01 -> 0.1
	wait_header "[tail 0.1]" 5 && wait_epoch_below 300 5 &&
		wait_match '^│ spiked +[0-9.]+ +harmful +0\.59 ' 20 && wait_match '^│ isotropic +[0-9.]+ +harmful ' 5
}
check "pair: > on the tail knob restarts it and the spiked side turns harmful" tail_knob

# ---- double descent ----
start --pace 20 "$DD"
dd_panels() {
	wait_for "Double descent" 10 && wait_for "Test and train MSE vs N" 5 && wait_for "||theta|| of the fit" 2 &&
		wait_for "Sweep" 2 && wait_for "Why" 2 && wait_for "N = n = 100" 5 && wait_header "[noise 0.5]" 2
}
check "double descent at 80x24: title, both charts, N = n marker, table, notes, knobs" dd_panels

dd_sweeps() {
	wait_epoch_above 3 10 || return 1
	local e0
	e0=$(epoch)
	wait_epoch_above $((e0 + 3)) 10 && wait_header "done" 20 && header | grep -qF "31/31" &&
		wait_match '^│ min-norm +1000 +0 +0\.4[0-9]* +[0-9.]+ +100 ' 5
}
check "double descent: grid points advance to 31/31, peak at N = 100" dd_sweeps

ridge_knob() {
	local i
	keys ']' # noise -> ridge
	wait_header "[ridge 0]" 5 || return 1
	for i in 1 2 3 4; do keys '>'; done # 1e-4, 1e-3, 1e-2, 1e-1
	wait_header "[ridge 0.1]" 5 && wait_for "ridge 0.1" 5 && wait_header "done" 20 &&
		wait_match '^│ ridge 0\.1 +1000 +0\.0[0-9]+ +0\.3[0-9]* +(0\.9[0-9]*|1\.[0-9]*) +10 ' 5
}
check "double descent: the ridge knob at 0.1 flattens the peak (now at N = 10)" ridge_knob

keys q
check "q quits cleanly" wait_for "EXIT=0" 10

e2e_summary
