// What an in-process trigger adds to the operation it runs in, measured inside one process so no
// HTTP, load generator or scheduling noise sits between the figures: the same operation on a
// pool without the trigger, on a second pool without it (the control), and on one with it, one
// call of each in a new random order every round, each call timed. The difference is the
// Hodges-Lehmann shift (the median of every with-minus-without pair of calls): an operation that
// signs two RS256 tokens on the thread pool has a wide, two-humped spread of times, and the
// difference of two medians moved by 30-100 µs between runs where this moved by 10. The
// control's shift against the first pool is the noise floor of the figure. The emulator is built
// from source here (createApp), as the tests build it; the trigger is the bench's own handler module.
import { performance } from "node:perf_hooks";
import { createApp } from "../emulator/app.js";
import { call, poolWithUser } from "./in-process.js";
import * as handlers from "./triggers/handlers.mjs";
import { median, PASSWORD } from "./workloads.js";

/** One operation without and with its trigger, in µs: medians, the shift, and the control's shift. */
export interface Overhead {
  withoutUs: number;
  withUs: number;
  addedUs: number;
  /** The shift between the two pools without the trigger: what the figure cannot tell from zero. */
  noiseUs: number;
}

/** Calls of each variant made before timing starts (the code paths warm up). */
const WARM_UP = 150;

/** The median of `b[j] - a[i]` over every pair: how far `b`'s times sit above `a`'s. */
export function hodgesLehmann(a: readonly number[], b: readonly number[]): number {
  const d = new Float64Array(a.length * b.length);
  let k = 0;
  for (const y of b) for (const x of a) d[k++] = y - x;
  d.sort();
  const m = d.length >> 1;
  return d.length % 2 ? d[m]! : (d[m - 1]! + d[m]!) / 2;
}

/** Times `calls` calls of each variant, one of each per round in a new random order. */
async function overhead(
  calls: number,
  run: (triggered: boolean, pool: 0 | 1, i: number) => Promise<void>,
): Promise<Overhead> {
  const variants = [
    { name: "plain", run: (i: number) => run(false, 0, i) },
    { name: "control", run: (i: number) => run(false, 1, i) },
    { name: "triggered", run: (i: number) => run(true, 0, i) },
  ];
  const times: Record<string, number[]> = { plain: [], control: [], triggered: [] };
  let i = 0;
  for (let round = 0; round < WARM_UP + calls; round++) {
    // Fisher-Yates: no variant always follows another (the call after a busy one pays its garbage).
    for (let k = variants.length - 1; k > 0; k--) {
      const j = Math.floor(Math.random() * (k + 1));
      [variants[k], variants[j]] = [variants[j]!, variants[k]!];
    }
    for (const v of variants) {
      const t0 = performance.now();
      await v.run(i++);
      if (round >= WARM_UP) times[v.name]!.push((performance.now() - t0) * 1000);
    }
  }
  return {
    withoutUs: median(times.plain!),
    withUs: median(times.triggered!),
    addedUs: hodgesLehmann(times.plain!, times.triggered!),
    noiseUs: hodgesLehmann(times.plain!, times.control!),
  };
}

/** SignUp without and with a pre sign-up trigger, InitiateAuth without and with a V2 pre token generation trigger. */
export async function measureTriggerOverhead(calls: number): Promise<{ preSignUp: Overhead; preToken: Overhead }> {
  const twin = await createApp({ logLevel: "silent", allowUnsigned: true });
  try {
    twin.triggers.set("bench-pre-sign-up", handlers.preSignUp);
    twin.triggers.set("bench-pre-token", handlers.preTokenGeneration);
    const pools: Record<"plain" | "control" | "triggered", { clientId: string; username: string }> = {} as never;
    for (const kind of ["plain", "control", "triggered"] as const) {
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
    const of = (triggered: boolean, pool: 0 | 1) => pools[triggered ? "triggered" : pool === 0 ? "plain" : "control"];
    const preSignUp = await overhead(calls, async (triggered, pool, i) => {
      await call(twin, "SignUp", {
        ClientId: of(triggered, pool).clientId,
        Username: `u${i}`,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `u${i}@bench.test` }],
      });
    });
    const preToken = await overhead(calls, async (triggered, pool) => {
      await call(twin, "InitiateAuth", {
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: of(triggered, pool).clientId,
        AuthParameters: { USERNAME: of(triggered, pool).username, PASSWORD },
      });
    });
    return { preSignUp, preToken };
  } finally {
    await twin.close();
  }
}
