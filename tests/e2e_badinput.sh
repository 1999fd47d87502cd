#!/usr/bin/env bash
# e2e_badinput.sh: the real binary given bad input. Each case runs the
# program with a pseudo-terminal as its stdin and stdout (script(1), as a
# teacher's shell would), stderr to a file, and checks four things:
#   - stderr is exactly the expected one-line message,
#   - the exit status is 2,
#   - not one byte reached the terminal (no alternate screen, no escape),
#   - the terminal's modes (stty -g) are as they were.
# Scenario-file cases come from tests/fuzz-corpus/*.ini whose first line is
# "; expect: MESSAGE" (FILE stands for the path), so the fuzzer's seeds and
# these checks are one list. A MESSAGE ending in "..." must start the
# actual one: lists of valid words that grow as kinds and keys are added;
# the rest are built here (missing file, directory, empty, a 10 MB line,
# command-line mistakes, unusable TERM).
# Prints "ok N - name" / "not ok N - name" and "e2e: N passed, M failed".
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"
cd "$ROOT" || exit 1

# run_case NAME WANT [VAR=VALUE ...] -- ARG ...: the program with these
# arguments (and environment) on a pty (pty_run); WANT is the exact stderr.
run_case() {
	local name=$1 want=$2
	shift 2
	local d=$WORK/case
	pty_run "$d" "$@"
	local rc err
	rc=$(cat "$d/rc" 2>/dev/null)
	err=$(cat "$d/err" 2>/dev/null)
	why=""
	local same=0
	if [ "${want%...}" != "$want" ]; then
		[ "${err#"${want%...}"}" != "$err" ] && [ "$(printf '%s' "$err" | wc -l)" -eq 0 ] && same=1
	else
		[ "$err" = "$want" ] && same=1
	fi
	[ "$same" = 1 ] || why+="stderr: [$err]"$'\n'"wanted: [$want]"$'\n'
	[ "$rc" = 2 ] || why+="exit status ${rc:-none}, wanted 2"$'\n'
	[ "$PTY_BYTES" -eq 0 ] || why+="$PTY_BYTES bytes written to the terminal"$'\n'
	cmp -s "$d/before" "$d/after" || why+="terminal modes changed"$'\n'
	[ "$PTY_SECS" -le 5 ] || why+="took ${PTY_SECS} s"$'\n'
	if [ -z "$why" ]; then ok "$name"; else not_ok "$name"; fi
}

need_bin
command -v script >/dev/null || bail "script(1) from util-linux is installed"

GOOD=scenarios/01-optimization-ease.ini

# ---- the file itself ----
run_case "missing file" "$WORK/nope.ini: cannot open: No such file or directory" -- "$WORK/nope.ini"
mkdir "$WORK/dir.ini"
run_case "a directory" "$WORK/dir.ini: is a directory" -- "$WORK/dir.ini"
: >"$WORK/empty.ini"
run_case "an empty file" "$WORK/empty.ini: empty file: no [scenario] section" -- "$WORK/empty.ini"
printf '\n  \n\t\n' >"$WORK/blank.ini"
run_case "only blank lines" "$WORK/blank.ini: empty file: no [scenario] section" -- "$WORK/blank.ini"
run_case "binary garbage (the program itself)" "$BIN:1: control character 0x7f at column 1 (not a text file?)" -- "$BIN"
{
	printf '[scenario]\ntitle = '
	head -c 10000000 /dev/zero | tr '\0' 'a'
	printf '\n'
} >"$WORK/long.ini"
run_case "a 10 MB line" "$WORK/long.ini:2: line longer than 197 bytes" -- "$WORK/long.ini"
run_case "a good file, then a bad one" "$WORK/empty.ini: empty file: no [scenario] section" -- "$GOOD" "$WORK/empty.ini"
run_case "a bad file with --headless" "$WORK/empty.ini: empty file: no [scenario] section" -- --headless "$WORK/empty.ini"
run_case "a bad file with --list" "$WORK/empty.ini: empty file: no [scenario] section" -- --list "$WORK/empty.ini"
if [ "$(id -u)" != 0 ]; then
	printf '[scenario]\n' >"$WORK/secret.ini"
	chmod 000 "$WORK/secret.ini"
	run_case "an unreadable file" "$WORK/secret.ini: cannot open: Permission denied" -- "$WORK/secret.ini"
fi
many=()
for ((i = 0; i < 65; i++)); do many+=("$GOOD"); done
run_case "65 scenario files" "overparam: 65 scenario files given; at most 64" -- "${many[@]}"

