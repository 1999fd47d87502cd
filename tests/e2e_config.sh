#!/usr/bin/env bash
# e2e_config.sh: the config file ($XDG_CONFIG_HOME/overparam/config.ini or
# --config FILE) and --preset. Every bad file is refused before anything
# runs with its exact one-line message "file:line: section.key: problem",
# exit status 2 and nothing on standard output; a good one is obeyed, under
# the command line and over the scenario file: pace, theme, export folder,
# extra scenario folders, and a preset that sets a scenario's knobs and
# starts on it (tmux at 80x24). Conventions of e2e.sh.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin
S1="$ROOT/scenarios/01-optimization-ease.ini"
S3="$ROOT/scenarios/03-benign-overfitting.ini"
CFG="$WORK/cfg/overparam/config.ini"
mkdir -p "$WORK/cfg/overparam" "$WORK/scen" "$WORK/csv"
export XDG_CONFIG_HOME="$WORK/cfg"

# refuses EXPECTED TEXT [ARG...]: the default config file holds TEXT
# (printf's format; - for no file); overparam ARG... exits 2, prints nothing on stdout
# and exactly EXPECTED on stderr.
refuses() {
	local want=$1 text=$2 out err rc
	shift 2
	if [ "$text" = - ]; then rm -f "$CFG"; else printf "$text" >"$CFG"; fi
	out=$(cd "$WORK" && "$BIN" "$@" 2>"$WORK/err")
	rc=$?
	err=$(cat "$WORK/err")
	why="rc=$rc stdout='$out'"$'\n'"got:  $err"$'\n'"want: $want"
	[ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$err" = "$want" ]
}
C=$CFG

check "unknown section" refuses "$C:2: unknown section [colours] (expected [ui], [store], [scenarios] or [preset \"NAME\"])" \
	'; mine\n[colours]\nfg = red\n' --list
check "unknown key names the section's keys" refuses "$C:2: ui.colour: unknown key (keys of [ui]: theme, fps, pace, export_dir)" \
	'[ui]\ncolour = red\n' --list
check "a key set twice" refuses "$C:4: ui.fps: set twice (first at line 2)" '[ui]\nfps = 30\n[ui]\nfps = 20\n' --list
check "fps out of range" refuses "$C:2: ui.fps: '61' is not a whole number in 1..60" '[ui]\nfps = 61\n' --list
check "pace not a number" refuses "$C:3: ui.pace: 'fast' is not 'max' or a number in 0.1..100000" \
	'[ui]\n\npace = fast ; comment\n' --list
check "theme not one of the four" refuses "$C:2: ui.theme: 'blue' is not a theme (dark, light, mono or high-contrast)" \
	'[ui]\ntheme = blue\n' --list
check "export_dir that does not exist (relative to the config's folder)" \
	refuses "$C:2: ui.export_dir: $WORK/cfg/overparam/nope: No such file or directory" '[ui]\nexport_dir = nope\n' --list
check "store.enabled not yes or no" refuses "$C:3: store.enabled: 'maybe' is not yes or no" \
	'[store]\npath = ~/runs.db\nenabled = maybe\n' --list
check "store.keep_runs not a whole number" refuses "$C:2: store.keep_runs: '-5' is not a whole number in 1..1000000" \
	'[store]\nkeep_runs = -5\n' --list
check "store.keep_mb too large" refuses "$C:2: store.keep_mb: '1e9' is not a whole number in 1..1000000" \
	'[store]\nkeep_mb = 1e9\n' --list
check "scenarios.dir that is a file" refuses "$C:2: scenarios.dir: $S1: not a directory" "[scenarios]\ndir = $S1\n" --list
check "a key before any section" refuses "$C:1: fps: set before any [section]" 'fps = 20\n' --list
check "a line that is no key, section or comment" \
	refuses "$C:2: expected 'key = value', '[section]' or a comment" '[ui]\nfps 20\n' --list
check "a section header without ]" refuses "$C:1: section header has no closing ]" '[ui\n' --list
check "a control character" refuses "$C:2: control character 0x1b (not a text file?)" '[ui]\ntheme = \033[2J\n' --list
check "invalid UTF-8" refuses "$C:1: not valid UTF-8 text at column 5" '  ; \377\n' --list
check "a preset header without quotes" \
	refuses "$C:1: [preset lecture]: a preset's header is [preset \"NAME\"] (a name of 1 to 63 bytes, in quotes)" \
	'[preset lecture]\nscenario = 01\n' --list
check "a preset named twice" refuses "$C:3: preset \"a\" appears twice (first at line 1)" \
	'[preset "a"]\nscenario = 01\n[preset "a"]\nscenario = 03\n' --list
check "a preset with no scenario" refuses "$C:1: preset \"a\": no 'scenario = FILE' line" '[preset "a"]\nlr = 0.1\n' --list
check "a preset's knob value not a number" refuses "$C:3: preset \"a\".lr: 'fast' is not a number" \
	'[preset "a"]\nscenario = 01\nlr = fast\n' --list
check "a preset's scenario with a folder" \
	refuses "$C:2: preset \"a\".scenario: 'x/01.ini' is not a scenario file's name (e.g. 03-benign-overfitting.ini)" \
	'[preset "a"]\nscenario = x/01.ini\n' --list

# Errors found once the preset meets its scenario (--preset).
P3='[preset "lecture 3"]\nscenario = 03-benign-overfitting.ini\n'
check "--preset: a knob the scenario does not have" \
	refuses "$C:3: preset \"lecture 3\".lr: $S3 has no such knob (its knobs: noise, tail, p)" \
	"${P3}lr = 0.1\n" --preset "lecture 3" --list "$S3"
check "--preset: a value that is not one of the knob's" \
	refuses "$C:4: preset \"lecture 3\".noise: noise = 0.7 refused: not one of its values (0, 0.1, 0.3, 1)" \
	"${P3}tail = 0.01\nnoise = 0.7\n" --preset "lecture 3" --list "$S3"
check "--preset: its scenario is not among those given" \
	refuses "$C:2: preset \"lecture 3\".scenario: 03-benign-overfitting.ini is not among the scenarios to run" \
	"$P3" --preset "lecture 3" --list "$S1"
check "--preset: no such preset (the message lists them)" \
	refuses "overparam: --preset: no preset \"lecture 4\" in $C (its presets: \"lecture 3\")" \
	"$P3" --preset "lecture 4" --list
check "--config FILE that does not exist" refuses "overparam: --config: $WORK/none.ini: No such file or directory" \
	'' --config "$WORK/none.ini" --list
check "--preset with no config file" refuses "overparam: --preset x: no config file to take it from" - --preset x --list

# ---- good files are obeyed ----
no_file_is_fine() {
	rm -f "$CFG"
	why=$(cd "$WORK" && "$BIN" --list "$S1" 2>&1)
	[[ $why == "1  Optimization ease"* ]]
}
check "no config file: nothing to say" no_file_is_fine

extra_dirs() {
	sed 's/^title *=.*/title = My own demo/' "$S1" >"$WORK/scen/50-mine.ini"
	printf '[scenarios]\ndir = %s\n' "$WORK/scen" >"$CFG"
	local out
	out=$(cd "$ROOT" && "$BIN" --list 2>&1)
	why=$out
	local shipped
	shipped=$(ls "$ROOT"/scenarios/*.ini | wc -l)
	[ "$(printf '%s\n' "$out" | wc -l)" -eq $((shipped + 1)) ] &&
		printf '%s\n' "$out" | tail -n 1 | grep -q "^$((shipped + 1))  My own demo  *$WORK/scen/50-mine.ini$"
}
check "[scenarios] dir adds its files after the shipped ones" extra_dirs

# The config's pace over the scenario file's, the command line's over both.
printf '[ui]\npace = 7\ntheme = mono\nexport_dir = ../../csv\n' >"$CFG"
start --paused "$S1"
pace_from_config() { wait_header "pace 7 ep/s" 5; }
check "config pace over the scenario's (header shows pace 7)" pace_from_config
mono_theme() { wait_for "width 10" 5 && no_color_escapes; }
check "theme = mono: no colour" mono_theme
export_to_config_dir() {
	keys e
	eventually 5 bash -c "ls '$WORK/csv'/overparam-01-optimization-ease-*.csv >/dev/null 2>&1"
}
check "export_dir (relative to the config's folder): e writes there" export_to_config_dir
quit >/dev/null
start --paused --pace 9 "$S1"
check "--pace over the config's" wait_header "pace 9 ep/s" 5
quit >/dev/null

# A preset: its knobs set, and the UI starts on its scenario.
printf '[preset "lecture 3"]\nscenario = 03-benign-overfitting\nnoise = 1\ntail = 1\n' >"$CFG"
start --paused --preset "lecture 3" "$S1" "$S3"
preset_starts_there() { wait_header "[noise 1]" 5 && header | grep -qF "tail 1 " && shows "Benign overfitting"; }
check "--preset starts on its scenario with its knobs" preset_starts_there
quit >/dev/null

preset_headless() {
	local out
	out=$(cd "$WORK" && "$BIN" --headless --preset "lecture 3" --set train.epochs=2 "$S3" 2>&1)
	why=$(printf '%s\n' "$out" | head -n 4)
	printf '%s\n' "$out" | grep -q "(tail variance 1), label noise sigma 1,"
}
check "--preset with --headless" preset_headless

e2e_summary
