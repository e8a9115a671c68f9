// The identity pools' workload (issue 19), cognito-twin only: what Amplify's fetchAuthSession
// asks of an identity pool after a sign-in, GetId and then GetCredentialsForIdentity with the
// same user-pool ID token, as pairs at concurrency 16 over 16 signed-in users. The figure is
// pairs per second (target: at least 3,000) and the server's CPU per pair.
//
// In `npm run bench` (bench/run.ts); alone, from the sources (no build), or a build's command
// with TWIN_CLI=dist/emulator/cli.js:
//   npx tsx bench/identity-workload.ts [seconds]
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { api } from "./api.js";
import { FAKE_SIGV4, runJob } from "./load.js";
import { type Tool, twin } from "./tools.js";
import {
  type Budget,
  confirmedUser,
  createFixture,
  type Measured,
  measuredStep,
  PASSWORD,
  type RunJob,
  withServer,
} from "./workloads.js";

const USERS = 16;

/** One identity-pool call of the set-up (the load generator sends the measured ones). */
async function identityCall<T>(url: string, operation: string, input: unknown): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityService.${operation}`,
      authorization: FAKE_SIGV4,
    },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Runs the GetId + GetCredentialsForIdentity pairs (c16) on a fresh server of `tool`. */
export async function measureIdentityPairs(
  tool: Tool,
  run: RunJob,
  budget: Budget,
  log: (line: string) => void,
): Promise<Measured> {
  return withServer(tool, async (server) => {
    const url = server.url;
    const f = await createFixture(url);
    const provider = `cognito-idp.us-east-1.amazonaws.com/${f.poolId}`;
    const { IdentityPoolId } = await identityCall<{ IdentityPoolId: string }>(url, "CreateIdentityPool", {
      IdentityPoolName: "bench_identities",
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: f.clientId }],
    });
    await identityCall(url, "SetIdentityPoolRoles", {
      IdentityPoolId,
      Roles: { authenticated: "arn:aws:iam::123456789012:role/bench-authenticated" },
    });
    const bodies: string[] = [];
    for (let k = 0; k < USERS; k++) {
      const email = `identity${k}@bench.test`;
      await confirmedUser(url, f, email);
      const r = await api<{ AuthenticationResult: { IdToken: string } }>(
        url,
        "InitiateAuth",
        { AuthFlow: "USER_PASSWORD_AUTH", ClientId: f.clientId, AuthParameters: { USERNAME: email, PASSWORD } },
        false,
      );
      bodies.push(JSON.stringify({ [provider]: r.AuthenticationResult.IdToken }));
    }
    const step = measuredStep(server, run, log, { rate: "pairs/s", each: "pair" });
    return step("GetId + GetCredentialsForIdentity c16", {
      url,
      operation: "GetId+GetCredentialsForIdentity",
      signed: false,
      bodies,
      concurrency: 16,
      seconds: budget.seconds,
      warmupSeconds: budget.warmupSeconds,
      identityPair: { identityPoolId: IdentityPoolId },
    });
  });
}

// Alone: the emulator from its sources through tsx (or TWIN_CLI), the load generator in this process.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(import.meta.url), "..", "..");
  const seconds = Number(process.argv[2] ?? 5);
  const cli = process.env.TWIN_CLI ? [process.env.TWIN_CLI] : ["--import", "tsx", join(root, "emulator", "cli.ts")];
  const fromSource = twin(root, cli, "source");
  await measureIdentityPairs(fromSource, runJob, { seconds, warmupSeconds: 1 }, (line) =>
    process.stdout.write(`${line}\n`),
  );
}