# ---- every bad scenario of the fuzz corpus, with its own expectation ----
for f in tests/fuzz-corpus/*.ini; do
	want=$(head -n 1 "$f" | sed -n 's/^; expect: //p')
	[ -n "$want" ] || continue
	run_case "$(basename "$f" .ini): ${want#FILE:}" "${want//FILE/$f}" -- "$f"
done

# ---- the command line ----
run_case "unknown long option" "overparam: unknown option '--bogus' (see --help)" -- --bogus "$GOOD"
run_case "unknown short option" "overparam: unknown option '-x' (see --help)" -- -x "$GOOD"
run_case "unknown short option among others" "overparam: unknown option '-x' (see --help)" -- -xh "$GOOD"
run_case "ambiguous option" "overparam: option '--pa' is ambiguous: --pace, --paused" -- --pa 5 "$GOOD"
run_case "argument to a flag" "overparam: option '--headless' takes no argument (see --help)" -- --headless=yes "$GOOD"
for opt in seed pace fps csv export-dir; do
	run_case "--$opt without its argument" "overparam: option '--$opt' needs an argument (see --help)" -- "$GOOD" "--$opt"
done
for v in -1 12abc 1e3 0x10 '' ' 7' 9007199254740992 99999999999999999999999; do
	run_case "--seed '$v'" "overparam: --seed: '$v' is not a whole number in 0..9007199254740991" -- --seed "$v" "$GOOD"
done
for v in 0 61 -5 1.5 abc '' 99999999999999999999; do
	run_case "--fps '$v'" "overparam: --fps: '$v' is not a whole number in 1..60" -- --fps "$v" "$GOOD"
done
for v in 0 0.05 100001 1e9 -5 nan inf 1e 0x10 ' 5' 12abc MAX ''; do
	run_case "--pace '$v'" "overparam: --pace: '$v' is not 'max' or a number in 0.1..100000" -- --pace "$v" "$GOOD"
done
run_case "--csv without --headless" "overparam: --csv needs --headless (in the live UI, press e)" -- --csv "$WORK/x.csv" "$GOOD"
run_case "--csv into a missing directory" \
	"overparam: --csv: cannot write $WORK/none/x.csv: No such file or directory" -- --headless --csv "$WORK/none/x.csv" \
	tests/fuzz-corpus/crlf-bom-ok.ini
run_case "--export-dir that does not exist" "overparam: --export-dir: $WORK/none: No such file or directory" \
	-- --export-dir "$WORK/none" "$GOOD"
run_case "--export-dir that is a file" "overparam: --export-dir: $GOOD: not a directory" -- --export-dir "$GOOD" "$GOOD"
run_case "--export-dir with --headless" "overparam: --export-dir is for the live UI (with --headless, use --csv FILE)" \
	-- --headless --export-dir "$WORK" "$GOOD"

# ---- terminals it cannot draw on ----
run_case "TERM=dumb" "overparam: TERM=dumb cannot draw the live charts; set TERM (e.g. xterm-256color) or use --headless" \
	TERM=dumb -- "$GOOD"
run_case "TERM unset" "overparam: TERM=(unset) cannot draw the live charts; set TERM (e.g. xterm-256color) or use --headless" \
	-u TERM -- "$GOOD"
run_case "TERM with no terminfo entry" \
	"overparam: TERM=no-such-terminal: unknown terminal type (no terminfo entry); set TERM (e.g. xterm-256color) or use --headless" \
	TERM=no-such-terminal -- "$GOOD"
# A printing terminal (no cursor addressing), compiled into a private
# terminfo directory.
if command -v tic >/dev/null; then
	printf 'overparam-hardcopy|a printing terminal,\n\tam, hc, cols#80, bel=^G, cr=\\r, cud1=\\n, ind=\\n,\n' \
		>"$WORK/hardcopy.src"
	mkdir -p "$WORK/terminfo"
	if tic -o "$WORK/terminfo" "$WORK/hardcopy.src" 2>"$WORK/tic.err"; then
		run_case "a terminal that cannot move the cursor" \
			"overparam: TERM=overparam-hardcopy cannot move the cursor, so it cannot draw the live charts; set TERM (e.g. xterm-256color) or use --headless" \
			TERM=overparam-hardcopy TERMINFO="$WORK/terminfo" -- "$GOOD"
	else
		why=$(cat "$WORK/tic.err")
		not_ok "tic compiles a printing-terminal entry"
	fi
fi

# ---- and what should work, does: the corpus's valid file loads ----
valid_lists() {
	local out
	why="a BOM, CRLF line ends and UTF-8 in the title must load"
	out=$("$BIN" --list tests/fuzz-corpus/crlf-bom-ok.ini 2>&1) || return 1
	LC_ALL=C.UTF-8 grep -qx '1  CRLF λ  *tests/fuzz-corpus/crlf-bom-ok.ini' <<<"$out"
}
check "BOM + CRLF + UTF-8 title loads (--list, exit 0)" valid_lists

e2e_summary
