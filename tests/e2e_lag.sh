#!/usr/bin/env bash
# e2e_lag.sh: the lag detector in a real terminal. tests/pty_relay.py sits
# between tmux and ./overparam and holds the terminal's cursor-position
# answers back by the seconds in a file: 2 s late, the status line says the
# link is slow and the frame rate drops; on time again, it recovers; keys
# act at once all along; a terminal that never answers is never called
# slow; a line slower than the frames keeps the screen within seconds
# (one frame on the line at a time); the way out stays clean. Conventions
# of e2e.sh: "ok N - name" / "not ok N - name" (screen on failure), then
# "e2e: N passed, M failed".
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin
command -v python3 >/dev/null || bail "python3 (make deps)"

S1="$ROOT/scenarios/01-optimization-ease.ini"
DELAY="$WORK/delay"
# the relay is the pane's program: it runs ./overparam
PROG=python3
relay() { start_at 100 30 "" "$ROOT/tests/pty_relay.py" --delay-file "$DELAY" -- "$BIN" "$@"; }

echo 2.0 >"$DELAY"
relay --pace 20 "$S1"
slow() { wait_header "link slow: 2." 12 && wait_header " 1 fps" 12; }
check "answers 2 s late: 'link slow: 2.x s behind', down to 1 fps" slow
keys_now() { keys ' ' && wait_header "paused" 5 && keys ' ' && wait_header "running" 5; }
check "keys still act at once" keys_now
recover() { echo 0 >"$DELAY" && wait_gone "link slow" 12; }
check "answers on time again: the message goes" recover
quit_ok() { quit; }
check "q quits cleanly" quit_ok

# A terminal that never answers (the answers held for good) is not slow.
echo 1000 >"$DELAY"
relay --pace 20 "$S1"
never() {
	wait_epoch_above 60 10 || return 1 # three seconds and more of probes due
	hides "link slow"
}
check "a terminal that never answers is never called slow" never
check "q quits cleanly, at once" quit_ok

# A line of 1500 bytes a second, slower than the frames: once the program
# knows the link lags, one frame is on the line at a time, so the screen
# stays within a frame or two of the program (a frame at 100x30 is 1 to 2
# KB here), where frames sent at the lowered rate alone piled up (the
# screen still 8.4 to 8.5 s behind from 17 s to 20 s). What the program
# wrote in its first seconds, before the first answer came back, has
# drained by 17 s.
LOG="$WORK/link.log"
rm -f "$LOG"
start_at 100 30 "" "$ROOT/tests/pty_relay.py" --rate 1500 --log "$LOG" -- "$BIN" --pace 100 --set train.epochs=100000 "$S1"
bounded() {
	eventually 30 grep -qs '^t=20 ' "$LOG" || { why="no log to 20 s: $(tr '\n' ' ' <"$LOG")"; return 1; }
	local worst
	worst=$(awk -F'[ =]' '$2 >= 17 && $2 <= 20 { if ($4 > m) m = $4 } END { print m + 0 }' "$LOG")
	why="worst lag from 17 s to 20 s: $worst s; log: $(tr '\n' ' ' <"$LOG")"
	awk -v w="$worst" 'BEGIN { exit !(w < 4) }'
}
check "a line slower than the frames: the screen stays within 4 s of the program" bounded
check "q quits cleanly" quit_ok

e2e_summary
