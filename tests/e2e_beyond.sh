#!/usr/bin/env bash
# e2e_beyond.sh: the lazy-training and lottery-ticket scenarios of issue 7 in
# the real ./overparam (OVERPARAM_BIN overrides the path), in tmux at 80x24:
# each one's title, panels and notes, epochs advancing, and the run reaching
# its end with the table showing the result (the fitted slope near -1/2;
# the tenth round at 10.7% of the weights, the ticket ahead of its
# re-initialised mask), and a knob restarting the run. Conventions of e2e.sh: "ok N - name" / "not ok N -
# name" (screen on failure), then "e2e: N passed, M failed"; exit 1 on any
# failure; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
# Epochs done: these kinds count widths or rounds ("round 4/10  epoch 2345"),
# so the counter to read is the one labelled "epoch".
epoch() { header | sed -n 's/.* epoch \([0-9][0-9]*\).*/\1/p' | head -n 1; }

need_bin

LAZY="$ROOT/scenarios/10-lazy-training.ini"
LOTTERY="$ROOT/scenarios/11-lottery-tickets.ini"

# ---- lazy training ----
start "$LAZY" "$LOTTERY"
lazy_panels() {
	wait_for "1 Lazy training" 10 && wait_for "First layer |W-W0|/|W0| (log)" 5 &&
		wait_for "Kernel drift |K-K0|/|K0| (log)" 2 && wait_for "slope -1/2" 2 && wait_for "slope -1 " 2 &&
		wait_for "Training now" 2 && wait_for "width m" 2 && wait_for "Why" 2 &&
		wait_for "] first-layer movement" 2 && wait_header "pace 150 ep/s" 2
}
check "lazy training at 80x24: title, both log-log charts with references, table, claims" lazy_panels

lazy_runs() {
	wait_epoch_above 5 10 || return 1
	local e0
	e0=$(epoch)
	wait_epoch_above $((e0 + 20)) 10 && wait_match '^│ +(16|32) +[0-9]+ +[0-9.e-]+ ' 5 && has_braille
}
check "lazy training: steps advance, the first widths train, curves drawn" lazy_runs

lazy_done() {
	keys + + + + + + + + # up the ladder to max
	wait_header "pace max" 5 && wait_header "done" 60 &&
		wait_match '^│ +1024 +[0-9]+ +0\.000[0-9]+ +-0\.[3-6][0-9]* ' 5 && screen | grep -qF "1024" && ! screen | grep -qF "1.02e3"
}
check "lazy training at max pace: all seven widths to loss 1e-3, slope near -1/2" lazy_done

# ---- lottery tickets (Right: the next scenario) ----
lottery_panels() {
	keys Right
	wait_for "2 Lottery tickets" 10 && wait_for "Test loss vs % weights kept (log)" 5 &&
		wait_for "Train loss, round by round (log)" 2 && wait_for "This round" 2 &&
		wait_for "winning ticket" 2 && wait_for "random reinit" 2 &&
		wait_for "] the ticket beats the" 2 && wait_header "pace 100 ep/s" 2
}
check "lottery tickets at 80x24: title, both charts, both nets, claims" lottery_panels

lottery_runs() {
	wait_epoch_above 5 10 || return 1
	local e0
	e0=$(epoch)
	wait_epoch_above $((e0 + 20)) 10 && wait_match '^│ winning ticket +0 +100 ' 5 &&
		wait_match '^│ random reinit +0 +100 ' 2 && has_braille
}
check "lottery tickets: epochs advance in round 0 at 100% of the weights" lottery_runs

lottery_done() {
	keys + + + + + + + + + +
	wait_header "pace max" 5 && wait_header "done" 60 && header | grep -qF "round 10/10  epoch 2200" &&
		wait_match '^│ winning ticket +10 +10\.7 ' 5 && wait_match '^│ random reinit +10 +10\.7 ' 2 &&
		screen | grep -qF "10.7┘"
}
check "lottery tickets at max pace: ten rounds down to 10.7% of the weights" lottery_done

ticket_wins() {
	# the test column (last) of the two rows: the ticket's is the lower
	local t r
	t=$(screen | sed -n 's/^│ winning ticket .* \([0-9][0-9.e-]*\) *│$/\1/p' | head -n 1)
	r=$(screen | sed -n 's/^│ random reinit .* \([0-9][0-9.e-]*\) *│$/\1/p' | head -n 1)
	[ -n "$t" ] && [ -n "$r" ] && awk -v t="$t" -v r="$r" 'BEGIN { exit !(t < r) }'
}
check "lottery tickets: at 10.7% the winning ticket's test loss is below the reinit's" ticket_wins

rewind_knob() {
	wait_header "[rewind 0]" 5 || return 1
	keys - - - - - - # back down to a watching pace
	wait_header "pace 100 ep/s" 5 || return 1
	keys '>' # rewind 0 -> 2: late rewinding restarts the run
	wait_header "[rewind 2]" 5 && wait_header "running" 5 && wait_match '^│ winning ticket +0 +100 ' 5
}
check "lottery tickets: > on the rewind knob restarts the run with rewind 2" rewind_knob

keys q
check "q quits cleanly" wait_for "EXIT=0" 10

e2e_summary
