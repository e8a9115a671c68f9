// The limits of this machine, so every figure can be read as a fraction of what is possible:
// RS256 signatures per second on one core, the request rate of the HTTP stack answering a
// hello-world document (same load generator, same concurrency), and Node's own start-up.

import { spawnSync } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { freePort, startServer } from "./api.js";
import type { JobResult } from "./load.js";
import type { Budget, RunJob } from "./workloads.js";

/** RS256 signatures per second with node:crypto on this (one) thread, 2048-bit key. */
export function rs256PerCore(seconds = 1): number {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // A signing input the size of an id token's header and payload.
  const input = Buffer.from(`eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.${"x".repeat(900)}`);
  for (let i = 0; i < 50; i++) sign("sha256", input, privateKey);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    sign("sha256", input, privateKey);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** A hello-world Hono server on @hono/node-server, driven like the GetUser workload (c16). */
export async function helloWorld(root: string, runJob: RunJob, budget: Budget): Promise<JobResult> {
  const port = await freePort();
  const server = await startServer(
    {
      command: process.execPath,
      args: ["--import", "tsx", join(root, "bench", "hello-server.ts"), "--port", String(port)],
      options: { cwd: root },
    },
    port,
  );
  try {
    return await runJob({
      url: server.url,
      operation: "Hello",
      signed: false,
      bodies: ['{"AccessToken":"x"}'],
      concurrency: 16,
      ...budget,
    });
  } finally {
    await server.stop();
  }
}

/** Milliseconds for `node -e 0` to start and exit: the floor under any Node server's start-up. */
export function nodeStartMs(n = 5): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
    out.push(performance.now() - t0);
  }
  return out;
}
