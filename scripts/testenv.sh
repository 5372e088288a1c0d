#!/usr/bin/env bash
# Test world for kubectl-numa: current Kubernetes, etcd, kwok and Numaflow's own controller,
# built from their Go modules and cached outside the repository.
#
#   scripts/testenv.sh install   build what is missing (cached), print the assets dir
#   scripts/testenv.sh path      the same (kept for scripts that used it)
#   scripts/testenv.sh start     start a world in the foreground (Ctrl-C stops it)
#
# The assets dir also holds krew (kubectl-krew and validate-krew-manifest, built from
# sigs.k8s.io/krew), which tests/krew.rs installs the plugin with.
#
# Versions: testenv/versions.env (the one place), or the file NUMA_TESTENV_VERSIONS names
# instead (a whole versions file of the same keys: scripts/matrix.sh writes one per row of
# testenv/matrix.txt). The world's assets dir keeps a copy as versions.env, which the
# testenv crate reads, so a test binary knows the versions of the world it runs in.
# Cache: ${XDG_CACHE_HOME:-~/.cache}/kubectl-numa/
# (binaries under assets/, one folder per component and version; Go's own module and build
# caches stay where `go env` puts them). A user can bring binaries: KUBEBUILDER_ASSETS (a folder
# with any of the binaries by their usual names) or one variable per binary: KUBE_APISERVER,
# KUBE_CONTROLLER_MANAGER, KUBE_SCHEDULER, KUBECTL, ETCD, KWOK, NUMAFLOW, KREW (kubectl-krew),
# KREW_VALIDATE (validate-krew-manifest). Only what is not brought is built. The assets dir
# printed holds links to every binary and the CRDs: crds/full (Numaflow's default install)
# and crds/minimal (namespaced installs, Numaplane).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSIONS_FILE="${NUMA_TESTENV_VERSIONS:-$ROOT/testenv/versions.env}"
[ -f "$VERSIONS_FILE" ] || { echo "testenv: NUMA_TESTENV_VERSIONS=$VERSIONS_FILE is not a file" >&2; exit 1; }
# shellcheck source=../testenv/versions.env
source "$VERSIONS_FILE"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-numa"
# Bumped whenever what an install leaves in the cache changes, so that an older cache is
# completed (only the missing parts are built or copied) instead of used as it is.
RECIPE=3   # 3: krew
BUILD_ROOT="$CACHE_ROOT/build"

step() { printf '==> %s\n' "$*" >&2; }
CURRENT_STEP="setup"
die() {
  printf 'testenv: step "%s" failed: %s\n' "$CURRENT_STEP" "$1" >&2
  [ -n "${2:-}" ] && printf 'testenv: how to fix: %s\n' "$2" >&2
  exit 1
}
trap 'rc=$?; [ $rc -ne 0 ] && printf "testenv: step \"%s\" failed (exit %s)\n" "$CURRENT_STEP" "$rc" >&2' EXIT

# go_build DIR MODULE VERSION OUT PKG...: builds PKGs of MODULE@VERSION from a throwaway
# module in DIR (so the dependency's own replace directives do not stop `go install`),
# copying the binaries into OUT. Extra go.mod lines come from $GO_MOD_EXTRA, extra linker
# flags from $GO_LDFLAGS.
go_build() {
  local dir=$1 module=$2 version=$3 out=$4; shift 4
  command -v go >/dev/null || die "go not found" "install Go 1.26 or newer (an older go with GOTOOLCHAIN=auto fetches the toolchain a module asks for), or bring binaries with KUBEBUILDER_ASSETS"
  mkdir -p "$dir" "$out.tmp"
  printf 'module kubectl-numa.local/build\n\ngo 1.25\n\nrequire %s %s\n%s\n' \
    "$module" "$version" "${GO_MOD_EXTRA:-}" >"$dir/go.mod"
  local log="$dir/build.log" start=$SECONDS
  step "go build ${*##*/} from $module@$version into ${out##*/} (log: $log)"
  (cd "$dir" && GOFLAGS=-mod=mod CGO_ENABLED=0 go mod download "$module" >"$log" 2>&1 &&
    GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags="-s ${GO_LDFLAGS:-}" -o "$out.tmp/" "$@" >>"$log" 2>&1) ||
    { tail -n 20 "$log" >&2; die "go build failed (log: $log)" "read the log; a network error means the Go module proxy (go env GOPROXY) was not reachable"; }
  rm -rf "$out" && mv "$out.tmp" "$out"
  step "built ${out##*/} in $((SECONDS - start)) s"
}

