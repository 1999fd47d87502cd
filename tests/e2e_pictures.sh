#!/usr/bin/env bash
# e2e_pictures.sh: pictures for slides from the real ./overparam
# (OVERPARAM_BIN overrides the path): --plot draws every shipped scenario
# as SVG and PNG that file(1) recognises at the slide's size; s in the live
# UI saves the screen's panels as SVG and PNG next to the CSV exports and
# never over an earlier picture; bad --plot requests fail with exact
# messages, before any training. Curve paths and pixels are checked in
# tests/test_picture.c.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
need_bin

# ---- --plot, every shipped scenario (tests/test_picture.c draws each in
# both formats; here one format for all, the others for one) ----
mkdir -p "$WORK/svg"
(cd "$ROOT" && "$BIN" --headless --plot "$WORK/svg/all.svg" scenarios/*.ini >"$WORK/svg.out" 2>&1; echo $? >"$WORK/svg.rc")
n_scen=$(ls "$ROOT"/scenarios/*.ini | wc -l)

each_is() { # DIR EXT PATTERN: one file per scenario, each one file(1) says matches PATTERN
	local dir=$1 ext=$2 pat=$3 f b n=0
	[ "$(cat "$WORK/$ext.rc")" = 0 ] || { why="exit $(cat "$WORK/$ext.rc"): $(tail -n 3 "$WORK/$ext.out")"; return 1; }
	for s in "$ROOT"/scenarios/*.ini; do
		b=$(basename "$s" .ini)
		f="$dir/all-$b.$ext"
		[ -s "$f" ] || { why="no $f"; return 1; }
		file -b "$f" | grep -q "$pat" || { why="$f: $(file -b "$f")"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -eq "$n_scen" ] && [ "$(ls "$dir" | wc -l)" -eq "$n_scen" ] || { why="$(ls "$dir")"; return 1; }
}
check "--plot .svg: every shipped scenario is an SVG image" each_is "$WORK/svg" svg "SVG Scalable Vector Graphics image"

one_as() { # EXT PATTERN
	(cd "$ROOT" && "$BIN" --headless --plot "$WORK/lazy.$1" scenarios/10-lazy-training.ini >/dev/null) &&
		file -b "$WORK/lazy.$1" | grep -q "$2" || { why="$(file "$WORK/lazy.$1")"; return 1; }
}
check "--plot .png: a 1600 x 900 PNG" one_as png "PNG image data, 1600 x 900"
check "--plot .pdf: a PDF document" one_as pdf "PDF document"

# ---- bad requests: said at once, exit 2, nothing trained or written ----
says() { # WANT STATUS ARGS...: stderr is exactly WANT and the status STATUS
	local want=$1 status=$2 got rc
	shift 2
	got=$(cd "$ROOT" && "$BIN" "$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq "$status" ] && [ "$got" = "$want" ] || { why="status $rc, said: $got"; return 1; }
}
check "--plot x.jpg: the name must end in .svg, .png or .pdf" says \
	"overparam: --plot: x.jpg: the name must end in .svg, .png or .pdf" 2 --headless --plot x.jpg scenarios/10-lazy-training.ini
check "--plot without --headless: press s instead" says \
	"overparam: --plot needs --headless (in the live UI, press s)" 2 --plot x.svg scenarios/10-lazy-training.ini
check "--plot into a folder that is not there: said before training" says \
	"overparam: --plot: $WORK/nowhere: No such file or directory" 2 --headless --plot "$WORK/nowhere/x.svg" scenarios/10-lazy-training.ini

# ---- s in the live UI ----
mkdir -p "$WORK/shots"
start_at 100 30 "" --export-dir "$WORK/shots" "$ROOT/scenarios/07-permutation-alignment.ini"
saved_two() {
	wait_for "Barrier over training" 10 && wait_epoch_above 20 20 || return 1
	keys s
	wait_for "saved picture overparam-07-" 15 || { why="no saved message"; return 1; }
	local svg png
	svg=$(ls "$WORK"/shots/*.svg 2>/dev/null)
	png=$(ls "$WORK"/shots/*.png 2>/dev/null)
	[ "$(echo "$svg" | wc -w)" = 1 ] && [ "$(echo "$png" | wc -w)" = 1 ] || { why="files: $(ls "$WORK/shots")"; return 1; }
	file -b "$svg" | grep -q "SVG Scalable Vector Graphics image" && file -b "$png" | grep -q "PNG image data, 1600 x 900" ||
		{ why="$(file "$svg" "$png")"; return 1; }
}
check "s: the screen's panels saved as SVG and PNG in --export-dir" saved_two

again_kept() {
	keys s
	eventually 15 bash -c "[ \$(ls '$WORK/shots' | grep -c -e '\.svg\$' -e '\.png\$') -eq 4 ]" ||
		{ why="files: $(ls "$WORK/shots")"; return 1; }
	! ls "$WORK/shots" | grep -q tmp
}
check "s again: two more files, the first two kept, no temporary left" again_kept

check "q after s: clean exit" eval 'keys q; exited_clean'

e2e_summary
