#!/usr/bin/env bash
# e2e_modes.sh: scenarios 7, 8 and 9 (permutation alignment, curved path,
# barrier against width) in the real ./overparam (OVERPARAM_BIN overrides
# the path) at 80x24 in tmux: each one's title, panels and explanation are on
# screen, its epochs advance, it finishes with its result drawn, a knob
# restarts it, q leaves cleanly, and without colour 9's bars say their
# status by texture alone. Conventions of e2e.sh: "ok N - name" /
# "not ok N - name" (screen on failure), then "e2e: N passed, M failed";
# exit 1 on any failure; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
shows_all() {
	local t
	for t in "$@"; do shows "$t" || return 1; done
}
# Every TEXT on screen at once, within 10 s (a frame may be half drawn).
wait_all() { eventually 10 shows_all "$@"; }

need_bin

S7="$ROOT/scenarios/07-permutation-alignment.ini"
S8="$ROOT/scenarios/08-curved-path.ini"
S9="$ROOT/scenarios/09-barrier-vs-width.ini"

# ---- scenario 7: bars before and after matching ----
start "$S7" "$S8" "$S9"
first7() {
	wait_all "1 Permutation alignment" "as trained" "after matching B's units to A's" "Barrier over training" \
		"Why" "matching B's units to A's cuts the barrier"
}
check "7 at 80x24: title, both bar panels, barrier chart, its claims" first7

check "7: epochs advance" advancing 5

finished7() {
	# ~116 epochs at pace 20: done within seconds, both barriers drawn
	wait_for "done" 20 && [ "$(screen | grep -o 'barrier [0-9.e-]*' | wc -l)" -ge 2 ] && wait_for "B aligned to A" 2
}
check "7: finishes with a barrier in each bar panel" finished7

knob() {
	header | grep -qF "[depth 1]" || return 1
	keys '>'
	wait_for "[depth 2]" 5 && wait_epoch_below 50 5 && wait_epoch_above 5 10
}
check "7: turning depth to 2 restarts the run, which trains" knob

# ---- scenario 8: the line and the curve ----
# The path panels wait for the nets (about 130 epochs at pace 30): they
# say so, not a blank frame.
right8() {
	keys Right
	wait_all "2 Curved path" "Loss along each path" "Barrier of each path" "straight line" "Bezier curve" \
		"] the curve's highest" "measured once both nets" && advancing 5
}
check "Right: 8 shows both paths, its claims, that they fill once the nets have trained, and trains" right8

curve_trains() {
	# the bend trains once both nets stop near epoch 130 (pace 30)
	keys +
	wait_epoch_above 200 30 && wait_for "Training loss" 1 && wait_gone "measured once both nets" 2
}
check "8: the run reaches the bend phase, its paths drawn" curve_trains

# ---- scenario 9: one width a step ----
right9() {
	keys Right
	wait_all "3 Barrier vs width" "Barrier of trained pairs" "Barrier after matching" "as trained" "aligned" \
		"] after matching" && wait_epoch_above 0 10
}
check "Right: 9 shows the width charts and fills in" right9

done9() {
	wait_for "done" 15 && wait_for "5/5" 1 && wait_for "256" 1
}
check "9: all five widths done, the last one labelled" done9

check "q exits with status 0" quit

# At max pace the last widths land between frames: their bars must still be
# drawn (a bars panel redraws on its own grid metric, not only alpha's).
start --pace max "$S9"
all_bars() {
	wait_for "done" 15 && eventually 2 five_bars
}
five_bars() { [ "$(screen | grep -F '0┤ ' | grep -oE '([▁▂▃▄▅▆▇█░▒]){5}' | wc -l)" -ge 5 ]; } # any fill: bars differ by texture, and share the trained barrier's scale
check "9 at max pace: a bar for each of the five widths" all_bars
keys q
exited_clean >/dev/null

# Without colour the texture alone says low, medium or high: every bar,
# however short, stands on whole textured cells (an eighth block has no
# texture, and the old build drew the short ones so).
start_at 80 24 "NO_COLOR=1" --pace max "$S9"
textured_bars() {
	local row
	row=$(screen | grep -F '0┤ ' | tail -n 1)
	why="bottom row: $row"
	[ "$(grep -oE '([█░▒]){5}' <<<"$row" | wc -l)" -ge 5 ] && ! grep -q '[▁▂▃▄▅▆▇]' <<<"$row"
}
mono_bars() { wait_for "done" 15 && eventually 2 textured_bars; }
check "9 without colour: every bar's status in its texture, the short ones too" mono_bars
keys q
exited_clean >/dev/null

e2e_summary
