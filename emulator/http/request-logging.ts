// The request log: one line per request (time, operation, pool, status, error type, duration),
// the same entry kept in the ring that the web console and GET /_twin/requests read, and at log
// level debug the request and answer bodies with their secrets masked. The dispatcher (and the
// managed login routes) say what the call was through the context's `logFacts`; this middleware
// measures, reads the status and error type off the answer, and writes. It runs on every request,
// so the line is built with a template or one JSON.stringify and written with one write; bodies
// are only copied and masked at debug. See docs/request-log.md, docs/decisions/0033-request-log.md.
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Services } from "../context.js";
import type { LogFacts } from "../protocol/dispatch.js";
import { maskByName, maskUrl } from "../protocol/mask.js";
import type { NewRequestLogEntry, RequestLogEntry } from "../services/request-log.js";

/** How request lines are written: `text` (the default) or one JSON object per line. */
export type LogFormat = "text" | "json";

/** What {@link requestLogging} needs besides the services. */
export interface RequestLoggingOptions {
  /** Writes one line (without its newline); absent when the log level is `silent`. */
  readonly write?: ((line: string) => void) | undefined;
  readonly format: LogFormat;
  /** Log level `debug`: keep and write the masked request and answer bodies. */
  readonly debug: boolean;
}

/** Non-API request bodies larger than this are not copied into the debug log. */
const MAX_LOGGED_BODY = 64 * 1024;

/**
 * Requests that are neither logged nor kept: `/health`, polled by container wait strategies and
 * orchestrators every second or so; reads of the request log itself, which would fill the log
 * they read; and the web console's page loads and live updates (its actions, POSTs, are logged).
 */
function isQuiet(method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return path === "/health" || path === "/_twin/requests" || path === "/_twin/ui" || path.startsWith("/_twin/ui/");
}

/** The middleware that measures, records and writes every request but the quiet ones. */
export function requestLogging(services: Services, options: RequestLoggingOptions): MiddlewareHandler {
  const { write, format, debug } = options;
  const { requestLog, clock } = services;
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    if (isQuiet(method, path)) return next();
    const start = performance.now();
    // Read before the route consumes it; the API's dispatcher hands its parsed input instead.
    const requestBody = debug && path !== "/" ? await debugRequest(c) : undefined;
    await next();
    const durationMs = Math.round((performance.now() - start) * 1000) / 1000;
    const res = c.res;
    const facts = c.get("logFacts");
    const errorHeader = res.headers.get("x-amzn-errortype");
    // renderError's `UsernameExistsException:`; Cognito's own carries a URL after the colon.
    const colon = errorHeader ? errorHeader.indexOf(":") : -1;
    const errorType = errorHeader ? (colon >= 0 ? errorHeader.slice(0, colon) : errorHeader) : undefined;
    // Assigned, not spread: this runs on every request, and spreads of optional parts cost more.
    const entry: { -readonly [K in keyof NewRequestLogEntry]: NewRequestLogEntry[K] } = {
      time: isoTime(clock.now()),
      requestId: c.get("requestId") ?? "",
      operation: facts?.operation ?? `${method} ${safePath(path)}`,
      status: res.status,
      durationMs,
    };
    if (facts?.poolId !== undefined) entry.poolId = facts.poolId;
    if (facts?.clientId !== undefined) entry.clientId = facts.clientId;
    if (errorType) entry.errorType = errorType;
    if (debug) Object.assign(entry, await debugBodies(res, facts, requestBody));
    const full = requestLog.add(entry);
    if (write) write(format === "json" ? jsonLine(full) : textLine(full, debug));
  };
}

/** The second `isoTime` formatted last, and its text up to the milliseconds. */
let cachedSecond = Number.NaN;
let cachedPrefix = "";

/**
 * `new Date(ms).toISOString()`, with the text up to the seconds kept from the previous call:
 * formatting a Date costs about a microsecond, and most requests fall in the same second.
 */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    // Years beyond 9999 are written differently; they are not cached.
    if (iso.length !== 24) return new Date(ms).toISOString();
    cachedSecond = second;
    cachedPrefix = iso.slice(0, 20);
  }
  const milli = ms - second * 1000;
  return `${cachedPrefix}${milli < 10 ? "00" : milli < 100 ? "0" : ""}${Math.floor(milli)}Z`;
}

/**
 * The text line: `<time> <operation> <pool or -> <status> [<error type>] <duration>ms`, and at
 * debug the client, the request id and the masked bodies as JSON.
 */
