#!/usr/bin/env bash
# Makes a local stand-in for the official node:24-slim image, for machines that reach no image
# registry (these: Debian's mirror and the npm registry only): Debian bookworm (debootstrap,
# minbase) with the Node 24 the tests run on in /usr/local (binary, headers when present, npm),
# as the official image lays it out. The Dockerfile is built FROM it with --build-arg BASE_IMAGE=….
# Kept between runs: does nothing when the image exists (remove it to remake it).
#   usage: make-local-base-image.sh <image name> <podman command…>  (CONTAINERS_CONF=e2e/deploy/containers.conf here)
set -euo pipefail
IMAGE="$1"
shift
PODMAN=("$@")

if "${PODMAN[@]}" image exists "$IMAGE"; then
  echo "base image $IMAGE is present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

# The binary itself (process.execPath), wherever PATH's `node` links to; npm from where `npm` lives.
NODE_BIN="$(node -p process.execPath)"
NODE_HOME="$(dirname "$(dirname "$NODE_BIN")")"
NPM_HOME="$(dirname "$(dirname "$(realpath "$(command -v npm)")")")"
case "$("$NODE_BIN" --version)" in v24.*) ;; *) echo "$NODE_BIN is not Node 24" >&2; exit 1 ;; esac

# The Debian mirror this machine's own apt uses (its first `URIs:` or `deb` line), so the script
# reaches exactly what apt-get reaches here and names no host of its own.
MIRROR="$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)$/\1/p; s/^deb[[:space:]]\+\(http[^[:space:]]*\/debian\)[[:space:]].*/\1/p' \
  /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n 1)"
[ -n "$MIRROR" ] || { echo "no Debian mirror found in /etc/apt/sources.list(.d)" >&2; exit 1; }

ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT
echo "making $IMAGE: debootstrap bookworm (minbase) from $MIRROR into $ROOTFS"
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
  || { tail -20 "$ROOTFS.log" >&2; exit 1; }
rm -f "$ROOTFS.log"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*

mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/include" "$ROOTFS/usr/local/lib/node_modules"
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
# The headers, as the official image has them, when they are beside the binary (our build compiles nothing).
if [ -d "$NODE_HOME/include/node" ]; then cp -r "$NODE_HOME/include/node" "$ROOTFS/usr/local/include/node"; fi
cp -r "$NPM_HOME" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
# The official image's user (uid 1000); our Dockerfile does not rely on it.
chroot "$ROOTFS" /usr/sbin/groupadd --gid 1000 node
chroot "$ROOTFS" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node

# The certificates this machine's Node trusts beyond its own (NODE_EXTRA_CA_CERTS: here, the proxy
# in front of the npm registry), so that `npm ci` in the image build reaches the registry as the
# host's npm does. Only in this local stand-in: the Dockerfile itself trusts nothing extra.
# Where the environment does not say, npm's own `cafile` setting (this machine's npmrc sets one).
EXTRA_CA=()
HOST_CA="${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}"
if [ -n "$HOST_CA" ] && [ "$HOST_CA" != "null" ] && [ -f "$HOST_CA" ]; then
  mkdir -p "$ROOTFS/usr/local/share/ca-certificates"
  cp "$HOST_CA" "$ROOTFS/usr/local/share/ca-certificates/host-extra.crt"
  EXTRA_CA=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-extra.crt')
fi

tar -C "$ROOTFS" -c . | "${PODMAN[@]}" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "${EXTRA_CA[@]}" \
  --change 'CMD ["node"]' \
  - "$IMAGE" >/dev/null
echo "made $IMAGE"
