// What an in-process trigger adds to the operation it runs in, measured inside one process so no
// HTTP, load generator or scheduling noise sits between the two figures: the same operation on a
// pool without the trigger and on one with it, in alternating batches, each call timed, and the
// difference of the medians. The emulator is built from source here (createApp), as the tests
// build it; the trigger is the bench's own handler module.
import { performance } from "node:perf_hooks";
import { createApp, type TwinApp } from "../emulator/app.js";
import * as handlers from "./triggers/handlers.mjs";

/** Medians of one operation without and with its trigger, and their difference, in µs. */
export interface Overhead {
  withoutUs: number;
  withUs: number;
  addedUs: number;
}

const PASSWORD = "Bench-Passw0rd!";
const BATCH = 100;

async function call(twin: TwinApp, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const res = await twin.app.request("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${operation}: ${JSON.stringify(body)}`);
  return body;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times `run(false)` and `run(true)` in alternating batches of 100 calls, `rounds` of each. */
async function alternate(rounds: number, run: (triggered: boolean, i: number) => Promise<void>): Promise<Overhead> {
  const times: Record<"plain" | "triggered", number[]> = { plain: [], triggered: [] };
  let i = 0;
  for (let round = 0; round < rounds; round++) {
    for (const triggered of [false, true]) {
      const into = times[triggered ? "triggered" : "plain"];
      for (let k = 0; k < BATCH; k++) {
        const t0 = performance.now();
        await run(triggered, i++);
        // The first round of each warms the code paths up and is not kept.
        if (round > 0) into.push((performance.now() - t0) * 1000);
      }
    }
  }
  const withoutUs = median(times.plain);
  const withUs = median(times.triggered);
  return { withoutUs, withUs, addedUs: withUs - withoutUs };
}

/** SignUp without and with a pre sign-up trigger, InitiateAuth without and with a V2 pre token generation trigger. */
export async function measureTriggerOverhead(rounds: number): Promise<{ preSignUp: Overhead; preToken: Overhead }> {
  const twin = await createApp({ logLevel: "silent", allowUnsigned: true });
  try {
    twin.triggers.set("bench-pre-sign-up", handlers.preSignUp);
    twin.triggers.set("bench-pre-token", handlers.preTokenGeneration);
    const pools: Record<"plain" | "triggered", { clientId: string; username: string }> = {} as never;
    for (const kind of ["plain", "triggered"] as const) {
      const pool = (await call(twin, "CreateUserPool", {
        PoolName: `overhead-${kind}`,
        ...(kind === "triggered"
          ? {
              LambdaConfig: {
                PreSignUp: "arn:aws:lambda:us-east-1:000000000000:function:bench-pre-sign-up",
                PreTokenGenerationConfig: {
                  LambdaVersion: "V2_0",
                  LambdaArn: "arn:aws:lambda:us-east-1:000000000000:function:bench-pre-token",
                },
              },
            }
          : {}),
      })) as { UserPool: { Id: string } };
      const client = (await call(twin, "CreateUserPoolClient", {
        UserPoolId: pool.UserPool.Id,
        ClientName: "c",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      })) as { UserPoolClient: { ClientId: string } };
      const username = "signin@bench.test";
      await call(twin, "AdminCreateUser", {
        UserPoolId: pool.UserPool.Id,
        Username: username,
        MessageAction: "SUPPRESS",
        TemporaryPassword: PASSWORD,
        UserAttributes: [{ Name: "email", Value: username }],
      });
      await call(twin, "AdminSetUserPassword", {
        UserPoolId: pool.UserPool.Id,
        Username: username,
        Password: PASSWORD,
        Permanent: true,
      });
      pools[kind] = { clientId: client.UserPoolClient.ClientId, username };
    }
    const of = (triggered: boolean) => pools[triggered ? "triggered" : "plain"];
    const preSignUp = await alternate(rounds, async (triggered, i) => {
      await call(twin, "SignUp", {
        ClientId: of(triggered).clientId,
        Username: `u${i}`,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `u${i}@bench.test` }],
      });
    });
    const preToken = await alternate(rounds, async (triggered) => {
      await call(twin, "InitiateAuth", {
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: of(triggered).clientId,
        AuthParameters: { USERNAME: of(triggered).username, PASSWORD },
      });
    });
    return { preSignUp, preToken };
  } finally {
    await twin.close();
  }
}
