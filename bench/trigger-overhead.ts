// What an in-process trigger adds to the operation it runs in, measured inside one process so no
// HTTP, load generator or scheduling noise sits between the two figures: the same operation on a
// pool without the trigger and on one with it, in alternating batches, each call timed, and the
// difference of the medians. The emulator is built from source here (createApp), as the tests
// build it; the trigger is the bench's own handler module.
import { createApp } from "../emulator/app.js";
import { alternate, call, poolWithUser } from "./in-process.js";
import * as handlers from "./triggers/handlers.mjs";
import { PASSWORD } from "./workloads.js";

/** Medians of one operation without and with its trigger, and their difference, in µs. */
export interface Overhead {
  withoutUs: number;
  withUs: number;
  addedUs: number;
}

const BATCH = 100;

/** Times `run(false)` and `run(true)` in alternating batches of 100 calls, `rounds` of each. */
async function overhead(rounds: number, run: (triggered: boolean, i: number) => Promise<void>): Promise<Overhead> {
  let i = 0;
  const m = await alternate({ plain: () => run(false, i++), triggered: () => run(true, i++) }, rounds, BATCH);
  return { withoutUs: m.plain!, withUs: m.triggered!, addedUs: m.triggered! - m.plain! };
}

/** SignUp without and with a pre sign-up trigger, InitiateAuth without and with a V2 pre token generation trigger. */
export async function measureTriggerOverhead(rounds: number): Promise<{ preSignUp: Overhead; preToken: Overhead }> {
  const twin = await createApp({ logLevel: "silent", allowUnsigned: true });
  try {
    twin.triggers.set("bench-pre-sign-up", handlers.preSignUp);
    twin.triggers.set("bench-pre-token", handlers.preTokenGeneration);
    const pools: Record<"plain" | "triggered", { clientId: string; username: string }> = {} as never;
    for (const kind of ["plain", "triggered"] as const) {
      const { clientId, username } = await poolWithUser(twin, "signin@bench.test", {
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
      });
      pools[kind] = { clientId, username };
    }
    const of = (triggered: boolean) => pools[triggered ? "triggered" : "plain"];
    const preSignUp = await overhead(rounds, async (triggered, i) => {
      await call(twin, "SignUp", {
        ClientId: of(triggered).clientId,
        Username: `u${i}`,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `u${i}@bench.test` }],
      });
    });
    const preToken = await overhead(rounds, async (triggered) => {
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
