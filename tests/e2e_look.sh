#!/usr/bin/env bash
# e2e_look.sh: what the class sees, in tmux with the real ./overparam
# (OVERPARAM_BIN overrides the path): scenario 7's two humps on one scale
# (counted in screen cells), z zooms a panel, p shows the headline chart and
# the claims at 64x20, i cycles short/full/hidden notes, the reference line
# keeps its label, scenario 3's split bar fits under the headline at 64x20,
# grid axes print 1024 and alpha ends at 1, and the themes: Okabe-Ito
# colours, light without yellow, mono and NO_COLOR without colour,
# high-contrast with block lines, and no dim text anywhere. Conventions of
# e2e.sh: "ok N - name" / "not ok N - name" (screen on failure), then
# "e2e: N passed, M failed"; waits poll the screen.
set -u
# shellcheck source-path=SCRIPTDIR source=tmux_harness.sh
. "$(dirname "$0")/tmux_harness.sh"

need_bin

S1="$ROOT/scenarios/01-optimization-ease.ini"
S7="$ROOT/scenarios/07-permutation-alignment.ini"
S9="$ROOT/scenarios/09-barrier-vs-width.ini"
S10="$ROOT/scenarios/10-lazy-training.ini"

# The tallest bar of each of the two bar panels side by side, in cells:
# rows of the panel (borders excluded) with a bar glyph in that column.
cat >"$WORK/humps.py" <<'EOF'
import sys
lines = sys.stdin.read().split("\n")
top = next(i for i, l in enumerate(lines) if "as trained" in l and l.startswith("\u250c"))
split = lines[top].index("\u250c", 1)  # the second panel's left border
bottom = next(i for i in range(top + 1, len(lines)) if lines[i].startswith("\u2514"))
glyphs = set("\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588\u2591\u2592")
def tallest(lo, hi):
    best = 0
    for x in range(lo, hi):
        best = max(best, sum(1 for l in lines[top + 1:bottom] if x < len(l) and l[x] in glyphs))
    return best
print(tallest(0, split), tallest(split, max(len(l) for l in lines)))
EOF

# SGR attributes a capture with escapes uses: "dim" when SGR 2 is set
# anywhere, then each 256-colour foreground index seen.
cat >"$WORK/sgr.py" <<'EOF'
import re, sys
dim, fg = False, set()
for m in re.finditer(r"\x1b\[([0-9;]*)m", sys.stdin.read()):
    p = [int(x) if x else 0 for x in m.group(1).split(";")]
    i = 0
    while i < len(p):
        if p[i] in (38, 48) and i + 1 < len(p):
            if p[i + 1] == 5 and i + 2 < len(p):
                if p[i] == 38:
                    fg.add(p[i + 2])
                i += 3
            else:
                i += 5
            continue
        dim |= p[i] == 2
        i += 1
print("dim" if dim else "nodim", *sorted(fg))
EOF
blocks() { screen | grep -q '[▀▄█]'; } # half or full blocks: curves in thick lines (no bars there)
sgr() { T capture-pane -e -p -t "$SESSION" | python3 "$WORK/sgr.py"; }

