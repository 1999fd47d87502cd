#!/usr/bin/env bash
# e2e_history.sh: the live history is bounded (issue 13, problem 5). A
# lottery run of 31 million epochs at max pace, evaluated every epoch, must
# stay within the history's budget (52.5 MiB: README, history.h) however
# long it runs; a curve that folded its older points draws the same chart as
# one that kept them all (OVERPARAM_HISTORY_KEEP, a test hook, sets the
# points kept: 64 folds all the time, 10^8 never); and `e` on a folded run
# writes the points kept and says the older ones were summarised.
# Conventions of e2e.sh: "ok N - name" / "not ok N - name" (screen on
# failure), then "e2e: N passed, M failed"; waits poll with deadlines.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
# Epochs done: these kinds count widths or rounds ("round 4/10  epoch 2345"),
# so the counter to read is the one labelled "epoch".
epoch() { header | sed -n 's/.* epoch \([0-9][0-9]*\).*/\1/p' | head -n 1; }

need_bin

LT="$ROOT/scenarios/11-lottery-tickets.ini"
# Tiny nets, so the trainer sends records as fast as it can: the history
# is what grows.
TINY=(--set model.widths=4 --set data.samples=10 --set data.test_samples=10 --set train.eval_every=1)

# ---- memory: the history-heavy case ----
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$APP/status" 2>/dev/null; }
# 2 nets x (train, test) curves x (12 MiB of kept points + 1 MiB of ranges)
# + 0.5 MiB of shared range starts (history_budget); the UI's own memory
# (windows, column summaries, allocator) grows a little too: 4 MiB slack.
BUDGET_KB=$((52 * 1024 + 512))
SLACK_KB=4096
# --no-store: this is the history's bound; the run store's writer holds its
# own backlog (at most 1M records, docs/store.md), which would blur it
start_at 80 24 "" --pace max --no-store --set train.epochs=1000000 --set train.rounds=30 "${TINY[@]}" "$LT"
bounded() {
	wait_epoch_above 0 10 || { why="no epoch"; return 1; }
	local r0 r1 r2 e1 e2
	r0=$(rss_kb)
	# Every point kept would be 4 an epoch, over 20 bytes an epoch in RSS.
	# The fold starts at about 1.05 million epochs: from 1.3 million on the
	# history is full and stays so.
	wait_epoch_above 1300000 40 || { why="only at epoch $(epoch) after 40 s"; return 1; }
	r1=$(rss_kb)
	e1=$(epoch)
	wait_epoch_above 1800000 30 || { why="only at epoch $(epoch) after 30 s more"; return 1; }
	r2=$(rss_kb)
	e2=$(epoch)
	why="RSS ${r0} kB at the start, ${r1} kB at epoch $e1, ${r2} kB at epoch $e2: grew $((r2 - r0)) kB (budget $BUDGET_KB kB + $SLACK_KB), $((r2 - r1)) kB over the last $((e2 - e1)) epochs"
	echo "# $why"
	[ -n "$r0" ] && [ -n "$r1" ] && [ -n "$r2" ] || return 1
	[ $((r2 - r0)) -le $((BUDGET_KB + SLACK_KB)) ] && [ $((r2 - r1)) -le 2048 ]
}
check "31M-epoch lottery at max pace: RSS within the 52.5 MiB budget, flat once full" bounded
check "q after it restores the terminal" quit

# ---- the chart does not change ----
# One short run (11 rounds of 5,000 epochs, 4 curves of 55,000 points),
# to its end, with KEEP points kept a curve; prints its screen.
final_screen() { # W H KEEP [ARG...]
	local w=$1 h=$2 keep=$3
	shift 3
	start_at "$w" "$h" "OVERPARAM_HISTORY_KEEP=$keep" --pace max --set train.epochs=5000 "${TINY[@]}" "$@" "$LT" ||
		return 1
	wait_header "done" 60 || return 1
	# the last frame: the screen holds still
	local a b
	a=$(screen)
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.2
		b=$(screen)
		[ "$a" = "$b" ] && break
		a=$b
	done
	printf '%s\n' "$a"
}
same_chart() { # W H [ARG...]
	local w=$1 h=$2 folded whole
	shift 2
	whole=$(final_screen "$w" "$h" 100000000 "$@") || { why="the run that keeps every point did not end"; return 1; }
	quit || return 1
	folded=$(final_screen "$w" "$h" 64 "$@") || { why="the folding run did not end"; return 1; }
	if [ "$folded" != "$whole" ]; then
		why=$(diff <(printf '%s\n' "$whole") <(printf '%s\n' "$folded") | head -n 30)
		return 1
	fi
}
check "80x24: the end of a run folded every 32 points looks as with every point kept" same_chart 80 24

# The folding run is still on screen: its export says what it holds.
export_folded() {
	keys e
	wait_for "wrote " 20 || { why="no export"; return 1; }
	shows "summarised" || { why="the status line does not say older points were summarised"; return 1; }
	local fs=("$WORK"/overparam-11-lottery-tickets-*.csv) f
	f=${fs[0]}
	[ -f "$f" ] || { why="no CSV"; return 1; }
	# each series: at most 64 train_loss rows, in order, up to the last epoch
	why=$(awk -F, '$3 == "train_loss" { k = $2; if (n[k] && $4 <= last[k]) bad++; n[k]++; last[k] = $4 }
		END { for (k in n) { print k ": " n[k] " rows to epoch " last[k]; if (n[k] > 64 || last[k] != 54999) bad++; nk++ }
			exit bad > 0 || nk != 2 }' "$f") || return 1
	rm -f "$f"
}
check "e on a folded run writes the kept points and says older ones are summarised" export_folded
check "q restores the terminal" quit

check "160x40, braille: the folded chart is the whole one" same_chart 160 40
check "q restores the terminal" quit
check "100x30, --ascii: the folded chart is the whole one" same_chart 100 30 --ascii
check "q restores the terminal" quit

e2e_summary
