#!/usr/bin/env bash
# valgrind.sh: `make valgrind` (and, with fewer epochs, `make test`).
# Memcheck on ./overparam:
#   - a headless run of every scenarios/*.ini, its epochs capped at
#     VALGRIND_EPOCHS (default 200; make test uses 20): every code path of
#     a run (parse, create, step, report, destroy) is taken in the first
#     epochs, and the full 2000 would take an hour under valgrind;
#   - a scripted session of the live UI in tmux: every scenario, pause,
#     step, restart, new seed, pace, log/linear, notes, help, CSV export,
#     resizes down to too small, quit.
# Any invalid read or write, use of uninitialised memory, or memory left
# allocated at exit (lost or still reachable) is an error, except what
# ncurses keeps by design (tests/valgrind.supp).
# OpenBLAS is told to use its SSE kernels (OPENBLAS_CORETYPE=Nehalem):
# valgrind runs AVX code ten times slower, and which kernel multiplies the
# matrices changes nothing in how our code uses memory.
# --fair-sched=yes: valgrind runs one thread at a time, and its default
# lock lets the busy trainer starve the UI thread of turns (keys unread
# for seconds); the fair one takes turns.
# Prints "ok N - name" / "not ok N - name" and "valgrind: N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OVERPARAM_BIN:-$ROOT/overparam}
EPOCHS=${VALGRIND_EPOCHS:-200}
SOCK="overparam-valgrind-$$"
WORK=$(mktemp -d)
export XDG_DATA_HOME="$WORK/xdg" # runs record themselves: not into ~/.local/share
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Nehalem
VG=(valgrind --tool=memcheck --fair-sched=yes --error-exitcode=99 --leak-check=full --show-leak-kinds=all
	--errors-for-leak-kinds=all --track-origins=yes --suppressions="$ROOT/tests/valgrind.supp")

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
	[ -n "${2:-}" ] && sed 's/^/#   /' "$2" | head -n 60
}

for tool in valgrind tmux; do
	if ! command -v "$tool" >/dev/null; then
		echo "not ok 1 - $tool is installed (make deps)"
		echo "valgrind: 0 passed, 1 failed"
		exit 1
	fi
done
if [ ! -x "$BIN" ]; then
	echo "not ok 1 - $BIN exists (run make first)"
	echo "valgrind: 0 passed, 1 failed"
	exit 1
fi

# A log is clean when valgrind counted no error at all.
clean_log() { grep -q "ERROR SUMMARY: 0 errors" "$1"; }

# ---- headless, every scenario ----
for s in "$ROOT"/scenarios/*.ini; do
	name=$(basename "$s")
	# epochs capped in [train] only (a knob may be called epochs too)
	awk -v cap="$EPOCHS" '
		/^[ \t]*\[/ { sec = $0; gsub(/[ \t\[\]]/, "", sec) }
		sec == "train" && /^[ \t]*epochs[ \t]*[=:]/ {
			v = $0; sub(/^[^=:]*[=:][ \t]*/, "", v); v += 0
			if (v > cap) { print "epochs = " cap; next }
		}
		{ print }' "$s" >"$WORK/$name"
	# A knob whose values need more epochs (a rewind point, say) would
	# refuse the shorter run: then the copy goes without its knobs.
	if ! "$BIN" --list "$WORK/$name" >/dev/null 2>&1; then
		awk '/^[ \t]*\[/ { sec = $0; gsub(/[ \t\[\]]/, "", sec) } sec != "knobs" { print }' "$WORK/$name" \
			>"$WORK/$name.tmp" && mv "$WORK/$name.tmp" "$WORK/$name"
	fi
	# two at a time (one a core): each its own log, judged in order below
	[ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
	( "${VG[@]}" --log-file="$WORK/$name.vg" "$BIN" --headless "$WORK/$name" >"$WORK/$name.out" 2>&1
	  echo $? >"$WORK/$name.rc" ) &
done
wait
for s in "$ROOT"/scenarios/*.ini; do
	name=$(basename "$s")
	log=$WORK/$name.vg
	if [ "$(cat "$WORK/$name.rc" 2>/dev/null)" = 0 ] && clean_log "$log"; then
		ok "memcheck: headless $name ($EPOCHS epochs at most): no errors, nothing left allocated"
	else
		cat "$WORK/$name.out" >>"$log"
		not_ok "memcheck: headless $name" "$log"
	fi
done

# ---- the live UI, scripted ----
screen() { T capture-pane -p -t vg 2>/dev/null; }
wait_for() { # TEXT SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "# waited $2 s for '$1'" >>"$WORK/steps"
	return 1
}
wait_rows() { # ROWS SECONDS: the footer is drawn on the last of ROWS rows
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(screen | wc -l)" -eq "$1" ] && screen | tail -n 1 | grep -qF "q quit" && return 0
		sleep 0.1
	done
	echo "# waited $2 s for the layout at $1 rows" >>"$WORK/steps"
	return 1
}
keys() {
	T send-keys -t vg "$@"
	sleep 0.3
}
log=$WORK/tui.vg
T new-session -d -x 80 -y 24 -s vg \
	"cd '$WORK' && $(printf '%q ' "${VG[@]}") --log-file='$log' '$BIN' --pace 50 '$ROOT'/scenarios/*.ini; echo EXIT=\$?; exec sleep 600"
T set -g status off >/dev/null 2>&1
session() {
	wait_for "Training loss" 90 || return 1
	keys Space && wait_for "paused" 20 || return 1
	keys . && keys . && keys Space
	keys y && keys y && keys + && keys - && keys i && keys i
	keys e && wait_for "wrote " 20 || return 1
	keys '?' && wait_for "any key closes" 20 || return 1
	keys x
	keys r && keys R
	local i n_sc
	n_sc=$(ls "$ROOT"/scenarios/*.ini | wc -l)
	for ((i = 1; i < n_sc; i++)); do
		keys Right
		sleep 1
	done
	# thirteen scenarios set up under valgrind, and a lag probe that reads
	# the slowed process as a slow link (1 fps): time to come back
	keys 1 && wait_for "Training loss" 90 || return 1
	# one resize at a time: each redraw under valgrind takes a while
	T resize-window -t vg -x 132 -y 43
	wait_rows 43 20 || return 1
	T resize-window -t vg -x 30 -y 8
	wait_for "need " 20 || return 1
	T resize-window -t vg -x 80 -y 24
	wait_for "Training loss" 20 || return 1
	keys q
	wait_for "EXIT=" 60 || return 1
	screen | grep -qx "EXIT=0"
}
: >"$WORK/steps"
if session && clean_log "$log"; then
	ok "memcheck: a scripted live session (every scenario, keys, export, help, resizes): no errors"
else
	{
		cat "$WORK/steps"
		echo "# valgrind (its banner left out):"
		grep -vE '^==[0-9]+== (Memcheck|Copyright|Using Valgrind|Command|Parent PID|$)' "$log" 2>/dev/null
		echo "# screen:"
		screen
	} >"$WORK/report"
	not_ok "memcheck: a scripted live session" "$WORK/report"
fi

echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
