#!/usr/bin/env bash
# Benchmark (a script, not a test): builds release, starts a world (Kubernetes, kwok,
# Numaflow's controller) with an audit log, creates pipelines of N vertices x 20 pods, and prints
# one table comparing `kubectl numa rollout status --watch=false`, `rollout list -A`
# and `rollout history` with `kubectl get ... -o json` and raw curl requests, plus the
# reaction latency of `rollout status --watch`, all measured in the same run, and
# which of issue 8's targets were met.
#
#   scripts/bench.sh [VERTICES...]     default: 2 10 100 (a pipeline needs a source and a sink)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for need in /usr/bin/time:time curl:curl; do
  if ! command -v "${need%%:*}" >/dev/null; then
    echo "==> installing ${need#*:} (Debian), which the benchmark runs" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need#*:}" >/dev/null
  fi
done
NUMA_TESTENV_ASSETS="$(scripts/testenv.sh install)"
export NUMA_TESTENV_ASSETS
export PATH="$NUMA_TESTENV_ASSETS:$PATH"   # kubectl of the world's Kubernetes release
cargo build --release --workspace --bins --quiet
exec python3 -u scripts/bench.py "${@:-2 10 100}"
