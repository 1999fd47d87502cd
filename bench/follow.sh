#!/usr/bin/env bash
# bench/follow.sh [N [SECONDS]]: what N followers (default 50) of one
# lecturer cost, from bench/run (or alone). The lecturer runs scenario 1
# with --share in a 100x30 tmux window; N followers at 80x24 in others.
# Over SECONDS (default 10) it measures the lecturer's epochs/s with the
# followers and without, the followers' total CPU (utime + stime from
# /proc), tmux's (it stands in for the followers' ssh sessions) and the
# worst follower's lag behind the lecturer.
#   - max pace: the lecturer takes both cores, so whatever the followers
#     take shows; three runs each way, alternated, and their medians (one
#     run alone varies by 20% here);
#   - the scenario's own pace (200 epochs/s), as in a class: the lecturer
#     must keep it.
set -u
cd "$(dirname "$0")/.."
N=${1:-50}
DUR=${2:-10}
export OPENBLAS_NUM_THREADS=1
DIR=$(mktemp -d)
export XDG_DATA_HOME="$DIR"
SOCK="overparam-bench-follow-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
SHARE="/tmp/overparam-share/$(id -un).db"
trap 'T kill-server >/dev/null 2>&1; rm -rf "$DIR"; rm -f "$SHARE" "$SHARE-wal" "$SHARE-shm"' EXIT
BIN=$PWD/overparam
ARGS=(--share --set train.epochs=1000000 "$PWD/scenarios/01-optimization-ease.ini")
PACE=max

epoch_of() { # WINDOW: the epoch counter on its status row
	T capture-pane -p -t "$1" 2>/dev/null | sed -n 2p | grep -o '[0-9][0-9]*/[0-9][0-9]*' | head -n 1 | cut -d/ -f1
}
cpu_ticks() { # PID...: utime + stime
	local p s=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && s=$((s + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
	done
	echo "$s"
}
pid_in() { pgrep -P "$(T display -p -t "$1" '#{pane_pid}')" | head -n 1; }

# One measurement with n followers at $PACE:
# "EPS FOLLOWER_CPU_S WORST_LAG_EPOCHS TMUX_CPU_S".
measure() {
	local n=$1 i
	T kill-server >/dev/null 2>&1
	for ((i = 0; i < 50; i++)); do # the last measurement's processes gone
		pgrep -f "^$BIN " >/dev/null || break
		sleep 0.1
	done
	rm -f "$SHARE" "$SHARE-wal" "$SHARE-shm"
	T new-session -d -x 100 -y 30 -s L "'$BIN' --pace $PACE ${ARGS[*]}; exec sleep 600"
	sleep 2
	local pids=()
	for ((i = 0; i < n; i++)); do
		T new-session -d -x 80 -y 24 -s "F$i" "'$BIN' --follow; exec sleep 600"
	done
	sleep 3
	for ((i = 0; i < n; i++)); do pids+=("$(pid_in "F$i")"); done
	local e0 c0 s0 t0 e1 c1 s1 t1 srv
	srv=$(T display -p -t L '#{pid}')
	e0=$(epoch_of L); c0=$(cpu_ticks "${pids[@]}"); s0=$(cpu_ticks "$srv"); t0=$(date +%s%N)
	sleep "$DUR"
	e1=$(epoch_of L); c1=$(cpu_ticks "${pids[@]}"); s1=$(cpu_ticks "$srv"); t1=$(date +%s%N)
	if [ -z "$e0" ] || [ -z "$e1" ]; then
		echo "follow.sh: no epoch on the lecturer's status row:" >&2
		T capture-pane -p -t L | head -n 3 >&2
	fi
	# lag: each follower against the lecturer read just before it
	local worst=0 fe le
	for ((i = 0; i < n; i++)); do
		le=$(epoch_of L)
		fe=$(epoch_of "F$i")
		[ -n "$fe" ] && [ -n "$le" ] && [ $((le - fe)) -gt "$worst" ] && worst=$((le - fe))
	done
	awk -v e0="$e0" -v e1="$e1" -v ns=$((t1 - t0)) -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v w="$worst" \
		-v srv=$((s1 - s0)) 'BEGIN { printf "%.1f %.2f %d %.2f\n", (e1 - e0) / (ns / 1e9), c / hz, w, srv / hz }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

alone=() with=() cpu=() lag=() srv=() srv0=()
for r in 1 2 3; do
	read -r a _ _ s0 < <(measure 0)
	read -r w c l s < <(measure "$N")
	alone+=("$a") with+=("$w") cpu+=("$c") lag+=("$l") srv+=("$s") srv0+=("$s0")
	echo "followers: max pace, run $r: lecturer $a epochs/s alone, $w with $N followers"
done
a=$(printf '%s\n' "${alone[@]}" | median)
w=$(printf '%s\n' "${with[@]}" | median)
c=$(printf '%s\n' "${cpu[@]}" | median)
l=$(printf '%s\n' "${lag[@]}" | sort -g | tail -n 1)
s=$(printf '%s\n' "${srv[@]}" | median)
s0=$(printf '%s\n' "${srv0[@]}" | median)
PACE=200
read -r pa _ _ _ < <(measure 0)
read -r pw pc pl _ < <(measure "$N")
T kill-server >/dev/null 2>&1
awk -v a="$a" -v w="$w" -v c="$c" -v l="$l" -v n="$N" -v d="$DUR" -v s0="$s0" -v s="$s" \
	-v pa="$pa" -v pw="$pw" -v pc="$pc" -v pl="$pl" 'BEGIN {
	printf "followers: lecturer (scenario 1, max pace) %.0f epochs/s alone, %.0f with %d followers (medians of 3): %.1f%% lost (target < 10%%)\n",
		a, w, n, 100 * (a - w) / a
	printf "followers: their total CPU %.2f s over %d s (%.0f%% of a core); worst lag %d epochs (%.2f s at that rate)\n",
		c, d, 100 * c / d, l, (w > 0 ? l / w : 0)
	printf "followers: the terminals (tmux, standing in for their ssh sessions) %.0f%% of a core with them, %.0f%% without\n",
		100 * s / d, 100 * s0 / d
	printf "followers: in class (the scenario'"'"'s pace, 200 epochs/s) the lecturer %.0f epochs/s alone, %.0f with %d followers: %.1f%% lost; their CPU %.0f%% of a core, worst lag %d epochs (%.2f s)\n",
		pa, pw, n, 100 * (pa - pw) / pa, 100 * pc / d, pl, pl / 200
}'
