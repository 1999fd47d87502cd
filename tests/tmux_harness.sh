# shellcheck shell=bash
# tmux_harness.sh: what every tests/e2e*.sh shares. Source it after `set -u`.
# (Its name does not match tests/e2e*.sh, so tests/run does not run it.)
#
#   ROOT, BIN (OVERPARAM_BIN overrides), WORK (scratch dir removed at exit)
#   counting:  ok, not_ok, check, why, bail, need_bin, e2e_summary
#              (TAP-style "ok N - name" lines, then the closing
#              "e2e: N passed, M failed" that tests/run parses; a failure
#              prints $why and the screen)
#   tmux:      T (tmux on a private socket), new_session, start_at, start,
#              keys, resize, fmt, app_pid, APP
#   screen:    screen, header, epoch, labelled_epoch, has_braille, no_braille,
#              no_color_escapes
#   waits:     eventually (the one poll loop: a condition, with a deadline),
#              wait_for, wait_gone, wait_match, wait_header,
#              wait_epoch_above, wait_epoch_below, advancing, gone
#   endings:   exited_clean, quit
#   pty:       pty_run (a command on a pseudo-terminal via script(1), for
#              what must happen before any drawing)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OVERPARAM_BIN:-$ROOT/overparam}
SOCK="overparam-$(basename "$0" .sh)-$$"
SESSION=e2e
unset PROG # set it for one start_at or pty_run to run another build
WORK=$(mktemp -d)
# The user's own config file (a pace, a theme) must not change what the tests see.
export XDG_CONFIG_HOME="$WORK/.no-config"
# Every run records itself (docs/store.md): into the scratch dir, never the
# user's ~/.local/share. The tmux server, started below, inherits it.
export XDG_DATA_HOME="$WORK/xdg"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	chmod -R u+w "$WORK" 2>/dev/null # a case may leave it read-only
	rm -rf "$WORK"
}
trap cleanup EXIT

