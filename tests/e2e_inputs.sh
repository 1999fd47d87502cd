#!/usr/bin/env bash
# e2e_inputs.sh: the input edge cases of issue 13 (problem 8) through the
# real binary, on a pseudo-terminal (pty_run, as tests/e2e_badinput.sh):
# each refusal is exactly its one-line message on stderr, exit status 2,
# within 5 s, not one byte to the terminal and its modes as they were.
#   - only regular files are read: a FIFO with no writer, a FIFO fed by
#     `yes`, a process substitution <(yes ''), a device;
#   - a scenario file is at most 1 MiB (exactly 1 MiB loads);
#   - a value past 4095 bytes reports its true count (10,000 widths);
#   - invisible characters are named, C1 controls refused;
#   - control characters in what a message quotes are written out, so
#     --seed $'x\e[2J' cannot clear the screen;
#   - -dash.ini hints "--";
#   - an over-cap error blames the --set that raised the memory;
#   - a knob step of 1e-320 says the step is too small.
# Scenario-file cases come from tests/fuzz-regress/*.ini whose first line is
# "; expect: MESSAGE" (FILE stands for the path). Every run is under
# timeout(1), so a load that blocks fails instead of hanging the suite.
# Prints "ok N - name" / "not ok N - name" and "e2e: N passed, M failed".
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
cd "$ROOT" || exit 1

# refused NAME WANT [VAR=VALUE ...] -- ARG ...: the program (under
# timeout) refuses with exactly WANT on stderr.
refused() {
	local name=$1 want=$2 d=$WORK/run
	shift 2
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	PROG=timeout pty_run "$d" "${envs[@]}" -- --foreground -k 2 10 "$BIN" "$@"
	local got rc
	got=$(cat "$d/err" 2>/dev/null)
	rc=$(cat "$d/rc" 2>/dev/null)
	why=""
	if [ "$got" != "$want" ]; then why+="stderr: [$got]"$'\n'"wanted: [$want]"$'\n'; fi
	if [ "$rc" != 2 ]; then why+="exit status ${rc:-none}, wanted 2"$'\n'; fi
	if [ "$PTY_BYTES" != 0 ]; then why+="$PTY_BYTES bytes reached the terminal"$'\n'; fi
	if ! cmp -s "$d/before" "$d/after"; then why+="the terminal's modes changed"$'\n'; fi
	if [ "$PTY_SECS" -gt 5 ]; then why+="took $PTY_SECS s"$'\n'; fi
	if [ -z "$why" ]; then ok "$name"; else not_ok "$name"; fi
}

# lists FILE...: --list loads them (exit 0).
lists() {
	why=$(timeout 10 "$BIN" --list "$@" 2>&1 >/dev/null) || return 1
}

need_bin
command -v script >/dev/null || bail "script(1) from util-linux is installed"
command -v timeout >/dev/null || bail "timeout(1) is installed"
GOOD=scenarios/01-optimization-ease.ini
NOT_REG="is a pipe or FIFO, not a regular file"

# ---- only regular files ----
mkfifo "$WORK/fifo.ini"
refused "a FIFO with no writer" "$WORK/fifo.ini: $NOT_REG" -- --list "$WORK/fifo.ini"
mkfifo "$WORK/yes.ini"
(timeout 20 yes '' >"$WORK/yes.ini" 2>/dev/null &)
refused "a FIFO fed by yes ''" "$WORK/yes.ini: $NOT_REG" -- --list "$WORK/yes.ini"
: <>"$WORK/yes.ini" # let the writer go if the program never opened it
PROG=bash pty_run "$WORK/sub" -- -c 'exec 9< <(yes ""); exec timeout -k 2 10 "$0" --list /dev/fd/9' "$BIN"
sub_refused() {
	[ "$(cat "$WORK/sub/err")" = "/dev/fd/9: $NOT_REG" ] && [ "$(cat "$WORK/sub/rc")" = 2 ] &&
		[ "$PTY_BYTES" = 0 ] || { why="stderr: [$(cat "$WORK/sub/err")] rc $(cat "$WORK/sub/rc")"; return 1; }
}
check "<(yes '') is refused at once" sub_refused
refused "/dev/zero" "/dev/zero: is a character device, not a regular file" -- /dev/zero
refused "/dev/tty" "/dev/tty: is a character device, not a regular file" -- /dev/tty
ln -s "$ROOT/$GOOD" "$WORK/link.ini"
check "a symbolic link to a scenario file loads" lists "$WORK/link.ini"

