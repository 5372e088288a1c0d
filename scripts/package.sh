#!/usr/bin/env bash
# Release packaging of kubectl-numa for the platform this runs on.
#
#   scripts/package.sh                        build dist/kubectl-numa_vX.Y.Z_OS_ARCH.tar.gz and man pages,
#                                             and dist/krew-manifest.yaml: krew-manifest.yaml with the
#                                             archive's sha256 (the tracked file is never rewritten)
#   scripts/package.sh set-sha OS/ARCH SHA256 write another platform's sha256 into the manifest
#   scripts/package.sh manifest DIR OUT       write OUT, the krew manifest of a release: krew-manifest.yaml
#                                             with every platform's sha256 from DIR/*.tar.gz.sha256
#                                             (fails when a platform has no archive there, or an
#                                             archive no platform); .github/workflows/release.yml runs it
#
# The archive holds exactly what krew-manifest.yaml's `files` install: `kubectl-numa`
# and `LICENSE`, at its top level. It is reproducible with GNU tar: same binary, same
# bytes (sorted entries, fixed owner and mtime, gzip without a name).
# Outputs, all under dist/ (ignored by git):
#   dist/kubectl-numa_vX.Y.Z_OS_ARCH.tar.gz          the archive krew downloads
#   dist/kubectl-numa_vX.Y.Z_OS_ARCH.tar.gz.sha256   its checksum, `sha256sum` format
#   dist/man/*.1                                     one man page per command (clap_mangen)
#   dist/krew-manifest.yaml                          the manifest that installs that archive
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

# Writes SHA as the sha256 of the platform whose selector is OS/ARCH in FILE (the
# platform's `selector` comes before its `sha256`, as in the committed manifest). Quoted:
# unquoted, YAML could read a sha256 of digits as a number (krew reads all zeros as `0`).
set_sha() {
  local os="$1" arch="$2" sha="$3" file="${4:-$MANIFEST}" tmp
  [[ "$sha" =~ ^[a-f0-9]{64}$ ]] || die "sha256 must be 64 lowercase hex digits, got '$sha'"
  tmp="$(mktemp "$file.XXXXXX")"
  if ! awk -v os="$os" -v arch="$arch" -v sha="$sha" '
      /^  - selector:/ { cur_os = ""; cur_arch = "" }
      /^ +os: /        { cur_os = $2 }
      /^ +arch: /      { cur_arch = $2 }
      /^    sha256: / && cur_os == os && cur_arch == arch { sub(/sha256: .*/, "sha256: \"" sha "\""); done++ }
      { print }
      END { if (done != 1) exit 1 }' "$file" >"$tmp"; then
    rm -f "$tmp"
    die "$file has no single platform with os: $os and arch: $arch before its sha256"
  fi
  cat "$tmp" >"$file" && rm -f "$tmp"
}

# Makes the version and uris of FILE say v$1.
set_version() {
  local v="v$1" file="${2:-$MANIFEST}" tmp
  tmp="$(mktemp "$file.XXXXXX")"
  sed -e "s/^  version: .*/  version: $v/" \
      -e "s#/releases/download/v[^/]*/#/releases/download/$v/#" \
      -e "s#kubectl-numa_v[^_]*_#kubectl-numa_${v}_#g" "$file" >"$tmp"
  cat "$tmp" >"$file" && rm -f "$tmp"
}

cargo_version() {
  local version
  version="$(cargo pkgid -p kubectl-numa)"; version="${version##*[#@]}"
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || die "cannot read the version from Cargo.toml (cargo pkgid said '$version')"
  echo "$version"
}

