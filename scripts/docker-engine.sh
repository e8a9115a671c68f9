#!/usr/bin/env bash
# Makes a Docker engine available on a machine that has none: installs Debian's docker.io and
# busybox-static when missing (as root, non-interactive), then starts dockerd in the background
# unless one already answers, and waits for it. Used by .ci/run; safe to run again.
#
# dockerd runs without iptables rules or a bridge network (--iptables=false --bridge=none):
# containers use the host's network (`docker run --network host`), which is all the tests need
# and keeps every connection on loopback. Its log goes to $DOCKERD_LOG (/tmp/dockerd.log).
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"

if docker info >/dev/null 2>&1; then
  echo "docker-engine: an engine is running ($(docker info -f '{{.ServerVersion}}'))"
  exit 0
fi

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "docker-engine: ${missing[*]} missing and not root; install them first" >&2; exit 1; }
  echo "docker-engine: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ "$(id -u)" = 0 ] || { echo "docker-engine: dockerd must be started as root" >&2; exit 1; }
echo "docker-engine: starting dockerd (log: $DOCKERD_LOG)"
nohup dockerd --iptables=false --bridge=none >"$DOCKERD_LOG" 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker-engine: ready ($(docker info -f '{{.ServerVersion}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker-engine: dockerd did not answer within 60 s; last lines of $DOCKERD_LOG:" >&2
tail -20 "$DOCKERD_LOG" >&2
exit 1