# ---- counting ----
pass=0
fail=0
n=0
why="" # a case sets it to say why it failed
ok() {
	n=$((n + 1)); pass=$((pass + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1)); fail=$((fail + 1))
	echo "not ok $n - $1"
	[ -n "$why" ] && printf '%s\n' "$why" | sed 's/^/#   /'
	local s
	s=$(screen)
	if [ -n "$s" ]; then
		echo "# screen:"
		printf '%s\n' "$s" | sed 's/^/#   /'
	fi
}
check() { # NAME CMD...: one case, passed when CMD succeeds
	local name=$1
	shift
	why=""
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
e2e_summary() {
	echo "e2e: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
bail() { # MESSAGE: a precondition failed; nothing else can run
	not_ok "$1"
	e2e_summary
	exit 1
}
need_bin() { [ -x "$BIN" ] || bail "$BIN exists (run make first)"; }

# ---- the screen ----
screen() { T capture-pane -p -t "$SESSION" 2>/dev/null; }
header() { screen | sed -n 2p; } # the status row
# Epochs done, from the status row ("epoch 12/2000" or, when a message
# takes the room, "12/2000"). The waits below read the counter through
# epoch; a script that wants labelled_epoch instead redefines epoch.
epoch() { header | grep -o '[0-9][0-9]*/[0-9][0-9]*' | head -n 1 | cut -d/ -f1; }
# Only a counter labelled "epoch N/": while a status message takes its
# place there is none, so a wait on the counter also waits the message out.
labelled_epoch() { screen | sed -n 's/.* epoch \([0-9][0-9]*\)\/.*/\1/p' | head -n 1; }
has_braille() { screen | LC_ALL=C.UTF-8 grep -qP '[\x{2801}-\x{28FF}]'; }
no_braille() { ! screen | LC_ALL=C.UTF-8 grep -qP '[\x{2800}-\x{28FF}]'; }
# no colour escapes at all (bold and reverse are fine)
no_color_escapes() { ! T capture-pane -e -p -t "$SESSION" | grep -q $'\e\\[[0-9;]*3[0-7]m\|\e\\[[0-9;]*38;'; }

# ---- waits: every one polls with a deadline ----
eventually() { # SECONDS CMD...: CMD succeeds within SECONDS
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
shows() { screen | grep -qF -- "$1"; }
hides() { ! shows "$1"; }
shows_match() { screen | grep -qE -- "$1"; }
header_shows() { header | grep -qF -- "$1"; }
epoch_above() { local e; e=$(epoch); [ -n "$e" ] && [ "$e" -gt "$1" ]; }
epoch_below() { local e; e=$(epoch); [ -n "$e" ] && [ "$e" -lt "$1" ]; }
ended() { ! kill -0 "$1" 2>/dev/null; }
wait_for() { eventually "${2:-10}" shows "$1"; }                 # TEXT [SECONDS]
wait_gone() { eventually "${2:-10}" hides "$1"; }                # TEXT [SECONDS]
wait_match() { eventually "${2:-10}" shows_match "$1"; }         # REGEX [SECONDS]: a line matches
wait_header() { eventually "${2:-10}" header_shows "$1"; }       # TEXT [SECONDS]: on the status row
wait_epoch_above() { eventually "${2:-10}" epoch_above "$1"; }   # N [SECONDS]
wait_epoch_below() { eventually "${2:-5}" epoch_below "$1"; }    # N [SECONDS]: the counter started over
gone() { eventually "${2:-5}" ended "$1"; }                      # PID [SECONDS]: the process has ended
# shellcheck disable=SC2120 # SECONDS is optional
advancing() { # [SECONDS]: the epoch counter moves, and again within SECONDS
	wait_epoch_above 0 10 || return 1
	local e
	e=$(epoch)
	wait_epoch_above "$e" "${1:-8}"
}

# ---- tmux sessions ----
keys() { T send-keys -t "$SESSION" "$@"; }
resize() { T resize-window -t "$SESSION" -x "$1" -y "$2"; } # W H
fmt() { T display -p -t "$SESSION" "$1" 2>/dev/null; }      # FORMAT, e.g. '#{alternate_on}'
server_gone() { ! T list-sessions >/dev/null 2>&1; }
# new_session W H CMD: a fresh tmux server with one W x H session running CMD.
new_session() {
	T kill-server >/dev/null 2>&1
	eventually 5 server_gone # before a new one takes the socket
	T new-session -d -x "$1" -y "$2" -s "$SESSION" "$3"
	T set -g status off >/dev/null 2>&1
}
app_pid() { # the program: the pane's shell's child
	local shell
	shell=$(fmt '#{pane_pid}')
	[ -n "$shell" ] && pgrep -P "$shell" | head -n 1
}
app_started() { APP=$(app_pid); [ -n "$APP" ]; }
# start_at W H 'ENV=V ...' ARG...: ${PROG:-$BIN} with ARGs in a fresh W x H
# session, from $WORK. Afterwards the pane prints "EXIT=status" and the
# terminal's echo/icanon flags. Sets APP to the program's pid.
start_at() {
	local w=$1 h=$2 envs=$3
	shift 3
	local args="" a
	for a in "$@"; do args+=" '$a'"; done
	new_session "$w" "$h" \
		"cd '$WORK' && env $envs '${PROG:-$BIN}'$args; echo EXIT=\$?; stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\n' ' '; echo; exec sleep 600"
	APP=""
	eventually 5 app_started
}
start() { start_at 80 24 "" "$@"; } # ARG...: at 80x24

# The program ended with status 0, left no process behind, and gave the
# terminal back: main screen, cursor visible, echo and canonical input on.
exited_clean() {
	wait_for "EXIT=" 10 || { why="no EXIT line"; return 1; }
	screen | grep -qx 'EXIT=0' || { why="exit status: $(screen | grep EXIT=)"; return 1; }
	wait_for "echo" 5 || { why="no stty line"; return 1; }
	if screen | grep -q -- '-echo\|-icanon' || ! screen | grep -qw 'icanon'; then
		why="terminal modes not restored"
		return 1
	fi
	[ "$(fmt '#{alternate_on}')" = 0 ] || { why="still on the alternate screen"; return 1; }
	[ "$(fmt '#{cursor_flag}')" = 1 ] || { why="cursor left invisible"; return 1; }
	if [ -n "${APP:-}" ] && ! gone "$APP" 2; then
		why="process $APP still there"
		return 1
	fi
	return 0
}
quit() {
	keys q
	exited_clean
}

# ---- a pseudo-terminal without tmux ----
# pty_run DIR [ENV-ARG ...] -- ARG ...: ${PROG:-$BIN} with ARGs (and env(1)
# arguments, e.g. TERM=dumb or -u TERM) with a pseudo-terminal as its stdin
# and stdout (script(1), as a teacher's shell would) and stderr to DIR/err.
# Leaves in DIR: err, rc, before and after (the terminal's modes, stty -g).
# Sets PTY_BYTES (bytes that reached the terminal) and PTY_SECS.
pty_run() {
	local d=$1
	shift
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs+=("$1")
		shift
	done
	shift
	rm -rf "$d"
	mkdir -p "$d"
	# shellcheck disable=SC2016 # $1 and $? are run.sh's, not ours
	{
		echo 'stty -g >"$1/before"'
		printf 'env'
		printf ' %q' "${envs[@]}" "${PROG:-$BIN}" "$@"
		echo ' 2>"$1/err"; echo $? >"$1/rc"'
		echo 'stty -g >"$1/after"'
	} >"$d/run.sh"
	local t0=$SECONDS
	script -q -e -c "bash '$d/run.sh' '$d'" "$d/typescript" </dev/null >/dev/null 2>&1
	# shellcheck disable=SC2034 # PTY_SECS and PTY_BYTES are for the caller
	PTY_SECS=$((SECONDS - t0))
	# The typescript is a header line, what the terminal received, a
	# newline and a footer line.
	# shellcheck disable=SC2034
	PTY_BYTES=$(($(sed '1d;$d' "$d/typescript" | wc -c) - 1))
}
