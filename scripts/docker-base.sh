#!/usr/bin/env bash
# Builds a local stand-in for the official Node image, for machines whose Docker engine cannot
# pull from a registry: a root filesystem made of this machine's own node binary, the shared
# libraries it links, npm, a static busybox (for /bin/sh and `npm run`), a `node` user with uid
# 1000 (as in the official images) and the machine's CA bundle, loaded with `docker import`.
# docker/Dockerfile is then built with `--build-arg BASE_IMAGE=cognito-twin-base:local`.
#
# Idempotent: the image carries a fingerprint of its inputs as a label, and an image with the
# same fingerprint is kept as it is.
#
# Usage: scripts/docker-base.sh [TAG]            (default cognito-twin-base:local)
# Needs: docker (with a running engine), node, npm, busybox (Debian: busybox-static).
set -euo pipefail

TAG="${1:-cognito-twin-base:local}"

die() { echo "docker-base: $*" >&2; exit 1; }

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "no Docker engine is reachable (docker info failed)"
NODE_BIN="$(readlink -f "$(command -v node)")" || die "node is not installed"
NPM_DIR="$(npm root -g 2>/dev/null)/npm"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "npm not found at $NPM_DIR"
BUSYBOX="$(command -v busybox || true)"
[ -n "$BUSYBOX" ] || die "busybox is missing: apt-get install -y busybox-static"
# A dynamically linked busybox would need its own libraries; the static build needs none.
if ldd "$BUSYBOX" >/dev/null 2>&1; then die "$BUSYBOX is not static: apt-get install -y busybox-static"; fi
CA_BUNDLE="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"

NODE_VERSION="$("$NODE_BIN" --version)"
NPM_VERSION="$(node -p 'require(process.argv[1]).version' "$NPM_DIR/package.json")"
FINGERPRINT="$(
  {
    sha256sum "$0" "$NODE_BIN" "$BUSYBOX" | cut -d' ' -f1
    echo "$NPM_VERSION"
    if [ -f "$CA_BUNDLE" ]; then sha256sum "$CA_BUNDLE" | cut -d' ' -f1; fi
  } | sha256sum | cut -c1-16
)"

if [ "$(docker image inspect -f '{{ index .Config.Labels "cognito-twin.base.fingerprint" }}' "$TAG" 2>/dev/null || true)" = "$FINGERPRINT" ]; then
  echo "docker-base: $TAG is up to date (node $NODE_VERSION, npm $NPM_VERSION)"
  exit 0
fi

ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT
mkdir -p "$ROOTFS"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,usr/local/lib/node_modules,etc/ssl/certs,root,home/node,tmp,lib64,lib/x86_64-linux-gnu}

# The official images keep node and npm under /usr/local; so does this one.
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
cp -a "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"

# Every library ldd names, at the path the loader will look for it (copied, not linked).
ldd "$NODE_BIN" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done

cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ -e "$ROOTFS/bin/$applet" ] || ln -s busybox "$ROOTFS/bin/$applet"
done
# npm's scripts start with `#!/usr/bin/env node`.
ln -s /bin/busybox "$ROOTFS/usr/bin/env"

cat >"$ROOTFS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$ROOTFS/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
echo "hosts: files dns" >"$ROOTFS/etc/nsswitch.conf"
# Where the registry is reached through a TLS-inspecting proxy, npm inside the build needs the
# same CA bundle as the host; elsewhere Node's own roots suffice and this file is just unused.
if [ -f "$CA_BUNDLE" ]; then cp -L "$CA_BUNDLE" "$ROOTFS/etc/ssl/certs/ca-certificates.crt"; fi

chmod 1777 "$ROOTFS/tmp"
chmod 700 "$ROOTFS/root"
chown -R 1000:1000 "$ROOTFS/home/node"

CHANGES=(
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "ENV NODE_VERSION=${NODE_VERSION#v}"
  --change "LABEL cognito-twin.base.fingerprint=$FINGERPRINT"
  --change 'CMD ["node"]'
)
if [ -f "$ROOTFS/etc/ssl/certs/ca-certificates.crt" ]; then
  CHANGES+=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi
OLD_ID="$(docker image inspect -f '{{ .Id }}' "$TAG" 2>/dev/null || true)"
tar --numeric-owner -C "$ROOTFS" -c . | docker import "${CHANGES[@]}" - "$TAG" >/dev/null
# The replaced image would linger untagged; images built on it keep their own reference.
if [ -n "$OLD_ID" ]; then docker rmi "$OLD_ID" >/dev/null 2>&1 || true; fi

if ! docker run --rm --network none "$TAG" node -e 'process.stdout.write("")'; then
  docker rmi "$TAG" >/dev/null 2>&1 || true
  die "the imported image cannot run node; removed it"
fi
SIZE="$(docker image inspect -f '{{ .Size }}' "$TAG")"
echo "docker-base: built $TAG (node $NODE_VERSION, npm $NPM_VERSION, $((SIZE / 1000000)) MB)"
