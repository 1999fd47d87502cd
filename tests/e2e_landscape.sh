#!/usr/bin/env bash
# e2e_landscape.sh: the two landscape scenarios (issue 15) in the real
# ./overparam: the loss plane's heatmap at 100x30 in 256 colours (half
# blocks, the colour bar with its values, A, B and the bend labelled, the
# paths' legend), filling in row by row, exported whole by e; under LANG=C the ASCII density
# ramp; both scenarios fit 80x24; both finish headless within 60 s with
# their CLAIM lines, and --list names them. Conventions of e2e.sh.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

PLANE="$ROOT/scenarios/13-loss-plane.ini"
EDGE="$ROOT/scenarios/12-edge-of-stability.ini"
# A quicker plane: narrow nets, a loose target (the picture is the same kind)
QUICK=(--set model.widths=32 --set train.epochs=120 --set train.target_loss=1e-3)

# ---- the heatmap in 256 colours ----
start_at 100 30 "TERM=screen-256color" --pace max "${QUICK[@]}" "$PLANE"
colours() { T capture-pane -e -p -t "$SESSION" | grep -q $'\e\\[[0-9;]*48;5;[0-9]*m'; }
heat_drawn() {
	# every row drawn (A and B sit below the bend's row) before looking
	wait_header "done" 30 && wait_for "bend" 5 && shows "A" && shows "B" && shows "straight line" && shows "Bezier curve" &&
		screen | grep -q $'\u2580' && colours
}
check "100x30: the map in half blocks and 256 colours, A, B and the bend labelled, the paths named" heat_drawn
# the colour bar: a column of blocks with tick values beside it, top and bottom
colour_bar() {
	local ticks
	ticks=$(screen | grep -oE $'\u2580\u2580 [0-9][0-9.e+-]*' | wc -l)
	[ "$ticks" -ge 3 ] || { why="colour bar ticks: $ticks"; return 1; }
}
check "100x30: the colour bar shows at least three values" colour_bar
map_export() {
	wait_header "done" 30 || { why="the run did not finish"; return 1; } # the whole map first
	keys e
	wait_for "wrote " 10 || return 1
	local f
	f=$(ls "$WORK"/overparam-13-loss-plane-*.csv 2>/dev/null | head -n 1)
	[ -n "$f" ] && [ "$(grep -c ',plane_loss,' "$f")" -eq 2501 ] && [ "$(grep -c ',plane_mark,' "$f")" -eq 6 ]
}
check "e writes the whole 61 x 41 map and the three marks" map_export
check "quits clean" quit

# ---- it fills in row by row ----
start_at 100 30 "TERM=screen-256color" --pace 15 --set model.widths=16 --set train.epochs=20 \
	--set train.target_loss=1e-1 "$PLANE"
rows_drawn() { screen | sed -n '4,26p' | grep -c $'\u2580'; }
partly() {
	local n
	n=$(rows_drawn)
	[ "$n" -ge 1 ] && screen | grep -q 'epoch [2-5][0-9]/81'
}
whole() { shows "done" && [ "$(rows_drawn)" -gt 5 ]; }
check "the map appears a row at a time while the run goes on" eventually 15 partly
check "and is whole at the end" eventually 15 whole
check "quits clean" quit

# ---- LANG=C: the ASCII density ramp ----
start_at 100 30 "LANG=C LC_ALL=C" --pace max "${QUICK[@]}" "$PLANE"
ascii_ramp() {
	wait_header "done" 30 || return 1 # every row drawn, A's among them
	# the map's own rows: density characters, no block glyphs
	screen | grep -qE '[@%#*+=:.-]{8}' && ! screen | grep -q $'\u2580' && shows " A"
}
check "LANG=C: the ASCII ramp with the marks" ascii_ramp
check "quits clean" quit

# ---- both fit 80x24 ----
fits() {
	start_at 80 24 "" --pace max "$1"
	wait_for "$2" 20 && hides "too small" && quit
}
check "edge of stability fits 80x24" fits "$EDGE" "Sharpness x lr/2"
check "loss plane fits 80x24" fits "$PLANE" "Loss along each path"

# ---- headless: under 60 s, CLAIM lines; --list ----
headless_claims() {
	local out
	out=$(cd "$WORK" && timeout 60 "$BIN" --headless "$EDGE" "$PLANE" 2>&1) || { why="exit $?"; return 1; }
	[ "$(printf '%s\n' "$out" | grep -cE '^CLAIM [a-z0-9-]+: .*: (holds|fails|undecided)$')" -eq 5 ] ||
		{ why="$out"; return 1; }
}
check "both finish headless within 60 s with their 5 CLAIM lines" headless_claims
listed() {
	local out
	out=$("$BIN" --list "$EDGE" "$PLANE" 2>&1) && printf '%s' "$out" | grep -q "Edge of stability" &&
		printf '%s' "$out" | grep -q "Loss plane"
}
check "--list names both" listed

e2e_summary
