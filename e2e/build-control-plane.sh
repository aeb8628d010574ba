#!/usr/bin/env bash
# Builds the end-to-end suite's control plane (kube-apiserver, kubectl and
# etcd) from the Go module proxy, once: the binaries are cached outside the
# repository, in $PULLCHECK_CACHE (default ~/.cache/pullcheck/bin), and are
# rebuilt only when missing or when the control plane's go.mod changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${PULLCHECK_CACHE:-$HOME/.cache/pullcheck/bin}"
stamp="$(cat "$here/controlplane/go.mod" "$here/controlplane/go.sum" | sha256sum | cut -c1-16)"
out="$cache/$stamp"
mkdir -p "$out"
cd "$here/controlplane"
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v1.37.2 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37"
for bin in etcd kube-apiserver kubectl; do
  if [ ! -x "$out/$bin" ]; then
    echo "building $bin (cached in $out)" >&2
    CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out/$bin.tmp" "./$bin"
    mv "$out/$bin.tmp" "$out/$bin"
  fi
done
echo "$out"
