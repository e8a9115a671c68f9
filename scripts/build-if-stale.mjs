#!/usr/bin/env node
// Runs `npm run build` only when dist/ is older than the sources it is built from, so `npm start`
// (its prestart) and `prepare` (which `npm ci` runs) cost a few milliseconds when nothing changed
// instead of the ~20 s of tsc + esbuild. Plain Node (no tsx) so the check itself starts fast.
// See docs/decisions/0035-packaging.md.
//
//   node scripts/build-if-stale.mjs          build if stale
//   node scripts/build-if-stale.mjs --check  exit 1 if stale, 0 if fresh; never builds
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// What tsconfig.build.json compiles, plus the files that change how it is compiled.
const SOURCE_DIRS = ["emulator", "client", "scenarios", "docker"];
const SOURCE_FILES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
// The build's outputs the package's entry points need: the bundled CLI (esbuild, written last),
// the library entry and the testcontainers module (tsc). The oldest of them dates the build.
const OUTPUTS = ["dist/emulator/cli.js", "dist/emulator/index.js", "dist/docker/testcontainers.js"];

/** Newest modification time (ms) of the compiled sources under `dir`; tests are not compiled. */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") newest = Math.max(newest, newestSource(path));
    } else if (/\.(ts|tsx|json)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Modification time (ms) of `path`, or `fallback` when it does not exist. */
function mtime(path, fallback) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return fallback;
  }
}

const sources = Math.max(
  ...SOURCE_DIRS.map((d) => newestSource(join(root, d))),
  ...SOURCE_FILES.map((f) => mtime(join(root, f), 0)),
);
const built = Math.min(...OUTPUTS.map((f) => mtime(join(root, f), -1)));
const stale = built < 0 || built < sources;

if (process.argv.includes("--check")) process.exit(stale ? 1 : 0);
if (stale) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const run = spawnSync(npm, ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  process.exit(run.status ?? 1);
}
