// The workloads, identical for every tool: the seed guide's pool (email as username, email
// auto-verified, email and name required, the full password policy) and client
// (USER_PASSWORD_AUTH), driven through the same API calls.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { ApiError, api, freePort, type Running, startServer, timeCalls } from "./api.js";
import type { Job, JobResult } from "./load.js";
import { scratchDir, type Tool } from "./tools.js";

/** Sends a job to the load-generator process. */
export type RunJob = (job: Job) => Promise<JobResult>;

/** The one password of the workloads (test suites use one password for their users). */
export const PASSWORD = "Bench-Passw0rd!";

/** A pool and client of the seed's shape. */
export interface Fixture {
  poolId: string;
  clientId: string;
}

/** Creates the seed's pool and client. */
export async function createFixture(url: string): Promise<Fixture> {
  const pool = await api<{ UserPool: { Id: string } }>(url, "CreateUserPool", {
    PoolName: "bench-pool",
    Policies: {
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      },
    },
    UsernameAttributes: ["email"],
    AutoVerifiedAttributes: ["email"],
    Schema: [
      { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
      { Name: "name", AttributeDataType: "String", Required: true, Mutable: true },
    ],
    MfaConfiguration: "OFF",
  });
  const client = await api<{ UserPoolClient: { ClientId: string } }>(url, "CreateUserPoolClient", {
    UserPoolId: pool.UserPool.Id,
    ClientName: "bench-client",
    GenerateSecret: false,
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { poolId: pool.UserPool.Id, clientId: client.UserPoolClient.ClientId };
}

/** A confirmed user with a permanent password: AdminCreateUser, then AdminSetUserPassword. */
export async function confirmedUser(url: string, f: Fixture, email: string): Promise<void> {
  await api(url, "AdminCreateUser", {
    UserPoolId: f.poolId,
    Username: email,
    UserAttributes: [
      { Name: "name", Value: "Bench User" },
      { Name: "email_verified", Value: "true" },
    ],
    MessageAction: "SUPPRESS",
    TemporaryPassword: PASSWORD,
  });
  await api(url, "AdminSetUserPassword", {
    UserPoolId: f.poolId,
    Username: email,
    Password: PASSWORD,
    Permanent: true,
  });
}

function signInBody(f: Fixture, email: string): string {
  return JSON.stringify({
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: f.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
  });
}

/** The shape of one measured figure across runs. */
export interface Figure {
  /** One value per run; the figure is their median. */
  runs: number[];
  /** Set when the value is a projection, not a measurement, with how it was made. */
  extrapolated?: string;
  /** Anything a reader must know to read the value. */
  note?: string;
  /** Why there is no value. */
  missing?: string;
}

/** Durations of the bounded workloads. */
export interface Budget {
  seconds: number;
  warmupSeconds: number;
}

/** Starts a tool on a free port. */
export async function launchTool(tool: Tool, dir: string, timeoutMs?: number): Promise<Running> {
  const port = await freePort();
  return startServer(tool.launch(port, dir), port, timeoutMs);
}

/** Runs `work` on a fresh server of `tool` in a scratch directory, then stops it and removes the directory. */
export async function withServer<T>(tool: Tool, work: (server: Running) => Promise<T>): Promise<T> {
  const scratch = scratchDir(tool.name);
  let server: Running | undefined;
  try {
    server = await launchTool(tool, scratch.dir);
    return await work(server);
  } finally {
    await server?.stop();
    scratch.remove();
  }
}

/**
 * Runs load jobs on `server` and adds the server's CPU time per request to each result, with a
 * line to `log` (rates and CPU per `unit`: a request, or a pair of them).
 */
export function measuredStep(
  server: Running,
  runJob: RunJob,
  log: (line: string) => void,
  unit: { rate: string; each: string } = { rate: "req/s", each: "request" },
): (label: string, job: Job) => Promise<Measured> {
  return async (label, job) => {
    const cpu0 = server.cpuSeconds();
    const r = await runJob(job);
    const serverCpuUs = ((server.cpuSeconds() - cpu0) / r.sent) * 1e6;
    log(
      `  ${label}: ${fmt(r.rps)} ${unit.rate}, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, server CPU ${fmt(serverCpuUs)} us/${unit.each}${r.errors ? `, ${r.errors} errors (${r.firstError})` : ""}`,
    );
    return { ...r, serverCpuUs };
  };
}

/** Start-up: spawn to the first HTTP 200, `n` times; answers each time in ms. */
export async function measureStartup(tool: Tool, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await withServer(tool, async (server) => server.readyMs));
  return out;
}

/** A load job's result with the server's CPU time per request (all its threads). */
export type Measured = JobResult & { serverCpuUs: number };

/** The throughput workloads of one run, on a fresh server. */
export interface ThroughputRun {
  initiateAuthC1: Measured;
  initiateAuthC16: Measured;
  getUserC16: Measured;
  signUpC16: Measured;
  signUpDistinctC16: Measured;
}

const SIGN_IN_USERS = 16;

/** Runs InitiateAuth (c1, c16), GetUser (c16) and SignUp (c16, shared and distinct passwords). */
export async function measureThroughput(
  tool: Tool,
  runJob: RunJob,
  budget: Budget,
  log: (line: string) => void,
): Promise<ThroughputRun> {
  return withServer(tool, async (server) => {
    const url = server.url;
    const f = await createFixture(url);
    const emails = Array.from({ length: SIGN_IN_USERS }, (_, k) => `signin${k}@bench.test`);
    for (const e of emails) await confirmedUser(url, f, e);
    const tokens: string[] = [];
    for (const e of emails) {
      const r = await api<{ AuthenticationResult: { AccessToken: string } }>(
        url,
        "InitiateAuth",
        JSON.parse(signInBody(f, e)),
        false,
      );
      tokens.push(r.AuthenticationResult.AccessToken);
    }
    const signIns = emails.map((e) => signInBody(f, e));
    const base = { url, signed: false, seconds: budget.seconds, warmupSeconds: budget.warmupSeconds };
    const step = measuredStep(server, runJob, log);
    const initiateAuthC1 = await step("InitiateAuth c1", {
      ...base,
      operation: "InitiateAuth",
      bodies: signIns,
      concurrency: 1,
    });
    const initiateAuthC16 = await step("InitiateAuth c16", {
      ...base,
      operation: "InitiateAuth",
      bodies: signIns,
      concurrency: 16,
    });
    const getUserC16 = await step("GetUser c16", {
      ...base,
      operation: "GetUser",
      bodies: tokens.map((t) => JSON.stringify({ AccessToken: t })),
      concurrency: 16,
    });
    const signUp = (password: string) =>
      JSON.stringify({
        ClientId: f.clientId,
        Username: "su{i}@bench.test",
        Password: password,
        UserAttributes: [
          { Name: "email", Value: "su{i}@bench.test" },
          { Name: "name", Value: "Sign Up {i}" },
        ],
      });
    const signUpC16 = await step("SignUp c16 (one password)", {
      ...base,
      operation: "SignUp",
      bodies: [signUp(PASSWORD)],
      concurrency: 16,
      start: 0,
    });
    const signUpDistinctC16 = await step("SignUp c16 (a password each)", {
      ...base,
      operation: "SignUp",
      bodies: [signUp(`${PASSWORD}{i}`)],
      concurrency: 16,
      start: 10_000_000,
    });
    return { initiateAuthC1, initiateAuthC16, getUserC16, signUpC16, signUpDistinctC16 };
  });
}

/** What the scale workload measured at one user count. */
export interface ScalePoint {
  users: number;
  /** Seconds from an empty pool to this many users through AdminCreateUser (c16). */
  createSeconds?: number;
  /** Server CPU time per user created through the API so far, in microseconds. */
  createCpuUs?: number;
  createExtrapolated?: string;
  signInMs?: number;
  listUsersMs?: number;
  listUsersMissing?: string;
  peakRssMB?: number;
  /** How the state was reached when not through the API. */
  via?: string;
  /** Creation calls that failed transiently and were retried. */
  retries?: string;
  missing?: string;
}

/** Settings of one scale run. */
export interface ScalePlan {
  checkpoints: number[];
  /** Seconds of API creation allowed before the rest is extrapolated. */
  createBudgetSeconds: number;
  /** Users per load job while creating (the budget is checked between jobs). */
  chunk: number;
  /** Sequential calls per latency probe. */
  probes: number;
}

const SCALE_USER = (i: number) => ({ email: `u${i}@scale.test`, name: `Scale User ${i}`, password: PASSWORD });

/**
 * Creates users through AdminCreateUser at concurrency 16 up to each checkpoint, then at each:
 * sign-in latency and filtered ListUsers latency for the user in the middle of the pool (a scan
 * finds it half-way), and the server's peak RSS. Past the creation budget, creation time is
 * extrapolated from the chunks measured; tools with a data file are filled directly instead.
 */
export async function measureScale(
  tool: Tool,
  runJob: RunJob,
  plan: ScalePlan,
  log: (line: string) => void,
): Promise<ScalePoint[]> {
  const scratch = scratchDir(tool.name);
  let server: Running | undefined;
  const points: ScalePoint[] = [];
  try {
    server = await launchTool(tool, scratch.dir);
    let url = server.url;
    const f = await createFixture(url);
    const chunks: { from: number; to: number; seconds: number }[] = [];
    let created = 0;
    let spent = 0;
    let budgetHit = false;
    let retries = 0;
    let firstRetried: string | undefined;
    let createCpu = 0;
    let failed = 0;
    let firstFailed: string | undefined;
    const createBody = JSON.stringify({
      UserPoolId: f.poolId,
      Username: "u{i}@scale.test",
      UserAttributes: [
        { Name: "name", Value: "Scale User {i}" },
        { Name: "email_verified", Value: "true" },
      ],
      MessageAction: "SUPPRESS",
      TemporaryPassword: PASSWORD,
    });
    for (const target of plan.checkpoints) {
      while (!budgetHit && created < target) {
        const n = Math.min(plan.chunk, target - created);
        const cpu0 = server.cpuSeconds();
        const r = await runJob({
          url,
          operation: "AdminCreateUser",
          signed: true,
          bodies: [createBody],
          concurrency: 16,
          count: n,
          start: created,
          retry: { times: 5, doneWhen: ["UsernameExistsException"] },
        });
        createCpu += server.cpuSeconds() - cpu0;
        if (r.errors > 0) {
          // A peer that keeps failing some creations: carry on, and say how many are missing.
          failed += r.errors;
          firstFailed ??= r.firstError;
        }
        if (r.retried > 0) {
          retries += r.retried;
          firstRetried ??= r.firstRetried?.replace(/\s+/g, " ").slice(0, 120);
        }
        chunks.push({ from: created, to: created + n, seconds: r.seconds });
        created += n;
        spent += r.seconds;
        if (spent > plan.createBudgetSeconds && created < target) budgetHit = true;
      }
      const point: ScalePoint = { users: target, createCpuUs: (createCpu / created) * 1e6 };
      if (retries > 0)
        point.retries = `${retries} AdminCreateUser calls failed and were sent again (first: ${firstRetried})${failed > 0 ? `; ${failed} still failed after 5 tries (${firstFailed}), so the pool holds that many users fewer` : ""}`;
      if (created >= target) {
        point.createSeconds = chunks.filter((c) => c.to <= target).reduce((a, c) => a + c.seconds, 0);
      } else {
        const model = extrapolateCreation(chunks);
        point.createSeconds = model.total(target);
        point.createExtrapolated = `from ${created.toLocaleString("en-US")} users created in ${spent.toFixed(1)} s (${model.describe})`;
      }
      if (created >= target) {
        await probe(url, f, target, point, plan.probes).catch((e: unknown) => {
          point.missing = `probe failed: ${(e as Error).message.slice(0, 200)}`;
        });
        point.peakRssMB = server.peakRssMB();
      } else if (tool.prepopulate) {
        // Too slow through the API: write the users into its data file and restart it.
        await server.stop();
        tool.prepopulate(scratch.dir, f.poolId, target, SCALE_USER);
        server = await launchTool(tool, scratch.dir, 300_000);
        url = server.url;
        point.via = `${target.toLocaleString("en-US")} users written into its data file, then the server restarted`;
        await probe(url, f, target, point, plan.probes);
        point.peakRssMB = server.peakRssMB();
      } else {
        point.missing = `not reached: creating ${target.toLocaleString("en-US")} users through its API would take at least ${fmtSeconds(point.createSeconds)} and it keeps state only in memory`;
      }
      log(
        `  ${target.toLocaleString("en-US")} users: create ${point.createSeconds === undefined ? "-" : `${point.createSeconds.toFixed(1)} s${point.createExtrapolated ? " (extrapolated)" : ""}`}, ` +
          `sign-in ${point.signInMs?.toFixed(2) ?? "-"} ms, ListUsers ${point.listUsersMs?.toFixed(2) ?? point.listUsersMissing ?? "-"} ms, ` +
          `peak RSS ${point.peakRssMB?.toFixed(0) ?? "-"} MB${point.via ? ` (${point.via})` : ""}${point.missing ? ` (${point.missing})` : ""}${point.retries ? ` (${point.retries})` : ""}`,
      );
      points.push(point);
    }
    return points;
  } finally {
    await server?.stop();
    scratch.remove();
  }
}

/** Sign-in and filtered ListUsers latency (medians) for the user in the middle of the pool. */
async function probe(url: string, f: Fixture, users: number, point: ScalePoint, n: number): Promise<void> {
  const { email } = SCALE_USER(Math.floor(users / 2));
  await api(url, "AdminSetUserPassword", {
    UserPoolId: f.poolId,
    Username: email,
    Password: PASSWORD,
    Permanent: true,
  });
  const signIn = JSON.parse(signInBody(f, email)) as unknown;
  await api(url, "InitiateAuth", signIn, false);
  point.signInMs = median(await timeCalls(url, "InitiateAuth", signIn, n, false));
  const list = { UserPoolId: f.poolId, Filter: `email = "${email}"` };
  try {
    const found = await api<{ Users?: unknown[] }>(url, "ListUsers", list);
    if (found.Users?.length !== 1)
      throw new Error(`ListUsers with ${list.Filter} found ${found.Users?.length ?? 0} users, not 1`);
    point.listUsersMs = median(await timeCalls(url, "ListUsers", list, n));
  } catch (e) {
    if (e instanceof ApiError && /UnsupportedOperation|UnknownOperation|not implement/i.test(e.body))
      point.listUsersMissing = "ListUsers not implemented yet";
    else throw e;
  }
}

/**
 * A lower bound for the time to `n` users: the time measured so far, plus the remaining users at
 * the per-user rate of the last chunk measured. Every store here gets slower per user as it
 * fills (cognito-local rewrites its whole data file per write), so the real time is longer; a
 * lower bound never overstates cognito-twin's lead.
 */
export function extrapolateCreation(chunks: { from: number; to: number; seconds: number }[]): {
  total(n: number): number;
  describe: string;
} {
  const last = chunks[chunks.length - 1]!;
  const measured = chunks.reduce((s, c) => s + c.seconds, 0);
  const perUser = last.seconds / (last.to - last.from);
  return {
    total: (n) => measured + Math.max(0, n - last.to) * perUser,
    describe: `a lower bound: the rest at the rate of the last ${(last.to - last.from).toLocaleString("en-US")} users (${(perUser * 1000).toFixed(1)} ms each), though every peer slows down as it fills`,
  };
}

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Integer with thousands separators. */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Seconds as `12.3 s` or `7.5 min`. */
export function fmtSeconds(s: number | undefined): string {
  if (s === undefined) return "-";
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}

/** Time since `t0` in seconds. */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** The managed login pages and OAuth 2.0 endpoints' workloads of one run, on a fresh server. */
export interface HostedRun {
  loginPageC1?: Measured;
  codeExchangeC16?: Measured;
  clientCredentialsC16?: Measured;
  codeFlowC16?: Measured;
  /** Why a workload could not be driven on this tool. */
  missing: Partial<Record<"loginPage" | "codeExchange" | "clientCredentials" | "codeFlow", string>>;
}

/** Where a tool serves the pages and endpoints, and how it hands out a code without a browser. */
interface HostedSurface {
  /** Path of the login page for an authorize query (cognito-twin: /login; cognito-local: /oauth2/authorize). */
  loginPage(query: string): string;
  authorize(query: string): string;
  token: string;
  clientCredentials: boolean;
  /** A fresh authorization code for `username` (the query is the authorize request's). */
  code(url: string, query: URLSearchParams, username: string): Promise<string>;
}

const CALLBACK = "http://localhost:3000/callback";
/** One PKCE verifier for every sign-in of the workloads (the server still checks it each time). */
const VERIFIER = "bench-pkce-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const HOSTED_USERS = 16;

/** Runs `fn(i)` for i < n, `concurrency` at a time. */
async function inParallel(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.ok || res.status === 302) return res;
  throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

/**
 * Sets up what the hosted workloads need on `url` (a domain where the tool has them, the code
 * grant client, a resource server and a machine client for client_credentials) and says where
 * everything is.
 */
async function hostedSurface(
  tool: Tool,
  url: string,
  f: Fixture,
): Promise<{ surface: HostedSurface; clientId: string; basic?: string; scope?: string }> {
  const client = await api<{ UserPoolClient: { ClientId: string } }>(url, "CreateUserPoolClient", {
    UserPoolId: f.poolId,
    ClientName: "bench-hosted",
    GenerateSecret: false,
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO"],
  });
  const clientId = client.UserPoolClient.ClientId;
  if (tool.name === "cognito-local") {
    // Its pages and endpoints are at the root, for every pool; the login form posts back to
    // /oauth2/authorize, which answers the code (no CSRF token, no session).
    return {
      clientId,
      surface: {
        loginPage: (q) => `/oauth2/authorize?${q}`,
        authorize: (q) => `/oauth2/authorize?${q}`,
        token: "/oauth2/token",
        clientCredentials: false,
        async code(base, query, username) {
          const form = new URLSearchParams(query);
          form.set("username", username);
          form.set("password", PASSWORD);
          const res = await expectOk(
            await fetch(`${base}/oauth2/authorize`, { method: "POST", body: form, redirect: "manual" }),
            "POST /oauth2/authorize",
          );
          const code = new URL(res.headers.get("location") ?? "", CALLBACK).searchParams.get("code");
          if (!code) throw new Error(`POST /oauth2/authorize gave no code: ${res.headers.get("location")}`);
          return code;
        },
      },
    };
  }
  const domain = `bench-${createHash("sha256").update(f.poolId).digest("hex").slice(0, 8)}`;
  await api(url, "CreateUserPoolDomain", { UserPoolId: f.poolId, Domain: domain });
  const identifier = "https://api.bench.test";
  await api(url, "CreateResourceServer", {
    UserPoolId: f.poolId,
    Identifier: identifier,
    Name: "bench api",
    Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
  });
  const machine = await api<{ UserPoolClient: { ClientId: string; ClientSecret: string } }>(
    url,
    "CreateUserPoolClient",
    {
      UserPoolId: f.poolId,
      ClientName: "bench-machine",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${identifier}/read`],
    },
  );
  const m = machine.UserPoolClient;
  const base = `/_domain/${domain}`;
  return {
    clientId,
    basic: `Basic ${Buffer.from(`${m.ClientId}:${m.ClientSecret}`).toString("base64")}`,
    scope: `${identifier}/read`,
    surface: {
      loginPage: (q) => `${base}/login?${q}`,
      authorize: (q) => `${base}/oauth2/authorize?${q}`,
      token: `${base}/oauth2/token`,
      clientCredentials: true,
      // The test control that hands out a code as if the user had signed in on the pages.
      async code(at, query, username) {
        const res = await expectOk(
          await fetch(`${at}/_twin/oauth/code`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              clientId: query.get("client_id"),
              username,
              redirectUri: query.get("redirect_uri"),
              scope: query.get("scope"),
              codeChallenge: query.get("code_challenge"),
              codeChallengeMethod: "S256",
            }),
          }),
          "POST /_twin/oauth/code",
        );
        return ((await res.json()) as { code: string }).code;
      },
    },
  };
}

/**
 * The managed login pages and the token endpoint: the login page's render time (c1), the
 * authorization-code exchange at /oauth2/token (c16, codes made beforehand, each redeemed once),
 * client_credentials (c16), and whole sign-ins (authorize, the login page, its form post, the
 * code's exchange) per second at c16. Tools without an endpoint get the reason instead.
 */
export async function measureHosted(
  tool: Tool,
  runJob: RunJob,
  budget: Budget,
  codes: number,
  log: (line: string) => void,
): Promise<HostedRun> {
  const out: HostedRun = { missing: {} };
  if (tool.name === "moto") {
    const none = `moto ${tool.version ?? ""} serves no OAuth 2.0 endpoints or login pages`;
    out.missing = { loginPage: none, codeExchange: none, clientCredentials: none, codeFlow: none };
    log(`  ${none}`);
    return out;
  }
  return withServer(tool, async (server) => {
    const url = server.url;
    const f = await createFixture(url);
    const setUp = await hostedSurface(tool, url, f);
    const { surface, clientId } = setUp;
    const emails = Array.from({ length: HOSTED_USERS }, (_, k) => `hosted${k}@bench.test`);
    for (const e of emails) await confirmedUser(url, f, e);
    const query = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: CALLBACK,
      scope: "openid email",
      state: "bench",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    });
    const base = { url, signed: false, seconds: budget.seconds, warmupSeconds: budget.warmupSeconds, bodies: [""] };
    const step = measuredStep(server, runJob, log);

    out.loginPageC1 = await step("login page c1", {
      ...base,
      operation: "login page",
      http: { method: "GET", path: surface.loginPage(query.toString()) },
      concurrency: 1,
    });

    const made: string[] = new Array<string>(codes);
    await inParallel(codes, 16, async (i) => {
      made[i] = await surface.code(url, query, emails[i % emails.length]!);
    });
    out.codeExchangeC16 = await step(`code exchange c16 (${codes.toLocaleString("en-US")} codes)`, {
      ...base,
      operation: "oauth2/token authorization_code",
      http: { method: "POST", path: surface.token },
      bodies: made.map((code) =>
        new URLSearchParams({
          grant_type: "authorization_code",
          client_id: clientId,
          code,
          redirect_uri: CALLBACK,
          code_verifier: VERIFIER,
        }).toString(),
      ),
      concurrency: 16,
      count: codes,
      start: 0,
    });

    if (surface.clientCredentials && setUp.basic && setUp.scope) {
      out.clientCredentialsC16 = await step("client_credentials c16", {
        ...base,
        operation: "oauth2/token client_credentials",
        http: { method: "POST", path: surface.token, headers: { authorization: setUp.basic } },
        bodies: [new URLSearchParams({ grant_type: "client_credentials", scope: setUp.scope }).toString()],
        concurrency: 16,
      });
    } else {
      out.missing.clientCredentials = `not supported: ${tool.name} ${tool.version ?? ""}'s /oauth2/token takes authorization_code and refresh_token only`;
      log(`  client_credentials: ${out.missing.clientCredentials}`);
    }

    out.codeFlowC16 = await step("whole code flow c16 (sign-ins/s)", {
      ...base,
      operation: "code flow",
      flow: {
        authorizePath: surface.authorize(query.toString()),
        tokenPath: surface.token,
        clientId,
        redirectUri: CALLBACK,
        verifier: VERIFIER,
        usernames: emails,
        password: PASSWORD,
      },
      concurrency: 16,
    });
    return out;
  });
}
