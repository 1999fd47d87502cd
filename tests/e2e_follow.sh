#!/usr/bin/env bash
# e2e_follow.sh: --share and --follow with the real ./overparam
# (OVERPARAM_BIN overrides the path): a lecturer in one tmux session at
# 100x30 and a follower in another at 80x24. Right in the lecturer's
# terminal shows the new scenario in the follower's within 0.5 s; keys in
# the follower's change nothing of the lecturer's; a follower that comes
# late sees the run so far; after R the follower names the lecturer's new
# seed; a follower's threads run under SCHED_IDLE;
# another user is refused unless the lecturer
# opened the session (--share all). Conventions of e2e.sh.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

S1="$ROOT/scenarios/01-optimization-ease.ini"
S3="$ROOT/scenarios/03-benign-overfitting.ini"
ME=$(id -un)
SHARE="/tmp/overparam-share/$ME.db"
STUDENT=ovpstudent

# The follower's session beside the harness's (the lecturer's).
FS=follower
F() { T "$@"; }
fscreen() { T capture-pane -p -t "$FS" 2>/dev/null; }
fshows() { fscreen | grep -qF -- "$1"; }
start_follower() { # W H ARG...
	local w=$1 h=$2
	shift 2
	local args="" a
	for a in "$@"; do args+=" '$a'"; done
	T kill-session -t "$FS" >/dev/null 2>&1
	T new-session -d -x "$w" -y "$h" -s "$FS" "cd '$WORK' && '$BIN'$args; echo EXIT=\$?; exec sleep 600"
}
fepoch() { fscreen | sed -n 2p | grep -o '[0-9][0-9]*/[0-9][0-9]*' | head -n 1 | cut -d/ -f1; }
fepoch_above() { local e; e=$(fepoch); [ -n "$e" ] && [ "$e" -gt "$1" ]; }

rm -f "$SHARE" "$SHARE-wal" "$SHARE-shm"

# ---- the lecturer, then a follower ----
start_at 100 30 "" --share --pace 100 "$S1" "$S3"
wait_epoch_above 30 15 || bail "the lecturer runs"
start_follower 80 24 --follow
follows() {
	eventually 10 fshows "Optimization ease" || { why="follower: $(fscreen | head -3)"; return 1; }
	eventually 10 fepoch_above 30 || { why="follower epoch $(fepoch)"; return 1; }
	# its own size: 80 columns, the lecturer's 100
	[ "$(fscreen | sed -n 3p | wc -L)" -le 80 ] && [ "$(screen | sed -n 3p | wc -L)" -gt 80 ]
}
check "a follower at 80x24 shows the lecturer's scenario and run, drawn at its own size" follows

# Seconds from a key in the lecturer's terminal to TEXT in the follower's.
switch_time() { # KEY TEXT
	local t0 i
	t0=$(date +%s%N)
	keys "$1"
	for ((i = 0; i < 300; i++)); do
		if fshows "$2"; then
			awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }'
			return 0
		fi
		sleep 0.01
	done
	return 1
}
switch_seen() {
	local best=9 t k
	for k in 1 2 3; do # best of three: the machine may be busy
		t=$(switch_time Right "Benign overfitting") || { why="never switched"; return 1; }
		best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b ? a : b) }')
		awk -v a="$best" 'BEGIN { exit !(a <= 0.5) }' && break
		switch_time Left "Optimization ease" >/dev/null || return 1
	done
	echo "# the follower showed the switch $best s after the key (best of $k)"
	awk -v a="$best" 'BEGIN { exit !(a <= 0.5) }' || { why="switch seen after $best s"; return 1; }
	screen | sed -n 1p | grep -q '\[2 Benign\|2 Benign overfitting' || true
}
check "Right in the lecturer's terminal: the follower shows the new scenario within 0.5 s" switch_seen

follower_keys_do_nothing() {
	local before
	before=$(screen | sed -n 1p)
	T send-keys -t "$FS" Left
	T send-keys -t "$FS" r
	T send-keys -t "$FS" '>'
	T send-keys -t "$FS" Right
	eventually 3 fshows "following: the lecturer" || { why="no read-only message"; return 1; }
	sleep 0.5 # nothing to wait for: that nothing happens is the point
	[ "$(screen | sed -n 1p)" = "$before" ] || { why="lecturer's tabs changed: $(screen | sed -n 1p)"; return 1; }
	header_shows "[noise 0.3]" && fshows "Benign overfitting"
}
check "Right, r and > in the follower's terminal change nothing of the lecturer's" follower_keys_do_nothing

pause_mirrored() {
	keys ' '
	wait_header "paused" 5 || return 1
	eventually 3 bash -c "tmux -L '$SOCK' capture-pane -p -t '$FS' | sed -n 2p | grep -q paused" ||
		{ why="follower: $(fscreen | sed -n 2p)"; return 1; }
	keys ' '
	wait_header "running" 5 || return 1
	eventually 3 bash -c "tmux -L '$SOCK' capture-pane -p -t '$FS' | sed -n 2p | grep -q running" ||
		{ why="follower: $(fscreen | sed -n 2p)"; return 1; }
}
check "Space in the lecturer's terminal: the follower shows paused, then running" pause_mirrored

