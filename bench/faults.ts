// What fault matching costs per request, in one process (no HTTP or load generator noise):
//  1. GetUser through the whole emulator (app.request) with no rule, with 100 rules that name
//     other operations (exact names and globs), with 100 rules on GetUser for another pool (the
//     worst case: each request walks all of them), and with the quota mode on (rates high enough
//     that nothing is refused), in alternating batches, medians;
//  2. Faults.forOperation alone, a million calls each way, for the figure without the request's noise.
// Run: npx tsx bench/faults.ts [calls]; `npm run bench` runs it too (measureFaultCost). See
// docs/faults.md ("What it costs").
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import { AdjustableClock } from "../emulator/core/clock.js";
import type { FaultRuleInput } from "../emulator/core/fault-rules.js";
import { OPERATION_NAMES } from "../emulator/model/index.js";
import { Faults } from "../emulator/services/faults.js";
import { alternateCalls, getUserRun, type Run } from "./in-process.js";

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

/** What fault matching cost, in µs. */
export interface FaultCost {
  /** GetUser through the whole emulator, over the same with no rule (median of batches). */
  readonly addedUs: { readonly otherOperations: number; readonly otherPool: number; readonly quotaMode: number };
  /** Faults.forOperation alone, a million calls: the rules' walk without the request around it. */
  readonly matchUs: { readonly otherOperations: number; readonly otherPool: number };
}

/** Measures what 100 fault rules, and the quota mode, cost a request that none of them stops. */
export async function measureFaultCost(calls = 20_000, log: (line: string) => void = () => {}): Promise<FaultCost> {
  log(`${calls} timed calls of each, alternating batches of ${BATCH}`);
  const g = await alternateCalls(
    {
      "GetUser: no rules": await getUser({}, []),
      "GetUser: 100 rules on other operations": await getUser({}, otherOperations),
      "GetUser: 100 rules on GetUser, another pool": await getUser({}, otherPool),
      "GetUser: quota mode (UserRead 100000/s)": await getUser({ quotas: { UserRead: 100_000 } }, []),
    },
    calls,
    BATCH,
  );
  const none = g["GetUser: no rules"]!;
  const addedUs = {
    otherOperations: g["GetUser: 100 rules on other operations"]! - none,
    otherPool: g["GetUser: 100 rules on GetUser, another pool"]! - none,
    quotaMode: g["GetUser: quota mode (UserRead 100000/s)"]! - none,
  };
  log(
    `  => over no rules: other operations ${addedUs.otherOperations.toFixed(2)} µs, GetUser for another pool ${addedUs.otherPool.toFixed(2)} µs, quota mode ${addedUs.quotaMode.toFixed(2)} µs per request`,
  );
  // The matching alone: what the dispatcher's hook costs beyond its `armed` check.
  const N = 1_000_000;
  const facts = () => ({ userPoolId: "us-east-1_Bench", clientId: "client" });
  const match = (rules: FaultRuleInput[]): number => {
    const faults = new Faults({ clock: new AdjustableClock(), paths: [] });
    faults.addAll(rules);
    for (let i = 0; i < 10_000; i++) faults.forOperation("GetUser", facts, "us-east-1");
    const t0 = performance.now();
    for (let i = 0; i < N; i++) faults.forOperation("GetUser", facts, "us-east-1");
    return ((performance.now() - t0) * 1000) / N;
  };
  const matchUs = { otherOperations: match(otherOperations), otherPool: match(otherPool) };
  log(
    `  forOperation with 100 rules: on other operations ${matchUs.otherOperations.toFixed(3)} µs, on GetUser for another pool ${matchUs.otherPool.toFixed(3)} µs a call`,
  );
  return { addedUs, matchUs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await measureFaultCost(Number(process.argv[2] ?? 20_000), (line) => process.stderr.write(`${line}\n`));
}
