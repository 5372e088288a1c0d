#!/usr/bin/env bash
# The test command of the README: installs what the tests need (Kubernetes, etcd, kwok and
# Numaflow's controller, built once and cached, see scripts/testenv.sh; zsh and fish when
# missing), runs every test of the workspace against real worlds (each test binary starts
# its own), then checks that no process and no temporary directory outlived the run.
# The tests run in a network namespace of their own when `unshare -n` works (as root), so
# they never meet a demo world's Numaflow controller on its fixed ports.
# Then the tests whose expectations depend on the CRDs run again under Numaflow's minimal
# CRDs. Extra arguments go to `cargo test` (and skip that second pass).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "test.sh: cargo not found: install Rust (https://rustup.rs)" >&2; exit 1; }
if ! command -v zsh >/dev/null || ! command -v fish >/dev/null; then
  echo "==> installing zsh and fish (Debian), which tests/completion.rs loads the completion scripts in" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends zsh fish >/dev/null
fi

NUMA_TESTENV_ASSETS="$(scripts/testenv.sh install)"
export NUMA_TESTENV_ASSETS
export PATH="$NUMA_TESTENV_ASSETS:$PATH"   # kubectl of the same release

scratch_parent=/dev/shm
[ -d "$scratch_parent" ] || scratch_parent="${TMPDIR:-/tmp}"
NUMA_TESTENV_SCRATCH="$(mktemp -d "$scratch_parent/numa-test-run.XXXXXX")"
export NUMA_TESTENV_SCRATCH

cargo test --workspace --no-run "$@" 2>&1 | { grep -v '^  Executable' || true; } >&2   # fetch and build, with the network
isolate=()
if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
  isolate=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh)
  echo "==> running the tests in a network namespace of their own" >&2
else
  echo "==> no network namespace of its own (needs root, unshare and ip): worlds in this one take turns" >&2
fi
start=$SECONDS
status=0
"${isolate[@]}" cargo test --workspace --no-fail-fast --offline "$@" || status=$?
echo "test.sh: the suite (Numaflow's full CRDs) took $((SECONDS - start)) s"
# The tests whose expectations depend on which CRDs store what, once more under the
# minimal CRDs (namespaced installs, Numaplane): nothing pruned, nothing defaulted.
if [ $# -eq 0 ]; then
  start=$SECONDS
  NUMA_TESTENV_CRDS=minimal "${isolate[@]}" cargo test --offline --no-fail-fast \
    --test write --test history --test race --test read --test malformed --test manifests --test quiet || status=$?
  echo "test.sh: the minimal-CRD pass took $((SECONDS - start)) s"
fi

# Every control plane a test binary started lives under $NUMA_TESTENV_SCRATCH.
sleep 0.5
if left=$(pgrep -af -- "$NUMA_TESTENV_SCRATCH"); then
  echo "test.sh: FAIL: processes started by the tests are still running:" >&2
  echo "$left" >&2
  pkill -9 -f -- "$NUMA_TESTENV_SCRATCH" || true
  status=1
elif [ -n "$(ls -A "$NUMA_TESTENV_SCRATCH")" ]; then
  echo "test.sh: FAIL: temporary directories left behind: $(ls "$NUMA_TESTENV_SCRATCH")" >&2
  status=1
else
  echo "test.sh: no control-plane process or directory left behind"
fi
rm -rf "$NUMA_TESTENV_SCRATCH"
exit "$status"
