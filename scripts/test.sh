#!/usr/bin/env bash
# The test command of the README: installs what the tests need (kube-apiserver and etcd,
# cached after the first run; kubectl, zsh and fish when missing), runs every test of the workspace
# against a real API server, then checks that no control-plane process and no
# temporary directory outlived the run. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "test.sh: cargo not found: install Rust (https://rustup.rs)" >&2; exit 1; }
if ! command -v kubectl >/dev/null; then
  echo "==> installing kubectl (Debian's kubernetes-client), used by one test to run the plugin through kubectl" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kubernetes-client >/dev/null
fi
if ! command -v zsh >/dev/null || ! command -v fish >/dev/null; then
  echo "==> installing zsh and fish (Debian), which tests/completion.rs loads the completion scripts in" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends zsh fish >/dev/null
fi

KUBEBUILDER_ASSETS="$(scripts/testenv.sh install)"
export KUBEBUILDER_ASSETS

scratch_parent=/dev/shm
[ -d "$scratch_parent" ] || scratch_parent="${TMPDIR:-/tmp}"
NUMA_TESTENV_SCRATCH="$(mktemp -d "$scratch_parent/numa-test-run.XXXXXX")"
export NUMA_TESTENV_SCRATCH

status=0
cargo test --workspace --no-fail-fast "$@" || status=$?

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
