#!/usr/bin/env bash
# The compatibility matrix of README "Compatibility": the plugin's world tests once per
# combination of versions, each row of testenv/matrix.txt.
#
#   scripts/matrix.sh [ROW...]           install (cached) and test the rows, all by default
#   scripts/matrix.sh install [ROW...]   only install the rows' worlds
#   scripts/matrix.sh table              only write the table of the results kept
#
# Each row's world is installed by scripts/testenv.sh exactly as the default world is, from
# a versions file (testenv/versions.env with the row's changes, NUMA_TESTENV_VERSIONS) and
# into its own cached assets dir. Its tests are the read, write, history, real_pods, bake
# and managers binaries under Numaflow's full CRDs, then those of them that scripts/test.sh
# runs again under the minimal CRDs (MINIMAL_CRD_TESTS in scripts/lib.sh), with
# NUMA_TESTENV_ASSETS at the row's assets dir, in a network namespace of their own.
# Prints one result line per row. Each row's result (counts, failed tests, date, commit)
# is kept in target/matrix/ with its logs; the table of every row's latest result is
# written to target/matrix/table.md and between the matrix markers of README.md. Exits 1
# when a test of a row run now failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib.sh
source scripts/lib.sh

TESTS=(read write history real_pods bake managers)
MINIMAL=()
for t in "${TESTS[@]}"; do
  [[ " ${MINIMAL_CRD_TESTS[*]} " == *" $t "* ]] && MINIMAL+=("$t")
done
OUT=target/matrix

mode=test
case "${1:-}" in
  install|table) mode=$1; shift ;;
  -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

# The rows: "name changes..." lines of testenv/matrix.txt.
names=() changes=()
while read -r name rest; do
  case "$name" in ''|'#'*) continue ;; esac
  names+=("$name") changes+=("$rest")
done <testenv/matrix.txt
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=("${names[@]}")
for w in "${wanted[@]}"; do
  [[ " ${names[*]} " == *" $w "* ]] || { echo "matrix.sh: no row \"$w\" in testenv/matrix.txt (rows: ${names[*]})" >&2; exit 2; }
done

mkdir -p "$OUT"

# versions_file ROW CHANGES: testenv/versions.env with the row's changes, as a file.
versions_file() {
  local row=$1 f="$OUT/$1.versions.env" kv key
  { echo "# matrix row $row (testenv/matrix.txt): testenv/versions.env with $2"; cat testenv/versions.env; } >"$f"
  for kv in $2; do
    [ "$kv" = - ] && continue
    key=${kv%%=*}
    grep -q "^$key=" "$f" || { echo "matrix.sh: row $row: $key is not a key of testenv/versions.env" >&2; exit 2; }
    sed -i "s|^$key=[^ ]*|$kv|" "$f"
  done
  echo "$f"
}

# install_row ROW CHANGES: the row's assets dir (installed, or taken from the cache).
install_row() {
  local f
  f=$(versions_file "$1" "$2")
  if [ "$2" = - ]; then
    scripts/testenv.sh install   # the default world, from testenv/versions.env itself
  else
    NUMA_TESTENV_VERSIONS="$f" scripts/testenv.sh install
  fi
}

# count LOG: "PASSED FAILED" over the log's test binaries; a binary that ended without a
# result line (it crashed, or its world did not start) counts as one failure.
count() {
  awk '/^     Running /{ran++}
       /^test result: /{results++; for (i = 1; i < NF; i++) {if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i}}
       END {print p + 0, f + ran - results}' "$1"
}

# failures LOG: the failed tests (binary::test), and binaries that ended without a result.
failures() {
  awk '/^     Running /{bin=$2; sub(/^tests\//, "", bin); sub(/\.rs$/, "", bin); got=0}
       /^test .* \.\.\. FAILED$/{print bin "::" $2}
       /^test result: /{got=1}
       /^error: test failed, to rerun pass/{if (!got) print bin " (no result: the binary ended early)"}' "$1" | sort -u
}

if [ "$mode" = test ]; then
  # The commit the test binaries are built from; a build of uncommitted code says so
  # (README.md aside: this script writes it).
  commit=$(git rev-parse --short=7 HEAD)
  [ -n "$(git status --porcelain -uno -- . ':!README.md')" ] && commit+="+dirty"
  cargo test --no-run "${TESTS[@]/#/--test=}" 2>&1 | { grep -v '^  Executable' || true; } >&2   # build once, with the network
  isolate_setup
