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
# shellcheck source=lib.sh
source scripts/lib.sh

command -v cargo >/dev/null || { echo "test.sh: cargo not found: install Rust (https://rustup.rs)" >&2; exit 1; }
if ! command -v zsh >/dev/null || ! command -v fish >/dev/null; then
  echo "==> installing zsh and fish (Debian), which tests/completion.rs loads the completion scripts in" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends zsh fish >/dev/null
fi

NUMA_TESTENV_ASSETS="$(scripts/testenv.sh install)"
export NUMA_TESTENV_ASSETS
export PATH="$NUMA_TESTENV_ASSETS:$PATH"   # kubectl of the same release

scratch_make

cargo test --workspace --no-run "$@" 2>&1 | { grep -v '^  Executable' || true; } >&2   # fetch and build, with the network
isolate_setup
start=$SECONDS
status=0
"${ISOLATE[@]}" cargo test --workspace --no-fail-fast --offline "$@" || status=$?
echo "test.sh: the suite (Numaflow's full CRDs) took $((SECONDS - start)) s"
# The tests whose expectations depend on which CRDs store what, once more under the
# minimal CRDs (namespaced installs, Numaplane): nothing pruned, nothing defaulted.
if [ $# -eq 0 ]; then
  start=$SECONDS
  NUMA_TESTENV_CRDS=minimal "${ISOLATE[@]}" cargo test --offline --no-fail-fast \
    "${MINIMAL_CRD_TESTS[@]/#/--test=}" || status=$?
  echo "test.sh: the minimal-CRD pass took $((SECONDS - start)) s"
fi

scratch_check test.sh || status=1
exit "$status"
