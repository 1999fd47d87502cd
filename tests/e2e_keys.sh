#!/usr/bin/env bash
# e2e_keys.sh: keys as a lecturer's terminal sends them, driven in tmux with
# the real ./overparam (OVERPARAM_BIN overrides the path). TERM is
# xterm-256color, whose terminfo knows none of PuTTY's ESC [ 1 ~, ESC [ 4 ~
# or ESC [ 11 ~, so the key decoder's table reads them: End, Home,
# PageDown, PageUp and F1 do what the key table says; ESC [ 9 9 ~ changes
# nothing and is named; the picker (g) reaches scenario 11 by number and by
# title; a finished run is kept across a switch away and back, and r
# restarts it. Conventions of e2e.sh: "ok N - name" / "not ok N - name"
# (screen on failure), then "e2e: N passed, M failed".
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

SC="$ROOT/scenarios"
ALL=("$SC"/0[1-9]-*.ini "$SC"/1[01]-*.ini)
[ "${#ALL[@]}" = 11 ] || bail "11 shipped scenarios"
tabs() { screen | sed -n 1p; }
on() { tabs | grep -qF -- "$1"; } # the current tab shows its title
hexkeys() { keys -H "$@"; }

start_at 100 30 "TERM=xterm-256color" --pace 50 "${ALL[@]}"
wait_for "1 Optimization ease" 10 || bail "scenario 1 on screen"

end_key() { hexkeys 1b 5b 34 7e && eventually 5 on "11 Lottery tickets"; }
check "ESC [ 4 ~ (End) goes to the last scenario, 11" end_key
home_key() { hexkeys 1b 5b 31 7e && eventually 5 on "1 Optimization ease"; }
check "ESC [ 1 ~ (Home) goes to the first scenario" home_key
pgdn_key() { hexkeys 1b 5b 36 7e && eventually 5 on "2 Mode connectivity"; }
check "ESC [ 6 ~ (PageDown) goes to the next scenario" pgdn_key
pgup_key() { hexkeys 1b 5b 35 7e && eventually 5 on "1 Optimization ease"; }
check "ESC [ 5 ~ (PageUp) goes to the previous scenario" pgup_key

# F1 opens the help over the running demo: same scenario, the run goes on.
f1_key() {
	wait_epoch_above 20 10 || { why="no run"; return 1; }
	local e
	e=$(epoch)
	hexkeys 1b 5b 31 31 7e
	wait_for "any key closes this" 5 || { why="no help"; return 1; }
	on "1 Optimization ease" || { why="scenario changed"; return 1; }
	keys Escape
	wait_gone "any key closes this" 5 || { why="Esc left the help open"; return 1; }
	epoch_above "$((e - 1))" || { why="run restarted: epoch $(epoch) after $e"; return 1; }
	on "1 Optimization ease"
}
check "ESC [ 11 ~ (F1) opens the help and keeps the demo" f1_key

unknown_key() {
	local e
	e=$(epoch)
	hexkeys 1b 5b 39 39 7e
	wait_header "unknown key ESC [ 9 9 ~" 5 || { why="not named"; return 1; }
	on "1 Optimization ease" || { why="scenario changed"; return 1; }
	header | grep -qF "[lr 0.01]" || { why="the knob selection moved ('[' leaked)"; return 1; }
	epoch_above "$((e - 1))" || { why="run restarted"; return 1; }
	hides "Keys" && hides "Go to scenario"
}
check "ESC [ 9 9 ~ changes nothing and is named in the status line" unknown_key

picker_number() {
	keys g
	wait_for "Go to scenario" 5 || { why="no picker"; return 1; }
	wait_for "11  Lottery tickets" 2 || { why="not every title listed"; return 1; }
	keys 1
	sleep 0.2 # the second digit within the picker's wait (1 s)
	keys 1
	eventually 5 on "11 Lottery tickets" && wait_gone "Go to scenario" 2
}
check "the picker reaches scenario 11 by typing 1 1" picker_number
picker_text() {
	keys g
	wait_for "Go to scenario" 5 || return 1
	keys -l "lazy"
	keys Enter
	eventually 5 on "10 Lazy training" && wait_gone "Go to scenario" 2
}
check "the picker finds scenario 10 by part of its title" picker_text
picker_esc() {
	keys g
	wait_for "Go to scenario" 5 || return 1
	keys Escape
	wait_gone "Go to scenario" 5 && on "10 Lazy training"
}
check "Esc closes the picker where it was" picker_esc
quit_ok() { quit; }
check "q quits cleanly" quit_ok

# ---- a finished run is kept ----
start_at 100 30 "" --pace max --set train.epochs=300 "$SC/01-optimization-ease.ini" "$SC/02-mode-connectivity.ini"
# the Models table's rows: width, params, loss, test, converged at
table() { screen | grep -E ' width [0-9]+ +[0-9,]+ ' | awk '{print $2, $3, $4, $5, $6, $7}'; }
FINAL=""
run_done() {
	wait_header "done" 30 || return 1
	FINAL=$(table)
	[ -n "$FINAL" ] && header | grep -qF "epoch 300/300"
}
check "scenario 1 runs to done" run_done
kept() {
	keys Right
	eventually 5 on "2 Mode connectivity" || { why="no switch"; return 1; }
	keys Left
	eventually 5 on "1 Optimization ease" || { why="no switch back"; return 1; }
	wait_header "done" 2 || { why="not done: $(header)"; return 1; }
	header | grep -qF "epoch 300/300" || { why="counter: $(header)"; return 1; }
	sleep 0.5 # a restarted run would have changed the table by now
	[ "$(table)" = "$FINAL" ] || { why=$(printf 'table was\n%s\nis\n%s' "$FINAL" "$(table)"); return 1; }
	header | grep -qF "done"
}
check "Right then Left: still done, the same final table" kept
restarts() { keys r && wait_header "running" 5 || wait_epoch_below 300 5; }
check "r restarts the kept run" restarts
check "q quits cleanly" quit_ok

# ---- progress in the step's own unit ----
start_at 100 30 "" --pace 20 "$SC/06-double-descent.ini" "$SC/10-lazy-training.ini"
check "double descent counts N (\"N 3/31\"), not epochs" wait_match '^ running  N [0-9]+/31  pace 20/s' 10
units() { keys Right && wait_match '^ running  width [1-7]/7  epoch [0-9]+  pace 20 ep/s' 10; }
check "lazy training counts widths, and its epochs with no total (\"width 1/7  epoch 31\")" units
check "q quits cleanly" quit_ok

# ---- small ones ----
# --list: the titles start in one column past 9 scenarios
list_aligned() {
	local out cols
	out=$("$BIN" --list "${ALL[@]}") || return 1
	cols=$(awk '{ print index($0, $2) }' <<<"$out" | sort -u)
	[ "$(wc -l <<<"$out")" = 11 ] && [ "$(wc -l <<<"$cols")" = 1 ] || { why=$out; return 1; }
}
check "--list: titles aligned for 10 and 11" list_aligned
# e at 80 columns: the whole file name shows in the status line
export_whole() {
	wait_epoch_above 10 10 || return 1
	keys e
	wait_header ".csv" 10 || { why="no .csv in: $(header)"; return 1; }
	local f
	f=$(header | grep -o 'overparam-01-[^ ]*\.csv')
	[ -n "$f" ] && [ -f "$WORK/$f" ] || { why="header: $(header)"; return 1; }
}
start --pace 50 "$SC/01-optimization-ease.ini"
check "e at 80x24: the written file's whole name in the status line" export_whole
check "q quits cleanly" quit_ok

e2e_summary
