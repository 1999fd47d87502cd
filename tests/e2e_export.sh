#!/usr/bin/env bash
# e2e_export.sh: exports that cannot lose data, output errors that are not
# ignored, and one CSV format (issue 13, problems 3, 4 and 7), with the real
# ./overparam (OVERPARAM_BIN overrides the path), headless and live in tmux
# at 80x24. Every CSV is read back with python3's csv module (strict): one
# header, six fields a row, a final newline, and every (scenario, series,
# metric, epoch, index) once. Conventions of e2e.sh: "ok N - name" /
# "not ok N - name", then "e2e: N passed, M failed"; waits poll.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin
command -v python3 >/dev/null || bail "python3 is installed"

S1="$ROOT/scenarios/01-optimization-ease.ini"
S2="$ROOT/scenarios/02-mode-connectivity.ini"
S3="$ROOT/scenarios/03-benign-overfitting.ini"
S6="$ROOT/scenarios/06-double-descent.ini"
S11="$ROOT/scenarios/11-lottery-tickets.ini"
HEADER='scenario,series,metric,epoch,index,value'
# a lottery with four short rounds: three round boundaries
LOTTERY_SETS=(--set train.epochs=40 --set train.rounds=3 --set train.eval_every=10 --set model.widths=16)

# csv_ok FILE: prints its row count; fails (saying why) unless it is whole.
csv_ok() {
	python3 - "$1" <<'EOF'
import csv, sys
path = sys.argv[1]
with open(path, newline='') as f:
    data = f.read()
if not data.endswith('\n'):
    sys.exit(f'{path}: no final newline')
with open(path, newline='') as f:
    rows = list(csv.reader(f, strict=True))
if rows[0] != ['scenario', 'series', 'metric', 'epoch', 'index', 'value']:
    sys.exit(f'{path}: header {rows[0]}')
seen = set()
for i, r in enumerate(rows[1:], 2):
    if len(r) != 6:
        sys.exit(f'{path}:{i}: {len(r)} fields')
    float(r[5]); int(r[3]); int(r[4])
    key = tuple(r[:5])
    if key in seen:
        sys.exit(f'{path}:{i}: {key} twice')
    seen.add(key)
print(len(rows) - 1)
EOF
}
no_temporaries() { # DIR: no .overparam-*.tmp left in it
	local left
	left=$(find "$1" -maxdepth 1 -name '.overparam-*' | head -n 3)
	[ -z "$left" ] || { why+="left behind: $left"$'\n'; return 1; }
}
# run_rc OUT ERR ARG...: the program headless-style, its status in RC
run_rc() {
	local out=$1 err=$2
	shift 2
	"$BIN" "$@" >"$out" 2>"$err"
	RC=$?
}
rc_is() { [ "$RC" = "$1" ] || { why+="exit status $RC, wanted $1"$'\n'; return 1; }; }
err_is() { # FILE TEXT: stderr exactly TEXT
	[ "$(cat "$1")" = "$2" ] || { why+="stderr: [$(cat "$1")]"$'\n'"wanted: [$2]"$'\n'; return 1; }
}

# ======== problem 3: exports lose data ========

# ---- --csv scenarios/*.ini: the shell gives --csv the first scenario ----
glob_slip() {
	mkdir -p "$WORK/g"
	cp "$S2" "$WORK/g/a.ini"
	cp "$S3" "$WORK/g/b.ini"
	run_rc "$WORK/out" "$WORK/err" --headless --csv "$WORK"/g/*.ini
	rc_is 2 && err_is "$WORK/err" \
		"overparam: --csv: $WORK/g/a.ini ends in .ini: will not overwrite a scenario file (a glob after --csv?)" &&
		cmp -s "$S2" "$WORK/g/a.ini" && [ ! -s "$WORK/out" ] && no_temporaries "$WORK/g"
}
check "--csv scenarios/*.ini: refused (exit 2), the scenario file untouched" glob_slip

input_named() {
	cp "$S2" "$WORK/g/s.conf"
	run_rc "$WORK/out" "$WORK/err" --headless --csv "$WORK/g/./s.conf" "$WORK/g/s.conf"
	rc_is 2 && err_is "$WORK/err" \
		"overparam: --csv: $WORK/g/./s.conf is the scenario file $WORK/g/s.conf: will not overwrite an input" &&
		cmp -s "$S2" "$WORK/g/s.conf"
}
check "--csv naming an input by another spelling: refused, the input untouched" input_named

# ---- a headless run stopped by a signal: whole rows, exit 130 ----
interrupt() { # SIGNAL
	local d=$WORK/int-$1
	mkdir -p "$d"
	"$BIN" --headless --csv "$d/out.csv" "$S1" >"$d/out" 2>"$d/err" &
	local pid=$!
	# a few flushes of the CSV buffer into its temporary file first
	flushed() { [ "$(cat "$d"/.overparam-*.tmp 2>/dev/null | wc -c)" -gt 200000 ]; }
	eventually 30 flushed || { why="no CSV rows after 30 s"; kill -9 $pid; return 1; }
	kill -"$1" $pid
	eventually 10 ended $pid || { why="still running 10 s after SIG$1"; kill -9 $pid; return 1; }
	wait $pid
	RC=$?
	rc_is 130 || return 1
	local n
	n=$(sed -n 's/^overparam: interrupted at epoch \([0-9][0-9]*\) of .*/\1/p' "$d/err")
	err_is "$d/err" "overparam: interrupted at epoch $n of $S1" || return 1
	local rows
	rows=$(csv_ok "$d/out.csv") || { why+="$rows"; return 1; }
	# the last row is the last whole epoch's mark
	[ "$(tail -n 1 "$d/out.csv")" = "$S1,width 10,epoch,$n,0,$n" ] ||
		{ why+="last row: $(tail -n 1 "$d/out.csv"), wanted epoch $n"$'\n'; return 1; }
	[ ! -s "$d/out" ] && no_temporaries "$d" && echo "# SIG$1 at epoch $n: $rows whole rows kept"
}
check "SIGINT mid-run: the CSV ends at a whole epoch, 'interrupted at epoch N', exit 130" interrupt INT
check "SIGTERM mid-run: the same" interrupt TERM

