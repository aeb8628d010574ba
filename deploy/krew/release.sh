#!/usr/bin/env bash
# The release step of kubectl pullcheck:
#   deploy/krew/release.sh v1.2.3 dist
# builds pullcheck for linux and darwin, amd64 and arm64, packs each as
# dist/kubectl-pullcheck_v1.2.3_<os>_<arch>.tar.gz (the binary named
# kubectl-pullcheck, the README, and the LICENSE when the repository has
# one), and writes dist/pullcheck.yaml: deploy/krew/pullcheck.yaml with the
# version and each archive's sha256 filled in. Prints that path.
# --prebuilt DIR packs DIR/kubectl-pullcheck_<os>_<arch> instead of building.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prebuilt=""
if [ "${1:-}" = "--prebuilt" ]; then
  prebuilt="$(cd "${2:?--prebuilt needs a directory}" && pwd)"
  shift 2
fi
usage="usage: release.sh [--prebuilt DIR] <version, as v1.2.3> <dist directory>"
version="${1:?$usage}"
dist="${2:?$usage}"
if ! [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release.sh: $version is not a version as v1.2.3" >&2
  exit 2
fi
mkdir -p "$dist"
dist="$(cd "$dist" && pwd)"
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }

manifest="$(grep -v '^#' "$here/pullcheck.yaml")"
for platform in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do
  os="${platform%/*}" arch="${platform#*/}"
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' EXIT
  if [ -n "$prebuilt" ]; then
    cp "$prebuilt/kubectl-pullcheck_${os}_${arch}" "$stage/kubectl-pullcheck"
  else
    echo "building kubectl-pullcheck for $os/$arch" >&2
    (cd "$root" && CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath \
      -ldflags "-s -w -X main.version=$version" -o "$stage/kubectl-pullcheck" ./cmd/pullcheck)
  fi
  chmod 0755 "$stage/kubectl-pullcheck"
  files=(kubectl-pullcheck README.md)
  cp "$root/README.md" "$stage/"
  if [ -f "$root/LICENSE" ]; then
    cp "$root/LICENSE" "$stage/"
    files+=(LICENSE)
  fi
  archive="$dist/kubectl-pullcheck_${version}_${os}_${arch}.tar.gz"
  tar -C "$stage" -czf "$archive" "${files[@]}"
  rm -rf "$stage"
  trap - EXIT
  manifest="${manifest//\{\{SHA256_${os}_${arch}\}\}/$(sha256 "$archive")}"
done
manifest="${manifest//\{\{VERSION\}\}/$version}"
printf '%s\n' "$manifest" >"$dist/pullcheck.yaml"
echo "$dist/pullcheck.yaml"
