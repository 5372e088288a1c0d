#!/usr/bin/env bash
# Release packaging of kubectl-numa for the platform this runs on.
#
#   scripts/package.sh                        build dist/kubectl-numa_vX.Y.Z_OS_ARCH.tar.gz and man pages,
#                                             write the archive's sha256 into krew-manifest.yaml
#   scripts/package.sh set-sha OS/ARCH SHA256 write another platform's sha256 into the manifest
#                                             (the release workflow does this for every platform)
#
# The archive holds exactly what krew-manifest.yaml's `files` install: `kubectl-numa`
# (`kubectl-numa.exe` on Windows) and `LICENSE`, at its top level. It is reproducible:
# same binary, same bytes (sorted entries, fixed owner and mtime, gzip without a name).
# Outputs, all under dist/ (ignored by git):
#   dist/kubectl-numa_vX.Y.Z_OS_ARCH.tar.gz          the archive krew downloads
#   dist/kubectl-numa_vX.Y.Z_OS_ARCH.tar.gz.sha256   its checksum, `sha256sum` format
#   dist/man/*.1                                     one man page per command (clap_mangen)
# The manifest's version and uris follow Cargo.toml's version.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MANIFEST=krew-manifest.yaml
die() { echo "package.sh: $*" >&2; exit 1; }
step() { printf '==> %s\n' "$*" >&2; }

sha256_of() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# Writes SHA as the sha256 of the platform whose selector is OS/ARCH (the platform's
# `selector` comes before its `sha256`, as in the committed manifest).
set_sha() {
  local os="$1" arch="$2" sha="$3" tmp
  [[ "$sha" =~ ^[a-f0-9]{64}$ ]] || die "sha256 must be 64 lowercase hex digits, got '$sha'"
  tmp="$(mktemp "$MANIFEST.XXXXXX")"
  if ! awk -v os="$os" -v arch="$arch" -v sha="$sha" '
      /^  - selector:/ { cur_os = ""; cur_arch = "" }
      /^ +os: /        { cur_os = $2 }
      /^ +arch: /      { cur_arch = $2 }
      /^    sha256: / && cur_os == os && cur_arch == arch { sub(/sha256: .*/, "sha256: " sha); done++ }
      { print }
      END { if (done != 1) exit 1 }' "$MANIFEST" >"$tmp"; then
    rm -f "$tmp"
    die "$MANIFEST has no single platform with os: $os and arch: $arch before its sha256"
  fi
  cat "$tmp" >"$MANIFEST" && rm -f "$tmp"
}

# Makes the manifest's version and uris say v$1.
set_version() {
  local v="v$1" tmp
  tmp="$(mktemp "$MANIFEST.XXXXXX")"
  sed -e "s/^  version: .*/  version: $v/" \
      -e "s#/releases/download/v[^/]*/#/releases/download/$v/#" \
      -e "s#kubectl-numa_v[^_]*_#kubectl-numa_${v}_#g" "$MANIFEST" >"$tmp"
  cat "$tmp" >"$MANIFEST" && rm -f "$tmp"
}

if [ "${1:-}" = "set-sha" ]; then
  [ $# -eq 3 ] && [[ "$2" == */* ]] || die "usage: scripts/package.sh set-sha OS/ARCH SHA256"
  set_sha "${2%/*}" "${2#*/}" "$3"
  echo "$MANIFEST: ${2} sha256 $3"
  exit 0
elif [ $# -gt 0 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) die "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) die "unsupported CPU $(uname -m)" ;;
esac
exe=""; [ "$os" = windows ] && exe=".exe"

version="$(cargo pkgid -p kubectl-numa)"; version="${version##*[#@]}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || die "cannot read the version from Cargo.toml (cargo pkgid said '$version')"
name="kubectl-numa_v${version}_${os}_${arch}"

step "cargo build --release --locked (kubectl-numa $version for $os/$arch)"
cargo build --release --locked --bin kubectl-numa
bin="target/release/kubectl-numa$exe"
[ -x "$bin" ] || die "$bin was not built"

step "packaging dist/$name.tar.gz"
rm -rf "dist/stage" "dist/man"
mkdir -p "dist/stage"
cp "$bin" "dist/stage/kubectl-numa$exe"
cp LICENSE "dist/stage/LICENSE"
chmod 0755 "dist/stage/kubectl-numa$exe"; chmod 0644 "dist/stage/LICENSE"
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
  tar_opts=(--sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --format=gnu)
else
  tar_opts=(--uid 0 --gid 0 --uname root --gname root)   # bsdtar (macOS)
fi
tar "${tar_opts[@]}" -C dist/stage -cf - "kubectl-numa$exe" LICENSE | gzip -n -9 >"dist/$name.tar.gz"
rm -rf "dist/stage"

sha="$(sha256_of "dist/$name.tar.gz")"
echo "$sha  $name.tar.gz" >"dist/$name.tar.gz.sha256"
set_version "$version"
set_sha "$os" "$arch" "$sha"

step "man pages into dist/man"
"$bin" __man dist/man >/dev/null

echo "dist/$name.tar.gz"
echo "  sha256 $sha (written to $MANIFEST for $os/$arch)"
echo "  contents: $(tar -tzf "dist/$name.tar.gz" | tr '\n' ' ')"
echo "dist/man: $(ls dist/man | tr '\n' ' ')"
