// The load generator: a separate process (forked by bench/run.ts) so that the client's CPU is
// never the server's. It speaks raw HTTP/1.1 through node:http keep-alive agents, one socket per
// concurrent worker, with the JSON 1.1 headers the AWS SDKs send (or, for the OAuth 2.0
// endpoints and the login pages, plain GETs and form posts, and whole sign-ins on the pages);
// jobs arrive over IPC.
import * as http from "node:http";
import { performance } from "node:perf_hooks";

/** One unit of load, as bench/run.ts describes it. */
export interface Job {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Operation name (the X-Amz-Target suffix). */
  operation: string;
  /** Send a SigV4-shaped Authorization header (admin operations). */
  signed: boolean;
  /**
   * Request bodies: request number `i` uses `bodies[i % bodies.length]` with every `{i}`
   * replaced by `i` (unique names for sign-ups and user creation).
   */
  bodies: string[];
  concurrency: number;
  /** Duration mode: measure for this long (after the warm-up). */
  seconds?: number;
  /** Count mode: exactly this many requests, timed as a whole. */
  count?: number;
  /** Requests in the warm-up before measuring (duration mode), not counted. */
  warmupSeconds?: number;
  /** First `i` (so that repeated jobs do not collide on names). */
  start?: number;
  /**
   * Count mode: send a failed request again (up to `times`), counting it done when an answer
   * names one of `doneWhen` (a retried creation that had in fact succeeded). For servers that
   * fail transiently under concurrent writes.
   */
  retry?: { times: number; doneWhen: string[] };
  /**
   * Plain HTTP instead of the JSON 1.1 API (`operation` then only names the job): the method
   * and path (with its query), extra headers; bodies are sent as form posts.
   */
  http?: { method: "GET" | "POST"; path: string; headers?: Record<string, string> };
  /** Each request is a whole sign-in on the login pages (see LoginFlow); bodies are unused. */
  flow?: LoginFlow;
  /**
   * Each request is an identity pool's pair, as Amplify's fetchAuthSession makes it: GetId, then
   * GetCredentialsForIdentity for the identity it answers; the body is the Logins map (JSON).
   */
  identityPair?: { identityPoolId: string };
}

/**
 * One sign-in as a browser and its app make it: GET the authorize URL (following one redirect on
 * the same server to the login page), post the page's form with its hidden fields (a CSRF token
 * among them, with the cookies the page set) and a username and password, take the code from
 * the redirect, and redeem it at the token endpoint with the PKCE verifier.
 */
export interface LoginFlow {
  /** The authorize request's path and query (its code_challenge is the verifier's). */
  authorizePath: string;
  tokenPath: string;
  clientId: string;
  redirectUri: string;
  verifier: string;
  /** Sign-in `i` uses `usernames[i % length]`. */
  usernames: string[];
  password: string;
}