# ---- at most 1 MiB ----
fill() { # FILE BYTES: the good scenario padded with comment lines to BYTES
	{
		cat "$GOOD"
		yes '; a comment line of thirty bytes' | head -c "$2"
	} | head -c "$2" >"$1"
	truncate -s "$(($2 - 1))" "$1" && printf '\n' >>"$1"
}
fill "$WORK/mib.ini" 1048576
check "exactly 1 MiB loads" lists "$WORK/mib.ini"
fill "$WORK/mib1.ini" 1048577
refused "1 MiB and one byte" "$WORK/mib1.ini: larger than 1 MiB (the limit for a scenario file)" -- --list "$WORK/mib1.ini"
fill "$WORK/big.ini" 50000000
refused "a 50 MB file of comment lines, at once" "$WORK/big.ini: larger than 1 MiB (the limit for a scenario file)" \
	-- --list "$WORK/big.ini"

# ---- every bad scenario of the regression inputs, with its own message ----
for f in tests/fuzz-regress/*.ini; do
	want=$(head -n 1 "$f" | sed -n 's/^; expect: //p')
	[ -n "$want" ] || continue
	refused "$(basename "$f" .ini)" "${want//FILE/$f}" -- --list "$f"
done

# ---- values past 4095 bytes, through --set ----
widths=1
for ((i = 1; i < 10000; i++)); do widths+=,1; done
refused "--set 10,000 widths: the true count" "--set:1: model.widths: 10000 widths given, at most 8" \
	-- --list --set "model.widths=$widths" "$GOOD"
refused "--set a title of 5000 bytes: the title's limit" "--set:1: scenario.title: longer than 63 bytes" \
	-- --list --set "scenario.title=$(head -c 5000 /dev/zero | tr '\0' a)" "$GOOD"
refused "--set with a C1 control" "--set:1: control character U+009B at column 17" \
	-- --list --set $'scenario.title=a\u009b2J' "$GOOD"
refused "--set with a no-break space" \
	"--set:1: data.samples: '100<U+00A0>' is not an integer (U+00A0 is a no-break space)" \
	-- --list --set $'data.samples=100\u00a0' "$GOOD"

# ---- what messages quote is written out ----
refused "--seed \$'x\\e[2J' does not reach the terminal raw" \
	"overparam: --seed: 'x<U+001B>[2J' is not a whole number in 0..9007199254740991 (U+001B is a control character)" \
	-- --seed $'x\e[2J' "$GOOD"
refused "--pace with a C1 CSI" \
	"overparam: --pace: '<U+009B>2J' is not 'max' or a number in 0.1..100000 (U+009B is a C1 control character)" \
	-- --pace $'\u009b2J' "$GOOD"
refused "--fps with a byte that is not UTF-8" "overparam: --fps: '\\x9B2J' is not a whole number in 1..60" \
	-- --fps $'\x9b2J' "$GOOD"
refused "an unknown option with an escape" \
	"overparam: unknown option '--<U+001B>]0;pwned<U+0007>' (see --help) (U+001B is a control character)" \
	-- $'--\e]0;pwned\a' "$GOOD"
refused "a file name with an escape" \
	"$WORK/<U+001B>[2J.ini: cannot open: No such file or directory (U+001B is a control character)" \
	-- "$WORK/"$'\e[2J.ini'
refused "--export-dir with an escape" \
	"overparam: --export-dir: <U+001B>[2J: No such file or directory (U+001B is a control character)" \
	-- --export-dir $'\e[2J' "$GOOD"
refused "TERM with an escape" \
	"overparam: TERM=<U+001B>[2J: unknown terminal type (no terminfo entry); set TERM (e.g. xterm-256color) or use --headless (U+001B is a control character)" \
	TERM=$'\e[2J' -- "$GOOD"

# ---- a file name that begins with - ----
HINT="(use -- before file names that begin with -)"
refused "-dash.ini hints --" "overparam: unknown option '-d' in '-dash.ini' $HINT" -- -dash.ini
refused "--dash.ini hints --" "overparam: unknown option '--dash.ini' $HINT" -- --dash.ini
cp "$GOOD" "$WORK/-notes"
cd "$WORK" || exit 1
refused "an existing file -notes hints --" "overparam: unknown option '-n' in '-notes' $HINT" -- -notes
cd "$ROOT" || exit 1
refused "an unknown option that is no file: no hint" "overparam: unknown option '-q' (see --help)" -- -q "$GOOD"
dash_listed() { (cd "$WORK" && timeout 10 "$BIN" --list -- -notes >/dev/null 2>&1); }
check "-- -notes loads it" dash_listed

# ---- the --set an over-cap scenario blames ----
refused "over the cap: the --set that raised the memory" \
	"$GOOD: --set:3: data.dim: needs 15.9 GiB, over the 512 MiB cap" \
	-- --list --set model.widths=4 --set data.samples=100000 --set data.dim=10000 "$GOOD"
refused "over the cap by --set on 06: data.dim, not the file's test_samples" \
	"scenarios/06-double-descent.ini: --set:2: data.dim: needs 5.3 GiB, over the 512 MiB cap" \
	-- --list --set train.repeats=32 --set data.dim=10000 scenarios/06-double-descent.ini

e2e_summary
