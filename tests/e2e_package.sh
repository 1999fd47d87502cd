#!/usr/bin/env bash
# e2e_package.sh: what a lab admin relies on. The man page is clean
# (mandoc -T lint) and names every option --help prints (so a new option
# fails here until the man page has it); `make install DESTDIR PREFIX=/usr`
# installs the binary, scenarios, man page and completion, the installed
# binary run from / finds its scenarios (--list, a headless run), and
# `make uninstall` with the same variables leaves nothing behind; --version
# names the commit; the bash completion completes options, preset names and
# scenario files. No terminal needed (the harness for its counting only).
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin
MAN="$ROOT/docs/overparam.1"

man_lint() {
	command -v mandoc >/dev/null || { why="mandoc is not installed (make deps)"; return 1; }
	why=$(mandoc -T lint -W warning "$MAN" 2>&1)
	[ -z "$why" ]
}
check "mandoc -T lint finds nothing in docs/overparam.1" man_lint

# Every --long option of --help is named on an .It line of the man page.
man_has_options() {
	local opts missing="" o
	opts=$("$BIN" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$opts" ] || { why="--help printed no option"; return 1; }
	for o in $opts; do
		grep -q "^\.It .*Fl \\\\-${o#--}\\b" "$MAN" || missing="$missing $o"
	done
	why="not in the man page:$missing"
	[ -z "$missing" ]
}
check "every option --help prints has its entry in the man page" man_has_options

# Every key of --help's key list (Left/Right: both) is in the man page's
# KEYS section, as rendered.
man_has_keys() {
	local keys missing="" k section
	section=$(MANWIDTH=100 mandoc -T ascii "$MAN" | col -bx | sed -n '/^KEYS/,/^CONFIG FILE/p')
	keys=$("$BIN" --help | sed -n '/^Keys in the live UI:/,$p' | tail -n +2 | awk '{print $1}' | tr '/' '\n')
	[ -n "$keys" ] || { why="--help listed no key"; return 1; }
	for k in $keys; do
		k=${k%,}
		[ "$k" = S-Tab ] && k=Shift-Tab
		printf '%s\n' "$section" | grep -qE -- "^ {5}([^ ]+, )*$(printf '%s' "$k" | sed 's/[][\.*^$+?]/\\&/g')([ ,]|$)" ||
			missing="$missing $k"
	done
	why="keys not in the man page:$missing"
	[ -z "$missing" ]
}
check "every key --help lists is in the man page" man_has_keys

version_has_commit() {
	local v want
	v=$("$BIN" --version)
	want=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null) || want=""
	why="got '$v', want the version and commit $want"
	[[ $v == "overparam 0.1.0 (commit "* ]] && { [ -z "$want" ] || [[ $v == *"$want"* ]]; }
}
check "--version gives the release and the commit built" version_has_commit

# ---- make install / uninstall into a staging tree ----
DEST="$WORK/x"
install_ok() {
	why=$(make -s -C "$ROOT" install DESTDIR="$DEST" PREFIX=/usr 2>&1) || return 1
	local f
	for f in usr/bin/overparam usr/share/man/man1/overparam.1 usr/share/bash-completion/completions/overparam \
		usr/share/overparam/scenarios/01-optimization-ease.ini usr/share/overparam/scenarios/11-lottery-tickets.ini; do
		[ -f "$DEST/$f" ] || { why="missing $f"; return 1; }
	done
	[ -x "$DEST/usr/bin/overparam" ]
}
check "make install DESTDIR PREFIX=/usr puts binary, scenarios, man page, completion" install_ok

installed_finds_scenarios() {
	local out n
	out=$(cd / && "$DEST/usr/bin/overparam" --list 2>&1) || { why=$out; return 1; }
	n=$(printf '%s\n' "$out" | grep -c " $DEST/usr/share/overparam/scenarios/[0-9][0-9]-.*\.ini$")
	why="--list from / gave: $out"
	[ "$n" -eq "$(ls "$ROOT"/scenarios/*.ini | wc -l)" ]
}
check "the installed binary run from / lists its installed scenarios" installed_finds_scenarios

installed_runs_headless() {
	local out
	out=$(cd / && "$DEST/usr/bin/overparam" --headless --set train.epochs=3 \
		"$DEST/usr/share/overparam/scenarios/01-optimization-ease.ini" 2>&1) || { why=$out; return 1; }
	why=$(printf '%s\n' "$out" | tail -n 5)
	printf '%s\n' "$out" | grep -q '^ran 3 epochs in' 
}
check "the installed binary from / runs the scenarios headless" installed_runs_headless

uninstall_leaves_nothing() {
	why=$(make -s -C "$ROOT" uninstall DESTDIR="$DEST" PREFIX=/usr 2>&1) || return 1
	why="left behind: $(cd "$DEST" && find . -mindepth 1 | head)"
	[ -d "$DEST" ] && [ -z "$(find "$DEST" -mindepth 1)" ]
}
check "make uninstall with the same variables leaves nothing behind" uninstall_leaves_nothing

no_dir_found() {
	local out rc
	mkdir -p "$WORK/alone"
	cp "$BIN" "$WORK/alone/op"
	out=$(cd "$WORK/alone" && XDG_CONFIG_HOME="$WORK/none" ./op --list 2>&1)
	rc=$?
	why="rc=$rc: $out"
	[ $rc -eq 2 ] && [[ $out == "overparam: no scenario files given, and none found in ./scenarios, $WORK/alone/scenarios, $WORK/alone/../share/overparam/scenarios, "*/share/overparam/scenarios ]]
}
check "no scenario anywhere: the message lists every place it looked" no_dir_found

# ---- bash completion ----
complete_words() { # LINE...: what completing the last word offers
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_overparam overparam "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}"
}
# shellcheck source=../completions/overparam
. "$ROOT/completions/overparam"
completes_options() {
	local got
	got=$(cd "$WORK" && PATH="$ROOT:$PATH" complete_words overparam --pres | sort | tr '\n' ' ')
	why="--pres offers: $got"
	[ "$got" = "--present --preset " ] || return 1
	got=$(PATH="$ROOT:$PATH" complete_words overparam --c | sort | tr '\n' ' ')
	why="--c offers: $got"
	[ "$got" = "--compare --config --csv " ]
}
check "completion: options from --help" completes_options

completes_presets() {
	local got
	printf '[preset "lecture 3"]\nscenario = 03-benign-overfitting.ini\n[preset "warm-up"]\nscenario = 01\n' \
		>"$WORK/c.ini"
	got=$(complete_words overparam --config "$WORK/c.ini" --preset '' | tr '\n' '|')
	why="--preset offers: $got"
	[ "$got" = 'lecture\ 3|warm-up|' ] || return 1
	mkdir -p "$WORK/cfg/overparam"
	cp "$WORK/c.ini" "$WORK/cfg/overparam/config.ini"
	got=$(XDG_CONFIG_HOME="$WORK/cfg" complete_words overparam --preset w | tr '\n' '|')
	why="default config, --preset w offers: $got"
	[ "$got" = 'warm-up|' ]
}
check "completion: preset names from --config FILE and from the default config" completes_presets

completes_files() {
	local got
	got=$(cd "$ROOT" && complete_words overparam scenarios/03 | tr '\n' ' ')
	why="scenarios/03 offers: $got"
	[ "$got" = "scenarios/03-benign-overfitting.ini " ]
}
check "completion: scenario files" completes_files

e2e_summary