function textLine(entry: RequestLogEntry, debug = false): string {
  const base = `${entry.time} ${entry.operation} ${entry.poolId ?? "-"} ${entry.status}${entry.errorType ? ` ${entry.errorType}` : ""} ${entry.durationMs.toFixed(1)}ms`;
  if (!debug) return base;
  const client = entry.clientId ? ` client=${entry.clientId}` : "";
  const request = entry.request !== undefined ? ` request=${JSON.stringify(entry.request)}` : "";
  const response = entry.response !== undefined ? ` response=${JSON.stringify(entry.response)}` : "";
  return `${base}${client} id=${entry.requestId}${request}${response}`;
}

/** The JSON line: the entry's fields (absent ones left out) with `level`, time first. */
function jsonLine(entry: RequestLogEntry): string {
  return JSON.stringify({
    time: entry.time,
    level: "info",
    seq: entry.seq,
    requestId: entry.requestId,
    operation: entry.operation,
    poolId: entry.poolId,
    clientId: entry.clientId,
    status: entry.status,
    errorType: entry.errorType,
    durationMs: entry.durationMs,
    request: entry.request,
    response: entry.response,
  });
}

/**
 * A path as a log line can carry it: Hono hands it decoded, so `%0A` would be a line break (a
 * forged log line); control characters and spaces go back to their escapes, and long paths are cut.
 */
function safePath(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping exactly these is the point
  const clean = path.replace(/[\x00-\x20\x7f-\x9f]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return clean.length > 256 ? `${clean.slice(0, 256)}...` : clean;
}

/** A non-API request at debug: its query string and form or JSON body, masked by name. */
async function debugRequest(c: Context): Promise<unknown> {
  const url = new URL(c.req.url);
  const query = url.search ? maskByName(Object.fromEntries(url.searchParams)) : undefined;
  let body: unknown;
  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD" && c.req.raw.body) {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const form = type === "application/x-www-form-urlencoded";
    const text = form || type.includes("json") ? await readCapped(c.req.raw, MAX_LOGGED_BODY) : undefined;
    if (text === undefined) body = { contentType: type };
    else if (form) body = maskByName(Object.fromEntries(new URLSearchParams(text)));
    else {
      try {
        body = maskByName(JSON.parse(text));
      } catch {
        body = { contentType: type, bytes: text.length };
      }
    }
  }
  if (query === undefined && body === undefined) return undefined;
  return { ...(query !== undefined ? { query } : {}), ...(body !== undefined ? { body } : {}) };
}

/**
 * A copy of the request's body as text, or undefined past `max` bytes: this runs before the body
 * limit, so a large upload is never read whole here; the route still reads the original.
 */
async function readCapped(request: Request, max: number): Promise<string | undefined> {
  const reader = request.clone().body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        // Not awaited: a branch of a tee'd body settles its cancel only once the route's branch
        // is cancelled too, which it never is; cancelled, this branch stops holding chunks.
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The masked bodies an entry keeps at debug: the dispatcher's for API calls, else read off the answer. */
async function debugBodies(
  res: Response,
  facts: LogFacts | undefined,
  requestBody: unknown,
): Promise<{ request?: unknown; response?: unknown }> {
  const request = facts?.request ?? requestBody;
  let response = facts?.response;
  if (response === undefined) response = await debugResponse(res);
  return { ...(request !== undefined ? { request } : {}), ...(response !== undefined ? { response } : {}) };
}

/** An answer at debug: a JSON body masked by name, a redirect's masked Location, or its type. */
async function debugResponse(res: Response): Promise<unknown> {
  const location = res.headers.get("location");
  if (location) return { location: maskUrl(location) };
  const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type.includes("json") && res.body) {
    try {
      return maskByName(await res.clone().json());
    } catch {
      return { contentType: type };
    }
  }
  return type ? { contentType: type } : undefined;
}

/** Parses a non-negative integer query parameter; undefined when absent, NaN when malformed. */
function intParam(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  return /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * Mounts `GET /_twin/requests`: the ring's entries oldest first, `after` a seq (those after it),
 * `limit` the newest N of them, `userPoolId` and `operation` filters; `lastSeq` lets a test mark
 * "now" and later ask for what came after it.
 */
export function requestLogRoutes(app: Hono, services: Services): void {
  app.get("/_twin/requests", (c) => {
    const after = intParam(c.req.query("after"));
    const limit = intParam(c.req.query("limit"));
    if (Number.isNaN(after) || Number.isNaN(limit))
      return c.json({ message: "after and limit must be non-negative integers (like ?after=42&limit=100)" }, 400);
    const userPoolId = c.req.query("userPoolId");
    const operation = c.req.query("operation");
    let requests = services.requestLog.entries(after !== undefined ? { after } : {});
    if (userPoolId !== undefined) requests = requests.filter((e) => e.poolId === userPoolId);
    if (operation !== undefined) requests = requests.filter((e) => e.operation === operation);
    if (limit !== undefined) requests = requests.slice(Math.max(0, requests.length - limit));
    return c.json({ requests, lastSeq: services.requestLog.lastSeq });
  });
}
