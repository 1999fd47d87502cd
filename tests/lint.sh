#!/usr/bin/env bash
# lint.sh: `make lint`. cppcheck, then clang-tidy (.clang-tidy at the top of
# the tree), over src/ and include/. Any finding fails. Two files at a time
# (the machine has two cores); well under two minutes.
#
# cppcheck runs its warning, performance and portability checks (style
# checks are taste, not bugs). A finding that is wrong about our code is
# silenced where it occurs, with a comment saying why:
#   /* cppcheck-suppress ID ; reason */ on the line before.
set -u
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
status=0

for tool in cppcheck clang-tidy; do
	if ! command -v "$tool" >/dev/null; then
		echo "lint: $tool is not installed (make deps installs it)"
		exit 1
	fi
done

# Same feature macros and include paths as the build.
DEFS=(-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700)
INCS=(-Iinclude -Isrc)
for flag in $(pkg-config --cflags-only-I ncursesw openblas inih cairo 2>/dev/null); do
	INCS+=("$flag")
done
mapfile -t SRC < <(find src -name '*.c' | sort)

echo "lint: cppcheck on ${#SRC[@]} files"
if ! cppcheck -q --std=c11 --language=c --enable=warning,performance,portability --inline-suppr \
	--error-exitcode=1 -j "$JOBS" "${DEFS[@]}" -Iinclude -Isrc --suppress=missingIncludeSystem \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' "${SRC[@]}"; then
	status=1
fi

echo "lint: clang-tidy on ${#SRC[@]} files"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One clang-tidy per file, JOBS at a time; each prints its findings.
printf '%s\n' "${SRC[@]}" | xargs -P "$JOBS" -I{} \
	clang-tidy --quiet {} -- -std=c11 "${DEFS[@]}" "${INCS[@]}" >"$log" 2>/dev/null
if grep -q ': \(warning\|error\):' "$log"; then
	cat "$log"
	status=1
fi
n=$(grep -c ': \(warning\|error\):' "$log")
echo "lint: clang-tidy findings: $n"

if [ "$status" -eq 0 ]; then
	echo "lint: clean"
else
	echo "lint: findings above"
fi
exit "$status"