# ---- a write that fails half-way leaves nothing ----
# A file size limit (ulimit -f, SIGXFSZ ignored) makes write() fail with EFBIG.
LIMITED="$WORK/limited.sh"
printf '#!/bin/sh\ntrap "" XFSZ\nulimit -f 64\nexec "%s" "$@"\n' "$BIN" >"$LIMITED"
chmod +x "$LIMITED"
failed_write() {
	mkdir -p "$WORK/fw"
	# --no-store: the limit stops the run store's writes too, and says so on a line of its own
	"$LIMITED" --headless --no-store --csv "$WORK/fw/out.csv" "$S3" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	rc_is 1 && err_is "$WORK/err" "overparam: --csv: error writing $WORK/fw/out.csv: File too large" &&
		[ -z "$(ls -A "$WORK/fw")" ] || { why+="in the directory: $(ls -A "$WORK/fw")"$'\n'; return 1; }
}
check "--csv write fails half-way: exit 1 with the reason, no file, no temporary" failed_write

# ---- --csv - is stdout ----
csv_stdout() {
	mkdir -p "$WORK/dash"
	(cd "$WORK/dash" && "$BIN" --headless --csv - "$S2" >out.csv 2>report)
	RC=$?
	rc_is 0 && [ "$(head -n 1 "$WORK/dash/out.csv")" = "$HEADER" ] && csv_ok "$WORK/dash/out.csv" >/dev/null &&
		grep -q '^== 02-mode-connectivity.ini (mode_connectivity, seed 42) ==$' "$WORK/dash/report" &&
		[ ! -e "$WORK/dash/-" ]
}
check "--csv - writes the CSV to stdout (the report to stderr), no file named -" csv_stdout

