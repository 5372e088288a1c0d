#!/usr/bin/env bash
# Benchmark (a script, not a test): builds release, starts a control plane with the
# simulator and an audit log, creates pipelines of N vertices x 20 pods, and prints
# one table comparing `kubectl numa rollout status --watch=false` with
# `kubectl get ... -o json` and raw curl requests, measured in the same run.
#
#   scripts/bench.sh [VERTICES...]     default: 1 10 100
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KUBEBUILDER_ASSETS="$(scripts/testenv.sh install)"
export KUBEBUILDER_ASSETS
cargo build --release --workspace --bins --quiet
exec python3 scripts/bench.py "${@:-1 10 100}"
