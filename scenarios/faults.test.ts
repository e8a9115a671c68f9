// The runner's side of fault rules: scenarios that need them skip on targets without them, and
// the rules a scenario sets are gone when it ends, passed or failed. (The fault scenarios
// themselves run with all the others in scenarios.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultScenarios } from "./faults.js";
import { runScenarios } from "./runner.js";
import { openMemoryTarget } from "./targets/memory.js";
import type { OpenTarget } from "./targets/types.js";
import type { Scenario } from "./types.js";

let target: OpenTarget;

beforeAll(async () => {
  const opening = await openMemoryTarget();
  if (!opening.available) throw new Error(opening.reason);
  target = opening.target;
});
afterAll(() => target.close());

async function rulesLeft(): Promise<unknown[]> {
  const res = await fetch(`${target.endpoint}/_twin/faults`);
  return ((await res.json()) as { faults: unknown[] }).faults;
}

describe("fault scenarios in the runner", () => {
  it("skip, with the reason, on a target that takes no fault rules (live Cognito)", async () => {
    const { faults: _none, ...withoutFaults } = target;
    const run = await runScenarios(withoutFaults, faultScenarios);
    expect(run.scenarios.map((s) => [s.name, s.status, s.reason])).toEqual([
      ["throttled-sign-in", "skipped", "the memory target takes no fault rules, which this scenario needs"],
      ["sdk-retries-throttling", "skipped", "the memory target takes no fault rules, which this scenario needs"],
    ]);
  });

  it("the rules a scenario set are removed when it ends, also when it fails", async () => {
    const failing: Scenario = {
      name: "sets-a-rule-then-fails",
      description: "",
      needs: ["faults"],
      async run(ctx) {
        await ctx.step("set a rule", async () => {
          await ctx.faults!.add({ operation: "ListUsers", action: "throttle" });
          expect(await rulesLeft()).toHaveLength(1);
        });
        await ctx.step("fail", async () => {
          throw new Error("on purpose");
        });
      },
    };
    const run = await runScenarios(target, [failing]);
    expect(run.scenarios[0]!.status).toBe("failed");
    expect(await rulesLeft()).toEqual([]);
  });

  it("a rule the test control refuses fails the step with the emulator's reason", async () => {
    const bad: Scenario = {
      name: "bad-rule",
      description: "",
      needs: ["faults"],
      async run(ctx) {
        await ctx.step("set a bad rule", () =>
          ctx.faults!.add({ operation: "ListUsers", action: "delay", latencyMs: -1 }),
        );
      },
    };
    const run = await runScenarios(target, [bad]);
    expect(run.scenarios[0]!.error).toMatch(/POST \/_twin\/faults answered 400: .*latencyMs/);
  });
});
