// `npm run soak`: a bounded soak. Starts the emulator in a child process (bench/soak-server.ts,
// 127.0.0.1 only), drives mixed traffic at concurrency 32 for a minute or two, samples the
// child's memory (after a full GC) and state every few seconds, and reports errors and whether
// memory is flat (mean of the last third of the samples against the middle third). Exit code 1
// on any unexpected error or growing memory. Not part of `npm test`.
//
// Traffic: most workers run whole user lives (SignUp, the code from the inbox, ConfirmSignUp,
// sign-in, GetUser, refresh, UpdateUserAttributes, ListUsers, GlobalSignOut, GetUser refused,
// AdminDeleteUser), so the state stays bounded and growing memory means a leak; the rest act as
// long-lived users of a few accounts (GetUser, refresh, attribute updates, ListUsers).
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FAKE_SIGV4 } from "./load.js";
import type { SoakRequest, SoakSample } from "./soak-server.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "90" },
    concurrency: { type: "string", default: "32" },
    "max-cycles": { type: "string", default: "1000000" },
    "sample-every": { type: "string", default: "3" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  process.stdout.write(`Usage: npm run soak -- [--seconds 90] [--concurrency 32] [--max-cycles 1000000] [--sample-every 3]
Writes bench/results/soak.json; exits 1 on an unexpected error or growing memory.
`);
  process.exit(0);
}
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const MAX_CYCLES = Number(opts["max-cycles"]);
const SAMPLE_EVERY_MS = Number(opts["sample-every"]) * 1000;
const LONG_LIVED_WORKERS = Math.max(1, Math.floor(CONCURRENCY / 4));
const PASSWORD = "Soak-Passw0rd!";
/** Memory counts as flat when the last third is at most this much above the middle third. */
const TOLERANCE = { heapMB: 8, heapFraction: 0.1 };

// ---- the emulator, in its own process