kubernetes() {
  local out="$CACHE_ROOT/assets/kubernetes-$KUBERNETES_VERSION"
  [ -x "$out/kube-controller-manager" ] && [ -x "$out/kube-scheduler" ] && [ -x "$out/kubectl" ] &&
    [ "$("$out/kube-apiserver" --version 2>/dev/null)" = "Kubernetes v$KUBERNETES_VERSION" ] && return 0
  CURRENT_STEP="build Kubernetes $KUBERNETES_VERSION"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with
  # ./staging paths; as a dependency each needs a replace pinning the matching v0.x release.
  # The list is read from the release's own go.mod (1.36 added k8s.io/streaming and
  # k8s.io/cri-streaming), so a new release needs no edit here.
  command -v go >/dev/null || die "go not found" "install Go 1.26 or newer (an older go with GOTOOLCHAIN=auto fetches the toolchain a module asks for), or bring binaries with KUBEBUILDER_ASSETS"
  local src extra="" m
  src=$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p') &&
    [ -f "$src/go.mod" ] || die "cannot download k8s.io/kubernetes@v$KUBERNETES_VERSION" "check that the Go module proxy (go env GOPROXY) serves it"
  for m in $(sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*#\1#p' "$src/go.mod"); do
    extra+="replace $m => $m v0.${KUBERNETES_VERSION#1.}"$'\n'
  done
  [ -n "$extra" ] || die "no staging modules found in $src/go.mod" "report this: the release's go.mod has a new layout"
  # A module build has no git stamp: set the version the servers report, as Kubernetes' own
  # build does (Numaflow's controller reads it).
  local v=k8s.io/component-base/version cv=k8s.io/client-go/pkg/version stamp="" major=${KUBERNETES_VERSION%%.*} minor
  minor=${KUBERNETES_VERSION#*.}; minor=${minor%%.*}
  for pkg in $v $cv; do
    stamp+=" -X $pkg.gitVersion=v$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  GO_LDFLAGS="$stamp" GO_MOD_EXTRA="$extra" go_build "$BUILD_ROOT/kubernetes-$KUBERNETES_VERSION" k8s.io/kubernetes "v$KUBERNETES_VERSION" "$out" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

etcd() {
  local out="$CACHE_ROOT/assets/etcd-$ETCD_VERSION"
  [ -x "$out/etcd" ] && return 0
  CURRENT_STEP="build etcd $ETCD_VERSION"
  go_build "$BUILD_ROOT/etcd-$ETCD_VERSION" go.etcd.io/etcd/server/v3 "v$ETCD_VERSION" "$out" go.etcd.io/etcd/server/v3
  mv "$out/server" "$out/etcd" 2>/dev/null || mv "$out/v3" "$out/etcd"
}

kwok() {
  local out="$CACHE_ROOT/assets/kwok-$KWOK_VERSION"
  [ -x "$out/kwok" ] && return 0
  CURRENT_STEP="build kwok $KWOK_VERSION"
  go_build "$BUILD_ROOT/kwok-$KWOK_VERSION" sigs.k8s.io/kwok "v$KWOK_VERSION" "$out" sigs.k8s.io/kwok/cmd/kwok
}

numaflow() {
  local out="$CACHE_ROOT/assets/numaflow-$NUMAFLOW_VERSION"
  [ -x "$out/numaflow" ] && [ -f "$out/crds/full/servingpipelines.yaml" ] && [ -f "$out/crds/minimal/servingpipelines.yaml" ] && return 0
  if [ ! -x "$out/numaflow" ]; then
    CURRENT_STEP="build Numaflow $NUMAFLOW_VERSION"
    go_build "$BUILD_ROOT/numaflow-$NUMAFLOW_VERSION" github.com/numaproj/numaflow "v$NUMAFLOW_VERSION" "$out" github.com/numaproj/numaflow/cmd
    mv "$out/cmd" "$out/numaflow"
  fi
  CURRENT_STEP="copy Numaflow $NUMAFLOW_VERSION CRDs and controller config"
  local src
  src=$(cd "$BUILD_ROOT/numaflow-$NUMAFLOW_VERSION" && go list -m -f '{{.Dir}}' github.com/numaproj/numaflow) ||
    die "cannot find the Numaflow module source" "delete $BUILD_ROOT/numaflow-$NUMAFLOW_VERSION and run again"
  for kind in full minimal; do
    mkdir -p "$out/crds/$kind"
    # Every CRD the controller watches: without ServingPipeline its manager exits after
    # two minutes (a cache that never syncs).
    for crd in pipelines vertices monovertices interstepbufferservices servingpipelines; do
      cp "$src/config/base/crds/$kind/numaflow.numaproj.io_$crd.yaml" "$out/crds/$kind/$crd.yaml"
    done
  done
  cp "$src/config/base/controller-manager/numaflow-controller-config.yaml" "$out/controller-config.configmap.yaml"
  chmod -R u+w "$out"
}

krew() {
  local out="$CACHE_ROOT/assets/krew-$KREW_VERSION"
  [ -x "$out/kubectl-krew" ] && [ -x "$out/validate-krew-manifest" ] && return 0
  CURRENT_STEP="build krew $KREW_VERSION"
  # Stamped as krew's own release build does (hack/make-binaries.sh): `kubectl krew
  # version` says the tag.
  GO_LDFLAGS="-X sigs.k8s.io/krew/internal/version.gitTag=v$KREW_VERSION" \
    go_build "$BUILD_ROOT/krew-$KREW_VERSION" sigs.k8s.io/krew "v$KREW_VERSION" "$out" \
    sigs.k8s.io/krew/cmd/krew sigs.k8s.io/krew/cmd/validate-krew-manifest
  mv "$out/krew" "$out/kubectl-krew"
}

# The binary NAME: the variable VAR when set, else KUBEBUILDER_ASSETS/NAME when there, else
# the cache. Prints the path; builds the component FN first when the cache is used.
resolve() {
  local name=$1 var=$2 fn=$3 dir=$4
  if [ -n "${!var:-}" ]; then
    [ -x "${!var}" ] || die "$var='${!var}' is not an executable" "unset it or point it at a $name binary"
    echo "${!var}"
  elif [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/$name" ]; then
    echo "$KUBEBUILDER_ASSETS/$name"
  else
    "$fn" >&2
    echo "$CACHE_ROOT/assets/$dir/$name"
  fi
}

install() {
  local start=$SECONDS assets="$CACHE_ROOT/assets/world-k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION-numaflow-$NUMAFLOW_VERSION"
  local custom=""
  for v in KUBEBUILDER_ASSETS KUBE_APISERVER KUBE_CONTROLLER_MANAGER KUBE_SCHEDULER KUBECTL ETCD KWOK NUMAFLOW KREW KREW_VALIDATE; do
    [ -n "${!v:-}" ] && custom=1
  done
  [ -n "$custom" ] && assets="$CACHE_ROOT/assets/world-custom"
  local links=(
    "kube-apiserver KUBE_APISERVER kubernetes kubernetes-$KUBERNETES_VERSION"
    "kube-controller-manager KUBE_CONTROLLER_MANAGER kubernetes kubernetes-$KUBERNETES_VERSION"
    "kube-scheduler KUBE_SCHEDULER kubernetes kubernetes-$KUBERNETES_VERSION"
    "kubectl KUBECTL kubernetes kubernetes-$KUBERNETES_VERSION"
    "etcd ETCD etcd etcd-$ETCD_VERSION"
    "kwok KWOK kwok kwok-$KWOK_VERSION"
    "numaflow NUMAFLOW numaflow numaflow-$NUMAFLOW_VERSION"
    "kubectl-krew KREW krew krew-$KREW_VERSION"
    "validate-krew-manifest KREW_VALIDATE krew krew-$KREW_VERSION"
  )
  # krew's version is not in the folder's name: a link to another version is rebuilt.
  warm() {
    [ -z "$custom" ] && [ "$(cat "$assets/.complete" 2>/dev/null)" = "$RECIPE" ] &&
      [ "$(readlink "$assets/kubectl-krew")" = "$CACHE_ROOT/assets/krew-$KREW_VERSION/kubectl-krew" ]
  }
  # A world installed before worlds kept their versions.env gets it added (the testenv
  # crate falls back to testenv/versions.env without it, right for the default world only).
  keep_versions() {
    [ -f "$assets/versions.env" ] && return 0
    cp "$VERSIONS_FILE" "$assets/.versions.env.tmp" && mv "$assets/.versions.env.tmp" "$assets/versions.env"
  }
  if warm; then keep_versions; echo "$assets"; CURRENT_STEP=done; return 0; fi
  # One install at a time (two test runs starting together would build into the same
  # folders); the second finds the first one's work done.
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.install.lock"
  if ! flock -n 9; then
    step "waiting for another install of the test world to finish"
    flock 9
  fi
  if warm; then keep_versions; echo "$assets"; CURRENT_STEP=done; return 0; fi
  mkdir -p "$assets.tmp"
  for l in "${links[@]}"; do
    # shellcheck disable=SC2086
    set -- $l
    local bin
    bin=$(resolve "$1" "$2" "$3" "$4") || exit 1   # resolve said why
    ln -sfn "$bin" "$assets.tmp/$1"
  done
  numaflow >&2   # the CRDs and the controller config come from the Numaflow module
  ln -sfn "$CACHE_ROOT/assets/numaflow-$NUMAFLOW_VERSION/crds" "$assets.tmp/crds"
  ln -sfn "$CACHE_ROOT/assets/numaflow-$NUMAFLOW_VERSION/controller-config.configmap.yaml" "$assets.tmp/controller-config.configmap.yaml"
  # The versions this world was built from, for the testenv crate (a copy: the file
  # NUMA_TESTENV_VERSIONS named may be temporary).
  cp "$VERSIONS_FILE" "$assets.tmp/versions.env"
  CURRENT_STEP="check binaries"
  "$assets.tmp/kube-apiserver" --version >/dev/null 2>&1 || die "kube-apiserver does not run" "delete $CACHE_ROOT/assets and run again"
  "$assets.tmp/etcd" --version >/dev/null 2>&1 || die "etcd does not run" "delete $CACHE_ROOT/assets/etcd-$ETCD_VERSION and run again"
  "$assets.tmp/kwok" --version >/dev/null 2>&1 || die "kwok does not run" "delete $CACHE_ROOT/assets/kwok-$KWOK_VERSION and run again"
  "$assets.tmp/numaflow" --help >/dev/null 2>&1 || die "numaflow does not run" "delete $CACHE_ROOT/assets/numaflow-$NUMAFLOW_VERSION and run again"
  KREW_ROOT="$assets.tmp/.krew-check" KREW_NO_UPGRADE_CHECK=1 "$assets.tmp/kubectl-krew" version >/dev/null 2>&1 || die "kubectl-krew does not run" "delete $CACHE_ROOT/assets/krew-$KREW_VERSION and run again"
  rm -rf "$assets.tmp/.krew-check"
  echo "$RECIPE" >"$assets.tmp/.complete"
  rm -rf "$assets" && mv "$assets.tmp" "$assets"
  [ $((SECONDS - start)) -gt 0 ] && step "test world installed in $((SECONDS - start)) s"
  CURRENT_STEP="done"
  echo "$assets"
}

case "${1:-}" in
  install|path) install ;;
  start)
    shift
    dir=$(install)
    cd "$ROOT"
    NUMA_TESTENV_ASSETS="$dir" exec cargo run -q -p testenv --bin numa-testenv -- start "$@"
    ;;
  *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ] && exit 2 || exit 0 ;;
esac
