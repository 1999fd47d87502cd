#!/usr/bin/env bash
# e2e.sh: drives the real ./overparam (built by `make`) in tmux at 80x24,
# types keys with send-keys and reads the screen with capture-pane, as a
# teacher would use it. Prints "ok N - name" / "not ok N - name" (with the
# screen on failure) and last "e2e: N passed, M failed"; exits 1 on any
# failure. Waits poll the screen up to a timeout; no fixed sleeps except the
# 0.5 s between two captures that must be equal.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
# start_all [ENV=VALUE ...]: every shipped scenario in a fresh 80x24 session.
start_all() { start_at 80 24 "$*" "$ROOT"/scenarios/*.ini; }
epoch() { labelled_epoch; } # a status message holds the sequence up

need_bin

# ---- one session, the classroom sequence ----
# (with 13 scenarios at 80 columns the current tab's title is cut: "1 Optimization…")
start_all
first_screen() {
	local s
	s=$(screen)
	grep -qF "Training loss" <<<"$s" && grep -qF "1 Optimization" <<<"$s" && grep -qF "params" <<<"$s" &&
		grep -qF "width 500" <<<"$s" && grep -q '1000.*2000' <<<"$s" && grep -q '1e-1┤' <<<"$s" && has_braille
}
check "first scenario: title, loss chart with axes, table" eventually 10 first_screen

check "epoch counter advances" advancing 5

export_csv() {
	keys e
	wait_for "wrote " 5 || return 1
	local f
	f=$(ls "$WORK"/overparam-01-optimization-ease-42-*.csv 2>/dev/null | head -n 1)
	[ -n "$f" ] && head -n 1 "$f" | grep -qx 'scenario,series,metric,epoch,index,value' &&
		grep -q ',train_loss,' "$f"
}
check "e writes the run's CSV and names it" export_csv

right() {
	keys Right
	wait_for "2 Mode connect" 5 && wait_for "Loss along" 5 && wait_gone "width 500" 5
}
check "Right shows scenario 2" right

left() {
	keys Left
	wait_for "1 Optimization" 5 && wait_for "width 500" 5 && wait_epoch_above 2 10
}
check "Left comes back to scenario 1 and it trains" left

pause() {
	keys Space
	wait_for "paused" 5 || return 1
	local a b
	a=$(epoch)
	sleep 0.5
	b=$(epoch)
	[ -n "$a" ] && [ "$a" = "$b" ]
}
check "Space pauses: the epoch counter stops" pause

step() {
	local a b
	a=$(epoch)
	keys .
	wait_epoch_above "$a" 5 || return 1
	b=$(epoch)
	[ "$b" -eq $((a + 1)) ] || return 1
	sleep 0.5
	[ "$(epoch)" -eq $((a + 1)) ]
}
check ". while paused advances exactly one epoch" step

resume() {
	local a
	a=$(epoch)
	keys Space
	wait_for "running" 5 && wait_epoch_above "$a" 5
}
check "Space again resumes" resume

help() {
	keys '?'
	wait_for "any key closes" 5 && wait_for "one epoch" 1 && wait_for "log / linear" 1 || return 1
	keys x
	wait_gone "any key closes" 5 && wait_for "Training loss" 1
}
check "? shows the help; any key closes it" help

yaxis() {
	# the training chart's own title (the held-out chart starts linear)
	wait_for "Training loss (MSE, log)" 2 || return 1
	keys y
	wait_for "Training loss (MSE, linear)" 5 || return 1
	keys y
	wait_for "Training loss (MSE, log)" 5
}
check "y toggles log / linear" yaxis

pace() {
	wait_for "pace 200 ep/s" 2 || return 1
	keys +
	wait_for "pace 500 ep/s" 5 || return 1
	keys - -
	wait_for "pace 100 ep/s" 5 || return 1
	keys +
	wait_for "pace 200 ep/s" 5
}
check "+ / - step the pace along the ladder" pace

small() {
	resize 60 20
	wait_for "Training loss" 5 || return 1
	local a
	a=$(epoch)
	wait_epoch_above "$a" 5 && wait_for "params" 1 && wait_for "q quit" 1 && has_braille
}
check "60x20: still running and readable" small

tiny() {
	resize 30 8
	wait_for "have 30x8" 5 && screen | grep -q 'need [0-9][0-9]*x[0-9][0-9]*'
}
check "30x8: one message naming the needed and the current size" tiny

recover() {
	resize 80 24
	wait_gone "have 30x8" 5 && wait_for "Training loss" 5 && wait_for "width 500" 1
}
check "back to 80x24 recovers" recover

restart() {
	wait_epoch_above 100 20 || return 1
	keys r
	# the counter starts over (it may already have run a few epochs)
	wait_epoch_below 60 5
}
check "r restarts the run" restart

check "q exits with status 0, terminal restored" quit

# ---- locales, colours ----
start_all LANG=C LC_ALL=C
ascii() {
	# curves drawn with one ASCII glyph each, named so in the legend
	wait_for "Training loss" 10 && wait_for "params" 1 && no_braille &&
		screen | grep -qF '* 10 o 50 + 200' && [ "$(screen | tr -cd '*' | wc -c)" -ge 5 ]
}
check "LANG=C: first screen with ASCII charts, no braille" eventually 15 ascii
keys q
exited_clean >/dev/null

start_all NO_COLOR=1
mono() {
	wait_for "Training loss" 10 && wait_epoch_above 20 10 || return 1
	no_color_escapes
}
check "NO_COLOR=1: first screen, monochrome" mono
keys q
exited_clean >/dev/null

# ---- signals ----
for sig in TERM HUP; do
	start_all
	wait_for "Training loss" 10
	by_signal() {
		[ -n "$APP" ] || return 1
		kill -s "$1" "$APP"
		exited_clean
	}
	check "SIG$sig ends it with status 0, terminal restored" by_signal "$sig"
done

# ---- not a terminal ----
not_tty() {
	local rc
	(cd "$WORK" && "$BIN" "$ROOT"/scenarios/*.ini >"$WORK/x" 2>"$WORK/err" </dev/null)
	rc=$?
	[ "$rc" -eq 2 ] && grep -q "use --headless" "$WORK/err"
}
check "stdout not a terminal: exit 2, 'use --headless'" not_tty

e2e_summary
