#!/usr/bin/env bash
# e2e_faults.sh: the real ./overparam when things go wrong around it, driven
# in tmux (and, for a vanishing terminal, a pseudo-terminal harness):
#   - signals: SIGINT (kill and Ctrl-C), SIGTERM, SIGHUP end it with the
#     terminal restored (main screen, cursor visible, echo and canonical
#     mode) and no process left; Ctrl-Z / kill -TSTP, then fg, resume with
#     a full redraw;
#   - a vanished terminal: the pty's master closed, with and without a
#     SIGHUP, ends it within seconds and without spinning; so does killing
#     the tmux session under it;
#   - terminal variety: TERM=vt100, linux, xterm, xterm-mono, screen,
#     NO_COLOR, LANG=C; sizes from the minimum to 400x100; 100 resizes in
#     about a second;
#   - divergence: lr 10 and friends (tests/scenarios/diverge-*.ini) say
#     "diverged", never print nan or inf, and the other series go on;
#   - a million epochs at max pace (tests/scenarios/million.ini): memory
#     within the history's bound, keys answered as fast at the end as at
#     the start, and the exported CSV holds every epoch of every series,
#     once and in order;
#   - export into a directory that vanished (or is read-only) reports the
#     error in the status line and the run goes on;
#   - a short live session of the ThreadSanitizer build (build/tsan/
#     overparam, made here if missing) with keys and resizes, and one ended
#     by SIGTERM (a thread not joined is a report); the ASan build ended by
#     SIGINT (a leak is a report): no report.
# Prints "ok N - name" / "not ok N - name" (with the screen on failure) and
# last "e2e: N passed, M failed"; exits 1 on any failure.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
TSAN_BIN=${OVERPARAM_TSAN_BIN:-$ROOT/build/tsan/overparam}
S1=$ROOT/scenarios/01-optimization-ease.ini
TS=$ROOT/tests/scenarios
export OPENBLAS_NUM_THREADS=1
epoch() { labelled_epoch; } # a status message holds the sequence up

readable() { # the first scenario's screen, whole
	wait_for "Training loss" 10 && wait_for "params" 2 && wait_for "q quit" 2 && wait_for "overparam" 1
}
no_nonfinite() { ! screen | grep -qiw -e 'nan' -e '-nan' -e 'inf' -e 'infinity'; }

for f in "$BIN" "$S1" "$TS/million.ini"; do
	[ -e "$f" ] || bail "$f exists (run make first)"
done

# ---- signals ----
for sig in INT TERM HUP; do
	start_at 80 24 "" --pace 50 "$S1"
	by_signal() {
		readable || return 1
		local threads
		threads=$(ls "/proc/$APP/task" 2>/dev/null | wc -l)
		[ "$threads" -ge 2 ] || { why="$threads threads before the signal"; return 1; }
		kill -s "$1" "$APP" && exited_clean
	}
	check "SIG$sig: exit 0, terminal restored, no process left" by_signal "$sig"
done
start_at 80 24 "" --pace 50 "$S1"
ctrl_c() { readable && keys C-c && exited_clean; }
check "Ctrl-C typed: exit 0, terminal restored" ctrl_c

