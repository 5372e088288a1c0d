#!/usr/bin/env bash
# Test world for kubectl-numa: a real kube-apiserver + etcd on loopback.
#
#   scripts/testenv.sh install   install etcd, build kube-apiserver (cached), print the assets dir
#   scripts/testenv.sh path      print the assets dir (installing first if needed)
#   scripts/testenv.sh start     start a control plane + simulator in the foreground (Ctrl-C stops it)
#
# Binaries are looked up, in order, from KUBE_APISERVER / ETCD, from KUBEBUILDER_ASSETS, and
# from the cache at ${XDG_CACHE_HOME:-~/.cache}/kubectl-numa/assets/<version key>.
# Nothing is built when the first two point at existing binaries.
set -euo pipefail

K8S_DEB_VERSION="1.20.5+really1.20.2-1.1+deb12u1"
K8S_ORIG_TARBALL="kubernetes_1.20.5+really1.20.2.orig.tar.gz"
ASSETS_KEY="k8s-1.20.2-etcd-3.4"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-numa"
ASSETS_DIR="$CACHE_ROOT/assets/$ASSETS_KEY"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

step() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'testenv: step "%s" failed: %s\n' "$CURRENT_STEP" "$1" >&2
  [ -n "${2:-}" ] && printf 'testenv: how to fix: %s\n' "$2" >&2
  exit 1
}
CURRENT_STEP="setup"
trap 'rc=$?; [ $rc -ne 0 ] && printf "testenv: step \"%s\" failed (exit %s)\n" "$CURRENT_STEP" "$rc" >&2' EXIT

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Prints the assets dir when binaries are already available without building anything.
existing_assets() {
  if [ -n "${KUBE_APISERVER:-}" ] || [ -n "${ETCD:-}" ]; then
    [ -x "${KUBE_APISERVER:-}" ] || die "KUBE_APISERVER='${KUBE_APISERVER:-}' is not an executable" "unset it or point it at a kube-apiserver binary"
    [ -x "${ETCD:-}" ] || die "ETCD='${ETCD:-}' is not an executable" "unset it or point it at an etcd binary"
    dirname "$KUBE_APISERVER"; return 0
  fi
  if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
    [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ] ||
      die "KUBEBUILDER_ASSETS='$KUBEBUILDER_ASSETS' lacks kube-apiserver or etcd" "unset it to let this script build them"
    echo "$KUBEBUILDER_ASSETS"; return 0
  fi
  if [ -x "$ASSETS_DIR/kube-apiserver" ] && [ -x "$ASSETS_DIR/etcd" ]; then
    echo "$ASSETS_DIR"; return 0
  fi
  return 1
}

apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "apt-get install ${missing[*]}"
  as_root apt-get update -qq || die "apt-get update failed" "check that Debian's package mirror is reachable"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed" "install them by hand, or set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd"
}

install_etcd() {
  CURRENT_STEP="install etcd"
  apt_install etcd-server
  [ -x /usr/bin/etcd ] || die "/usr/bin/etcd missing after installing etcd-server" "apt-get install --reinstall etcd-server"
  mkdir -p "$ASSETS_DIR"
  cp -f /usr/bin/etcd "$ASSETS_DIR/etcd"
}

build_apiserver() {
  CURRENT_STEP="build kube-apiserver"
  apt_install golang-go rsync golang-github-modern-go-reflect2-dev ca-certificates make
  local work="$CACHE_ROOT/build"
  mkdir -p "$work"
  if [ ! -f "$work/$K8S_ORIG_TARBALL" ]; then
    CURRENT_STEP="download kubernetes source"
    local list=/etc/apt/sources.list.d/kubectl-numa-bookworm-src.sources
    local want
    want=$(printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n')
    if [ "$(cat "$list" 2>/dev/null)" != "$want" ]; then
      step "enabling deb-src for bookworm main ($list)"
      printf '%s\n' "$want" | as_root tee "$list" >/dev/null
      if ! as_root apt-get update -qq; then
        as_root rm -f "$list"
        die "apt-get update with deb-src failed (the source list was removed again)" "check that Debian's mirror is reachable"
      fi
    fi
    step "apt-get source --download-only kubernetes=$K8S_DEB_VERSION"
    (cd "$work" && apt-get source --download-only "kubernetes=$K8S_DEB_VERSION" >/dev/null) ||
      die "could not download the kubernetes source package" "check that deb-src for bookworm main is enabled ($list)"
  fi
  CURRENT_STEP="unpack kubernetes source"
  local src="$work/kubernetes-1.20.2"
  if [ ! -f "$src/.unpacked" ]; then
    rm -rf "$src" && mkdir -p "$src"
    tar -xzf "$work/$K8S_ORIG_TARBALL" -C "$src" --strip-components=1 || die "untar failed" "delete $work and run again"
    # reflect2 1.0.1 crashes under Go >= 1.18; Debian's 1.0.2 is a drop-in replacement.
    rm -rf "$src/vendor/github.com/modern-go/reflect2"
    cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$src/vendor/github.com/modern-go/reflect2"
    touch "$src/.unpacked"
  fi
  CURRENT_STEP="compile kube-apiserver"
  step "make WHAT=cmd/kube-apiserver (about 5 minutes on 2 cores, once)"
  mkdir -p "$src/.go/src/k8s.io"
  ln -sfn "$src" "$src/.go/src/k8s.io/kubernetes"
  (cd "$src/.go/src/k8s.io/kubernetes" && GOPATH="$src/.go" GO111MODULE=off CGO_ENABLED=0 GOFLAGS=-mod=vendor \
    make WHAT=cmd/kube-apiserver >"$work/build.log" 2>&1) ||
    die "make failed, see $work/build.log" "read the log; delete $src to rebuild from scratch"
  local bin
  bin=$(find "$src/_output" -type f -name kube-apiserver -perm -u+x | head -n1)
  [ -n "$bin" ] || die "no kube-apiserver binary under $src/_output" "see $work/build.log"
  mkdir -p "$ASSETS_DIR"
  cp -f "$bin" "$ASSETS_DIR/kube-apiserver.tmp" && mv -f "$ASSETS_DIR/kube-apiserver.tmp" "$ASSETS_DIR/kube-apiserver"
  [ -x /usr/bin/kubectl ] && ln -sfn /usr/bin/kubectl "$ASSETS_DIR/kubectl"
  rm -rf "$src"   # the cached binary is all later runs need; the tarball stays for a rebuild
}

install() {
  local dir
  if dir=$(existing_assets); then
    CURRENT_STEP="done"; echo "$dir"; return 0
  fi
  [ -x "$ASSETS_DIR/etcd" ] || install_etcd
  [ -x "$ASSETS_DIR/kube-apiserver" ] || build_apiserver
  CURRENT_STEP="check binaries"
  "$ASSETS_DIR/kube-apiserver" --version >&2 || die "the built kube-apiserver does not run" "delete $ASSETS_DIR and run again"
  CURRENT_STEP="done"
  echo "$ASSETS_DIR"
}

case "${1:-}" in
  install|path) install ;;
  start)
    shift
    dir=$(install)
    cd "$HERE/.."
    KUBEBUILDER_ASSETS="$dir" exec cargo run -q -p testenv --bin numa-testenv -- start "$@"
    ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ] && exit 2 || exit 0 ;;
esac
