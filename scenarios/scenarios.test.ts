// Every scenario against the in-process emulator, plus the runner's own rules (failure, skip,
// cleanup) checked against an emulator whose store the test can look into.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { ok } from "./expect.js";
import { failures } from "./failures.js";
import { flows } from "./flows.js";
import { allScenarios } from "./index.js";
import { runScenarios } from "./runner.js";
import { openMemoryTarget } from "./targets/memory.js";
import type { OpenTarget } from "./targets/types.js";
import { openUrlTarget } from "./targets/url.js";
import type { Scenario, ScenarioResult } from "./types.js";

function opened(o: Awaited<ReturnType<typeof openMemoryTarget>>): OpenTarget {
  if (!o.available) throw new Error(o.reason);
  return o.target;
}

/** A readable failure: the failed or skipped steps with their messages. */
function explain(r: ScenarioResult): string {
  return r.steps
    .filter((s) => s.status !== "passed")
    .map((s) => `${s.name}: ${s.error ?? s.reason}`)
    .join("\n");
}

// Every scenario on the default target; the seed app's own scenarios again with a client secret
// (SECRET_HASH on every call). The SRP/MFA scenarios are CPU-heavy, so they run once here.
const seedApp: readonly Scenario[] = [...flows, ...failures];

describe.each([
  ["the memory target", {}, allScenarios],
  ["the memory target with a client secret", { clientOverrides: { GenerateSecret: true } }, seedApp],
])("scenarios on %s", (_label, options, scenarios) => {
  let target: OpenTarget;
  beforeAll(async () => {
    target = opened(await openMemoryTarget(options));
  });
  afterAll(() => target.close());

  it.each(scenarios.map((s) => [s.name, s] as const))("%s passes, every step", async (_name, scenario) => {
    const run = await runScenarios(target, [scenario]);
    const result = run.scenarios[0]!;
    expect(result.status, explain(result)).toBe("passed");
    expect(result.steps.every((s) => s.status === "passed")).toBe(true);
    // The runner's cleanup of the scenario's users; a trigger scenario that made none (its users
    // live in its own pool) ends by deleting that pool.
    expect([
      "cleanup",
      "delete the trigger pool (and its users)",
      "delete the pool, its domain and its users",
    ]).toContain(result.steps.at(-1)!.name);
  });
});