const child = fork(join(root, "bench/soak-server.ts"), [], {
  execArgv: ["--expose-gc", "--import", "tsx"],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const url = await new Promise<string>((resolve, reject) => {
  child.once("message", (m: { type: string; url: string }) => resolve(m.url));
  child.once("exit", (code) => reject(new Error(`soak server exited (${code}) before it was ready`)));
});
if (!url.startsWith("http://127.0.0.1:")) throw new Error(`soak server is not on loopback: ${url}`);
const { port } = new URL(url);

function sample(): Promise<SoakSample> {
  return new Promise((resolve) => {
    child.once("message", (m: SoakSample) => resolve(m));
    child.send({ type: "sample" } satisfies SoakRequest);
  });
}

// ---- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function request(
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: "127.0.0.1",
        port,
        path,
        method,
        headers: { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { __type: "NotJson", message: text.slice(0, 200) } });
          }
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${path}: no answer within 60 s`)));
    req.end(body);
  });
}

const api = (operation: string, input: unknown, signed = false) =>
  request(
    "POST",
    "/",
    {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      ...(signed ? { authorization: FAKE_SIGV4 } : {}),
    },
    JSON.stringify(input),
  );

// ---- bookkeeping

/** When the measured run began (set again once set-up is done). */
let started = performance.now();
const calls = new Map<string, number>();
/** [seconds since start, operation, latency ms] of every call, to see what slows down. */
const latencies: [number, string, number][] = [];
let unexpected = 0;
const firstErrors: string[] = [];
let cycles = 0;

/** Calls an operation and counts it; an answer other than `expect` is an unexpected error. */
async function call(
  operation: string,
  input: unknown,
  opts: { signed?: boolean; expect?: string } = {},
): Promise<Record<string, unknown> | undefined> {
  calls.set(operation, (calls.get(operation) ?? 0) + 1);
  let res: Answer;
  const t0 = performance.now();
  try {
    res = await api(operation, input, opts.signed);
    latencies.push([(t0 - started) / 1000, operation, performance.now() - t0]);
  } catch (e) {
    res = { status: 0, body: { __type: "Transport", message: (e as Error).message } };
  }
  const got = res.status === 200 ? "200" : `${String(res.body.__type)}: ${String(res.body.message)}`;
  if (got !== (opts.expect ?? "200")) {
    unexpected += 1;
    if (firstErrors.length < 5) firstErrors.push(`${operation} -> ${res.status} ${got}`);
    return undefined;
  }
  return res.body;
}

// ---- set-up

function fail(what: string): never {
  process.stderr.write(`soak: ${what}: ${firstErrors.join("; ")}\n`);
  child.kill();
  process.exit(1);
}

const pool = (await call(
  "CreateUserPool",
  {
    PoolName: "soak",
    UsernameAttributes: ["email"],
    AutoVerifiedAttributes: ["email"],
    Schema: [
      { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
      { Name: "name", AttributeDataType: "String", Required: true, Mutable: true },
      { Name: "plan", AttributeDataType: "String", Mutable: true },
    ],
  },
  { signed: true },
)) as { UserPool: { Id: string } };
if (!pool) fail("could not create the soak pool");
const poolId = pool.UserPool.Id;
const client = (await call(
  "CreateUserPoolClient",
  {
    UserPoolId: poolId,
    ClientName: "soak",
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  },
  { signed: true },
)) as {
  UserPoolClient: { ClientId: string };
};
if (!client) fail("could not create the soak client");
const clientId = client.UserPoolClient.ClientId;

type Tokens = { AccessToken: string; RefreshToken: string };
async function signIn(email: string): Promise<Tokens | undefined> {
  const out = await call("InitiateAuth", {
    ClientId: clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: email, PASSWORD },
  });
  return out?.AuthenticationResult as Tokens | undefined;
}

// ---- the two kinds of worker

started = performance.now();
const deadline = started + SECONDS * 1000;
const running = () => performance.now() < deadline && cycles < MAX_CYCLES;

async function lifeCycles(worker: number): Promise<void> {
  for (let n = 0; running(); n++) {
    cycles += 1;
    const email = `soak-${worker}-${n}@example.com`;
    if (
      !(await call("SignUp", {
        ClientId: clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: "name", Value: `Soak ${n}` }],
      }))
    )
      continue;
    const t0 = performance.now();
    const inbox = await request(
      "GET",
      `/_twin/messages?userPoolId=${poolId}&username=${encodeURIComponent(email)}`,
      {},
    );
    latencies.push([(t0 - started) / 1000, "GET /_twin/messages", performance.now() - t0]);
    const code = (inbox.body.messages as { code?: string }[] | undefined)?.at(-1)?.code;
    if (!code) {
      unexpected += 1;
      if (firstErrors.length < 5) firstErrors.push(`no sign-up code in the inbox for ${email}`);
    } else {
      await call("ConfirmSignUp", { ClientId: clientId, Username: email, ConfirmationCode: code });
      const tokens = await signIn(email);
      if (tokens) {
        await call("GetUser", { AccessToken: tokens.AccessToken });
        const refreshed = (
          await call("InitiateAuth", {
            ClientId: clientId,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
          })
        )?.AuthenticationResult as Tokens | undefined;
        const access = refreshed?.AccessToken ?? tokens.AccessToken;
        await call("UpdateUserAttributes", {
          AccessToken: access,
          UserAttributes: [
            { Name: "name", Value: `Renamed ${n}` },
            { Name: "custom:plan", Value: n % 2 ? "pro" : "free" },
          ],
        });
        await call("ListUsers", { UserPoolId: poolId, Filter: `email = "${email}"`, Limit: 1 }, { signed: true });
        await call("GlobalSignOut", { AccessToken: access });
        await call(
          "GetUser",
          { AccessToken: access },
          { expect: "NotAuthorizedException: Access Token has been revoked" },
        );
      }
    }
    await call("AdminDeleteUser", { UserPoolId: poolId, Username: email }, { signed: true });
  }
}

async function longLived(worker: number): Promise<void> {
  const email = `resident-${worker}@example.com`;
  await call(
    "AdminCreateUser",
    {
      UserPoolId: poolId,
      Username: email,
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "name", Value: "Resident" },
        { Name: "email_verified", Value: "true" },
      ],
    },
    { signed: true },
  );
  await call(
    "AdminSetUserPassword",
    { UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true },
    { signed: true },
  );
  const tokens = await signIn(email);
  if (!tokens) return;
  let access = tokens.AccessToken;
  for (let n = 0; running(); n++) {
    cycles += 1;
    await call("GetUser", { AccessToken: access });
    const refreshed = (
      await call("InitiateAuth", {
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
      })
    )?.AuthenticationResult as Tokens | undefined;
    if (refreshed) access = refreshed.AccessToken;
    await call("UpdateUserAttributes", {
      AccessToken: access,
      UserAttributes: [{ Name: "custom:plan", Value: `plan-${n % 7}` }],
    });
    await call("ListUsers", { UserPoolId: poolId, Limit: 20, AttributesToGet: ["email", "name"] }, { signed: true });
  }
}

// ---- run, sampling as it goes

const samples: (SoakSample & { t: number; cycles: number })[] = [];
const first = await sample();
samples.push({ ...first, t: 0, cycles: 0 });
let lastLine = performance.now();
const sampler = (async () => {
  while (running()) {
    await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
    const s = await sample();
    samples.push({ ...s, t: (performance.now() - started) / 1000, cycles });
    if (performance.now() - lastLine > 15_000) {
      lastLine = performance.now();
      process.stdout.write(
        `  ${s.heapUsedMB.toFixed(1)} MB heap, ${s.rssMB.toFixed(0)} MB RSS, ${cycles} cycles, ${unexpected} unexpected errors at ${Math.round((performance.now() - started) / 1000)} s\n`,
      );
    }
  }
})();
process.stdout.write(`soak: ${SECONDS} s at concurrency ${CONCURRENCY} against ${url} (pool ${poolId})\n`);
await Promise.all([
  ...Array.from({ length: CONCURRENCY }, (_, w) => (w < LONG_LIVED_WORKERS ? longLived(w) : lifeCycles(w))),
  sampler,
]);
const elapsed = (performance.now() - started) / 1000;
samples.push({ ...(await sample()), t: elapsed, cycles });
child.send({ type: "stop" } satisfies SoakRequest);
agent.destroy();

// ---- verdict

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const third = elapsed / 3;
const middle = samples.filter((s) => s.t >= third && s.t < 2 * third);
const last = samples.filter((s) => s.t >= 2 * third);
const heap = { middleMB: mean(middle.map((s) => s.heapUsedMB)), lastMB: mean(last.map((s) => s.heapUsedMB)) };
const rss = { middleMB: mean(middle.map((s) => s.rssMB)), lastMB: mean(last.map((s) => s.rssMB)) };
const growthMB = heap.lastMB - heap.middleMB;
/** Cycles per second over a stretch of samples (throughput should not fall as the run goes on). */
const rate = (xs: typeof samples) =>
  xs.length < 2 ? 0 : (xs.at(-1)!.cycles - xs[0]!.cycles) / (xs.at(-1)!.t - xs[0]!.t);
const latencyByOp = (from: number, to: number) => {
  const by = new Map<string, number[]>();
  for (const [t, op, ms] of latencies) {
    if (t < from || t >= to) continue;
    let xs = by.get(op);
    if (!xs) {
      xs = [];
      by.set(op, xs);
    }
    xs.push(ms);
  }
  return Object.fromEntries([...by].map(([op, xs]) => [op, Number(mean(xs).toFixed(1))]));
};
const meanLatencyMs = { middleThird: latencyByOp(third, 2 * third), lastThird: latencyByOp(2 * third, Infinity) };
const throughput = {
  firstThird: Math.round(rate(samples.filter((s) => s.t < third))),
  middleThird: Math.round(rate(middle)),
  lastThird: Math.round(rate(last)),
};
const flat = growthMB <= Math.max(TOLERANCE.heapMB, TOLERANCE.heapFraction * heap.middleMB);
const requests = [...calls.values()].reduce((a, b) => a + b, 0);
const end = samples.at(-1)!;
const result = {
  date: new Date().toISOString(),
  seconds: Number(elapsed.toFixed(1)),
  concurrency: CONCURRENCY,
  cycles,
  requests,
  requestsPerSecond: Math.round(requests / elapsed),
  cyclesPerSecond: throughput,
  meanLatencyMs,
  unexpectedErrors: unexpected,
  firstErrors,
  calls: Object.fromEntries(calls),
  memory: {
    flat,
    tolerance: `last third at most max(${TOLERANCE.heapMB} MB, ${TOLERANCE.heapFraction * 100}%) above the middle third, heap after a full GC`,
    heapAfterGcMB: {
      start: Number(first.heapUsedMB.toFixed(1)),
      middleThird: Number(heap.middleMB.toFixed(1)),
      lastThird: Number(heap.lastMB.toFixed(1)),
      end: Number(end.heapUsedMB.toFixed(1)),
    },
    rssMB: {
      start: Math.round(first.rssMB),
      middleThird: Math.round(rss.middleMB),
      lastThird: Math.round(rss.lastMB),
      end: Math.round(end.rssMB),
    },
  },
  stateAtEnd: { users: end.users, sessions: end.sessions, challenges: end.challenges, inbox: end.inbox },
  samples: samples.map((s) => ({
    t: Number(s.t.toFixed(1)),
    heapMB: Number(s.heapUsedMB.toFixed(1)),
    rssMB: Math.round(s.rssMB),
    users: s.users,
    sessions: s.sessions,
    inbox: s.inbox,
  })),
};
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/soak.json"), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `soak: ${cycles} cycles, ${requests} requests in ${elapsed.toFixed(0)} s (${result.requestsPerSecond}/s), ${unexpected} unexpected errors\n` +
    `  heap after GC: middle third ${heap.middleMB.toFixed(1)} MB, last third ${heap.lastMB.toFixed(1)} MB (${growthMB >= 0 ? "+" : ""}${growthMB.toFixed(1)} MB): ${flat ? "flat" : "GROWING"}\n` +
    `  cycles/s: first third ${throughput.firstThird}, middle ${throughput.middleThird}, last ${throughput.lastThird}\n` +
    `  RSS: start ${first.rssMB.toFixed(0)} MB, middle third ${rss.middleMB.toFixed(0)} MB, last third ${rss.lastMB.toFixed(0)} MB\n` +
    `  state at the end: ${end.users} users, ${end.sessions} sessions, ${end.challenges} challenges, ${end.inbox} messages\n` +
    (firstErrors.length ? `  first errors:\n    ${firstErrors.join("\n    ")}\n` : "") +
    `  written to bench/results/soak.json\n`,
);
process.exit(unexpected === 0 && flat ? 0 : 1);
