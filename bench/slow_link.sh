#!/usr/bin/env bash
# slow_link.sh: how far the screen falls behind on a slow link, as a class
# sees it. A lecturer's walk: every scenario at 200x55 in tmux, through
# tests/pty_relay.py at 3000 bytes a second (an SSH session on a slow line),
# Right every EVERY seconds for 60 s, then q. Prints how long the bytes
# reaching the screen had waited (the lag), and what the program wrote.
#
#   bench/slow_link.sh [BIN] [EVERY]     (defaults: ./overparam, 5)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(readlink -f "${1:-$ROOT/overparam}")
EVERY=${2:-5}
RATE=3000
LOG=$(mktemp)
SOCK="overparam-slow-link-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1; rm -f "$LOG"' EXIT
T new-session -d -x 200 -y 55 -s m \
	"cd '$ROOT' && python3 tests/pty_relay.py --rate $RATE --log '$LOG' -- '$BIN' scenarios/*.ini; sleep 600"
for _ in $(seq 1 $((60 / EVERY - 1))); do
	sleep "$EVERY"
	T send-keys -t m Right
done
sleep "$EVERY"
T send-keys -t m q
# until the relay has written everything (the screen has caught up) and ended
for _ in $(seq 1 180); do
	sleep 1
	[ "$(T display -p -t m '#{pane_current_command}')" = sleep ] && break
done
awk -F'[ =]' -v every="$EVERY" -v rate="$RATE" '
	$2 <= 60 { if ($4 > m) m = $4; s += $4; n++; last = $4; sent = $8 }
	{ if ($4 > 0.5) caught = $2 + 1 }
	END { printf "walk every %s s at %s B/s: lag over the first 60 s max %.1f s, mean %.1f s, at 60 s %.1f s; %d bytes written; the screen caught up at %d s\n",
		every, rate, m, s / n, last, sent, caught }' "$LOG"