# ---- two live instances pressing e at once ----
# Both scenarios are named a,b"c.ini (in d1 and d2): the export names
# collide in every second, and the scenario column tells them apart.
Q='a,b"c.ini'
mkdir -p "$WORK/d1" "$WORK/d2" "$WORK/two"
cp "$S3" "$WORK/d1/$Q"
cp "$S3" "$WORK/d2/$Q"
start --pace 50 --export-dir "$WORK/two" "$WORK/d1/$Q"
T new-window -d -t "$SESSION" -n other "cd '$WORK' && '$BIN' --pace 50 --export-dir '$WORK/two' '$WORK/d2/$Q'; exec sleep 600"
exports() { find "$WORK/two" -maxdepth 1 -name 'overparam-*.csv' | wc -l; }
exports_are() { [ "$(exports)" -eq "$1" ]; }
two_instances() {
	wait_epoch_above 20 10 || return 1
	local i
	for ((i = 1; i <= 10; i++)); do
		keys e
		T send-keys -t "$SESSION:other" e
		eventually 10 exports_are $((2 * i)) || { why="$(exports) files after round $i"; return 1; }
	done
	no_temporaries "$WORK/two" || return 1
	local f rows n1=0 n2=0 counted=0
	for f in "$WORK"/two/overparam-*.csv; do
		rows=$(csv_ok "$f") || { why+="$rows"; return 1; }
		[ "$rows" -gt 10 ] || { why+="$f: $rows rows"; return 1; }
		grep -qF "\"$WORK/d1/a,b\"\"c.ini\",GD from zero,train_loss," "$f" && n1=$((n1 + 1))
		grep -qF "\"$WORK/d2/a,b\"\"c.ini\",GD from zero,train_loss," "$f" && n2=$((n2 + 1))
		case $f in *-2.csv) counted=1 ;; esac
	done
	why="d1: $n1 files, d2: $n2, a -2 name: $counted"
	[ "$n1" = 10 ] && [ "$n2" = 10 ] && [ "$counted" = 1 ]
}
check "two live instances, e 10 times each at once: 20 whole files, none overwritten" two_instances
T kill-window -t "$SESSION:other"
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- e when the disk refuses: the reason first, no file ----
mkdir -p "$WORK/lim"
PROG=$LIMITED start --pace 200 --export-dir "$WORK/lim" --set train.epochs=100000 "$S3"
e_fails() {
	wait_epoch_above 400 20 || return 1
	keys e
	wait_header "export failed: File too large" 10 || return 1
	eventually 5 no_temporaries "$WORK/lim" && [ -z "$(ls -A "$WORK/lim")" ] && advancing
}
check "e failing half-way: 'export failed: File too large' first at 80 columns, no file, the run goes on" e_fails
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- long directory names: whole, or refused ----
LONG=$WORK/$(printf 'a%.0s' {1..240})/$(printf 'b%.0s' {1..240})/$(printf 'c%.0s' {1..240})/$(printf 'd%.0s' {1..240})
mkdir -p "$LONG"
start --pace 100 --export-dir "$LONG" "$S2"
long_dir() {
	wait_epoch_above 5 10 || return 1
	keys e
	wait_header "wrote " 10 || return 1
	local f
	f=$(ls "$LONG")
	why="${#LONG} characters of directory; in it: $f"
	[[ $f =~ ^overparam-02-mode-connectivity-42-[0-9]{8}-[0-9]{6}\.csv$ ]] && csv_ok "$LONG/$f" >/dev/null
}
check "a ${#LONG}-character --export-dir: e writes its file under its whole name" long_dir
keys q
wait_for "EXIT=0" 10 >/dev/null

