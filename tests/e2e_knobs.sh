#!/usr/bin/env bash
# e2e_knobs.sh: live knobs and --set, driven in tmux at 80x24 with the real
# ./overparam (OVERPARAM_BIN overrides the path): the header shows the
# knobs, [ and ] pick one, < and > turn it and the run restarts with the new
# value (epoch counter, table), r and switching keep it, a refused
# combination is said in the status line while the run goes on, ? lists the
# knobs, and --set works in the UI and headless. Conventions of e2e.sh:
# "ok N - name" / "not ok N - name" (screen on failure), then
# "e2e: N passed, M failed"; exit 1 on any failure; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

S1="$ROOT/scenarios/01-optimization-ease.ini"
S3="$ROOT/scenarios/03-benign-overfitting.ini"

# ---- the classroom sequence on the width sweep ----
start --pace 100 "$S1" "$S3"
shows_knobs() {
	wait_header "[lr 0.01]" 10 && header | grep -qF "depth 2" && header | grep -qF "noise 0.1" &&
		header | grep -qF "pace 100 ep/s"
}
check "80x24 header shows the knobs, the first one selected" shows_knobs

select_next() {
	keys ']'
	wait_header "[depth 2]" 5 && wait_for "depth: model.depth, 1 .. 4" 2
}
check "] selects the next knob and names its key and range" select_next

turn_up() {
	wait_epoch_above 150 15 || return 1
	screen | grep -q 'width 10 *331 ' || return 1
	keys '>'
	# new value in the header, the counter starts over, the params of the
	# deeper nets in the table
	wait_header "[depth 3]" 5 && wait_epoch_below 100 5 && wait_for "width 10" 2 &&
		screen | grep -q 'width 10 *441 ' && screen | grep -q 'width 500 *512,001 ' &&
		wait_epoch_above 20 10
}
check "> restarts the run with the new value (header, epoch, table)" turn_up

restart_keeps() {
	wait_epoch_above 150 15 || return 1
	keys r
	wait_epoch_below 100 5 && header | grep -qF "[depth 3]" && screen | grep -q 'width 10 *441 '
}
check "r restarts and keeps the knob value" restart_keeps

switch_keeps() {
	keys 2
	wait_header "[noise 0.3]" 5 && header | grep -qF "tail 0.01" && header | grep -qF "p 500" || return 1
	keys 1
	wait_header "[depth 3]" 5 && wait_for "width 10" 5 && screen | grep -q 'width 10 *441 '
}
check "switching away and back keeps each scenario's knobs" switch_keeps

lowest() {
	keys '<' '<'
	wait_header "[depth 1]" 5 || return 1
	keys '<'
	wait_for "depth is at its lowest value (1)" 5 && screen | grep -q 'width 10 *221 '
}
check "< steps down; at the lowest value it says so" lowest

# Every key takes the 80x24 help box's rows; the knobs' section shows
# where there is room for it (the header lists the knobs at any size). The
# help is opened first and the terminal made larger under it: a resize is
# no key, and the help comes back at the new size with the knobs. (tmux
# may pass a key sent after a resize before the resize itself: the old
# build closed the help then, and this case failed at random.)
help_lists() {
	keys '?'
	wait_for "any key closes this" 5 || return 1
	resize 100 40
	wait_for "Knobs of this scenario" 5 && wait_for "model.depth" 1 && wait_for "0.001 0.003 0.01 0.03 0.1" 1 &&
		wait_for "pick a knob" 1 || return 1
	keys x
	wait_for "Training loss" 5 || return 1
	resize 80 24
	wait_for "Training loss" 5
}
check "? lists the knobs with their keys and values; a resize keeps the help, at the new size" help_lists

keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- a combination the scenario refuses ----
cat >"$WORK/clash.ini" <<'EOF'
[scenario]
kind  = benign_overfitting
title = Knob clash
pace  = 50
[data]
samples      = 20
dim          = 20
signal_dim   = 10
test_samples = 50
noise        = 0.1
[train]
epochs = 5000
[knobs]
p = data.dim: 10, 20
k = data.signal_dim: 10, 20
EOF
start "$WORK/clash.ini"
refused() {
	wait_header "[p 20]" 10 && header | grep -qF "k 10" || return 1
	keys ']'
	wait_header "[k 10]" 5 || return 1
	keys '>'
	wait_header "[k 20]" 5 || return 1
	keys '['
	wait_header "[p 20]" 5 || return 1
	wait_epoch_above 30 10 || return 1
	local before
	before=$(epoch)
	keys '<'
	# said in full where the status goes (the counter stays); the run
	# neither restarts nor changes, and the knobs come back with the counter
	wait_header "p = 10 refused: data.signal_dim: 20 is more than data.dim (10)" 5 && wait_epoch_above "$before" 5 ||
		return 1
	wait_header "[p 20]" 12 && header | grep -qF "k 20" && wait_epoch_above "$before" 1
}
check "a refused combination is said in the status line; the run goes on" refused
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- --set ----
start --set train.lr=0.03 --pace 100 "$S1"
set_ui() { wait_header "[lr 0.03]" 10 && wait_epoch_above 5 10; }
check "--set train.lr=0.03: the header starts the lr knob there" set_ui
keys q
wait_for "EXIT=0" 10 >/dev/null

set_headless() {
	local a b
	a=$("$BIN" --headless --set train.epochs=40 "$S1" 2>&1) || return 1
	b=$("$BIN" --headless --set train.epochs=40 --set train.lr=0.05 "$S1" 2>&1) || return 1
	grep -q 'SGD lr 0.01, 40 epochs' <<<"$a" && grep -q 'SGD lr 0.05, 40 epochs' <<<"$b" &&
		[ "$(grep '^width 500' <<<"$a")" != "$(grep '^width 500' <<<"$b")" ]
}
check "--headless --set train.lr=0.05 changes the run" set_headless

set_bad() {
	local rc
	"$BIN" --headless --set train.lr=0.05 --set model.widths=0 "$S1" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 2 ] && [ "$(cat "$WORK/err")" = "--set:2: model.widths: 0 is out of range (1..4096)" ] &&
		[ ! -s "$WORK/out" ] || return 1
	"$BIN" --headless --set model.depth=3 "$S3" >/dev/null 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq 2 ] && [ "$(cat "$WORK/err")" = "$S3: --set:1: model.depth: has no effect with kind benign_overfitting" ]
}
check "--set mistakes: exit 2 with a --set:N message" set_bad

e2e_summary
