#!/usr/bin/env bash
# Builds the chart tools (the helm CLI and kustomize) from the Go module
# proxy, once: the binaries are cached outside the repository, in
# $PULLCHECK_CACHE (default ~/.cache/pullcheck/bin), and are rebuilt only when
# missing or when the chart tools' go.mod changes. Prints the path of helm;
# kustomize is beside it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${PULLCHECK_CACHE:-$HOME/.cache/pullcheck/bin}"
stamp="$(cat "$here/charttools/go.mod" "$here/charttools/go.sum" | sha256sum | cut -c1-16)"
out="$cache/charttools-$stamp"
mkdir -p "$out"
cd "$here/charttools"
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=v3.22.0 -X helm.sh/helm/v3/internal/version.metadata="
for tool in helm:helm.sh/helm/v3/cmd/helm kustomize:sigs.k8s.io/kustomize/kustomize/v5; do
  bin="${tool%%:*}" pkg="${tool#*:}"
  if [ ! -x "$out/$bin" ]; then
    echo "building $bin (cached in $out)" >&2
    CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out/$bin.tmp" "$pkg"
    mv "$out/$bin.tmp" "$out/$bin"
  fi
done
echo "$out/helm"