# ---- 1. scenario 7: the matched hump looks smaller ----
start_at 120 36 "" --pace max "$S7"
humps() {
	wait_header "done" 25 || { why="not done"; return 1; }
	local h
	h=$(screen | python3 "$WORK/humps.py") || { why="no bar panels"; return 1; }
	read -r plain aligned <<<"$h"
	why="bar heights in cells: as trained $plain, aligned $aligned"
	[ "$plain" -ge 5 ] && [ "$aligned" -ge 1 ] && [ $((aligned * 5)) -le "$plain" ]
}
check "120x36 scenario 7 done: the aligned hump is at most 1/5 of the trained one, in cells" humps
alpha_one() {
	# the alpha labels under the bars end at 1 in both panels
	[ "$(screen | grep -c 'α .* 0.9 *1 ')" -ge 1 ] || screen | grep -q '0\.9  *1 .*0\.9  *1 '
}
check "the alpha axis ends at 1" alpha_one
legend_levels() { screen | grep -q '< 0.01 .* < 0.1 .* ≥ 0.1 barrier'; }
check "the bar legend gives the levels (< 0.01, < 0.1, ≥ 0.1 barrier)" legend_levels
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- 2. z and p on scenario 1 ----
start_at 80 24 "" --pace max --set train.epochs=400 "$S1"
panel_rows() { # TITLE: rows of the panel whose top border holds TITLE
	screen | awk -v t="$1" 'index($0, "┌") == 1 && index($0, t) { on = 1 } on { n++ } on && index($0, "└") == 1 { print n; exit }'
}
zoom() {
	wait_for "Models" 10 || return 1
	keys z
	wait_for "zoom: Training loss" 5 || { why="no zoom message"; return 1; }
	local r
	r=$(panel_rows "Training loss")
	why="the zoomed chart has ${r:-no} rows of 24; Models shown: $(shows Models && echo yes)"
	[ -n "$r" ] && [ $((r * 10)) -ge $((24 * 8)) ] && hides "┌ Models" || return 1
	# the next panels in turn (the notes excepted), each alone and as tall
	local t
	for t in "Held-out loss" "Models"; do
		keys z
		wait_for "zoom: $t" 5 || { why="no zoom message for $t"; return 1; }
		r=$(panel_rows "$t")
		why="zoomed $t: ${r:-no} rows of 24"
		[ -n "$r" ] && [ $((r * 10)) -ge $((24 * 8)) ] && hides "┌ Training loss" || return 1
	done
	hides "┌ Held-out loss" || { why="Held-out loss shown beside the zoomed Models"; return 1; }
	keys z
	wait_for "┌ Training loss" 5 && wait_for "┌ Held-out loss" 2 && wait_for "┌ Models" 2
}
check "z: one panel gets at least 80% of the rows, each next one in turn, then all again" zoom

notes_cycle() {
	keys i
	# the overlay shows the notes' last paragraph, which the panel cuts
	wait_for "Why, in full" 5 && wait_for "i hides" 1 || return 1
	keys i
	wait_gone "Why, in full" 5 && hides "┌ Why" || return 1
	keys i
	wait_for "┌ Why" 5
}
check "i: full notes overlay, then hidden, then the short panel again" notes_cycle

done_label() {
	wait_header "done" 20 || { why="not done"; return 1; }
	wait_for "threshold 0.05" 3
}
check "scenario 1 done: the threshold label is still shown" done_label
nodim() {
	local s
	s=$(sgr)
	why="sgr: $s"
	[ "${s%% *}" = nodim ]
}
check "no dim text (SGR 2) anywhere on the screen" nodim
keys q
wait_for "EXIT=0" 10 >/dev/null

start_at 64 20 "" --pace 100 "$S1"
present() {
	wait_for "┌ Models" 10 || return 1
	keys p
	wait_gone "┌ Models" 5 && wait_for "┌ Training loss" 2 && wait_for "┌ Claims" 2 || return 1
	local r
	r=$(panel_rows "Training loss")
	why="headline chart rows: ${r:-none}"
	[ -n "$r" ] && [ "$r" -ge 10 ] && eventually 5 blocks && no_braille || return 1
	keys p
	wait_for "┌ Models" 5
}
check "p at 64x20: the headline chart (block lines) and the claims, nothing else; p again goes back" present
keys q
wait_for "EXIT=0" 10 >/dev/null

start_at 64 20 "" --present --pace 100 "$S7"
present_flag() { wait_for "as trained" 10 && wait_for "after matching" 2 && wait_for "┌ Claims" 2 && hides "Barrier over"; }
check "--present starts in the presenter layout (scenario 7: both humps and the claims)" present_flag
keys q
wait_for "EXIT=0" 10 >/dev/null

start_at 80 24 "" --pace max "$ROOT/scenarios/03-benign-overfitting.ini"
on_line() {
	wait_header "done" 15 || { why="not done"; return 1; }
	# the test curve ends on the noise floor: the line is drawn over it,
	# and its label says so
	wait_for "test ≈ noise sigma^2 0.09" 3 && screen | grep -q '╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌'
}
check "scenario 3 done: the noise floor is drawn over the test curve and says test ≈ noise" on_line
tight_split() {
	# 64x20: the split bar gives up its rows of marks and numbers, not what
	# it says: now, and the min-norm fit's two parts in one line
	resize 64 20
	wait_match '│ now +signal [0-9.e-]+ +tail [0-9.e-]+ ' 5 &&
		wait_match '│ fits w\* [0-9.e-]+\|[0-9.e-]+ +fits noise [0-9.e-]+\|[0-9.e-]+ ' 3 || return 1
	local head split
	head=$(panel_rows "Train and test MSE")
	split=$(panel_rows "||theta||")
	why="headline $head rows, split $split"
	[ -n "$head" ] && [ -n "$split" ] && [ "$head" -ge "$split" ]
}
check "scenario 3 at 64x20: the split bar keeps now and the two parts; the headline stays the tallest" tight_split
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- 3. grid axes ----
start_at 120 36 "" --pace max "$S10"
whole() { wait_for "1024" 15 && hides "1.02e3"; }
check "the width axis shows 1024, not 1.02e3" whole
keys q
wait_for "EXIT=0" 10 >/dev/null
start_at 120 36 "" --pace max "$S9"
no_cut_title() { wait_for "256" 15 && hides "wid…"; }
check "no cut axis title (wid...)" no_cut_title
keys q
wait_for "EXIT=0" 10 >/dev/null

