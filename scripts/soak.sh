#!/usr/bin/env bash
# Soak: the README tour (tests/readme.rs) and the bake tests (tests/bake.rs), each run
# RUNS times in a row (default 20) through scripts/test.sh (its world, its network
# namespace), to catch what a single run hides: a failure that comes once in twenty, or
# a wait that sometimes takes far longer than it should (a stall in the making).
#
#   scripts/soak.sh [RUNS] [TEST...]     TEST defaults to: readme bake
#
# Prints one line per run (test, run, exit code, seconds), then per test the median and
# every run over twice it, and ends with a closing line
#   soak: N runs, F failed, S slow (over 2x their test's median)
# Exits non-zero when any run failed or was slow. A failed run's output is kept in
# ${TMPDIR:-/tmp}/numa-soak.*/ (the folder is printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${1:-20}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "soak.sh: RUNS must be a positive number, got '$runs'" >&2; exit 2; }
shift $(( $# > 0 ? 1 : 0 ))
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(readme bake)
logs=$(mktemp -d "${TMPDIR:-/tmp}/numa-soak.XXXXXX")
echo "soak.sh: ${tests[*]}, $runs runs each; logs of failed runs in $logs" >&2

# Build once, so that no run's time includes a compilation.
cargo test --workspace --no-run -q >/dev/null 2>&1 || { echo "soak.sh: the build failed: cargo test --workspace --no-run" >&2; exit 1; }

declare -A times
failed=0 slow=0 total=0
for t in "${tests[@]}"; do
  for i in $(seq 1 "$runs"); do
    start=$EPOCHREALTIME
    code=0
    scripts/test.sh --test "$t" >"$logs/$t-$i.log" 2>&1 || code=$?
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
    printf 'soak: %-8s run %2d: exit %d in %6.1f s\n' "$t" "$i" "$code" "$secs"
    times[$t]+="$secs "
    total=$((total + 1))
    if [ "$code" -ne 0 ]; then
      failed=$((failed + 1))
      echo "soak: $t run $i FAILED: $logs/$t-$i.log" >&2
    else
      rm -f "$logs/$t-$i.log"
    fi
  done
done

for t in "${tests[@]}"; do
  # shellcheck disable=SC2086
  median=$(printf '%s\n' ${times[$t]} | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  # shellcheck disable=SC2086
  over=$(printf '%s\n' ${times[$t]} | awk -v m="$median" '$1 > 2 * m {n++; printf " %.1f", $1} END {printf "|%d", n}')
  n=${over##*|}
  printf 'soak: %-8s median %.1f s, runs over 2x the median: %d%s\n' "$t" "$median" "$n" "${over%|*}"
  slow=$((slow + n))
done
echo "soak: $total runs, $failed failed, $slow slow (over 2x their test's median)"
[ -z "$(ls -A "$logs")" ] && rmdir "$logs"
[ "$failed" -eq 0 ] && [ "$slow" -eq 0 ]
