#!/usr/bin/env bash
# e2e_claims.sh: the claims each scenario makes, as a user meets them:
#   - headless, every shipped scenario prints one CLAIM line a claim, after
#     its RESULT, ending in holds, fails or undecided, with the claims the
#     committed study (docs/claims.md) lists for it when it ran it;
#   - docs/claims.md still holds: the cheap scenarios re-run at the first
#     seeds with --study hold wherever the document's per-seed rows say they
#     hold, so a hold rate the document states cannot silently drop;
#   - the Why panel, at a seed where the document says a claim fails, says
#     "[fails]" next to that claim's sentence, in words (also without colour);
#   - --study's options, its CSV (default study.csv), and its progress bar
#     on a terminal only.
# Conventions of e2e.sh: "ok N - name" / "not ok N - name", then
# "e2e: N passed, M failed"; exit 1 on any failure; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin
SC="$ROOT/scenarios"
DOC="$ROOT/docs/claims.md"
[ -f "$DOC" ] || bail "$DOC exists (make claims)"

# The document's per-seed row of SCENARIO's claim: "id letters", a line each.
doc_rows() { sed -n "s/^| $1 | \([a-z0-9-]*\) | \`\([hFu]*\)\` |\$/\1 \2/p" "$DOC"; }

# ---- headless CLAIM lines ----
headless_claims() { # FILE [ARG...]: the report has the document's claims, each well formed
	local f=$1 name
	shift
	name=$(basename "$f")
	"$BIN" --headless "$@" "$f" >"$WORK/out" 2>&1 || { why="exit $? from $name"; return 1; }
	local got want
	got=$(sed -n 's/^CLAIM \([a-z0-9-]*\): .*: \(holds\|fails\|undecided\)$/\1/p' "$WORK/out")
	want=$(doc_rows "$name" | cut -d' ' -f1)
	[ -n "$got" ] || { why="$name: no CLAIM line"; return 1; }
	# a scenario the committed study ran has the claims it lists
	[ -z "$want" ] || [ "$got" = "$want" ] || { why="$name: claims '$got', docs/claims.md lists '$want'"; return 1; }
	[ "$(grep -c '^CLAIM' "$WORK/out")" = "$(echo "$got" | wc -l)" ] || { why="$name: a malformed CLAIM line"; return 1; }
	# after the kind's report (its RESULT line), before the timing line
	awk '/^RESULT/ { r = NR } /^CLAIM/ && !c { c = NR } /^ran / { t = NR }
	     END { exit !((r == 0 || r < c) && c < t) }' "$WORK/out" || { why="$name: CLAIM lines out of place"; return 1; }
}
every_scenario_claims() {
	local f
	for f in "$SC"/*.ini; do
		case $(basename "$f") in
		01-*) headless_claims "$f" --set train.epochs=40 || return 1 ;; # its full run takes half a minute
		*) headless_claims "$f" || return 1 ;;
		esac
	done
}
check "headless: every scenario prints its CLAIM lines (the document's claims)" every_scenario_claims

finished_never_not_yet() { grep -q '^CLAIM' "$WORK/out" && ! grep -q '^CLAIM.*: not yet$' "$WORK/out"; }
check "headless: a finished run never says 'not yet'" finished_never_not_yet

# ---- the committed study still holds at its first seeds ----
CHEAP="02-mode-connectivity.ini 03-benign-overfitting.ini 04-harmful-overfitting.ini 05-benign-vs-harmful.ini 06-double-descent.ini 07-permutation-alignment.ini 09-barrier-vs-width.ini"
SEEDS=2
rerun_study() {
	local files=() f
	for f in $CHEAP; do files+=("$SC/$f"); done
	(cd "$WORK" && "$BIN" --study "$SEEDS" "${files[@]}" >study.md 2>study.err) || { why="exit $?: $(cat "$WORK/study.err")"; return 1; }
	[ ! -s "$WORK/study.err" ] || { why="stderr not a terminal, yet: $(head -c 200 "$WORK/study.err")"; return 1; }
	local bad="" id doc now
	for f in $CHEAP; do
		while read -r id doc; do
			now=$(sed -n "s/^| $f | $id | \`\([hFu]*\)\` |\$/\1/p" "$WORK/study.md")
			[ ${#now} = "$SEEDS" ] || { bad+="$f $id: no row; "; continue; }
			for ((i = 0; i < SEEDS; i++)); do
				[ "${doc:i:1}" != h ] || [ "${now:i:1}" = h ] ||
					bad+="$f $id: seed $((i + 1)) held in docs/claims.md, now '${now:i:1}'; "
			done
		done < <(doc_rows "$f")
	done
	[ -z "$bad" ] || { why=$bad; return 1; }
}
check "--study $SEEDS: every seed docs/claims.md says holds still holds" rerun_study

study_csv() {
	local csv="$WORK/study.csv" rows
	head -n 1 "$csv" | grep -qx 'scenario,claim,figure,holds,fails,undecided,seeds,median,p10,p90' ||
		{ why="header: $(head -n 1 "$csv")"; return 1; }
	rows=$(grep -c '^| [0-9].*| [0-9]*/'"$SEEDS"' |' "$WORK/study.md")
	[ "$(($(wc -l <"$csv") - 1))" = "$rows" ] || { why="$rows table rows, CSV: $(wc -l <"$csv") lines"; return 1; }
	# holds + fails + undecided = seeds on every row
	# (from the end: a figure's name may hold a comma, quoted)
	awk -F, -v n="$SEEDS" 'NR > 1 && ($(NF-6) + $(NF-5) + $(NF-4) != n || $(NF-3) != n) { bad = 1 }
	                       END { exit bad }' "$csv" ||
		{ why="counts do not add up: $(cat "$csv")"; return 1; }
}
check "--study writes its table to study.csv by default, counts adding up" study_csv

