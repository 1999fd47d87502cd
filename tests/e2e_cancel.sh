#!/usr/bin/env bash
# e2e: alone (it times quitting to the millisecond)
# e2e_cancel.sh: quitting never leaves a process behind, and no signal
# leaves the terminal raw (issue 13, problems 1 and 2). Driven in tmux at
# 80x24 with the real ./overparam (OVERPARAM_BIN overrides the path):
#   - problem 1: scenario 09 with one step that trains for ever (the
#     issue's --set line) ended by q, Ctrl-C, SIGTERM and a killed tmux
#     session, three times each: the process is gone within 0.5 s (each
#     time printed as "# gone in N ms"), with status 0 and the terminal
#     given back;
#     switching away from the endless step: the other scenario runs;
#   - the last resort: a big data.dim on 03, whose set-up is seconds of
#     LAPACK calls that no flag can cut: q and a killed session end it
#     within 1 s all the same, and a second signal (after SIGTERM, SIGINT
#     or q) at once, with status 128 + its number;
#   - problem 2: Ctrl-\ (SIGQUIT), SIGUSR1, SIGUSR2 and SIGALRM give the
#     terminal back, then end the process by that signal (status 128 + N).
# Conventions of e2e.sh: "ok N - name" / "not ok N - name" (screen on
# failure), then "e2e: N passed, M failed"; exit 1 on any failure.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
export OPENBLAS_NUM_THREADS=1
ulimit -c 0 # SIGQUIT's core dump is the default action's business, not a file to write here

S1=$ROOT/scenarios/01-optimization-ease.ini
S3=$ROOT/scenarios/03-benign-overfitting.ini
S9=$ROOT/scenarios/09-barrier-vs-width.ini
for f in "$BIN" "$S1" "$S3" "$S9"; do
	[ -e "$f" ] || bail "$f exists (run make first)"
done
# The issue's case: one step trains 32 pairs of width 256 for a million
# epochs each, with a target no loss reaches.
ENDLESS=(--set train.epochs=1000000 --set train.target_loss=0 --set model.widths=256 --set train.repeats=32)
# The same as a file, to run beside another scenario.
sed -e 's/^epochs *=.*/epochs = 1000000/' -e 's/^target_loss *=.*/target_loss = 0/' \
	-e 's/^widths *=.*/widths = 256/' -e 's/^repeats *=.*/repeats = 32/' "$S9" >"$WORK/endless.ini"
# 03 with p = 10000 and n = 2500: its set-up is seconds of single LAPACK
# calls (the Gram matrix, its eigenvalues), which no flag can cut.
BIGDIM=(--set data.dim=10000 --set data.samples=2500)

now_ms() { echo $(($(date +%s%N) / 1000000)); }
running() { # PID: alive and not yet a zombie
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}
# ended_within PID T0 MS: the process stopped running within MS ms of T0
# (now_ms); TOOK is how long it took. Polled for 5 s whatever MS is, so a
# slow end is measured, not only refused.
ended_within() {
	local pid=$1 t0=$2 limit=$3 i
	for ((i = 0; i < 500; i++)); do
		if ! running "$pid"; then
			TOOK=$(($(now_ms) - t0))
			echo "# gone in $TOOK ms"
			[ "$TOOK" -lt "$limit" ] || { why="gone only after $TOOK ms"; return 1; }
			return 0
		fi
		sleep 0.01
	done
	why="still running 5 s later"
	kill -9 "$pid" 2>/dev/null
	return 1
}
# The terminal as the shell needs it: main screen, cursor shown, echo and
# canonical input on (the pane prints the modes after the program).
terminal_back() {
	wait_for "echo" 5 && ! screen | grep -q -- '-echo\|-icanon' && screen | grep -qw icanon &&
		[ "$(fmt '#{alternate_on}')" = 0 ] && [ "$(fmt '#{cursor_flag}')" = 1 ] && return 0
	why+="${why:+; }terminal not given back"
	return 1
}
status_is() { # N: the pane's "EXIT=N" (after the "^C" a cooked terminal echoes)
	wait_for "EXIT=" 5 && screen | grep -q "EXIT=$1\$" && return 0
	why+="${why:+; }status $(screen | grep EXIT=), not $1"
	return 1
}
# ends HOW [MS]: q, ctrl-c, TERM or kill (the tmux session) while the
# program is busy; then gone within MS ms (1000), and, but for a killed
# session, status 0 and the terminal back.
ends() {
	local pid=$APP t0 limit=${2:-1000}
	sleep 0.3 # well into the step
	running "$pid" || { why="it ended by itself"; return 1; }
	t0=$(now_ms)
	case $1 in
	q) keys q ;;
	ctrl-c) keys C-c ;;
	TERM) kill -s TERM "$pid" ;;
	kill) T kill-session -t "$SESSION" ;;
	esac
	ended_within "$pid" "$t0" "$limit" || return 1
	[ "$1" = kill ] || { status_is 0 && terminal_back; }
}
drawn() { wait_for "q quit" 10; } # the first frame is up