describe("the runner against a running emulator (url target)", () => {
  let t: TestTwin;
  let target: OpenTarget;
  beforeAll(async () => {
    t = await startTwin();
    target = opened(await openUrlTarget(t.url));
  });
  afterAll(() => t.close());

  it("runs the seed app's scenarios, leaves no user or group behind, then deletes its pool and moves the clock back", async () => {
    const events: string[] = [];
    const run = await runScenarios(target, seedApp, { onEvent: (e) => events.push(e.type) });
    expect(run.summary, run.scenarios.map(explain).join("\n")).toEqual({
      passed: seedApp.length,
      failed: 0,
      skipped: 0,
      total: seedApp.length,
    });
    expect(events[0]).toBe("run-start");
    expect(events.at(-1)).toBe("run-end");
    expect(t.twin.services.store.countUsers(target.poolId)).toBe(0);
    expect(t.twin.services.store.listGroups(target.poolId)).toEqual([]);
    expect(t.twin.services.clock.offsetSeconds).toBeGreaterThan(0);
    await target.close();
    expect(t.twin.services.store.getPool(target.poolId)).toBeUndefined();
    expect(t.twin.services.clock.offsetSeconds).toBe(0);
    target = opened(await openUrlTarget(t.url));
  });

  it("stops a scenario at its failed step, runs no later step, and still deletes its users", async () => {
    let later = false;
    const failing: Scenario = {
      name: "deliberately-failing",
      description: "",
      async run(ctx) {
        const user = await ctx.step("make a user", () => ctx.confirmedUser());
        await ctx.step("fail", async () => {
          ok(await ctx.client.login(user.email, "not the password"), "sign-in");
        });
        await ctx.step("never", async () => {
          later = true;
        });
      },
    };
    const run = await runScenarios(target, [failing]);
    const r = run.scenarios[0]!;
    expect(r.status).toBe("failed");
    expect(r.error).toBe("sign-in failed: NotAuthorizedException: Incorrect username or password.");
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ["make a user", "passed"],
      ["fail", "failed"],
      ["cleanup", "passed"],
    ]);
    expect(later).toBe(false);
    expect(t.twin.services.store.countUsers(target.poolId)).toBe(0);
  });

  it("reports a skip with its reason, never as a pass, and cleans up", async () => {
    const skipping: Scenario = {
      name: "deliberately-skipping",
      description: "",
      async run(ctx) {
        await ctx.step("make a user", () => ctx.confirmedUser());
        await ctx.step("needs something", async () => ctx.skip("not available here"));
      },
    };
    const run = await runScenarios(target, [skipping]);
    expect(run.summary).toEqual({ passed: 0, failed: 0, skipped: 1, total: 1 });
    expect(run.scenarios[0]).toMatchObject({ status: "skipped", reason: "not available here" });
    expect(run.scenarios[0]!.steps.map((s) => s.status)).toEqual(["passed", "skipped", "passed"]);
    expect(t.twin.services.store.countUsers(target.poolId)).toBe(0);
  });

  it("fails a scenario that throws outside any step", async () => {
    const run = await runScenarios(target, [
      {
        name: "throws-outside",
        description: "",
        async run() {
          throw new Error("no step");
        },
      },
    ]);
    expect(run.scenarios[0]).toMatchObject({
      status: "failed",
      error: "no step",
      steps: [{ name: "(outside steps)", status: "failed" }],
    });
  });

  it("runs scenarios at once but reports them in order, and runs a scenario that needs the clock alone", async () => {
    let active = 0;
    let most = 0;
    const log: string[] = [];
    let secondStarted!: () => void;
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    const scenario = (name: string, body: () => Promise<void> = async () => undefined, needs?: "clock"): Scenario => ({
      name,
      description: "",
      ...(needs ? { needs: [needs] } : {}),
      async run(ctx) {
        active++;
        most = Math.max(most, active);
        log.push(`${name} start (${active} running)`);
        try {
          await ctx.step(`${name} step`, async () => {
            await ctx.confirmedUser(name);
            await body();
          });
        } finally {
          log.push(`${name} end`);
          active--;
        }
      },
    });
    const events: string[] = [];
    const run = await runScenarios(
      target,
      [
        // The first waits for the second to start: only a run that overlaps them gets past it.
        scenario("first", () => started),
        scenario("second", async () => secondStarted()),
        scenario("third"),
        scenario("moves-time", async () => undefined, "clock"),
        scenario("fourth"),
        scenario("fifth"),
      ],
      {
        concurrency: 3,
        onEvent: (e) =>
          events.push(
            e.type === "step-end"
              ? `step ${e.step.name}`
              : e.type === "scenario-start"
                ? `start ${e.name}`
                : e.type === "scenario-end"
                  ? `end ${e.result.name}`
                  : e.type,
          ),
      },
    );
    expect(run.summary, run.scenarios.map(explain).join("\n")).toEqual({ passed: 6, failed: 0, skipped: 0, total: 6 });
    expect(run.scenarios.map((s) => s.name)).toEqual(["first", "second", "third", "moves-time", "fourth", "fifth"]);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);
    // Alone: everything before it ended first, nothing after it started before it ended.
    expect(log).toContain("moves-time start (1 running)");
    const at = (line: string) => log.indexOf(line);
    for (const before of ["first", "second", "third"])
      expect(at(`${before} end`)).toBeLessThan(at("moves-time start (1 running)"));
    for (const after of ["fourth", "fifth"])
      expect(at("moves-time end")).toBeLessThan(log.findIndex((l) => l.startsWith(`${after} start`)));
    // Progress as if one at a time: each scenario's events together, in the given order.
    const names = ["first", "second", "third", "moves-time", "fourth", "fifth"];
    expect(events).toEqual([
      "run-start",
      ...names.flatMap((n) => [`start ${n}`, `step ${n} step`, "step cleanup", `end ${n}`]),
      "run-end",
    ]);
    expect(t.twin.services.store.countUsers(target.poolId)).toBe(0);
  });

  it("filters by name parts and stops before the next scenario once aborted", async () => {
    const controller = new AbortController();
    const run = await runScenarios(target, allScenarios, {
      filter: "Duplicate, weak",
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "scenario-end") controller.abort();
      },
    });
    expect(run.scenarios.map((s) => [s.name, s.status])).toEqual([
      ["duplicate-account", "passed"],
      ["weak-password", "skipped"],
    ]);
    expect(run.scenarios[1]!.reason).toBe("the run was interrupted");
  });
});

describe("unavailable url targets say why", () => {
  it("without --url, with a bad URL, and with nothing listening", async () => {
    expect(await openUrlTarget(undefined)).toEqual({
      available: false,
      reason: "--target url needs --url http://host:port (the emulator's address)",
    });
    expect(await openUrlTarget("ftp://x")).toEqual({
      available: false,
      reason: '--url "ftp://x" is not an http(s) URL',
    });
    const port = await closedPort();
    expect(await openUrlTarget(`http://127.0.0.1:${port}`)).toEqual({
      available: false,
      reason: `no emulator answering at http://127.0.0.1:${port} (ECONNREFUSED); start one with \`npm start\``,
    });
  });
});

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
