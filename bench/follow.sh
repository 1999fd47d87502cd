#!/usr/bin/env bash
# bench/follow.sh [N [SECONDS]]: what N followers (default 50) of one
# lecturer cost, from bench/run (or alone). The lecturer runs scenario 1 at
# max pace with --share in a 100x30 tmux window; N followers at 80x24 in
# others. Over SECONDS (default 10) it measures the lecturer's epochs/s
# with the followers and without, the followers' total CPU (utime + stime
# from /proc) and the worst follower's lag behind the lecturer at the end.
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
ARGS=(--share --pace max --set train.epochs=1000000 "$PWD/scenarios/01-optimization-ease.ini")

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

# One measurement with n followers: "EPS CPU_SECONDS LAG_EPOCHS".
measure() {
	local n=$1 i
	rm -f "$SHARE" "$SHARE-wal" "$SHARE-shm"
	T kill-server >/dev/null 2>&1
	sleep 0.2
	T new-session -d -x 100 -y 30 -s L "'$BIN' ${ARGS[*]}; exec sleep 600"
	sleep 2
	local pids=()
	for ((i = 0; i < n; i++)); do
		T new-session -d -x 80 -y 24 -s "F$i" "'$BIN' --follow; exec sleep 600"
	done
	sleep 3
	for ((i = 0; i < n; i++)); do pids+=("$(pid_in "F$i")"); done
	local e0 c0 t0 e1 c1 t1
	e0=$(epoch_of L); c0=$(cpu_ticks "${pids[@]}"); t0=$(date +%s%N)
	sleep "$DUR"
	e1=$(epoch_of L); c1=$(cpu_ticks "${pids[@]}"); t1=$(date +%s%N)
	local worst=0 fe
	for ((i = 0; i < n; i++)); do
		fe=$(epoch_of "F$i")
		[ -n "$fe" ] && [ $((e1 - fe)) -gt "$worst" ] && worst=$((e1 - fe))
	done
	awk -v e0="$e0" -v e1="$e1" -v ns=$((t1 - t0)) -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v w="$worst" \
		'BEGIN { printf "%.1f %.2f %d\n", (e1 - e0) / (ns / 1e9), c / hz, w }'
}

read -r alone _ _ < <(measure 0)
read -r with cpu lag < <(measure "$N")
awk -v a="$alone" -v w="$with" -v c="$cpu" -v l="$lag" -v n="$N" -v d="$DUR" 'BEGIN {
	printf "followers: lecturer (scenario 1, max pace) %.0f epochs/s alone, %.0f with %d followers: %.1f%% lost (target < 10%%)\n",
		a, w, n, 100 * (a - w) / a
	printf "followers: their total CPU %.2f s over %d s (%.0f%% of a core); worst lag %d epochs (%.2f s at that rate)\n",
		c, d, 100 * c / d, l, (w > 0 ? l / w : 0)
}'
