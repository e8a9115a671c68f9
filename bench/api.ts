// What the orchestrator needs besides load: one-off API calls for set-up, free ports, and the
// life cycle of a server process (spawn, wait for its first good answer, peak RSS, stop).
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { performance } from "node:perf_hooks";
import { FAKE_SIGV4 } from "./load.js";

/** An API error answered by a server under test. */
export class ApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${operation} answered ${status}: ${body.slice(0, 400)}`);
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Calls one operation; resolves with the parsed body, rejects with ApiError on a non-200. */
export function api<T = Record<string, unknown>>(
  url: string,
  operation: string,
  input: unknown,
  signed = true,
): Promise<T> {
  const body = JSON.stringify(input);
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: u.hostname,
        port: u.port,
        path: "/",
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
          "content-length": Buffer.byteLength(body),
          ...(signed ? { authorization: FAKE_SIGV4, "x-amz-date": "20260101T000000Z" } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) return reject(new ApiError(operation, res.statusCode ?? 0, text));
          try {
            resolve((text ? JSON.parse(text) : {}) as T);
          } catch {
            reject(new ApiError(operation, res.statusCode, text));
          }
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(120_000, () => req.destroy(new Error(`${operation}: no answer within 120 s`)));
    req.end(body);
  });
}

/** Times `n` sequential calls of one operation; resolves with each latency in ms. */
export async function timeCalls(
  url: string,
  operation: string,
  input: unknown,
  n: number,
  signed = true,
  budgetMs = 20_000,
): Promise<number[]> {
  const out: number[] = [];
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await api(url, operation, input, signed);
    out.push(performance.now() - t);
    if (performance.now() > deadline && out.length >= 3) break;
  }
  return out;
}

/** A port nobody listens on right now (bound on 127.0.0.1 and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A server process under test. */
export interface Running {
  readonly url: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the first HTTP 200. */
  readonly readyMs: number;
  /** Peak resident set size so far (VmHWM), in MB (10^6 bytes). */
  peakRssMB(): number;
  /** CPU seconds the server process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** How to start a server: the command, and a first call that proves it serves the API. */
export interface Launch {
  command: string;
  args: string[];
  options?: SpawnOptions;
}

/** Spawns a server and polls it with ListUserPools until it answers 200 (or the timeout). */
export async function startServer(launch: Launch, port: number, timeoutMs = 30_000): Promise<Running> {
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(launch.command, launch.args, { stdio: ["ignore", "ignore", "pipe"], ...launch.options });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  let exited: string | undefined;
  child.once(
    "exit",
    (code, signal) => (exited = `exited (${code ?? signal}) before answering; stderr: ${stderr.slice(-1500)}`),
  );
  for (;;) {
    if (exited) throw new Error(`${launch.args.join(" ")}: ${exited}`);
    if (performance.now() - started > timeoutMs) {
      child.kill("SIGKILL");
      throw new Error(
        `${launch.command} ${launch.args.join(" ")}: no answer within ${timeoutMs} ms; stderr: ${stderr.slice(-1500)}`,
      );
    }
    if (await answers(url)) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    peakRssMB: () => peakRss(child.pid!),
    cpuSeconds: () => cpuSeconds(child.pid!),
    stop: () => stop(child),
  };
}

/** One fresh-connection ListUserPools; true on HTTP 200. */
function answers(url: string): Promise<boolean> {
  const u = new URL(url);
  const body = '{"MaxResults":1}';
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent: false,
        hostname: u.hostname,
        port: u.port,
        path: "/",
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
          "content-length": body.length,
          authorization: FAKE_SIGV4,
          "x-amz-date": "20260101T000000Z",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
      },
    );
    req.on("error", () => resolve(false));
    req.setTimeout(5000, () => req.destroy());
    req.end(body);
  });
}

/** CPU time (user + system) a process has used so far, in seconds (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name: state is 3rd, utime 14th and stime 15th of the whole line.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** VmHWM of a process in MB (Linux); NaN where /proc is not readable. */
export function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? (Number(m[1]) * 1024) / 1e6 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