# R restarts the lecturer's run with a new seed: the follower's header
# names that seed, not the one it first saw (both at 160 columns for this,
# where the header has room for the seed).
seed_of() { sed -n 2p | grep -o 'seed [0-9][0-9]*' | head -n 1; }
same_seed() { [ -n "$(screen | seed_of)" ] && [ "$(fscreen | seed_of)" = "$(screen | seed_of)" ]; }
new_seed() { local s; s=$(screen | seed_of); [ -n "$s" ] && [ "$s" != "$1" ]; }
seed_followed() {
	resize 160 30
	T resize-window -t "$FS" -x 160 -y 30
	eventually 8 same_seed || { why="before R: follower '$(fscreen | seed_of)', lecturer '$(screen | seed_of)'"; return 1; }
	local before
	before=$(screen | seed_of)
	keys R
	eventually 5 new_seed "$before" || { why="the lecturer's header: $(header)"; return 1; }
	# once the follower runs the new run (not only between the switch and
	# its own run's start, when the header reads the scenario's seed)
	wait_epoch_above 40 10 && eventually 10 fepoch_above 20 || { why="follower epoch $(fepoch)"; return 1; }
	eventually 3 same_seed || { why="after R: follower '$(fscreen | seed_of)', lecturer '$(screen | seed_of)'"; return 1; }
	resize 100 30
	T resize-window -t "$FS" -x 80 -y 24
}
check "R in the lecturer's terminal: the follower's header shows the lecturer's new seed" seed_followed

# /proc/PID/task/*/stat field 41 is the policy: 5 is SCHED_IDLE, 0 normal.
policies() { # PID: every thread's policy, sorted, unique
	local t
	for t in /proc/"$1"/task/*; do sed 's/^.*) //' "$t/stat" | awk '{ print $39 }'; done | sort -u | tr '\n' ' '
}
yields_cpu() {
	local fpid lpid
	fpid=$(pgrep -P "$(T display -p -t "$FS" '#{pane_pid}')" | head -n 1)
	lpid=$(pgrep -P "$(T display -p -t "$SESSION" '#{pane_pid}')" | head -n 1)
	[ -n "$fpid" ] && [ -n "$lpid" ] || { why="no pids ($fpid, $lpid)"; return 1; }
	[ "$(policies "$fpid")" = "5 " ] || { why="follower's threads: $(policies "$fpid")"; return 1; }
	[ "$(policies "$lpid")" = "0 " ] || { why="lecturer's threads: $(policies "$lpid")"; return 1; }
}
check "every thread of a follower runs under SCHED_IDLE, the lecturer's as normal: a class of followers leaves the cores to the lecturer" yields_cpu

late_follower() {
	wait_epoch_above 200 20 || return 1
	local e
	e=$(epoch)
	start_follower 80 24 --follow "$ME"
	eventually 10 fepoch_above "$((e - 1))" || { why="late follower at $(fepoch), lecturer was at $e"; return 1; }
}
check "a follower that comes late sees the whole run so far (and catches up)" late_follower
T kill-session -t "$FS" >/dev/null 2>&1

# ---- another user ----
have_student() {
	[ "$(id -u)" = 0 ] || return 1
	id "$STUDENT" >/dev/null 2>&1 || useradd -M -s /bin/bash "$STUDENT" >/dev/null 2>&1
}
# the student's own config and data folders, not this script's scratch ones
as_student() { runuser -u "$STUDENT" -- env XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/tmp "$@"; }
refused() {
	have_student || { why="needs root to make user $STUDENT"; return 1; }
	as_student "$BIN" --follow "$ME" >"$WORK/s.out" 2>"$WORK/s.err" </dev/null
	local rc=$?
	[ $rc = 2 ] && grep -qx "overparam: --follow: $ME shares with its own user only (the lecturer can open it with --share group or --share all)" "$WORK/s.err" ||
		{ why="exit $rc: $(cat "$WORK/s.err")"; return 1; }
}
check "another user, without --share group|all: refused with one clear line, exit 2" refused
quit >/dev/null || true

group_mode() {
	start_at 100 30 "" --share group --pace 100 "$S1"
	wait_epoch_above 5 15 || return 1
	local f m
	for f in "$SHARE" "$SHARE-wal" "$SHARE-shm"; do
		m=$(stat -c %a "$f" 2>/dev/null)
		[ "$m" = 640 ] || { why="$f: mode $m"; return 1; }
	done
	quit
}
check "--share group: the session file, its -wal and -shm readable by the group (0640), not others" group_mode

opened() {
	have_student || { why="needs root"; return 1; }
	start_at 100 30 "" --share all --pace 100 "$S1"
	wait_epoch_above 20 15 || return 1
	T kill-session -t "$FS" >/dev/null 2>&1
	T new-session -d -x 80 -y 24 -s "$FS" "runuser -u $STUDENT -- env TERM=xterm XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/tmp '$BIN' --follow $ME; echo EXIT=\$?; exec sleep 600"
	eventually 10 fepoch_above 20 || { why="student: $(fscreen | head -3)"; return 1; }
	quit
}
check "--share all: another user follows" opened
T kill-session -t "$FS" >/dev/null 2>&1
rm -f "$SHARE" "$SHARE-wal" "$SHARE-shm"

e2e_summary
