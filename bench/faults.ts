// What fault matching costs per request, in one process (no HTTP or load generator noise):
//  1. GetUser through the whole emulator (app.request) with no rule, with 100 rules that name
//     other operations (exact names and globs), with 100 rules on GetUser for another pool (the
//     worst case: each request walks all of them), and with the quota mode on (rates high enough
//     that nothing is refused), in alternating batches, medians;
//  2. Faults.forOperation alone, a million calls each way, for the figure without the request's noise.
// Run: npx tsx bench/faults.ts [calls]. See docs/faults.md ("What it costs").
import { performance } from "node:perf_hooks";
import { createApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import { AdjustableClock } from "../emulator/core/clock.js";
import type { FaultRuleInput } from "../emulator/core/fault-rules.js";
import { OPERATION_NAMES } from "../emulator/model/index.js";
import { Faults } from "../emulator/services/faults.js";
import { alternateCalls, getUserRun, type Run } from "./in-process.js";

const CALLS = Number(process.argv[2] ?? 20_000);
const BATCH = 200;

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

/** GetUser on a fresh emulator with `config` and the fault rules `rules` (which must not fire). */
async function getUser(config: Partial<TwinConfig>, rules: FaultRuleInput[]): Promise<Run> {
  const twin = await createApp({ allowUnsigned: true, logLevel: "silent", ...config });
  const run = await getUserRun(twin, true);
  twin.faults.addAll(rules);
  return run;
}

process.stderr.write(`${CALLS} timed calls of each, alternating batches of ${BATCH}\n`);
const g = await alternateCalls(
  {
    "GetUser: no rules": await getUser({}, []),
    "GetUser: 100 rules on other operations": await getUser({}, otherOperations),
    "GetUser: 100 rules on GetUser, another pool": await getUser({}, otherPool),
    "GetUser: quota mode (UserRead 100000/s)": await getUser({ quotas: { UserRead: 100_000 } }, []),
  },
  CALLS,
  BATCH,
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
