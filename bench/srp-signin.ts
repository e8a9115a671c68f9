// USER_SRP_AUTH sign-in latency through the API: `npx tsx bench/srp-signin.ts [sign-ins]`.
// Starts the emulator in this process on a loopback port, then signs one user in over and over,
// one at a time: InitiateAuth (PASSWORD_VERIFIER) and RespondToAuthChallenge (tokens), both over
// HTTP. The latency is the two requests' time together, without the client's own SRP math (done
// here with node:crypto between the requests, and reported apart). USER_PASSWORD_AUTH is measured
// the same way for comparison (its cost is the scrypt password hash).
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createApp } from "../emulator/app.js";
import {
  claimSignature,
  formatTimestamp,
  k,
  modPowN,
  N,
  passwordExponent,
  powG,
  scramble,
  sessionKey,
} from "../emulator/crypto/srp.js";
import { listen } from "../emulator/http/server.js";

const COUNT = Number(process.argv[2] ?? 300);
const WARMUP = 20;
const PASSWORD = "Bench-Passw0rd!";

const twin = await createApp({ logLevel: "silent" });
const server = await listen(twin, { host: "127.0.0.1", port: 0 });
const SIGV4 =
  "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" +
  "0".repeat(64);

async function call(operation: string, input: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(server.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      authorization: SIGV4,
    },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const pool = (await call("CreateUserPool", { PoolName: "bench" })).UserPool as { Id: string };
const client = (
  await call("CreateUserPoolClient", {
    UserPoolId: pool.Id,
    ClientName: "bench",
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  })
).UserPoolClient as { ClientId: string };
await call("AdminCreateUser", { UserPoolId: pool.Id, Username: "bench", MessageAction: "SUPPRESS" });
await call("AdminSetUserPassword", { UserPoolId: pool.Id, Username: "bench", Password: PASSWORD, Permanent: true });

/** The client's half of one exchange, in OpenSSL like the server's (not what is measured). */
function clientAnswer(a: bigint, A: bigint, params: Record<string, string>): Record<string, string> {
  const userId = params.USER_ID_FOR_SRP!;
  const B = BigInt(`0x${params.SRP_B}`);
  const u = scramble(A, B);
  const x = passwordExponent(pool.Id, userId, PASSWORD, params.SALT!);
  const S = modPowN((((B - k * powG(x)) % N) + N) % N, a + u * x);
  const timestamp = formatTimestamp(new Date());
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: claimSignature(sessionKey(S, u), pool.Id, userId, params.SECRET_BLOCK!, timestamp),
  };
}

async function srpSignIn(): Promise<{ api: number; client: number }> {
  const c0 = performance.now();
  const a = BigInt(`0x${randomBytes(32).toString("hex")}`);
  const A = powG(a);
  const c1 = performance.now();
  const started = await call("InitiateAuth", {
    ClientId: client.ClientId,
    AuthFlow: "USER_SRP_AUTH",
    AuthParameters: { USERNAME: "bench", SRP_A: A.toString(16) },
  });
  const t1 = performance.now();
  const responses = clientAnswer(a, A, started.ChallengeParameters as Record<string, string>);
  const t2 = performance.now();
  const done = await call("RespondToAuthChallenge", {
    ClientId: client.ClientId,
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeResponses: responses,
  });
  const t3 = performance.now();
  if (!(done.AuthenticationResult as { AccessToken?: string } | undefined)?.AccessToken) throw new Error("no tokens");
  return { api: t1 - c1 + (t3 - t2), client: c1 - c0 + (t2 - t1) };
}

async function passwordSignIn(): Promise<number> {
  const t0 = performance.now();
  await call("InitiateAuth", {
    ClientId: client.ClientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: "bench", PASSWORD },
  });
  return performance.now() - t0;
}

function stats(samples: number[]): string {
  const s = [...samples].sort((x, y) => x - y);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const mean = s.reduce((x, y) => x + y, 0) / s.length;
  return `median ${at(0.5).toFixed(2)} ms  p90 ${at(0.9).toFixed(2)} ms  p99 ${at(0.99).toFixed(2)} ms  mean ${mean.toFixed(2)} ms  (n=${s.length})`;
}

for (let i = 0; i < WARMUP; i++) await srpSignIn();
const api: number[] = [];
const clientSide: number[] = [];
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < COUNT; i++) {
  const r = await srpSignIn();
  api.push(r.api);
  clientSide.push(r.client);
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
// Client and server share this process: the server's CPU is what is left after the client's math
// (an estimate that also charges the client's HTTP and JSON work to the server). CPU time is far
// less sensitive than latency to other processes on a busy machine.
const serverCpuMs = ((cpu.user + cpu.system) / 1000 - clientSide.reduce((x, y) => x + y, 0)) / COUNT;
for (let i = 0; i < WARMUP; i++) await passwordSignIn();
const password: number[] = [];
for (let i = 0; i < COUNT; i++) password.push(await passwordSignIn());

console.log(`Node ${process.version}, ${COUNT} sequential sign-ins against ${server.url}`);
console.log(`USER_SRP_AUTH, InitiateAuth + RespondToAuthChallenge: ${stats(api)}`);
console.log(`  client-side SRP math (not in the figure above):      ${stats(clientSide)}`);
console.log(`  whole sign-ins per second, one at a time:             ${((COUNT * 1000) / wall).toFixed(0)}`);
console.log(`  CPU per sign-in outside the client's math:           ${serverCpuMs.toFixed(2)} ms`);
console.log(`USER_PASSWORD_AUTH, InitiateAuth:                     ${stats(password)}`);

await server.close();
await twin.close();
