#!/usr/bin/env bash
# The demo world: Kubernetes 1.37 (etcd, kube-apiserver, controller-manager, scheduler),
# kwok for kubelets and Numaflow's own controller, a sample Pipeline and MonoVertex, and
# the plugin driving real Numaflow rollouts.
#
#   scripts/demo.sh          (re)start the demo world and walk through a rollout
#   scripts/demo.sh stop     stop it
#
# The world keeps running after the script ends, so you can try the commands yourself;
# the script prints the two `export` lines that point kubectl at it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
STATE="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-numa/demo"
mkdir -p "$STATE"

stop() {
  if [ -f "$STATE/pid" ] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null; then
    kill "$(cat "$STATE/pid")"
    for _ in $(seq 50); do kill -0 "$(cat "$STATE/pid")" 2>/dev/null || break; sleep 0.1; done
    echo "demo world stopped"
  fi
  rm -f "$STATE/pid" "$STATE/kubeconfig"
}

say() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

case "${1:-start}" in
  stop) stop; exit 0 ;;
  start) ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

say "Installing the world's binaries (built once from their Go modules, then cached)"
NUMA_TESTENV_ASSETS="$(scripts/testenv.sh install)"
export NUMA_TESTENV_ASSETS
say "Building the plugin and the test world"
cargo build --workspace --bins --quiet

stop >/dev/null
say "Starting Kubernetes, kwok and Numaflow's controller, with an InterStepBufferService"
setsid nohup "$ROOT/target/debug/numa-testenv" start --kubeconfig-out "$STATE/kubeconfig" --namespace default \
  >"$STATE/log" 2>&1 </dev/null &
echo $! >"$STATE/pid"
for _ in $(seq 300); do
  grep -q '^export KUBECONFIG' "$STATE/log" 2>/dev/null && break
  kill -0 "$(cat "$STATE/pid")" 2>/dev/null || { cat "$STATE/log" >&2; exit 1; }
  sleep 0.1
done
grep -E 'ready at|contexts' "$STATE/log"
export KUBECONFIG="$STATE/kubeconfig"
export PATH="$ROOT/target/debug:$NUMA_TESTENV_ASSETS:$PATH"   # the plugin and kubectl 1.37

say "The plugin, and the API server it talks to"
run kubectl numa version

say "A pipeline (3 vertices) and a monovertex"
run kubectl apply -f examples/pipeline.yaml -f examples/monovertex.yaml
run kubectl numa rollout status pipeline/demo mvtx/demo-mvtx
run kubectl numa rollout list
run kubectl numa rollout get mvtx/demo-mvtx   # its pods <name>-mv-<i>-...; the daemon's are not replicas

say "Numaflow's controller made these pods: init container, numa container, the udf"
run kubectl get pods -o custom-columns='NAME:.metadata.name,COMPONENT:.metadata.labels.app\.kubernetes\.io/component,INIT:.spec.initContainers[*].name,CONTAINERS:.spec.containers[*].name'

say "Ship a new image to the cat vertex: Numaflow replaces 25% (1 pod) at a time"
# kwok turns a pod whose image says delay-2000 ready 2 s after it is scheduled.
run kubectl numa rollout set image vertex/demo-cat udf=example/numa-cat:v2-delay-2000 --change-cause "cat v2"
run kubectl numa rollout status vertex/demo-cat --timeout 3s || echo "(exit $?: still rolling after 3 s)"
run kubectl get pods -l numaflow.numaproj.io/vertex-name=cat \
  -o custom-columns='NAME:.metadata.name,HASH:.metadata.annotations.numaflow\.numaproj\.io/hash,PHASE:.status.phase,READY:.status.conditions[?(@.type=="Ready")].status'
run kubectl numa rollout get vertex/demo-cat
run kubectl numa rollout status pipeline/demo

say "Pause, ship a bad image, look, resume: the rollout waits while paused"
run kubectl numa rollout pause vertex/demo-cat
run kubectl numa rollout set image vertex/demo-cat udf=example/numa-cat:v3-crashloop --change-cause "cat v3"
run kubectl numa rollout status vertex/demo-cat || echo "(exit $?: paused)"
run kubectl numa rollout resume vertex/demo-cat
run kubectl numa rollout status vertex/demo-cat --timeout 60s || echo "(exit $?: degraded)"

say "Roll back to the previous revision"
run kubectl numa rollout history pipeline/demo
run kubectl numa rollout undo vertex/demo-cat
run kubectl numa rollout status pipeline/demo
run kubectl numa rollout list -o wide

say "A version that passes readiness, then is OOM-killed: --bake catches it and rolls back"
# kwok OOM-kills the udf of an image that says oom-after-15000 15 s after it is ready.
run kubectl numa rollout set image vertex/demo-cat udf=example/numa-cat:v4-oom-after-15000 --change-cause "cat v4"
run kubectl numa rollout status pipeline/demo --bake 1m --rollback-on-failure --timeout 3m || echo "(exit $?: 7 is rolled back)"
run kubectl numa rollout history vertex/demo-cat

say "The demo world is still running. To use it:"
echo "export KUBECONFIG=$STATE/kubeconfig"
echo "export PATH=$ROOT/target/debug:$NUMA_TESTENV_ASSETS:\$PATH"
echo "Stop it with: scripts/demo.sh stop"
