#!/usr/bin/env bash
# e2e.sh: drives the real ./overparam (built by `make`) in tmux at 80x24,
# types keys with send-keys and reads the screen with capture-pane, as a
# teacher would use it. Prints "ok N - name" / "not ok N - name" (with the
# screen on failure) and last "e2e: N passed, M failed"; exits 1 on any
# failure. Waits poll the screen up to a timeout; no fixed sleeps except the
# 0.5 s between two captures that must be equal.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/overparam"
SOCK="overparam-e2e-$$"
WORK=$(mktemp -d)
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

pass=0
fail=0
n=0
ok() {
	n=$((n + 1)); pass=$((pass + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1)); fail=$((fail + 1))
	echo "not ok $n - $1"
	echo "# screen:"
	screen | sed 's/^/#   /'
}
check() { # name, then a command that succeeds when the case passes
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

screen() { T capture-pane -p -t e2e 2>/dev/null; }
# wait_for TEXT [SECONDS]: the screen shows TEXT (fixed string).
wait_for() {
	local text=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qF -- "$text" && return 0
		sleep 0.05
	done
	return 1
}
wait_gone() {
	local text=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qF -- "$text" || return 0
		sleep 0.05
	done
	return 1
}
epoch() { screen | sed -n 's/.* epoch \([0-9][0-9]*\)\/.*/\1/p' | head -n 1; }
# wait_epoch_above N [SECONDS]: the counter passes N.
wait_epoch_above() {
	local min=$1 limit=${2:-10} i e
	for ((i = 0; i < limit * 20; i++)); do
		e=$(epoch)
		[ -n "$e" ] && [ "$e" -gt "$min" ] && return 0
		sleep 0.05
	done
	return 1
}
keys() { T send-keys -t e2e "$@"; }
# eventually [SECONDS] CMD...: CMD succeeds within the time (the screen
# fills in over a few frames).
eventually() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# start [ENV=VALUE ...]: the program in a fresh 80x24 session; afterwards
# the pane prints its exit status and the terminal modes.
start() {
	T kill-server >/dev/null 2>&1
	# let the old server go before a new one takes the socket
	local i
	for ((i = 0; i < 100; i++)); do
		T list-sessions >/dev/null 2>&1 || break
		sleep 0.05
	done
	local envs="$*"
	T new-session -d -x 80 -y 24 -s e2e \
		"cd '$WORK' && env $envs '$BIN' '$ROOT'/scenarios/*.ini; echo EXIT=\$?; stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\n' ' '; echo; exec sleep 600"
	T set -g status off >/dev/null 2>&1
}
app_pid() {
	local shell
	shell=$(T display -p -t e2e '#{pane_pid}')
	pgrep -P "$shell" -x overparam | head -n 1
}
# The program ended with status 0 and left the terminal as it found it:
# the main screen back, echo and canonical input on.
exited_clean() {
	wait_for "EXIT=" 10 || return 1
	screen | grep -qx 'EXIT=0' || return 1
	wait_for "echo" 5 || return 1
	screen | grep -q -- '-echo\|-icanon' && return 1
	screen | grep -qw 'icanon' || return 1
	[ "$(T display -p -t e2e '#{alternate_on}')" = 0 ]
}
no_braille() { ! screen | LC_ALL=C.UTF-8 grep -qP '[\x{2800}-\x{28FF}]'; }
has_braille() { screen | LC_ALL=C.UTF-8 grep -qP '[\x{2801}-\x{28FF}]'; }

if [ ! -x "$BIN" ]; then
	echo "not ok 1 - ./overparam exists (run make first)"
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi

# ---- one session, the classroom sequence ----
start
first_screen() {
	local s
	s=$(screen)
	grep -qF "Training loss" <<<"$s" && grep -qF "1 Optimization ease" <<<"$s" && grep -qF "params" <<<"$s" &&
		grep -qF "width 500" <<<"$s" && grep -q '1000.*2000' <<<"$s" && grep -q '1e-1┤' <<<"$s" && has_braille
}
check "first scenario: title, loss chart with axes, table" eventually 10 first_screen

advances() {
	wait_epoch_above 0 10 || return 1
	local e1
	e1=$(epoch)
	wait_epoch_above "$e1" 5
}
check "epoch counter advances" advances

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
	wait_for "2 Mode connectivity" 5 && wait_for "Loss along" 5 && wait_gone "width 500" 5
}
check "Right shows scenario 2" right

left() {
	keys Left
	wait_for "1 Optimization ease" 5 && wait_for "width 500" 5 && wait_epoch_above 2 10
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
	keys ?
	wait_for "any key closes" 5 && wait_for "one epoch" 1 && wait_for "log / linear" 1 || return 1
	keys x
	wait_gone "any key closes" 5 && wait_for "Training loss" 1
}
check "? shows the help; any key closes it" help

yaxis() {
	wait_for "(MSE, log)" 2 || return 1
	keys y
	wait_for "(MSE, linear)" 5 || return 1
	keys y
	wait_for "(MSE, log)" 5
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
	T resize-window -t e2e -x 60 -y 20
	wait_for "Training loss" 5 || return 1
	local a
	a=$(epoch)
	wait_epoch_above "$a" 5 && wait_for "params" 1 && wait_for "q quit" 1 && has_braille
}
check "60x20: still running and readable" small

tiny() {
	T resize-window -t e2e -x 30 -y 8
	wait_for "have 30x8" 5 && screen | grep -q 'need [0-9][0-9]*x[0-9][0-9]*'
}
check "30x8: one message naming the needed and the current size" tiny

recover() {
	T resize-window -t e2e -x 80 -y 24
	wait_gone "have 30x8" 5 && wait_for "Training loss" 5 && wait_for "width 500" 1
}
check "back to 80x24 recovers" recover

restart() {
	wait_epoch_above 100 20 || return 1
	keys r
	# the counter starts over (it may already have run a few epochs)
	local i e
	for ((i = 0; i < 100; i++)); do
		e=$(epoch)
		[ -n "$e" ] && [ "$e" -lt 60 ] && return 0
		sleep 0.05
	done
	return 1
}
check "r restarts the run" restart

quit() {
	keys q
	exited_clean
}
check "q exits with status 0, terminal restored" quit

# ---- locales, colours ----
start LANG=C LC_ALL=C
ascii() {
	# curves drawn with one ASCII glyph each, named so in the legend
	wait_for "Training loss" 10 && wait_for "params" 1 && no_braille &&
		screen | grep -qF '* 10 o 50 + 200' && [ "$(screen | tr -cd '*' | wc -c)" -ge 5 ]
}
check "LANG=C: first screen with ASCII charts, no braille" eventually 15 ascii
keys q
exited_clean >/dev/null

start NO_COLOR=1
mono() {
	wait_for "Training loss" 10 && wait_epoch_above 20 10 || return 1
	# no colour escapes at all (bold and reverse are fine)
	! T capture-pane -e -p -t e2e | grep -q $'\e\\[[0-9;]*3[0-7]m\|\e\\[[0-9;]*38;'
}
check "NO_COLOR=1: first screen, monochrome" mono
keys q
exited_clean >/dev/null

# ---- signals ----
for sig in TERM HUP; do
	start
	wait_for "Training loss" 10
	by_signal() {
		local pid
		pid=$(app_pid)
		[ -n "$pid" ] || return 1
		kill -s "$1" "$pid"
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

echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
