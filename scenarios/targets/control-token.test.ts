// The emulator targets against an emulator that wants a control token on /_twin/*: the inbox
// and the clock are read with the token, and without it the run stops with the reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { cli } from "../cli.js";
import { expiredToken } from "../failures.js";
import { passwordReset } from "../flows.js";
import { runScenarios } from "../runner.js";
import { openMemoryTarget } from "./memory.js";
import { openUrlTarget } from "./url.js";

const TOKEN = "scenario-control-t0ken";

describe("an emulator with --control-token", () => {
  let t: TestTwin;
  beforeAll(async () => {
    t = await startTwin({ controlToken: TOKEN });
  });
  afterAll(() => t.close());

  it("runs the scenarios that read the inbox and move the clock, with the token", async () => {
    const opening = await openUrlTarget(t.url, { controlToken: TOKEN });
    if (!opening.available) throw new Error(opening.reason);
    try {
      const run = await runScenarios(opening.target, [passwordReset, expiredToken]);
      expect(
        run.scenarios.map((s) => s.status),
        JSON.stringify(run.scenarios.map((s) => s.error)),
      ).toEqual(["passed", "passed"]);
      expect(t.twin.services.clock.offsetSeconds).toBeGreaterThan(0);
    } finally {
      await opening.target.close();
    }
    expect(t.twin.services.clock.offsetSeconds).toBe(0);
  });

  it("without the token, refuses to open the target and says which token is missing", async () => {
    await expect(openUrlTarget(t.url)).rejects.toThrow(/wants its control token for \/_twin\/clock \(HTTP 401\)/);
    expect([...t.twin.services.store.listPools()]).toEqual([]);
  });

  it("takes the token from COGNITO_TWIN_CONTROL_TOKEN on the command line", async () => {
    const out: string[] = [];
    const io = {
      env: { COGNITO_TWIN_CONTROL_TOKEN: TOKEN },
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => out.push(s),
    };
    const code = await cli(["--target", "url", "--url", t.url, "--filter", "password-reset", "--reporter", "json"], io);
    expect(code, out.join("")).toBe(0);
  });
});

describe("the memory target with a control token", () => {
  it("starts its emulator with it and uses it", async () => {
    const opening = await openMemoryTarget({ controlToken: TOKEN });
    if (!opening.available) throw new Error(opening.reason);
    const { target } = opening;
    try {
      expect((await fetch(`${target.endpoint}/_twin/clock`)).status).toBe(401);
      const run = await runScenarios(target, [expiredToken]);
      expect(run.scenarios[0]!.status, run.scenarios[0]!.error).toBe("passed");
    } finally {
      await target.close();
    }
  });
});