# ---- suspend and resume, from an interactive shell with job control ----
new_session 80 24 "env PS1='$ ' bash --norc --noprofile -i"
wait_for '$' 5
keys "cd '$WORK' && '$BIN' --pace 50 '$S1'" Enter
APP=""
suspended() { # the job stopped, the shell has the terminal, as it was
	wait_for "Stopped" 5 || { why="no 'Stopped' from the shell"; return 1; }
	local st
	st=$(awk '{print $3}' "/proc/$APP/stat" 2>/dev/null)
	[ "$st" = T ] || { why="process state '$st', not T (stopped)"; return 1; }
	[ "$(fmt '#{alternate_on}')" = 0 ] || { why="still on the alternate screen"; return 1; }
	[ "$(fmt '#{cursor_flag}')" = 1 ] || { why="cursor invisible while suspended"; return 1; }
	return 0
}
resumed() { # fg: everything drawn again, and it runs
	keys clear Enter
	wait_gone "Stopped" 5
	keys fg Enter
	readable || { why="not redrawn"; return 1; }
	[ "$(fmt '#{alternate_on}')" = 1 ] || { why="not on the alternate screen"; return 1; }
	wait_for "Why" 2 && wait_for "running" 2 && advancing
}
tstp_key() {
	readable || return 1
	APP=$(app_pid)
	[ -n "$APP" ] || { why="no program"; return 1; }
	wait_epoch_above 5 10 || return 1
	keys C-z
	suspended && resumed
}
check "Ctrl-Z stops it with the terminal restored; fg redraws it all and it runs" tstp_key
tstp_kill() {
	kill -s TSTP "$APP"
	suspended && resumed
}
check "kill -TSTP, then fg (SIGCONT): the same" tstp_kill
after_fg() {
	keys q
	wait_for '$' 5 || return 1
	keys "echo EXIT=\$?" Enter
	wait_for "EXIT=0" 5 || { why="exit status: $(screen | grep EXIT=)"; return 1; }
	gone "$APP" 2 && [ "$(fmt '#{alternate_on}')" = 0 ] && [ "$(fmt '#{cursor_flag}')" = 1 ]
}
check "after resuming, q exits 0 with the terminal restored" after_fg

# ---- a vanished terminal ----
if cc -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -O1 -o "$WORK/pty_vanish" "$ROOT/tests/pty_vanish.c" \
	2>"$WORK/cc.err"; then
	# Paused, so every CPU second after the close is the UI's own.
	vanish() { # MODE-FLAGS...: ends within 3 s, with little CPU
		local out
		out=$(cd "$WORK" && TERM=xterm-256color "$WORK/pty_vanish" "$@" 1.5 3 "$BIN" --paused "$S1" 2>&1)
		why=$out
		local took cpu drew
		took=$(sed -n 's/.*exited after \([0-9.]*\) s.*/\1/p' <<<"$out")
		cpu=$(sed -n 's/.*CPU after close \([0-9.-]*\) s.*/\1/p' <<<"$out")
		drew=$(sed -n 's/^drew \([0-9]*\) bytes.*/\1/p' <<<"$out")
		[ -n "$took" ] && [ -n "$cpu" ] && [ "${drew:-0}" -gt 1000 ] &&
			awk -v t="$took" -v c="$cpu" 'BEGIN { exit !(t < 2 && c < 0.2) }'
	}
	check "pty closed, no SIGHUP (reads and writes fail): ends in < 2 s, < 0.2 s CPU" vanish
	hup_vanish() { vanish --ctty && grep -q "status 0" <<<"$why"; }
	check "pty closed as controlling terminal (SIGHUP): ends in < 3 s with status 0" hup_vanish
else
	why=$(cat "$WORK/cc.err")
	not_ok "tests/pty_vanish.c compiles"
fi
start_at 80 24 "" --pace 50 "$S1"
killed_session() {
	readable || return 1
	local pid=$APP
	T kill-session -t "$SESSION"
	gone "$pid" 3 || { why="still running 3 s after its tmux session was killed"; return 1; }
}
check "tmux session killed under it: the program ends within 3 s" killed_session

# ---- terminal variety ----
for term in vt100 linux xterm xterm-mono screen; do
	start_at 80 24 "TERM=$term" --pace 50 "$S1"
	variety() {
		readable && advancing || return 1
		case $term in vt100 | xterm-mono) no_color_escapes || { why="colour escapes on $term"; return 1; } ;; esac
		quit
	}
	check "TERM=$term: readable, running, q restores the terminal" variety
done
start_at 80 24 "TERM=xterm NO_COLOR=1" --pace 50 "$S1"
check "TERM=xterm NO_COLOR=1: readable, no colour" eval 'readable && advancing && no_color_escapes && quit'
start_at 80 24 "TERM=linux LANG=C LC_ALL=C" --pace 50 "$S1"
check "TERM=linux LANG=C: readable, running" eval 'readable && advancing && quit'

