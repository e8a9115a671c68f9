// What the in-process benches (faults.ts, request-log.ts, trigger-overhead.ts) share: calls to
// an emulator built from source through app.request (no HTTP or load generator between the
// figures), a signed-in user to call GetUser with, and timing variants in alternating batches
// so a burst of load on the shared machine hits all of them alike.
import { performance } from "node:perf_hooks";
import type { TwinApp } from "../emulator/app.js";
import { median, PASSWORD } from "./workloads.js";

/** One timed call. */
export type Run = () => Promise<unknown>;

const HEADERS = (operation: string) => ({
  "content-type": "application/x-amz-json-1.1",
  "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
});

/** One user-pool API call of the set-up, in process; anything but a 200 throws. */
export async function call(
  twin: TwinApp,
  operation: string,
  input: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the benches read a few known members of the answers.
): Promise<Record<string, any>> {
  const res = await twin.app.request("/", { method: "POST", headers: HEADERS(operation), body: JSON.stringify(input) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A pool (with `pool`'s extra settings), a USER_PASSWORD_AUTH client and a confirmed user in it. */
export async function poolWithUser(
  twin: TwinApp,
  username: string,
  pool: Record<string, unknown> = {},
): Promise<{ poolId: string; clientId: string; username: string }> {
  const poolId = (await call(twin, "CreateUserPool", { PoolName: "bench", ...pool })).UserPool.Id as string;
  const clientId = (
    await call(twin, "CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "c",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })
  ).UserPoolClient.ClientId as string;
  await call(twin, "AdminCreateUser", {
    UserPoolId: poolId,
    Username: username,
    MessageAction: "SUPPRESS",
    ...(username.includes("@") ? { UserAttributes: [{ Name: "email", Value: username }] } : {}),
  });
  await call(twin, "AdminSetUserPassword", {
    UserPoolId: poolId,
    Username: username,
    Password: PASSWORD,
    Permanent: true,
  });
  return { poolId, clientId, username };
}

/**
 * GetUser as a Run: a user signed in on a fresh pool of `twin`, then the same request each call.
 * `check` makes a non-200 answer throw (a bench that must not time error answers).
 */
export async function getUserRun(twin: TwinApp, check = false): Promise<Run> {
  const { clientId } = await poolWithUser(twin, "u");
  const auth = await call(twin, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: "u", PASSWORD },
  });
  const body = JSON.stringify({ AccessToken: auth.AuthenticationResult.AccessToken });
  const headers = HEADERS("GetUser");
  return async () => {
    const res = await twin.app.request("/", { method: "POST", headers, body });
    if (check && res.status !== 200) throw new Error(`GetUser answered ${res.status}: ${await res.text()}`);
    return res.text();
  };
}

/**
 * Times the variants in alternating batches of `batch` calls, `rounds` rounds of each; the first
 * round warms the code paths up and is not kept. Medians in µs, by variant; each is written to
 * `log` when given.
 */
export async function alternate(
  variants: Record<string, Run>,
  rounds: number,
  batch: number,
  log?: (line: string) => void,
): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (const name of Object.keys(variants)) times[name] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      for (let k = 0; k < batch; k++) {
        const t0 = performance.now();
        await run();
        if (round > 0) times[name]!.push((performance.now() - t0) * 1000);
      }
    }
  }
  const width = Math.max(...Object.keys(variants).map((name) => name.length)) + 2;
  const medians: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    medians[name] = median(list);
    log?.(`${name.padEnd(width)} median ${medians[name]!.toFixed(2).padStart(7)} µs`);
  }
  return medians;
}

/** `alternate` for `calls` timed calls of each variant (plus the warm-up round), logged to stderr. */
export function alternateCalls(
  variants: Record<string, Run>,
  calls: number,
  batch: number,
): Promise<Record<string, number>> {
  return alternate(variants, Math.ceil(calls / batch) + 1, batch, (line) => process.stderr.write(`${line}\n`));
}
