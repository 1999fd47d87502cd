# tmux_harness.sh: the tmux harness shared by the end-to-end scripts. Source it
# after setting E2E_NAME (names the private tmux socket) and E2E_SESSION (the
# tmux session the script starts its program in). It gives: ROOT, BIN, WORK
# (a scratch dir removed at exit), T (tmux on the private socket), ok,
# not_ok, check (TAP-style lines, counted in pass/fail), screen, header,
# wait_for, wait_match, and e2e_summary (the closing "e2e: N passed, M failed" line).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OVERPARAM_BIN:-$ROOT/overparam}
SOCK="overparam-${E2E_NAME}-$$"
WORK=$(mktemp -d)
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

pass=0
fail=0
n=0
ok() {
	n=$((n + 1)); pass=$((pass + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1)); fail=$((fail + 1))
	echo "not ok $n - $1"
	echo "# screen:"
	screen | sed 's/^/#   /'
}
check() { # name, then a command that succeeds when the case passes
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

screen() { T capture-pane -p -t "$E2E_SESSION" 2>/dev/null; }
header() { screen | sed -n 2p; }
wait_for() { # TEXT [SECONDS]
	local text=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qF -- "$text" && return 0
		sleep 0.05
	done
	return 1
}

wait_match() { # REGEX [SECONDS]: a screen line matches
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qE -- "$re" && return 0
		sleep 0.05
	done
	return 1
}

e2e_summary() {
	echo "e2e: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
