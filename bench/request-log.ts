// What the request log costs per request, in one process (no HTTP or load generator noise):
//  1. the middleware alone: a Hono app whose only route answers "ok", with and without it;
//  2. GetUser through the whole emulator (app.request), at log level silent (the ring only),
//     info with a no-op writer (text, json), debug with a no-op writer, and info to stdout.
// Run: npx tsx bench/request-log.ts [calls]; run it with stdout sent to /dev/null or a pipe to
// see what the real write adds (the figures go to stderr). See docs/request-log.md.
import { performance } from "node:perf_hooks";
import { Hono } from "hono";
import { createApp, type TwinApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import type { Services } from "../emulator/context.js";
import { AdjustableClock } from "../emulator/core/clock.js";
import { type LogFormat, requestLogging } from "../emulator/http/request-logging.js";
import { RequestLog } from "../emulator/services/request-log.js";

const CALLS = Number(process.argv[2] ?? 20_000);
const BATCH = 200;
const PASSWORD = "Bench-Passw0rd!";
const noop = () => undefined;

type Run = () => Promise<unknown>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Runs the variants in alternating batches (the machine is shared: a burst of load then hits
 * all of them alike), `calls` timed calls of each after one warm-up round; medians in µs.
 */
async function alternate(variants: Record<string, Run>, calls: number): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (const name of Object.keys(variants)) times[name] = [];
  const rounds = Math.ceil(calls / BATCH) + 1;
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      for (let k = 0; k < BATCH; k++) {
        const t0 = performance.now();
        await run();
        if (round > 0) times[name]!.push((performance.now() - t0) * 1000);
      }
    }
  }
  const medians: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    medians[name] = median(list);
    process.stderr.write(`${name.padEnd(46)} median ${medians[name]!.toFixed(2).padStart(7)} µs\n`);
  }
  return medians;
}

function middlewareApp(format: LogFormat | "none", write?: (line: string) => void): Run {
  const app = new Hono();
  if (format !== "none") {
    const services = { requestLog: new RequestLog(), clock: new AdjustableClock() } as unknown as Services;
    app.use("*", requestLogging(services, { write, format, debug: false }));
  }
  app.post("/", (c) => c.body('{"ok":true}', 200, { "content-type": "application/x-amz-json-1.1" }));
  return async () => (await app.request("/", { method: "POST", body: "{}" })).text();
}

async function getUser(config: Partial<TwinConfig>, write?: (line: string) => void): Promise<Run> {
  const twin: TwinApp = await createApp(
    { allowUnsigned: true, ...config },
    write ? { logger: { info: write, debug: noop, error: noop } } : {},
  );
  const call = async (operation: string, input: unknown) => {
    const res = await twin.app.request("/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(input),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads answers' fields loosely.
    return (await res.json()) as Record<string, any>;
  };
  const poolId = (await call("CreateUserPool", { PoolName: "bench" })).UserPool.Id as string;
  const clientId = (
    await call("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "c",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })
  ).UserPoolClient.ClientId as string;
  await call("AdminCreateUser", { UserPoolId: poolId, Username: "u", MessageAction: "SUPPRESS" });
  await call("AdminSetUserPassword", { UserPoolId: poolId, Username: "u", Password: PASSWORD, Permanent: true });
  const auth = await call("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: "u", PASSWORD },
  });
  const body = JSON.stringify({ AccessToken: auth.AuthenticationResult.AccessToken });
  const headers = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
  };
  return async () => (await twin.app.request("/", { method: "POST", headers, body })).text();
}

process.stderr.write(`${CALLS} timed calls of each, alternating batches of ${BATCH}\n`);
const m = await alternate(
  {
    "middleware alone: absent": middlewareApp("none"),
    "middleware alone: ring only (silent)": middlewareApp("text"),
    "middleware alone: ring + text line, no-op write": middlewareApp("text", noop),
    "middleware alone: ring + JSON line, no-op write": middlewareApp("json", noop),
  },
  CALLS,
);
const bare = m["middleware alone: absent"]!;
process.stderr.write(
  `  => ring ${(m["middleware alone: ring only (silent)"]! - bare).toFixed(2)} µs, text line ${(m["middleware alone: ring + text line, no-op write"]! - bare).toFixed(2)} µs, JSON line ${(m["middleware alone: ring + JSON line, no-op write"]! - bare).toFixed(2)} µs per request\n`,
);
const g = await alternate(
  {
    "GetUser: silent (ring only)": await getUser({ logLevel: "silent" }),
    "GetUser: info, text, no-op write": await getUser({ logLevel: "info" }, noop),
    "GetUser: info, json, no-op write": await getUser({ logLevel: "info", logFormat: "json" }, noop),
    "GetUser: debug, text, no-op write": await getUser({ logLevel: "debug" }, noop),
    "GetUser: info, text, process.stdout": await getUser({ logLevel: "info" }),
  },
  CALLS,
);
const silent = g["GetUser: silent (ring only)"]!;
process.stderr.write(
  `  => over silent: text ${(g["GetUser: info, text, no-op write"]! - silent).toFixed(2)} µs, json ${(g["GetUser: info, json, no-op write"]! - silent).toFixed(2)} µs, debug ${(g["GetUser: debug, text, no-op write"]! - silent).toFixed(2)} µs, text to stdout ${(g["GetUser: info, text, process.stdout"]! - silent).toFixed(2)} µs\n`,
);