# ---- the Why panel says a claim fails where the document says it does ----
# The first seed of scenario 2 (fast) at which one of its claims fails.
FAIL_ID="" FAIL_SEED=""
while read -r id letters; do
	rest=${letters%%F*}
	if [ "$rest" != "$letters" ]; then
		FAIL_ID=$id FAIL_SEED=$((${#rest} + 1))
		break
	fi
done < <(doc_rows 02-mode-connectivity.ini)
panel_says_fails() {
	[ -n "$FAIL_SEED" ] || { why="docs/claims.md lists no failing seed of scenario 2"; return 1; }
	# the claim's sentence at that seed, as headless words it
	local sentence
	sentence=$("$BIN" --headless --seed "$FAIL_SEED" "$SC/02-mode-connectivity.ini" |
		sed -n "s/^CLAIM $FAIL_ID: \(.*\): fails\$/\1/p")
	[ -n "$sentence" ] || { why="headless at seed $FAIL_SEED: claim $FAIL_ID does not fail"; return 1; }
	start_at 110 45 "" --no-color --pace max --seed "$FAIL_SEED" "$SC/02-mode-connectivity.ini"
	wait_header "done" 30 || { why="the run did not finish"; return 1; }
	wait_for "[fails] ${sentence:0:30}" 5 || { why="no '[fails] ${sentence:0:30}' on screen"; return 1; }
	no_color_escapes || { why="colour with --no-color"; return 1; }
	quit
}
check "the Why panel says [fails] at a seed where docs/claims.md says it fails" panel_says_fails

panel_live_verdicts() {
	start_at 110 45 "" --paused --seed 1 "$SC/02-mode-connectivity.ini"
	wait_for "[not yet] both nets fit" 5 || { why="no '[not yet]' before the run"; return 1; }
	keys ' '
	wait_for "[holds] the straight line between them has a barrier" 20 || { why="the barrier claim never holds live"; return 1; }
	quit
}
check "the Why panel's verdicts are live: not yet, then holds" panel_live_verdicts

# ---- options ----
refuses() { # MESSAGE ARG...: exit 2 with MESSAGE on stderr
	local msg=$1 rc
	shift
	(cd "$WORK" && "$BIN" "$@" >/dev/null 2>"$WORK/err")
	rc=$?
	[ "$rc" = 2 ] && grep -qxF "$msg" "$WORK/err" || { why="exit $rc: $(cat "$WORK/err")"; return 1; }
}
bad_options() {
	refuses "overparam: --study: '0' is not a whole number in 1..1000" --study 0 "$SC/04-harmful-overfitting.ini" &&
		refuses "overparam: --study-csv needs --study N" --study-csv x.csv "$SC/04-harmful-overfitting.ini" &&
		refuses "overparam: --study runs headless at seeds 1..N itself: drop --headless" --study 2 --headless \
			"$SC/04-harmful-overfitting.ini"
}
check "--study refuses a bad count and options it does not take" bad_options

progress_on_tty() {
	# stderr on the terminal, the report into a file
	printf '#!/bin/sh\nexec "%s" "$@" >"%s/tty.md"\n' "$BIN" "$WORK" >"$WORK/study.sh"
	chmod +x "$WORK/study.sh"
	PROG="$WORK/study.sh" start_at 100 30 "" --study 2 --study-csv "$WORK/tty.csv" "$SC/04-harmful-overfitting.ini"
	wait_for "EXIT=0" 20 || { why="no exit"; return 1; }
	shows_match 'study \[#+\] 2/2 runs' || { why="no progress bar"; return 1; }
	[ -s "$WORK/tty.csv" ] && grep -q '^| 04-harmful-overfitting.ini | harmful | `hh` |$' "$WORK/tty.md" ||
		{ why="no CSV or report"; return 1; }
}
check "--study shows a progress bar on a terminal and writes --study-csv FILE" progress_on_tty

e2e_summary
