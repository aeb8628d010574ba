#!/usr/bin/env bash
# Builds the chart tools (the helm CLI and kustomize) from the Go module
# proxy, once: the binaries are cached outside the repository, in
# $PULLCHECK_CACHE (default ~/.cache/pullcheck/bin), and are rebuilt only when
# missing or when the chart tools' go.mod or this script changes. Prints the
# path of helm; kustomize is beside it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${PULLCHECK_CACHE:-$HOME/.cache/pullcheck/bin}"
stamp="$(cat "$here/charttools/go.mod" "$here/charttools/go.sum" "$here/build-chart-tools.sh" | sha256sum | cut -c1-16)"
out="$cache/charttools-$stamp"
mkdir -p "$out"
cd "$here/charttools"
# As helm's Makefile: its version, and the Kubernetes version of its default
# capabilities (helm template, helm lint) from the client-go it is built with.
k8s="$(go list -m -f '{{.Version}}' k8s.io/client-go)" # v0.37.0
k8s_minor="$(echo "$k8s" | cut -d. -f2)"
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=v3.22.0 -X helm.sh/helm/v3/internal/version.metadata="
for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
  ldflags="$ldflags -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
done
for tool in helm:helm.sh/helm/v3/cmd/helm kustomize:sigs.k8s.io/kustomize/kustomize/v5; do
  bin="${tool%%:*}" pkg="${tool#*:}"
  if [ ! -x "$out/$bin" ]; then
    echo "building $bin (cached in $out)" >&2
    CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out/$bin.tmp" "$pkg"
    mv "$out/$bin.tmp" "$out/$bin"
  fi
done
echo "$out/helm"