# A directory PATH_MAX can name, with no room left for the file's name.
DEEP=$WORK
while [ ${#DEEP} -lt 4000 ]; do DEEP=$DEEP/$(printf 'x%.0s' {1..200}); done
(cd "$WORK" && mkdir -p "${DEEP#"$WORK"/}") 2>/dev/null || mkdir -p "$DEEP"
start --pace 100 --export-dir "$DEEP" "$S2"
too_long() {
	wait_epoch_above 5 10 || return 1
	keys e
	wait_for "export failed: File name too long" 10 || return 1
	local found
	found=$(find "$WORK/xxx"* -name '*overparam*' 2>/dev/null | head -n 3)
	why="${#DEEP} characters of directory; found: $found"
	[ -z "$found" ] && advancing
}
check "a directory too long for its file's name: refused, not cut, nothing written" too_long
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- a large export runs off the UI thread ----
mkdir -p "$WORK/big"
cp "$S3" "$WORK/big.ini"
BIG_SETS=(--set data.samples=10 --set data.test_samples=10 --set data.dim=20 --set data.signal_dim=2
	--set train.epochs=400000)
start --pace max --export-dir "$WORK/big" "${BIG_SETS[@]}" big.ini
progress_and_help() {
	screen | grep -qF "this help" && header | grep -q "exporting: [0-9]*% of [0-9]* rows"
}
large_export() {
	wait_header "done" 60 || { why="not done after 60 s (epoch $(epoch))"; return 1; }
	keys e
	wait_header "exporting: " 5 || return 1
	keys '?' # the keys still answer while it writes
	eventually 5 progress_and_help || { why="no help overlay while exporting"; return 1; }
	keys Escape
	wait_header "wrote " 120 || return 1
	local f rows
	f=$(ls "$WORK"/big/overparam-*.csv)
	rows=$(($(wc -l <"$f") - 1))
	why="$rows rows"
	[ "$rows" -ge 2000000 ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] &&
		[ "$(tail -n 1 "$f" | tr -cd , | wc -c)" = 5 ] && echo "# a $rows-row export, keys answered while it wrote"
}
check "a large export: progress in the status line, keys answered meanwhile, the file whole" large_export
quit_mid_export() {
	rm -f "$WORK"/big/overparam-*.csv
	keys e
	wait_header "exporting: " 5 || return 1
	keys q
	wait_for "EXIT=0" 10 || return 1
	wait_for "quit while an export was writing: its file was not written" 2 &&
		eventually 2 no_temporaries "$WORK/big" && [ -z "$(ls -A "$WORK/big")" ]
}
check "q during a large export: it stops, says so, leaves no file" quit_mid_export

# ======== problem 4: output errors ignored ========

full_headless() {
	"$BIN" --headless "$S2" >/dev/full 2>"$WORK/err"
	RC=$?
	rc_is 1 && err_is "$WORK/err" "overparam: error writing standard output: No space left on device"
}
check "--headless >/dev/full: exit 1 with the reason" full_headless

closed_list() {
	"$BIN" --list "$S2" >&- 2>"$WORK/err"
	RC=$?
	rc_is 1 && err_is "$WORK/err" "overparam: error writing standard output: Bad file descriptor"
}
check "--list >&-: exit 1 with the reason" closed_list

full_help() {
	"$BIN" --help >/dev/full 2>"$WORK/err"
	RC=$?
	rc_is 1 && err_is "$WORK/err" "overparam: error writing standard output: No space left on device" || return 1
	"$BIN" --version >/dev/full 2>"$WORK/err"
	RC=$?
	rc_is 1 && err_is "$WORK/err" "overparam: error writing standard output: No space left on device"
}
check "--help and --version >/dev/full: exit 1 with the reason" full_help

full_csv() {
	run_rc "$WORK/out" "$WORK/err" --headless --csv /dev/full "$S2"
	rc_is 1 && err_is "$WORK/err" "overparam: --csv: error writing /dev/full: No space left on device"
}
check "--csv /dev/full: exit 1 with the reason" full_csv

broken_pipe() {
	mkdir -p "$WORK/pipe"
	"$BIN" --headless --csv "$WORK/pipe/out.csv" "$S2" 2>"$WORK/err" | true
	RC=${PIPESTATUS[0]}
	rc_is 1 && err_is "$WORK/err" "overparam: error writing standard output: Broken pipe" &&
		[ -z "$(ls -A "$WORK/pipe")" ]
}
check "--headless into a closed pipe: exit 1 with the reason, the unfinished CSV removed" broken_pipe

# ======== problem 7: the two CSV formats differ ========

# A scenario named a,b"c.ini in two directories: quoted, named as given.
quoted_names() {
	run_rc "$WORK/out" "$WORK/err" --headless --seed 5 --csv "$WORK/q.csv" "$WORK/d1/$Q" "$WORK/d2/$Q"
	rc_is 0 || return 1
	local rows
	rows=$(csv_ok "$WORK/q.csv") || { why+="$rows"; return 1; }
	python3 - "$WORK/q.csv" "$WORK/d1/$Q" "$WORK/d2/$Q" <<'EOF'
import csv, sys
names = {r[0] for r in list(csv.reader(open(sys.argv[1], newline='')))[1:]}
if names != {sys.argv[2], sys.argv[3]}:
    sys.exit(f'scenario column: {names}')
EOF
}
check "a scenario named a,b\"c.ini in two folders: rows parse, each named as given" quoted_names

# e and --csv of one run: every row e writes is a row --csv writes, byte
# for byte (scenario as given, labels, epochs, grid positions, values).
same_rows() { # SCENARIO ARG...: live to the end, e, then headless
	local s=$1 d
	shift
	d=$WORK/same-$(basename "$s" .ini)
	mkdir -p "$d"
	start --pace max --export-dir "$d" "$@" "$s"
	wait_header "done" 60 || { why="not done"; return 1; }
	keys e
	wait_header "wrote " 10 || return 1
	keys q
	wait_for "EXIT=0" 10 >/dev/null
	"$BIN" --headless --csv "$d/headless.csv" "$@" "$s" >/dev/null 2>"$WORK/err" || return 1
	local e
	e=$(ls "$d"/overparam-*.csv)
	csv_ok "$e" >/dev/null && csv_ok "$d/headless.csv" >/dev/null || return 1
	python3 - "$e" "$d/headless.csv" <<'EOF'
import sys
e = open(sys.argv[1]).read().splitlines()
h = set(open(sys.argv[2]).read().splitlines())
missing = [r for r in e if r not in h]
if missing:
    sys.exit(f'{len(missing)} of {len(e)} rows of e not in --csv, e.g. {missing[:3]}')
long = [r for r in e[1:] if len(r.rsplit(',', 1)[1].lstrip('-').replace('.', '').split('e')[0].lstrip('0')) > 9]
if not long:
    sys.exit('no value at more than 9 digits')
print(f'# {len(e) - 1} rows of e, all in --csv; {len(long)} at more than 9 digits')
EOF
}
check "double descent: e's rows are --csv's rows, grid epochs and full precision included" same_rows "$S6"
check "lottery tickets: e's rows are --csv's rows, each (series, metric, epoch, index) once" \
	same_rows "$S11" "${LOTTERY_SETS[@]}"

e2e_summary
