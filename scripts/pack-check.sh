#!/usr/bin/env bash
# Proves `npm pack` ships a working package: copies this checkout as a fresh clone would have it
# (tracked and untracked-but-not-ignored files, so no dist/), packs it (prepack builds dist/),
# installs the tarball into an empty project as a user would, starts `npx cognito-twin` on a free
# port and waits for /health, checks that killing npx stops the emulator, then runs the README's
# vitest test in that project. Needs the npm registry for the package's dependencies.
# See docs/decisions/0035-packaging.md.
#
#   bash scripts/pack-check.sh           KEEP=1 keeps the temp directories for a look
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; fi
  if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
start=$(date +%s)
step() { echo "== [$(($(date +%s) - start)) s] $*"; }

step "copy the checkout without dist/ and node_modules/ into $work/clone"
mkdir -p "$work/clone" "$work/out" "$work/app"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf -) | tar -xf - -C "$work/clone"
# The clone's dev dependencies (tsc, esbuild) come from this checkout's install, not the network.
ln -s "$repo/node_modules" "$work/clone/node_modules"
[ ! -e "$work/clone/dist" ] || { echo "dist/ leaked into the clone" >&2; exit 1; }

step "npm pack (prepack builds dist/)"
(cd "$work/clone" && npm pack --silent --pack-destination "$work/out" >/dev/null)
tgz="$(ls "$work/out"/cognito-twin-*.tgz)"
# A listing file, not `tar | grep -q` (grep's early exit fails the pipe under pipefail).
tar -tzf "$tgz" >"$work/listing"
echo "$(basename "$tgz"): $(du -h "$tgz" | cut -f1), $(wc -l <"$work/listing") files"
for f in package/dist/emulator/cli.js package/dist/emulator/index.js package/dist/emulator/index.d.ts \
  package/dist/docker/testcontainers.js package/dist/docker/testcontainers.d.ts package/README.md; do
  grep -qx "$f" "$work/listing" || { echo "missing from the tarball: $f" >&2; exit 1; }
done
if grep -E '\.test\.|\.map$|^package/(emulator|client|scenarios|test-support)/' "$work/listing"; then
  echo "the tarball ships sources, tests or source maps (above)" >&2
  exit 1
fi

step "npm i <tgz> into an empty project"
(cd "$work/app" && npm init -y >/dev/null && npm i --no-audit --no-fund --loglevel=error "$tgz")

port="$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
step "npx cognito-twin --port $port"
cd "$work/app"
# Its own process group, so cleanup stops npx and the emulator together.
setsid npx cognito-twin --port "$port" >"$work/twin.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  if body="$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null)"; then
    step "/health answered: $body"
    node -e 'import("cognito-twin").then((m)=>{for(const k of ["createApp","listen"]) if(typeof m[k]!=="function") throw new Error("no export "+k); console.log("import(\"cognito-twin\") exports:", Object.keys(m).join(", "))})'
    # testcontainers is an optional peer this project did not install: resolve the subpath, do not load it.
    node --input-type=module -e 'console.log("cognito-twin/testcontainers ->", import.meta.resolve("cognito-twin/testcontainers"))'
    step "kill npx: the emulator stops with it"
    kill -TERM "$pid"
    for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 || break; sleep 0.1; done
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
      echo "the emulator still answers after npx was killed" >&2
      exit 1
    fi
    pid=""
    step "the README's vitest test, with cognito-twin/vitest as the global setup"
    npm i -D --no-audit --no-fund --loglevel=error vitest@4 @aws-sdk/client-cognito-identity-provider
    npm pkg set type=module
    # The README's two files, taken from it, so the check fails when the README drifts.
    node "$repo/scripts/readme-snippet.mjs" "$repo/README.md" vitest.config.ts >vitest.config.ts
    node "$repo/scripts/readme-snippet.mjs" "$repo/README.md" sign-up.test.ts >sign-up.test.ts
    npx vitest run
    step "pack check passed"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
echo "the emulator did not answer /health; its output:" >&2
cat "$work/twin.log" >&2
exit 1
