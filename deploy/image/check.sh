#!/usr/bin/env bash
# Builds the runtime image offline with buildah (base images cannot be
# pulled here) from a locally built static binary, and checks that it runs,
# as a non-root user, with no writable root filesystem needed.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v buildah >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah >/dev/null
fi
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cd "$top"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=ci" -o "$ctx/pullcheck" ./cmd/pullcheck
cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
cp deploy/image/Containerfile "$ctx/"
b() { buildah --storage-driver vfs "$@"; }
b bud --isolation chroot -q -f "$ctx/Containerfile" -t localhost/pullcheck:ci "$ctx" >/dev/null
user="$(b inspect --format '{{.OCIv1.Config.User}}' localhost/pullcheck:ci)"
[ "$user" = "65532:65532" ] || { echo "image user is $user, want 65532:65532" >&2; exit 1; }
ctr="$(b from -q localhost/pullcheck:ci)"
trap 'b rm "$ctr" >/dev/null 2>&1 || true; rm -rf "$ctx"' EXIT
out="$(b run --isolation chroot "$ctr" -- /pullcheck version --verbose)"
echo "$out"
case "$out" in
  *"uid 65532"*) ;;
  *) echo "the image did not run as uid 65532" >&2; exit 1 ;;
esac
echo "image: ok (user $user, runs as non-root, no base image needed)"
