// Start-up benchmark: how long from spawning the built CLI until it answers its first API call.
// Run with `npm run bench:startup` (builds first). Loopback only; each run is bounded in time.
//
// Each of N runs spawns `node dist/emulator/cli.js --port 0 --log-level info`, reads the ready
// line for the URL, and POSTs ListUserPools (SigV4-looking header, as SDKs send) until it gets
// HTTP 200. The figure is spawn -> first 200, so it includes Node's own start-up.
//
// `node bench/startup.mjs --compare` also measures cognito-local (installed as a dev dependency)
// the same way: it cannot pick its own port, so a free one is chosen first and polled.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "emulator", "cli.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIMEOUT_MS = 15_000;
const TARGET_MS = 150;
const COMPARE = process.argv.includes("--compare");

// Same shape as fakeSigV4 in test-support/twin.ts: the emulator checks the form, not the signature.
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIDTWINBENCH/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${"0".repeat(64)}`;

/** One POST ListUserPools; resolves with the HTTP status. */
function listUserPools(url) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/`,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
          authorization: AUTH,
        },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.end('{"MaxResults":10}');
  });
}

/** One run: spawn, wait for the ready line, call until 200; returns milliseconds. */
function runOnce() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, "--port", "0", "--log-level", "info"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let done = false;
    const finish = (fn) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGTERM");
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms; stderr: ${err}`))),
      TIMEOUT_MS,
    );
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      finish(() => reject(new Error(`emulator exited with ${code} before answering; stderr: ${err}`))),
    );
    child.stdout.on("data", async (d) => {
      out += d;
      const m = /ready on (http:\/\/\S+)/.exec(out);
      if (!m || child.readyUrl) return;
      child.readyUrl = m[1];
      try {
        for (;;) {
          const status = await listUserPools(m[1]);
          if (status === 200) break;
          if (done) return;
        }
        const ms = performance.now() - started;
        finish(() => resolve(ms));
      } catch (e) {
        finish(() => reject(e));
      }
    });
  });
}

/** A port nothing listens on right now (cognito-local cannot be given port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One run of cognito-local: spawn, then call until 200 (connection refused meanwhile). */
async function runCognitoLocal() {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), "bench-cognito-local-"));
  const bin = join(root, "node_modules", "cognito-local", "lib", "bin", "start.js");
  const started = performance.now();
  const child = spawn(process.execPath, [bin], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: "ignore",
  });
  const deadline = started + TIMEOUT_MS;
  try {
    for (;;) {
      if (performance.now() > deadline) throw new Error(`cognito-local did not answer within ${TIMEOUT_MS} ms`);
      if (child.exitCode !== null) throw new Error(`cognito-local exited with ${child.exitCode}`);
      const status = await listUserPools(`http://127.0.0.1:${port}`).catch(() => undefined);
      if (status === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Median, min and max of a series of runs, rounded. */
function summarise(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: round(sorted[Math.floor(sorted.length / 2)]),
    minMs: round(sorted[0]),
    maxMs: round(sorted[sorted.length - 1]),
    timesMs: times.map(round),
  };
}

/** Runs the emulator N times (after one warm-up run), and cognito-local too with --compare. */
async function main() {
  if (!existsSync(cli)) {
    console.error(`bench: ${cli} is missing; run "npm run build" first (npm run bench:startup does)`);
    process.exit(1);
  }
  // Other work on the machine shows up in wall-clock figures; the load average says how much.
  const loadBefore = round(loadavg()[0]);
  // One unmeasured run warms the OS file cache, as a developer's second start would be.
  await runOnce();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const ms = await runOnce();
    times.push(ms);
    console.log(`run ${i + 1}/${RUNS}: ${ms.toFixed(1)} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = {
    what: "spawn of `node dist/emulator/cli.js --port 0 --log-level info` to first HTTP 200 of ListUserPools",
    runs: RUNS,
    ...summarise(times),
    targetMs: TARGET_MS,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    loadAverage1m: { before: loadBefore, after: round(loadavg()[0]) },
    date: new Date().toISOString(),
  };
  if (COMPARE) {
    await runCognitoLocal();
    const theirs = [];
    for (let i = 0; i < RUNS; i++) {
      const ms = await runCognitoLocal();
      theirs.push(ms);
      console.log(`cognito-local run ${i + 1}/${RUNS}: ${ms.toFixed(1)} ms`);
    }
    result.cognitoLocal = {
      what: "spawn of cognito-local's start.js (PORT set) to first HTTP 200 of ListUserPools",
      ...summarise(theirs),
    };
    console.log(
      `cognito-local: median ${result.cognitoLocal.medianMs} ms, min ${result.cognitoLocal.minMs} ms, max ${result.cognitoLocal.maxMs} ms`,
    );
  }
  console.log(
    `cognito-twin startup: median ${result.medianMs} ms, min ${result.minMs} ms, max ${result.maxMs} ms (target < ${TARGET_MS} ms; 1-minute load average ${loadBefore} before the runs)`,
  );
  const outDir = join(root, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "startup.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log("wrote bench/results/startup.json");
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