fi

status=0
for i in "${!names[@]}"; do
  row=${names[$i]}
  [[ " ${wanted[*]} " == *" $row "* ]] && [ "$mode" != table ] || continue
  start=$SECONDS
  echo "==> matrix row $row: installing its world" >&2
  assets=$(install_row "$row" "${changes[$i]}") || { echo "matrix.sh: row $row: install failed" >&2; exit 1; }
  built=$((SECONDS - start))
  [ "$mode" = install ] && { echo "matrix: $row installed in $built s: $assets"; continue; }

  # shellcheck disable=SC1091
  versions=$(source "$assets/versions.env" && echo "Kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, Numaflow $NUMAFLOW_VERSION")
  echo "==> matrix row $row ($versions): testing" >&2
  start=$SECONDS
  scratch_make
  NUMA_TESTENV_ASSETS="$assets" PATH="$assets:$PATH" "${ISOLATE[@]}" \
    cargo test --offline --no-fail-fast "${TESTS[@]/#/--test=}" >"$OUT/$row.full.log" 2>&1 || true
  NUMA_TESTENV_CRDS=minimal NUMA_TESTENV_ASSETS="$assets" PATH="$assets:$PATH" "${ISOLATE[@]}" \
    cargo test --offline --no-fail-fast "${MINIMAL[@]/#/--test=}" >"$OUT/$row.minimal.log" 2>&1 || true
  leftover=""
  scratch_check "matrix.sh: row $row" >&2 || leftover=" (processes or directories left behind)"
  took=$((SECONDS - start))
  read -r fp ff < <(count "$OUT/$row.full.log")
  read -r mp mf < <(count "$OUT/$row.minimal.log")
  [ $((ff + mf)) -eq 0 ] && [ -z "$leftover" ] || status=1
  date=$(date -u +%Y-%m-%d)
  # One result per row: its table row, then its failed tests.
  {
    # shellcheck disable=SC1091
    (source "$assets/versions.env"
      echo "| $row | $KUBERNETES_VERSION | $ETCD_VERSION | $KWOK_VERSION | $NUMAFLOW_VERSION | $fp passed, $ff failed | $mp passed, $mf failed | $date | $commit |")
    failures "$OUT/$row.full.log" | sed 's/^/full: /'
    failures "$OUT/$row.minimal.log" | sed 's/^/minimal: /'
    [ -z "$leftover" ] || echo "left behind:$leftover"
  } >"$OUT/$row.result"
  echo "matrix: $row ($versions): full CRDs $fp passed, $ff failed; minimal CRDs $mp passed, $mf failed; $date, commit $commit; installed in $built s, tested in $took s$leftover"
  failures "$OUT/$row.full.log" | sed 's/^/matrix:   failed (full CRDs): /'
  failures "$OUT/$row.minimal.log" | sed 's/^/matrix:   failed (minimal CRDs): /'
done
[ "$mode" = install ] && exit 0

# The table: every row's latest result, in the order of testenv/matrix.txt.
{
  echo "| row | Kubernetes | etcd | kwok | Numaflow | full CRDs: ${TESTS[*]} | minimal CRDs: ${MINIMAL[*]} | date | commit |"
  echo "|---|---|---|---|---|---|---|---|---|"
  notes=""
  for row in "${names[@]}"; do
    if [ -f "$OUT/$row.result" ]; then
      head -n 1 "$OUT/$row.result"
      while read -r line; do notes+="- $row, $line"$'\n'; done < <(tail -n +2 "$OUT/$row.result")
    else
      echo "| $row | | | | | not run | not run | | |"
    fi
  done
  if [ -n "$notes" ]; then printf '\nFailed:\n\n%s' "$notes"; fi
} >"$OUT/table.md"
python3 - "$OUT/table.md" <<'EOF'
import re, sys
table = open(sys.argv[1]).read().rstrip("\n")
readme = open("README.md").read()
begin, end = "<!-- matrix: written by scripts/matrix.sh -->", "<!-- matrix end -->"
if begin not in readme or end not in readme:
    sys.exit("matrix.sh: README.md has no matrix markers: the table is in " + sys.argv[1])
head, rest = readme.split(begin, 1)
_, tail = rest.split(end, 1)
open("README.md", "w").write(head + begin + "\n" + table + "\n" + end + tail)
EOF
echo "matrix.sh: the table is in $OUT/table.md and README.md" >&2
exit "$status"
