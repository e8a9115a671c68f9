// What fault matching costs per request, in one process (no HTTP or load generator noise):
//  1. GetUser through the whole emulator (app.request) with no rule, with 100 rules that name
//     other operations (exact names and globs), with 100 rules on GetUser for another pool (the
//     worst case: each request walks all of them), and with the quota mode on (rates high enough
//     that nothing is refused), in alternating batches, medians;
//  2. Faults.forOperation alone, a million calls each way, for the figure without the request's noise.
// Run: npx tsx bench/faults.ts [calls]. See docs/faults.md ("What it costs").
import { performance } from "node:perf_hooks";
import { createApp, type TwinApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import { AdjustableClock } from "../emulator/core/clock.js";
import type { FaultRuleInput } from "../emulator/core/fault-rules.js";
import { OPERATION_NAMES } from "../emulator/model/index.js";
import { Faults } from "../emulator/services/faults.js";

const CALLS = Number(process.argv[2] ?? 20_000);
const BATCH = 200;
const PASSWORD = "Bench-Passw0rd!";

type Run = () => Promise<unknown>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The variants in alternating batches (the machine is shared), after one warm-up round; medians in µs. */
async function alternate(variants: Record<string, Run>, calls: number): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (const name of Object.keys(variants)) times[name] = [];
  const rounds = Math.ceil(calls / BATCH) + 1;
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      for (let k = 0; k < BATCH; k++) {
        const t0 = performance.now();
        await run();
        if (round > 0) times[name]!.push((performance.now() - t0) * 1000);
      }
    }
  }
  const medians: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    medians[name] = median(list);
    process.stderr.write(`${name.padEnd(52)} median ${medians[name]!.toFixed(2).padStart(7)} µs\n`);
  }
  return medians;
}

/** 100 rules on operations other than GetUser: 80 exact names, 20 globs. */
const otherOperations: FaultRuleInput[] = [
  ...OPERATION_NAMES.filter((op) => op !== "GetUser")
    .slice(0, 80)
    .map((operation) => ({ operation, action: "throttle" as const })),
  ...Array.from({ length: 20 }, (_, i) => ({ operation: i % 2 ? "Admin*" : "*Pool*", action: "http503" as const })),
];
/** 100 rules on GetUser that never fire: they name another pool. */
const otherPool: FaultRuleInput[] = Array.from({ length: 100 }, () => ({
  operation: "GetUser",
  userPoolId: "us-east-1_NotThisOne",
  action: "http500" as const,
}));

async function getUser(config: Partial<TwinConfig>, rules: FaultRuleInput[]): Promise<Run> {
  const twin: TwinApp = await createApp({ allowUnsigned: true, logLevel: "silent", ...config });
  const call = async (operation: string, input: unknown) => {
    const res = await twin.app.request("/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(input),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few known members of the answers.
    return (await res.json()) as Record<string, any>;
  };
  const poolId = (await call("CreateUserPool", { PoolName: "bench" })).UserPool.Id as string;
  const clientId = (
    await call("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "c",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })
  ).UserPoolClient.ClientId as string;
  await call("AdminCreateUser", { UserPoolId: poolId, Username: "u", MessageAction: "SUPPRESS" });
  await call("AdminSetUserPassword", { UserPoolId: poolId, Username: "u", Password: PASSWORD, Permanent: true });
  const auth = await call("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: "u", PASSWORD },
  });
  twin.faults.addAll(rules);
  const body = JSON.stringify({ AccessToken: auth.AuthenticationResult.AccessToken });
  const headers = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
  };
  return async () => {
    const res = await twin.app.request("/", { method: "POST", headers, body });
    if (res.status !== 200) throw new Error(`GetUser answered ${res.status}: ${await res.text()}`);
    return res.text();
  };
}

process.stderr.write(`${CALLS} timed calls of each, alternating batches of ${BATCH}\n`);
const g = await alternate(
  {
    "GetUser: no rules": await getUser({}, []),
    "GetUser: 100 rules on other operations": await getUser({}, otherOperations),
    "GetUser: 100 rules on GetUser, another pool": await getUser({}, otherPool),
    "GetUser: quota mode (UserRead 100000/s)": await getUser({ quotas: { UserRead: 100_000 } }, []),
  },
  CALLS,
);
const none = g["GetUser: no rules"]!;
process.stderr.write(
  `  => over no rules: other operations ${(g["GetUser: 100 rules on other operations"]! - none).toFixed(2)} µs, GetUser for another pool ${(g["GetUser: 100 rules on GetUser, another pool"]! - none).toFixed(2)} µs, quota mode ${(g["GetUser: quota mode (UserRead 100000/s)"]! - none).toFixed(2)} µs per request\n`,
);

// The matching alone: what the dispatcher's hook costs beyond its `armed` check.
const N = 1_000_000;
const facts = () => ({ userPoolId: "us-east-1_Bench", clientId: "client" });
for (const [name, rules] of [
  ["100 rules on other operations", otherOperations],
  ["100 rules on GetUser, another pool", otherPool],
] as const) {
  const faults = new Faults({ clock: new AdjustableClock(), paths: [] });
  faults.addAll(rules);
  for (let i = 0; i < 10_000; i++) faults.forOperation("GetUser", facts, "us-east-1");
  const t0 = performance.now();
  for (let i = 0; i < N; i++) faults.forOperation("GetUser", facts, "us-east-1");
  process.stderr.write(
    `forOperation, ${name.padEnd(36)} ${(((performance.now() - t0) * 1000) / N).toFixed(3)} µs a call\n`,
  );
}