/** What a job measured. */
export interface JobResult {
  /** Requests measured (after the warm-up). */
  requests: number;
  /** Every request sent, the warm-up's included (to divide the server's CPU time by). */
  sent: number;
  errors: number;
  /** Requests sent again after a failed answer (count mode with `retry`). */
  retried: number;
  /** The first answer that caused a retry. */
  firstRetried?: string;
  firstError?: string;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** The AWS SDKs' signed header shape; no peer checks the signature itself. */
export const FAKE_SIGV4 = `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${"ab".repeat(32)}`;

/** One request with its latency; never rejects (errors are counted by the caller). */
function send(
  agent: http.Agent,
  url: URL,
  job: Job,
  body: string,
): Promise<{ ok: boolean; ms: number; text?: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const headers: Record<string, string | number> = {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${job.operation}`,
      "x-amz-user-agent": "cognito-twin-bench",
      "content-length": Buffer.byteLength(body),
    };
    if (job.signed) {
      headers.authorization = FAKE_SIGV4;
      headers["x-amz-date"] = "20260101T000000Z";
    }
    const req = http.request(
      { agent, hostname: url.hostname, port: url.port, path: "/", method: "POST", headers },
      (res) => {
        const ok = res.statusCode === 200;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          if (!ok) chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            ok,
            ms: performance.now() - started,
            ...(ok ? {} : { text: `HTTP ${res.statusCode}: ${summarise(Buffer.concat(chunks).toString())}` }),
          }),
        );
        res.on("error", (e) => resolve({ ok: false, ms: performance.now() - started, text: e.message }));
      },
    );
    req.on("error", (e) => resolve({ ok: false, ms: performance.now() - started, text: e.message }));
    req.end(body);
  });
}

/** An error body in one short line: an HTML page's title, else the start of the text. */
function summarise(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
  return (title ?? body).replace(/\s+/g, " ").trim().slice(0, 300);
}

/** A plain HTTP answer: status, the headers the flow needs, the body. */
interface Answer {
  status: number;
  location?: string;
  cookies: string[];
  body: string;
}

/** One plain HTTP request (GET, or a form POST unless the headers name a type); rejects on a socket error. */
function request(
  agent: http.Agent,
  url: URL,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      h["content-type"] ??= "application/x-www-form-urlencoded";
      h["content-length"] = Buffer.byteLength(body);
    }
    const req = http.request({ agent, hostname: url.hostname, port: url.port, path, method, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          ...(res.headers.location ? { location: res.headers.location } : {}),
          cookies: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!),
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** The path (and query) of a Location on the same server, or undefined for another origin. */
function samePath(url: URL, location: string): string | undefined {
  const to = new URL(location, url);
  return to.origin === url.origin ? `${to.pathname}${to.search}` : undefined;
}

/** One whole sign-in (LoginFlow); answers ok, or the step that failed and how. */
async function signInFlow(
  agent: http.Agent,
  url: URL,
  flow: LoginFlow,
  i: number,
): Promise<{ ok: boolean; text?: string }> {
  let page = await request(agent, url, "GET", flow.authorizePath, {});
  let path = flow.authorizePath;
  if (page.status === 302 && page.location) {
    const next = samePath(url, page.location);
    if (!next) return { ok: false, text: `authorize redirected away: ${page.location.slice(0, 200)}` };
    path = next;
    page = await request(agent, url, "GET", next, {});
  }
  if (page.status !== 200) return { ok: false, text: `login page: HTTP ${page.status}: ${summarise(page.body)}` };
  const form = /<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.body);
  if (!form) return { ok: false, text: "login page: no form" };
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    if (name !== undefined) fields.set(unescapeHtml(name), unescapeHtml(/value="([^"]*)"/.exec(input[0])?.[1] ?? ""));
  }
  fields.set("username", flow.usernames[i % flow.usernames.length]!);
  fields.set("password", flow.password);
  const action = samePath(url, new URL(unescapeHtml(form[1]!) || path, new URL(path, url)).toString());
  if (!action) return { ok: false, text: "login form posts to another server" };
  const cookie = page.cookies.join("; ");
  const posted = await request(agent, url, "POST", action, cookie ? { cookie } : {}, fields.toString());
  const code = posted.location ? new URL(posted.location, url).searchParams.get("code") : null;
  if (posted.status !== 302 || !code)
    return { ok: false, text: `login post: HTTP ${posted.status}: ${summarise(posted.location ?? posted.body)}` };
  const token = await request(
    agent,
    url,
    "POST",
    flow.tokenPath,
    {},
    new URLSearchParams({
      grant_type: "authorization_code",
      client_id: flow.clientId,
      code,
      redirect_uri: flow.redirectUri,
      code_verifier: flow.verifier,
    }).toString(),
  );
  if (token.status !== 200) return { ok: false, text: `token: HTTP ${token.status}: ${summarise(token.body)}` };
  return { ok: true };
}

/** GetId and then GetCredentialsForIdentity with the same Logins (`logins`, JSON). */
async function identityPair(
  agent: http.Agent,
  url: URL,
  identityPoolId: string,
  logins: string,
): Promise<{ ok: boolean; text?: string }> {
  const headers = (operation: string) => ({
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `AWSCognitoIdentityService.${operation}`,
    "x-amz-user-agent": "cognito-twin-bench",
  });
  const id = await request(
    agent,
    url,
    "POST",
    "/",
    headers("GetId"),
    `{"IdentityPoolId":${JSON.stringify(identityPoolId)},"Logins":${logins}}`,
  );
  if (id.status !== 200) return { ok: false, text: `GetId HTTP ${id.status}: ${summarise(id.body)}` };
  const identityId = (JSON.parse(id.body) as { IdentityId: string }).IdentityId;
  const creds = await request(
    agent,
    url,
    "POST",
    "/",
    headers("GetCredentialsForIdentity"),
    `{"IdentityId":${JSON.stringify(identityId)},"Logins":${logins}}`,
  );
  return creds.status === 200
    ? { ok: true }
    : { ok: false, text: `GetCredentialsForIdentity HTTP ${creds.status}: ${summarise(creds.body)}` };
}

/** A job's request `i`: an API call, a plain HTTP request, a whole sign-in, or an identity pair. */
async function one(
  agent: http.Agent,
  url: URL,
  job: Job,
  body: string,
  i: number,
): Promise<{ ok: boolean; ms: number; text?: string }> {
  if (!job.http && !job.flow && !job.identityPair) return send(agent, url, job, body);
  const started = performance.now();
  try {
    if (job.flow) return { ...(await signInFlow(agent, url, job.flow, i)), ms: performance.now() - started };
    if (job.identityPair) {
      const r = await identityPair(agent, url, job.identityPair.identityPoolId, body);
      return { ...r, ms: performance.now() - started };
    }
    const h = job.http!;
    const r = await request(agent, url, h.method, h.path, h.headers ?? {}, h.method === "POST" ? body : undefined);
    const ms = performance.now() - started;
    return r.status === 200 ? { ok: true, ms } : { ok: false, ms, text: `HTTP ${r.status}: ${summarise(r.body)}` };
  } catch (e) {
    return { ok: false, ms: performance.now() - started, text: (e as Error).message };
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs one job to completion. */
export async function runJob(job: Job): Promise<JobResult> {
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency, maxFreeSockets: job.concurrency });
  const parts = job.bodies.map((b) => b.split("{i}"));
  let next = job.start ?? 0;
  const bodyFor = (i: number) => parts[i % parts.length]!.join(String(i));
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  let retried = 0;
  let firstError: string | undefined;
  let firstRetried: string | undefined;
  let measuring = false;
  let stop = false;

  const worker = async (limit: number | undefined) => {
    while (!stop) {
      if (limit !== undefined && next >= limit) return;
      const i = next++;
      sent++;
      let r = await one(agent, url, job, bodyFor(i), i);
      for (let attempt = 0; !r.ok && job.retry && attempt < job.retry.times; attempt++) {
        retried++;
        firstRetried ??= r.text;
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
        r = await one(agent, url, job, bodyFor(i), i);
        if (!r.ok && job.retry.doneWhen.some((d) => r.text?.includes(d))) r = { ...r, ok: true };
      }
      if (!measuring) continue;
      latencies.push(r.ms);
      if (!r.ok) {
        errors++;
        firstError ??= r.text;
      }
    }
  };

  let seconds: number;
  if (job.count !== undefined) {
    measuring = true;
    const limit = (job.start ?? 0) + job.count;
    const started = performance.now();
    await Promise.all(Array.from({ length: job.concurrency }, () => worker(limit)));
    seconds = (performance.now() - started) / 1000;
  } else {
    const workers = Array.from({ length: job.concurrency }, () => worker(undefined));
    await new Promise((r) => setTimeout(r, (job.warmupSeconds ?? 0.5) * 1000));
    latencies.length = 0;
    measuring = true;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, (job.seconds ?? 3) * 1000));
    measuring = false;
    seconds = (performance.now() - started) / 1000;
    stop = true;
    await Promise.all(workers);
  }
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    requests: latencies.length,
    sent,
    errors,
    retried,
    ...(firstError !== undefined ? { firstError } : {}),
    ...(firstRetried !== undefined ? { firstRetried } : {}),
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: latencies.length ? sum / latencies.length : 0,
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
  };
}

// As a forked child: answer each job message with its result.
if (process.send) {
  process.on("message", (msg: { id: number; job: Job }) => {
    runJob(msg.job).then(
      (result) => process.send!({ id: msg.id, result }),
      (e: unknown) => process.send!({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
}
