#!/usr/bin/env bash
# e2e_science2.sh: what the science fixes of issue 11 change on screen, in
# the real ./overparam (OVERPARAM_BIN overrides the path) in tmux at 80x24:
# the width sweep's held-out chart with its dashed yardstick (predicting the
# mean), the split bar's tail and the min-norm fit's two parts (one series,
# then spiked and isotropic side by side), double descent's train MSE 0 on
# a row of its own, labelled 0, and lazy training's first-layer chart.
# Conventions of e2e.sh: "ok N - name" / "not ok N - name" (screen on
# failure), then "e2e: N passed, M failed"; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

S1="$ROOT/scenarios/01-optimization-ease.ini"
S3="$ROOT/scenarios/03-benign-overfitting.ini"
S5="$ROOT/scenarios/05-benign-vs-harmful.ini"
S6="$ROOT/scenarios/06-double-descent.ini"
S10="$ROOT/scenarios/10-lazy-training.ini"

start --pace max "$S1" "$S3" "$S5" "$S6" "$S10"

yardstick() {
	# the dashed line comes with the first epoch's records
	wait_for "Held-out loss (MSE" 10 && wait_match ' predict the mean 0\.[0-9]+ ' 10
}
check "1: the held-out chart and its dashed line, predicting the mean" yardstick

parts_one() {
	keys Right
	wait_for "||theta||: signal vs tail" 10 && wait_match '│ now +signal [0-9.e-]+ +tail [0-9.e-]+ ' 10 &&
		wait_match '│ fits w\* +signal [0-9.e-]+ +tail [0-9.e-]+ ' 5 &&
		wait_match '│ fits noise signal [0-9.e-]+ +tail [0-9.e-]+ ' 5 && hides "noise 1." && hides " noise 0."
}
check "3: the split bar says tail, and the min-norm fit's parts under it" parts_one

parts_two() {
	keys Right
	wait_for "Benign vs harmful" 10 && wait_for "||theta||: signal vs tail coords" 5 &&
		wait_match '│ w\* [0-9.]+\|[0-9.]+ +noise [0-9.]+\|[0-9.]+ ' 10 &&
		[ "$(screen | grep -cE '│ w\* [0-9.]+\|[0-9.]+ +noise ')" = 2 ]
}
check "5: each series' parts under its bar" parts_two

zero_row() {
	keys Right
	wait_for "Test and train MSE vs N" 10 && wait_header "31/31" 30 &&
		wait_match '^│ +0│' 5
}
check "6: train MSE 0 drawn on a row labelled 0" zero_row

first_layer() {
	keys Right
	wait_for "First layer |W-W0|/|W0| (log)" 10 && hides "Weight movement"
}
check "10: the movement chart is the first layer's" first_layer

quit
e2e_summary