# The release manifest: every platform of krew-manifest.yaml with the sha256 of its
# archive in DIR, none left out, none added.
release_manifest() {
  local dir="$1" out="$2" version platforms p name sha n=0
  version="$(cargo_version)"
  platforms="$(awk '/^ +os: / { os = $2 } /^ +arch: / { print os "/" $2 }' "$MANIFEST")"
  [ -n "$platforms" ] || die "$MANIFEST lists no platform"
  # The comments are about the repository's copy (placeholders, local installs): dropped.
  { echo "# The krew manifest of kubectl-numa v$version (scripts/package.sh manifest)."
    grep -v '^ *#' "$MANIFEST"; } >"$out.tmp"
  set_version "$version" "$out.tmp"
  for p in $platforms; do
    name="kubectl-numa_v${version}_${p%/*}_${p#*/}.tar.gz"
    [ -f "$dir/$name.sha256" ] || { rm -f "$out.tmp"; die "$dir/$name.sha256 is missing: $MANIFEST lists $p"; }
    sha="$(cut -d' ' -f1 "$dir/$name.sha256")"
    if [ -f "$dir/$name" ] && [ "$(sha256_of "$dir/$name")" != "$sha" ]; then
      rm -f "$out.tmp"; die "$dir/$name does not have the sha256 of $dir/$name.sha256"
    fi
    set_sha "${p%/*}" "${p#*/}" "$sha" "$out.tmp"
    n=$((n + 1))
  done
  for name in "$dir"/*.tar.gz.sha256; do
    [ -e "$name" ] || continue
    name="${name##*/}"; name="${name%.tar.gz.sha256}"; name="${name#kubectl-numa_v"$version"_}"
    grep -qx "${name/_//}" <<<"$platforms" || { rm -f "$out.tmp"; die "$dir has an archive for ${name/_//}, which $MANIFEST does not list"; }
  done
  mv "$out.tmp" "$out"
  echo "$out: v$version, the sha256 of $n archives"
}

if [ "${1:-}" = "set-sha" ]; then
  [ $# -eq 3 ] && [[ "$2" == */* ]] || die "usage: scripts/package.sh set-sha OS/ARCH SHA256"
  set_sha "${2%/*}" "${2#*/}" "$3"
  echo "$MANIFEST: ${2} sha256 $3"
  exit 0
elif [ "${1:-}" = "manifest" ]; then
  [ $# -eq 3 ] && [ -d "$2" ] || die "usage: scripts/package.sh manifest DIR OUT (DIR holds the archives' .sha256 files)"
  release_manifest "$2" "$3"
  exit 0
elif [ $# -gt 0 ]; then
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*) die "Windows is not a platform of $MANIFEST: the code does not build there yet (its signal handling is unix-only)" ;;
  *) die "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) die "unsupported CPU $(uname -m)" ;;
esac

version="$(cargo_version)"
name="kubectl-numa_v${version}_${os}_${arch}"

step "cargo build --release --locked (kubectl-numa $version for $os/$arch)"
cargo build --release --locked --bin kubectl-numa
bin="target/release/kubectl-numa"
[ -x "$bin" ] || die "$bin was not built"

step "packaging dist/$name.tar.gz"
rm -rf "dist/stage" "dist/man"
mkdir -p "dist/stage"
cp "$bin" "dist/stage/kubectl-numa"
cp LICENSE "dist/stage/LICENSE"
chmod 0755 "dist/stage/kubectl-numa"; chmod 0644 "dist/stage/LICENSE"
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
  tar_opts=(--sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --format=gnu)
else
  tar_opts=(--uid 0 --gid 0 --uname root --gname root)   # bsdtar (macOS)
  export COPYFILE_DISABLE=1   # no AppleDouble ._ entries for extended attributes
fi
tar "${tar_opts[@]}" -C dist/stage -cf - "kubectl-numa" LICENSE | gzip -n -9 >"dist/$name.tar.gz"
rm -rf "dist/stage"

sha="$(sha256_of "dist/$name.tar.gz")"
echo "$sha  $name.tar.gz" >"dist/$name.tar.gz.sha256"
local_manifest=dist/krew-manifest.yaml
cp "$MANIFEST" "$local_manifest"
set_version "$version" "$local_manifest"
set_sha "$os" "$arch" "$sha" "$local_manifest"

step "man pages into dist/man"
"$bin" __man dist/man >/dev/null

echo "dist/$name.tar.gz"
echo "  sha256 $sha (written to $local_manifest for $os/$arch)"
echo "  contents: $(tar -tzf "dist/$name.tar.gz" | tr '\n' ' ')"
echo "dist/man: $(ls dist/man | tr '\n' ' ')"
