// Container start-up benchmark: from `docker run` (image already built) to the first 200 from
// GET /health. Run with `npm run bench:container` after docker/build.sh. Loopback only; each run
// is bounded in time and its container removed.
//
// Each of N runs (BENCH_RUNS, default 5) starts `docker run -d --rm` of COGNITO_TWIN_IMAGE
// (default cognito-twin:local) and polls /health every 5 ms. The figure includes the docker
// client, container creation and Node's own start-up. On an engine without a bridge network the
// container shares the host's network on a free loopback port; elsewhere a port is published on
// 127.0.0.1.
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const IMAGE = process.env.COGNITO_TWIN_IMAGE ?? "cognito-twin:local";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIMEOUT_MS = 15_000;
const TARGET_MS = 1000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** GET /health once; resolves with the status, or 0 when nothing answers yet. */
function health(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/health", agent: false, timeout: 500 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

async function hasBridge() {
  const { stdout } = await run("docker", ["network", "ls", "--format", "{{.Driver}}"]);
  return stdout.split("\n").includes("bridge");
}

async function runOnce(bridge) {
  const port = await freePort();
  const net = bridge
    ? ["-p", `127.0.0.1:${port}:9229`]
    : ["--network", "host", "-e", "COGNITO_TWIN_HOST=127.0.0.1", "-e", `COGNITO_TWIN_PORT=${port}`];
  const started = performance.now();
  const docker = run("docker", ["run", "-d", "--rm", ...net, IMAGE]);
  let id;
  docker.then(
    ({ stdout }) => (id = stdout.trim()),
    () => {},
  );
  try {
    for (;;) {
      if ((await health(port)) === 200) return performance.now() - started;
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`no /health answer within ${TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    ({ stdout: id } = await docker);
    await run("docker", ["rm", "-f", id.trim()]).catch(() => {});
  }
}

async function main() {
  try {
    await run("docker", ["image", "inspect", IMAGE]);
  } catch {
    console.error(
      `container-startup: image ${IMAGE} not found; build it with docker/build.sh (or docker/build.sh --local-base)`,
    );
    process.exit(1);
  }
  const bridge = await hasBridge();
  await runOnce(bridge); // warm the page cache with the image's files; not counted
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await runOnce(bridge));
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const result = {
    image: IMAGE,
    network: bridge ? "bridge (published port)" : "host",
    runs: times.map((t) => Math.round(t)),
    medianMs: Math.round(median),
    minMs: Math.round(sorted[0]),
    maxMs: Math.round(sorted[sorted.length - 1]),
    targetMs: TARGET_MS,
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
  console.log(
    `container start-up (docker run -> /health 200), ${RUNS} runs on ${result.network}: median ${result.medianMs} ms ` +
      `(min ${result.minMs}, max ${result.maxMs}; target < ${TARGET_MS} ms: ${median < TARGET_MS ? "met" : "MISSED"})`,
  );
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "container-startup.json"), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  console.error(`container-startup: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