# ---- sizes ----
start_at 80 24 "" --pace 50 "$S1"
min_size() {
	readable || return 1
	resize 30 8
	wait_for "need " 5 || return 1
	local need
	need=$(screen | sed -n 's/.*need \([0-9]*x[0-9]*\).*/\1/p' | head -n 1)
	MINW=${need%x*}
	MINH=${need#*x}
	[ -n "$MINW" ] && [ -n "$MINH" ] || return 1
	resize "$MINW" "$MINH"
	wait_gone "need " 5 && readable || { why="not readable at ${MINW}x$MINH"; return 1; }
	resize $((MINW - 1)) "$MINH"
	wait_for "need ${MINW}x$MINH" 5 || { why="$((MINW - 1))x$MINH is not refused"; return 1; }
	resize "$MINW" $((MINH - 1))
	wait_for "need ${MINW}x$MINH" 5 || { why="${MINW}x$((MINH - 1)) is not refused"; return 1; }
	return 0
}
check "the minimum size it names is readable, one less in either way is refused" min_size
fits() { # H: the footer on the last of H rows, the header on the first
	[ "$(screen | wc -l)" -eq "$1" ] && screen | tail -n 1 | grep -qF "q quit" &&
		screen | head -n 1 | grep -qF "overparam"
}
sizes() {
	local s
	for s in 80x24 132x43 200x60 400x100; do
		resize "${s%x*}" "${s#*x}"
		eventually 5 fits "${s#*x}" && readable && advancing || { why="not readable at $s"; return 1; }
	done
}
check "80x24, 132x43, 200x60, 400x100: header on top, keys at the bottom, running" sizes
storm() {
	# ten bursts of ten resizes (one tmux command each), a tenth of a
	# second apart: a hundred in about one second
	local i j t0 t1 burst
	RANDOM=7
	t0=$(date +%s.%N)
	for ((i = 0; i < 10; i++)); do
		burst=()
		for ((j = 0; j < 10; j++)); do
			burst+=(resize-window -t "$SESSION" -x $((20 + RANDOM % 280)) -y $((5 + RANDOM % 95)) \;)
		done
		T "${burst[@]}"
		sleep 0.1
	done
	t1=$(date +%s.%N)
	why="100 resizes took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
	echo "# $why"
	kill -0 "$APP" 2>/dev/null || { why+="; the program died"; return 1; }
	resize 80 24
	readable && advancing && wait_for "width 500" 2
}
check "a storm of 100 resizes: alive, and right at 80x24 after" storm
check "after the storm, q restores the terminal" quit

# ---- divergence ----
start_at 100 30 "" "$TS/diverge-lr10.ini" "$TS/diverge-some.ini" "$TS/diverge-linear.ini"
header_diverged() { header | grep -q '^ diverged '; }
all_diverge() {
	wait_for "Diverges at lr 10" 10 || return 1
	# the header's state says so once every series has, and so does
	# every row of the table
	eventually 15 header_diverged || { why="the header does not say diverged"; return 1; }
	local rows
	rows=$(screen | grep -c 'width [0-9]* .*diverged')
	[ "$rows" -ge 3 ] || { why="$rows table rows say diverged"; return 1; }
	no_nonfinite || { why="nan or inf on screen"; return 1; }
	keys y
	wait_for "linear)" 5 && no_nonfinite || { why="nan or inf on the linear axis"; return 1; }
	keys y
	wait_for "log)" 5 && no_nonfinite
}
check "lr 10: every series and the header say diverged; no nan/inf on either axis" all_diverge
one_diverges() {
	keys Right
	wait_for "One diverges" 5 || return 1
	wait_match 'width 1000 .*diverged' 15 || { why="width 1000 not marked"; return 1; }
	if screen | grep -q 'width 10 .*diverged\|width 100 .*diverged'; then
		why="a healthy series marked diverged"
		return 1
	fi
	wait_epoch_above 100 15 && screen | grep -qF "running" && no_nonfinite
}
check "lr 0.5: only width 1000 diverges, the others train on" one_diverges
linear_diverges() {
	keys Right
	wait_for "GD diverges" 5 && wait_for "diverged" 15 && no_nonfinite
}
check "gradient descent on the linear model diverges: said so, no nan/inf" linear_diverges
check "after divergence, q restores the terminal" quit

# ---- a million epochs ----
# --no-store: this measures the history; the store's writer keeps its own
# bounded backlog (docs/store.md), which would blur the figure
start_at 100 30 "" --no-store "$TS/million.ini"
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$APP/status" 2>/dev/null; }
# latency: seconds from pressing y to the axis kind changing on screen
latency() {
	local want=$1 t0 t1 i
	t0=$(date +%s%N)
	keys y
	for ((i = 0; i < 400; i++)); do
		screen | grep -qF "$want" && break
		sleep 0.01
	done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
million() {
	wait_for "A million epochs" 10 || return 1
	wait_epoch_above 20000 20 || return 1
	local e0 r0 lat max_lat=0 last_e=0 stuck=0 samples=0 e
	e0=$(epoch)
	r0=$(rss_kb)
	# until done: the counter must keep moving, and keys must be answered
	local t_end=$((SECONDS + 240))
	while [ $SECONDS -lt $t_end ]; do
		e=$(epoch)
		if screen | grep -q "done"; then break; fi
		[ -n "$e" ] && [ "$e" -gt "$last_e" ] && stuck=0 || stuck=$((stuck + 1))
		[ "$stuck" -lt 40 ] || { why="epoch counter stuck at $e"; return 1; }
		last_e=${e:-$last_e}
		lat=$(latency "linear)")
		[ "$lat" -gt "$max_lat" ] && max_lat=$lat
		lat=$(latency "log)")
		[ "$lat" -gt "$max_lat" ] && max_lat=$lat
		samples=$((samples + 1))
	done
	wait_for "1000000/1000000" 5 || { why="not done after 240 s (epoch $(epoch))"; return 1; }
	local r1
	r1=$(rss_kb)
	# The history keeps 12 bytes a point (epoch u32, value f64), in arrays
	# that double: at most 24 bytes a point allocated, 12 touched.
	local points=$(((1000000 - e0) * 2))
	local grew=$(((r1 - r0) * 1024))
	M_WHY="RSS ${r0} kB at epoch $e0, ${r1} kB at the end: $((grew / points)) bytes a point over $points points; slowest key $max_lat ms over $samples samples"
	why=$M_WHY
	echo "# $M_WHY"
	[ "$grew" -le $((points * 16 + 4 * 1048576)) ] || return 1
	[ "$max_lat" -le 1500 ] || return 1
}
check "a million epochs: memory within 16 B a point, keys answered < 1.5 s throughout" million
million_csv() {
	keys e
	wait_for "wrote " 20 || return 1
	local f
	f=$(ls "$WORK"/overparam-million-7-*.csv 2>/dev/null | head -n 1)
	[ -n "$f" ] || { why="no CSV"; return 1; }
	# every epoch 0..999999 of both series, once and in order
	why=$(awk -F, '$3 == "train_loss" {
			k = $2; if ($4 != next_e[k] + 0) { bad++; if (bad < 3) print "series " k ": epoch " $4 " after " next_e[k] - 1 }
			next_e[k] = $4 + 1; count[k]++ }
		END { for (k in count) { print k ": " count[k] " rows, last epoch " next_e[k] - 1; if (count[k] != 1000000) bad++; nk++ }
			if (nk != 2) bad++; exit bad > 0 }' "$f") || return 1
	echo "# $why" | tr '\n' ' '
	echo
	rm -f "$f"
}
check "its CSV holds epochs 0..999999 of both series, once each and in order" million_csv
check "after a million epochs, q restores the terminal" quit

# ---- export into a directory that is not there (or read-only) ----
mkdir "$WORK/out"
start_at 250 30 "" --pace 50 --export-dir "$WORK/out" "$S1"
export_gone() {
	readable || return 1
	rmdir "$WORK/out"
	keys e
	wait_for "export failed: No such file or directory: $WORK/out/overparam-01-optimization-ease-" 5 || return 1
	advancing
}
check "e into a removed --export-dir: the error in the status line, the run goes on" export_gone
export_back() {
	mkdir "$WORK/out"
	keys e
	wait_for "wrote $WORK/out/" 5 && [ -n "$(ls "$WORK/out")" ]
}
check "the directory back: e writes there" export_back
if [ "$(id -u)" != 0 ]; then
	export_readonly() {
		chmod 555 "$WORK/out"
		sleep 1.1 # a new file name (it has the time in it)
		keys e
		wait_for "Permission denied" 5 && advancing
	}
	check "e into a read-only --export-dir: Permission denied, the run goes on" export_readonly
	chmod 755 "$WORK/out"
fi
check "after the export errors, q restores the terminal" quit

# ---- AddressSanitizer, live, ended by a signal: nothing leaked ----
ASAN_BIN=${OVERPARAM_ASAN_BIN:-$ROOT/build/asan/overparam}
if [ ! -x "$ASAN_BIN" ] && [ -z "${OVERPARAM_ASAN_BIN:-}" ]; then
	make -s -C "$ROOT" BUILD=build/asan SAN=address,undefined build/asan/overparam >/dev/null 2>&1
fi
if [ -x "$ASAN_BIN" ]; then
	PROG=$ASAN_BIN start_at 80 24 "ASAN_OPTIONS=log_path=$WORK/asan:detect_leaks=1 UBSAN_OPTIONS=log_path=$WORK/ubsan" \
		--pace 50 "$S1"
	asan_int() {
		readable || return 1
		keys Right
		sleep 0.5
		kill -s INT "$APP" && exited_clean || return 1
		if ls "$WORK"/asan* "$WORK"/ubsan* >/dev/null 2>&1; then
			why=$(head -n 40 "$WORK"/asan* "$WORK"/ubsan* 2>/dev/null)
			return 1
		fi
	}
	check "ASan+UBSan build, live, ended by SIGINT: no leak, no report" asan_int
	unset PROG
else
	why="make BUILD=build/asan SAN=address,undefined build/asan/overparam failed"
	not_ok "the ASan build exists"
fi

# ---- ThreadSanitizer, live ----
if [ ! -x "$TSAN_BIN" ] && [ -z "${OVERPARAM_TSAN_BIN:-}" ]; then
	make -s -C "$ROOT" BUILD=build/tsan SAN=thread build/tsan/overparam >/dev/null 2>&1
fi
if [ -x "$TSAN_BIN" ]; then
	PROG=$TSAN_BIN start_at 80 24 "TSAN_OPTIONS=log_path=$WORK/tsan:halt_on_error=0" "$ROOT"/scenarios/*.ini
	tsan_live() {
		readable || return 1
		local k
		for k in Right Left Space . . Space + - y y r R i i e; do
			keys "$k"
			sleep 0.15
		done
		resize 120 40
		sleep 0.3
		resize 30 8
		sleep 0.3
		resize 80 24
		keys Right Right Right
		sleep 0.5
		keys 1
		readable || return 1
		keys q
		exited_clean || return 1
		if ls "$WORK"/tsan* >/dev/null 2>&1; then
			why=$(head -n 40 "$WORK"/tsan*)
			return 1
		fi
		return 0
	}
	check "ThreadSanitizer build, live with keys and resizes: no report" tsan_live
	# A thread left running at exit is a "thread leak" report.
	PROG=$TSAN_BIN start_at 80 24 "TSAN_OPTIONS=log_path=$WORK/tsan:halt_on_error=0" --pace 50 "$S1"
	tsan_term() {
		readable && kill -s TERM "$APP" && exited_clean || return 1
		if ls "$WORK"/tsan* >/dev/null 2>&1; then
			why=$(head -n 40 "$WORK"/tsan*)
			return 1
		fi
	}
	check "ThreadSanitizer build ended by SIGTERM: every thread joined, no report" tsan_term
	unset PROG
else
	why="make BUILD=build/tsan SAN=thread build/tsan/overparam failed"
	not_ok "the ThreadSanitizer build exists"
fi

e2e_summary
