// What the request log costs per request, in one process (no HTTP or load generator noise):
//  1. the middleware alone: a Hono app whose only route answers "ok", with and without it;
//  2. GetUser through the whole emulator (app.request), at log level silent (the ring only),
//     info with a no-op writer (text, json), debug with a no-op writer, and info to stdout.
// Run: npx tsx bench/request-log.ts [calls]; run it with stdout sent to /dev/null or a pipe to
// see what the real write adds (the figures go to stderr). See docs/request-log.md.
import { Hono } from "hono";
import { createApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import type { Services } from "../emulator/context.js";
import { AdjustableClock } from "../emulator/core/clock.js";
import { type LogFormat, requestLogging } from "../emulator/http/request-logging.js";
import { RequestLog } from "../emulator/services/request-log.js";
import { alternateCalls, getUserRun, type Run } from "./in-process.js";

const CALLS = Number(process.argv[2] ?? 20_000);
const BATCH = 200;
const noop = () => undefined;

function middlewareApp(format: LogFormat | "none", write?: (line: string) => void): Run {
  const app = new Hono();
  if (format !== "none") {
    const services = { requestLog: new RequestLog(), clock: new AdjustableClock() } as unknown as Services;
    app.use("*", requestLogging(services, { write, format, debug: false }));
  }
  app.post("/", (c) => c.body('{"ok":true}', 200, { "content-type": "application/x-amz-json-1.1" }));
  return async () => (await app.request("/", { method: "POST", body: "{}" })).text();
}

/** GetUser on a fresh emulator with `config`, its log lines to `write` (stdout when absent). */
async function getUser(config: Partial<TwinConfig>, write?: (line: string) => void): Promise<Run> {
  const twin = await createApp(
    { allowUnsigned: true, ...config },
    write ? { logger: { info: write, debug: noop, error: noop } } : {},
  );
  return getUserRun(twin);
}

process.stderr.write(`${CALLS} timed calls of each, alternating batches of ${BATCH}\n`);
const m = await alternateCalls(
  {
    "middleware alone: absent": middlewareApp("none"),
    "middleware alone: ring only (silent)": middlewareApp("text"),
    "middleware alone: ring + text line, no-op write": middlewareApp("text", noop),
    "middleware alone: ring + JSON line, no-op write": middlewareApp("json", noop),
  },
  CALLS,
  BATCH,
);
const bare = m["middleware alone: absent"]!;
process.stderr.write(
  `  => ring ${(m["middleware alone: ring only (silent)"]! - bare).toFixed(2)} µs, text line ${(m["middleware alone: ring + text line, no-op write"]! - bare).toFixed(2)} µs, JSON line ${(m["middleware alone: ring + JSON line, no-op write"]! - bare).toFixed(2)} µs per request\n`,
);
const g = await alternateCalls(
  {
    "GetUser: silent (ring only)": await getUser({ logLevel: "silent" }),
    "GetUser: info, text, no-op write": await getUser({ logLevel: "info" }, noop),
    "GetUser: info, json, no-op write": await getUser({ logLevel: "info", logFormat: "json" }, noop),
    "GetUser: debug, text, no-op write": await getUser({ logLevel: "debug" }, noop),
    "GetUser: info, text, process.stdout": await getUser({ logLevel: "info" }),
  },
  CALLS,
  BATCH,
);
const silent = g["GetUser: silent (ring only)"]!;
process.stderr.write(
  `  => over silent: text ${(g["GetUser: info, text, no-op write"]! - silent).toFixed(2)} µs, json ${(g["GetUser: info, json, no-op write"]! - silent).toFixed(2)} µs, debug ${(g["GetUser: debug, text, no-op write"]! - silent).toFixed(2)} µs, text to stdout ${(g["GetUser: info, text, process.stdout"]! - silent).toFixed(2)} µs\n`,
);
