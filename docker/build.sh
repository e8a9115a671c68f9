#!/usr/bin/env bash
# Builds the emulator's image from the repository root.
#
# Usage: docker/build.sh [--local-base] [--tag TAG] [extra docker build arguments...]
#        docker/build.sh --source-hash   (prints the hash of the sources the image is built from)
#   BASE_IMAGE=IMAGE    base image (default node:20-slim, pulled by the engine)
#   --local-base        first run scripts/docker-base.sh and build on cognito-twin-base:local,
#                       for engines that cannot pull from a registry
#   --tag TAG           image tag (default cognito-twin:local)
# The build runs with --network host so that `npm ci` inside it reaches the npm registry on
# engines started without a bridge network; it changes nothing where a bridge exists.
set -euo pipefail
cd "$(dirname "$0")/.."

# A hash of everything the image is built from (what .dockerignore lets in, and the Dockerfile);
# the image carries it as a label, so tests can tell an image older than the sources.
source_hash() {
  { printf '%s\n' package.json package-lock.json tsconfig.json tsconfig.build.json docker/tsconfig.image.json docker/Dockerfile
    find emulator -type f ! -name '*.test.ts'
  } | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-16
}

TAG=cognito-twin:local
BASE="${BASE_IMAGE:-node:20-slim}"
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --local-base) bash scripts/docker-base.sh cognito-twin-base:local; BASE=cognito-twin-base:local ;;
    --tag) TAG="$2"; shift ;;
    --source-hash) source_hash; exit 0 ;;
    *) EXTRA+=("$1") ;;
  esac
  shift
done

echo "build: $TAG on $BASE"
START=$(date +%s)
docker build --network host -f docker/Dockerfile --build-arg "BASE_IMAGE=$BASE" \
  --label "cognito-twin.source=$(source_hash)" -t "$TAG" ${EXTRA[@]+"${EXTRA[@]}"} .
# Earlier builds of the tag are left untagged; only those (labelled, dangling) are removed.
docker image prune -f --filter label=cognito-twin.source >/dev/null
SIZE=$(docker image inspect -f '{{ .Size }}' "$TAG")
BASE_SIZE=$(docker image inspect -f '{{ .Size }}' "$BASE")
echo "build: $TAG is $((SIZE / 1000000)) MB ($(((SIZE - BASE_SIZE) / 1000000)) MB above $BASE) in $(($(date +%s) - START)) s"
