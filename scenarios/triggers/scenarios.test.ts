// The trigger scenarios beyond the memory run (scenarios.test.ts runs them there): on a running
// emulator started with the mapping the docs print, and on one without it, where they skip with
// the instruction. Both leave nothing behind but the run's pool.
import { afterEach, describe, expect, it } from "vitest";
import { readConfig, type TwinConfig } from "../../emulator/config.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { runScenarios } from "../runner.js";
import type { OpenTarget, TargetOpening } from "../targets/types.js";
import { openUrlTarget } from "../targets/url.js";
import type { RunResult } from "../types.js";
import { triggerFlagValue } from "./functions.js";
import { triggerScenarios } from "./scenarios.js";

function opened(o: TargetOpening): OpenTarget {
  if (!o.available) throw new Error(o.reason);
  return o.target;
}

function explain(run: RunResult): string {
  return run.scenarios
    .flatMap((r) =>
      r.steps.filter((s) => s.status !== "passed").map((s) => `${r.name} › ${s.name}: ${s.error ?? s.reason}`),
    )
    .join("\n");
}

let t: TestTwin | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("the trigger scenarios on a running emulator (url target)", () => {
  it("started with the printed --trigger mapping: pass, probing once, and leave only the run's pool", async () => {
    t = await startTwin({ ...(readConfig(["--trigger", triggerFlagValue()], {}) as TwinConfig), logLevel: "silent" });
    const target = opened(await openUrlTarget(t.url));
    const run = await runScenarios(target, triggerScenarios);
    expect(run.summary, explain(run)).toEqual({ passed: 8, failed: 0, skipped: 0, total: 8 });
    const probes = t.twin.triggers.invocations.filter((i) => i.functionArn.endsWith(":function:scenarioProbe"));
    expect(probes).toHaveLength(1);
    expect([...t.twin.services.store.listPools()].map((p) => p.id)).toEqual([target.poolId]);
    await target.close();
  });

  it("started without it: skip with the instruction, never fail, and the probe's pool is gone", async () => {
    t = await startTwin();
    const target = opened(await openUrlTarget(t.url));
    const run = await runScenarios(target, triggerScenarios);
    expect(run.summary).toEqual({ passed: 0, failed: 0, skipped: 8, total: 8 });
    for (const r of run.scenarios) {
      expect(r.steps).toEqual([]);
      expect(r.reason).toBe(
        'the emulator does not run the trigger scenarios\' functions (a SignUp whose PreSignUp names scenarioProbe answered UnexpectedLambdaException): start it with the --trigger mapping that `npm run scenarios -- --print-trigger-map` prints (docs/scenarios.md, "Trigger scenarios")',
      );
    }
    expect(t.twin.triggers.invocations).toHaveLength(1);
    expect([...t.twin.services.store.listPools()].map((p) => p.id)).toEqual([target.poolId]);
    await target.close();
  });
});