# ---- problem 1: an endless step ----
# The step gives way to the cancel in milliseconds: gone well within 1 s,
# and within 0.5 s, which the last resort alone (0.7 s) would not be.
for how in q ctrl-c TERM kill; do
	for try in 1 2 3; do
		start "${ENDLESS[@]}" "$S9"
		check "09 with an endless step, ended by $how ($try of 3): gone within 0.5 s" eval 'drawn && ends "$how" 500'
	done
done

# Switching away: the endless step gives way and the other scenario runs.
start "$WORK/endless.ini" "$S1"
switched() {
	drawn && sleep 0.3 && keys Tab && wait_for "Training loss" 5 && wait_epoch_above 5 5
}
check "Tab away from the endless step: the next scenario runs" switched
pid=$APP
keys q
ended_within "$pid" "$(now_ms)" 1000 >/dev/null # and a stuck one is killed

# ---- the last resort: set-up no flag can cut ----
busy() { drawn && sleep 1 && running "$APP"; } # past the data, into the solves
start "${BIGDIM[@]}" "$S3"
check "03 with data.dim 10000, q while it is set up: gone within 1 s, status 0" eval 'busy && ends q'
start "${BIGDIM[@]}" "$S3"
check "03 with data.dim 10000, tmux session killed while it is set up: gone within 1 s" eval 'busy && ends kill'
# A second signal: out at once, not after the deadline. The set-up may
# reach a point where it looks at the flag just after the first signal,
# and the program end with it (status 0, as it should): then there is
# nothing to judge, and it tries again, up to three times.
second() { # FIRST SECOND STATUS
	local pid t0 try
	for try in 1 2 3; do
		start "${BIGDIM[@]}" "$S3"
		busy || return 1
		pid=$APP
		case $1 in q) keys q ;; *) kill -s "$1" "$pid" ;; esac
		sleep 0.1
		shows "EXIT=" || break
		echo "# it ended with the first signal (try $try)"
	done
	t0=$(now_ms)
	case $2 in ctrl-c) keys C-c ;; *) kill -s "$2" "$pid" ;; esac
	ended_within "$pid" "$t0" 300 && status_is "$3" && terminal_back
}
check "03 being set up, SIGTERM then SIGINT: out at once, status 130" second TERM INT 130
check "03 being set up, SIGINT then SIGTERM: out at once, status 143" second INT TERM 143
check "03 being set up, q then Ctrl-C: out at once, status 130" second q ctrl-c 130

# ---- problem 2: signals we have no use for ----
by_fatal() { # SIGNAL NUMBER: terminal back, then ended by that signal
	drawn || return 1
	local pid=$APP t0
	t0=$(now_ms)
	case $1 in QUIT) keys 'C-\' ;; *) kill -s "$1" "$pid" ;; esac
	ended_within "$pid" "$t0" 1000 && status_is $((128 + $2)) && terminal_back
}
n_of() { kill -l "$1"; }
for sig in QUIT USR1 USR2 ALRM; do
	start --pace 50 "$S1"
	how="SIG$sig"
	[ "$sig" = QUIT ] && how='Ctrl-\ (SIGQUIT)'
	check "$how: terminal given back, then status $((128 + $(n_of "$sig")))" by_fatal "$sig" "$(n_of "$sig")"
done

e2e_summary