# ---- 4. themes ----
OKABE_DARK=" 74 214 36 175 221 166 "
okabe() {
	wait_epoch_above 20 10 || return 1
	local s c
	s=$(sgr)
	why="sgr: $s"
	[ "${s%% *}" = nodim ] || return 1
	for c in ${s#* }; do
		case " 68 $OKABE_DARK " in *" $c "*) ;; *) why="colour $c is not in the palette ($s)"; return 1 ;; esac
	done
	[ "$(wc -w <<<"${s#* }")" -ge 4 ]
}
start_at 80 24 "TERM=xterm-256color" --pace 100 "$S1"
check "dark theme in 256 colours: Okabe-Ito only, no dim" okabe
keys q
wait_for "EXIT=0" 10 >/dev/null

light() {
	wait_epoch_above 20 10 || return 1
	local s c
	s=$(sgr)
	why="sgr: $s"
	for c in ${s#* }; do
		case " 214 221 74 226 11 14 15 " in *" $c "*) why="light theme uses colour $c"; return 1 ;; esac
	done
	[ "$(wc -w <<<"${s#* }")" -ge 4 ]
}
start_at 80 24 "TERM=xterm-256color" --theme light --pace 100 "$S1"
check "--theme light: no yellow, orange or sky blue on a white background" light
keys q
wait_for "EXIT=0" 10 >/dev/null

mono() { wait_epoch_above 10 10 && no_color_escapes; }
start_at 80 24 "TERM=xterm-256color" --theme mono --pace 100 "$S1"
check "--theme mono: no colour escapes" mono
keys q
wait_for "EXIT=0" 10 >/dev/null
start_at 80 24 "TERM=xterm-256color NO_COLOR=1" --pace 100 "$S1"
check "NO_COLOR: no colour escapes" mono
keys q
wait_for "EXIT=0" 10 >/dev/null

contrast() { wait_epoch_above 20 10 && eventually 5 blocks && no_braille; }
start_at 80 24 "" --theme high-contrast --pace 100 "$S1"
check "--theme high-contrast: block lines, no braille" contrast
keys q
wait_for "EXIT=0" 10 >/dev/null

bad_theme() {
	local rc
	"$BIN" --theme pink "$S1" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	why="rc $rc, stderr: $(cat "$WORK/err")"
	[ "$rc" = 2 ] && [ "$(wc -l <"$WORK/err")" = 1 ] &&
		grep -qx "overparam: --theme: 'pink' is not one of dark|light|mono|high-contrast" "$WORK/err"
}
check "--theme pink: one line, exit 2" bad_theme

# A frame leaves in one write(): ncurses on its own flushes after each
# cursor move, a dozen writes a frame, each a packet over SSH. Counted by the
# kernel (/proc/PID/io syscw) over 2 s at 20 fps; the lag probe adds one a
# second, the store is off, so no other writes are due.
one_write() {
	wait_epoch_above 10 10 || return 1
	local a b
	a=$(sed -n 's/^syscw: //p' "/proc/$APP/io")
	sleep 2
	b=$(sed -n 's/^syscw: //p' "/proc/$APP/io")
	why="$((b - a)) writes in 2 s at 20 fps"
	[ -n "$a" ] && [ -n "$b" ] && [ $((b - a)) -le 50 ]
}
start_at 100 30 "" --no-store --fps 20 --pace 100 "$S1"
check "a frame is one write to the terminal" one_write
keys q
wait_for "EXIT=0" 10 >/dev/null

e2e_summary
