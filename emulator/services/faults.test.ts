import { describe, expect, it } from "vitest";
import { ManualClock } from "../core/clock.js";
import { CognitoError } from "../core/errors.js";
import { FaultRuleError, Faults, type FaultsOptions, MAX_FAULT_RULES } from "./faults.js";

const PATHS = ["/oauth2/authorize", "/oauth2/token", "/oauth2/userInfo", "/login", "/logout"];

function make(options: Partial<FaultsOptions> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  return { clock, faults: new Faults({ clock, paths: PATHS, ...options }) };
}

const none = () => ({});

/** The field a refused rule names. */
function refusal(fn: () => unknown): { field: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof FaultRuleError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error("the rule was accepted");
}

describe("Faults: matching", () => {
  it("is disarmed without rules, armed with one, disarmed again when cleared", () => {
    const { faults } = make();
    expect(faults.armed).toBe(false);
    faults.add({ operation: "InitiateAuth", action: "throttle" });
    expect(faults.armed).toBe(true);
    expect(faults.clear()).toBe(1);
    expect(faults.armed).toBe(false);
  });

  it("fires for the named operation only, with TooManyRequestsException: Rate exceeded", () => {
    const { faults } = make();
    faults.add({ id: "t", operation: "InitiateAuth", action: "throttle" });
    expect(faults.forOperation("GetUser", none, "us-east-1")).toBeUndefined();
    const d = faults.forOperation("InitiateAuth", none, "us-east-1");
    expect(d?.ruleId).toBe("t");
    expect(d?.error).toBeInstanceOf(CognitoError);
    expect(d?.error).toMatchObject({ type: "TooManyRequestsException", message: "Rate exceeded", status: 400 });
  });

  it("a glob matches every operation it names", () => {
    const { faults } = make();
    const view = faults.add({ operation: "Admin*User", action: "http503" });
    expect(view.operations).toContain("AdminGetUser");
    expect(view.operations).toContain("AdminCreateUser");
    expect(view.operations).not.toContain("GetUser");
    expect(faults.forOperation("AdminDeleteUser", none, "us-east-1")?.error).toMatchObject({
      type: "ServiceUnavailable",
      status: 503,
    });
    expect(faults.forOperation("ListUsers", none, "us-east-1")).toBeUndefined();
  });

  it("count: fires the next N calls, then is spent and says how often it fired", () => {
    const { faults } = make();
    faults.add({ id: "two", operation: "SignUp", action: "throttle", count: 2 });
    expect(faults.forOperation("SignUp", none, "us-east-1")).toBeDefined();
    expect(faults.forOperation("SignUp", none, "us-east-1")).toBeDefined();
    expect(faults.forOperation("SignUp", none, "us-east-1")).toBeUndefined();
    expect(faults.get("two")).toMatchObject({ fired: 2, spent: true, count: 2 });
  });

  it("pool and client: only requests that name them", () => {
    const { faults } = make();
    faults.add({ operation: "GetUser", userPoolId: "us-east-1_A", action: "http500" });
    faults.add({ operation: "InitiateAuth", clientId: "client1", action: "throttle" });
    expect(faults.forOperation("GetUser", () => ({ userPoolId: "us-east-1_B" }), "us-east-1")).toBeUndefined();
    expect(faults.forOperation("GetUser", () => ({ userPoolId: "us-east-1_A" }), "us-east-1")?.action).toBe("http500");
    expect(faults.forOperation("InitiateAuth", () => ({ clientId: "client2" }), "us-east-1")).toBeUndefined();
    expect(faults.forOperation("InitiateAuth", () => ({ clientId: "client1" }), "us-east-1")?.action).toBe("throttle");
  });

  it("asks for the request's pool and client only when a rule names one", () => {
    const { faults } = make();
    faults.add({ operation: "GetUser", action: "throttle" });
    let asked = 0;
    faults.forOperation(
      "GetUser",
      () => {
        asked++;
        return {};
      },
      "us-east-1",
    );
    expect(asked).toBe(0);
  });

  it("probability with a seed repeats the same fires", () => {
    const run = () => {
      const { faults } = make();
      faults.add({ operation: "GetUser", action: "throttle", probability: 0.3, seed: 42 });
      return Array.from({ length: 200 }, () => faults.forOperation("GetUser", none, "us-east-1") !== undefined);
    };
    const first = run();
    expect(run()).toEqual(first);
    const fired = first.filter(Boolean).length;
    expect(fired).toBeGreaterThan(30);
    expect(fired).toBeLessThan(90);
  });

  it("probability without a seed uses the injected random numbers", () => {
    const rolls = [0.9, 0.1, 0.5];
    const { faults } = make({ random: () => rolls.shift() ?? 1 });
    faults.add({ operation: "GetUser", action: "throttle", probability: 0.5 });
    const fired = [1, 2, 3].map(() => faults.forOperation("GetUser", none, "us-east-1") !== undefined);
    expect(fired).toEqual([false, true, false]);
  });

  it("a time window on the emulator's clock: from, until, forSeconds", () => {
    const { faults, clock } = make();
    const now = clock.now() / 1000;
    faults.add({ operation: "GetUser", action: "throttle", from: now + 10, until: now + 20 });
    faults.add({ operation: "ListUsers", action: "throttle", forSeconds: 5 });
    expect(faults.forOperation("GetUser", none, "r")).toBeUndefined();
    expect(faults.forOperation("ListUsers", none, "r")).toBeDefined();
    clock.advance(10);
    expect(faults.forOperation("GetUser", none, "r")).toBeDefined();
    expect(faults.forOperation("ListUsers", none, "r")).toBeUndefined();
    clock.advance(10);
    expect(faults.forOperation("GetUser", none, "r")).toBeUndefined();
  });

  it("rules are tried in order; one that does not fire leaves the next its chance", () => {
    const { faults } = make();
    faults.add({ id: "pool-a", operation: "GetUser", userPoolId: "us-east-1_A", action: "http500" });
    faults.add({ id: "any", operation: "GetUser", action: "throttle" });
    expect(faults.forOperation("GetUser", () => ({ userPoolId: "us-east-1_A" }), "r")?.ruleId).toBe("pool-a");
    expect(faults.forOperation("GetUser", () => ({ userPoolId: "us-east-1_B" }), "r")?.ruleId).toBe("any");
  });

  it("an error rule answers the type with the rule's message or the default one", () => {
    const { faults } = make();
    faults.add({ operation: "GetUser", action: "error", error: "NotAuthorizedException" });
    faults.add({ operation: "SignUp", action: "error", error: "InternalErrorException", message: "boom" });
    faults.add({ operation: "ListUsers", action: "error", error: "InvalidParameterException" });
    expect(faults.forOperation("GetUser", none, "r")?.error).toMatchObject({
      type: "NotAuthorizedException",
      message: "Incorrect username or password.",
      status: 400,
    });
    expect(faults.forOperation("SignUp", none, "r")?.error).toMatchObject({
      type: "InternalErrorException",
      message: "boom",
      status: 500,
    });
    expect(faults.forOperation("ListUsers", none, "r")?.error?.message).toBe(
      "This exception is thrown when the Amazon Cognito service encounters an invalid parameter.",
    );
  });

  it("a glob with an error is narrowed to the operations that can answer it", () => {
    const { faults } = make();
    const view = faults.add({ operation: "Admin*", action: "error", error: "UsernameExistsException" });
    expect(view.operations).toEqual(["AdminCreateUser"]);
    expect(faults.forOperation("AdminGetUser", none, "r")).toBeUndefined();
  });

  it("path rules match the domain's paths, with an OAuth error code", () => {
    const { faults } = make();
    expect(faults.watches("/oauth2/token")).toBe(false);
    faults.add({ path: "/oauth2/*", action: "error", error: "invalid_grant", message: "nope" });
    expect(faults.watches("/oauth2/token")).toBe(true);
    expect(faults.watches("/login")).toBe(false);
    expect(faults.forPath("/oauth2/token", none)).toMatchObject({ oauthError: "invalid_grant", message: "nope" });
  });

  it("lists, gets and removes rules by id", () => {
    const { faults } = make();
    const a = faults.add({ operation: "GetUser", action: "drop" });
    faults.add({ id: "mine", operation: "GetUser", action: "hang" });
    expect(a.id).toMatch(/^fault-\d+$/);
    expect(faults.list().map((r) => r.id)).toEqual([a.id, "mine"]);
    expect(faults.remove("mine")).toBe(true);
    expect(faults.remove("mine")).toBe(false);
    expect(faults.get(a.id)).toMatchObject({ action: "drop", fired: 0, spent: false });
  });

  it("pause waits, and is cut short by an abort or by release", async () => {
    const { faults } = make();
    expect(await faults.pause(1)).toBe("elapsed");
    const aborter = new AbortController();
    const aborted = faults.pause(60_000, aborter.signal);
    aborter.abort();
    expect(await aborted).toBe("aborted");
    const held = faults.pause(60_000);
    faults.release();
    expect(await held).toBe("released");
  });
});

describe("Faults: bad rules are refused naming the field, and nothing is half-applied", () => {
  const cases: [string, unknown, string, RegExp][] = [
    ["not an object", "throttle", "", /JSON object/],
    ["an unknown field", { operation: "GetUser", action: "throttle", latency: 5 }, "latency", /not a field/],
    ["an unknown operation", { operation: "GetUsr", action: "throttle" }, "operation", /not an operation/],
    ["a glob that matches nothing", { operation: "Zap*", action: "throttle" }, "operation", /matches no operation/],
    ["a bad glob", { operation: "Get User", action: "throttle" }, "operation", /glob/],
    ["neither operation nor path", { action: "throttle" }, "operation", /either an operation/],
    ["both operation and path", { operation: "GetUser", path: "/login", action: "throttle" }, "path", /not both/],
    ["an unknown path", { path: "/oauth2/nope", action: "throttle" }, "path", /not a path/],
    ["an unknown action", { operation: "GetUser", action: "explode" }, "action", /one of error, throttle/],
    [
      "an error the model does not have",
      { operation: "GetUser", action: "error", error: "OopsException" },
      "error",
      /not an error/,
    ],
    [
      "an error the operation cannot answer",
      { operation: "GetUser", action: "error", error: "UsernameExistsException" },
      "error",
      /GetUser cannot answer UsernameExistsException; its model lists/,
    ],
    ["an error rule without error", { operation: "GetUser", action: "error" }, "error", /needs error/],
    [
      "error on another action",
      { operation: "GetUser", action: "throttle", error: "X" },
      "error",
      /goes with the action error/,
    ],
    [
      "a bad OAuth error",
      { path: "/login", action: "error", error: "NotAuthorizedException" },
      "error",
      /OAuth 2.0 error code/,
    ],
    ["a negative latency", { operation: "GetUser", action: "delay", latencyMs: -1 }, "latencyMs", /from 0 to 60000/],
    [
      "an absurd latency",
      { operation: "GetUser", action: "delay", latencyMs: 3_600_000 },
      "latencyMs",
      /from 0 to 60000/,
    ],
    ["a fractional latency", { operation: "GetUser", action: "delay", latencyMs: 1.5 }, "latencyMs", /whole number/],
    ["a delay without latency", { operation: "GetUser", action: "delay" }, "latencyMs", /needs latencyMs/],
    ["latency on hang", { operation: "GetUser", action: "hang", latencyMs: 5 }, "latencyMs", /takes no latencyMs/],
    ["probability 0", { operation: "GetUser", action: "throttle", probability: 0 }, "probability", /above 0/],
    ["probability above 1", { operation: "GetUser", action: "throttle", probability: 1.5 }, "probability", /at most 1/],
    ["probability as text", { operation: "GetUser", action: "throttle", probability: "0.5" }, "probability", /number/],
    ["a seed without probability", { operation: "GetUser", action: "throttle", seed: 1 }, "seed", /give probability/],
    ["count 0", { operation: "GetUser", action: "throttle", count: 0 }, "count", /from 1/],
    ["until before from", { operation: "GetUser", action: "throttle", from: 2e9, until: 1e9 }, "until", /after from/],
    [
      "until and forSeconds",
      { operation: "GetUser", action: "throttle", until: 2e9, forSeconds: 5 },
      "forSeconds",
      /not both/,
    ],
    ["a message on drop", { operation: "GetUser", action: "drop", message: "x" }, "message", /error and throttle/],
    ["an empty message", { operation: "GetUser", action: "throttle", message: "" }, "message", /1 to 1024/],
    ["a bad pool id", { operation: "GetUser", action: "throttle", userPoolId: "nope" }, "userPoolId", /user pool id/],
    ["a bad id", { id: "a b", operation: "GetUser", action: "throttle" }, "id", /letters/],
  ];
  for (const [label, rule, field, message] of cases) {
    it(`${label}: 400 naming ${field || "the body"}`, () => {
      const { faults } = make();
      const r = refusal(() => faults.add(rule));
      expect(r.field).toBe(field);
      expect(r.message).toMatch(message);
      expect(faults.list()).toEqual([]);
      expect(faults.armed).toBe(false);
    });
  }

  it("a taken id is refused", () => {
    const { faults } = make();
    faults.add({ id: "x", operation: "GetUser", action: "throttle" });
    expect(refusal(() => faults.add({ id: "x", operation: "GetUser", action: "drop" })).field).toBe("id");
  });

  it("a list with one bad rule sets none, and names which", () => {
    const { faults } = make();
    const r = refusal(() =>
      faults.addAll([
        { operation: "GetUser", action: "throttle" },
        { operation: "GetUser", action: "delay", latencyMs: -5 },
      ]),
    );
    expect(r.field).toBe("[1].latencyMs");
    expect(r.message).toMatch(/^rule 1: /);
    expect(faults.list()).toEqual([]);
  });

  it(`holds at most ${MAX_FAULT_RULES} rules`, () => {
    const { faults } = make();
    faults.addAll(Array.from({ length: MAX_FAULT_RULES }, () => ({ operation: "GetUser", action: "throttle" })));
    expect(refusal(() => faults.add({ operation: "GetUser", action: "throttle" })).message).toMatch(/at most/);
  });
});

describe("globs", () => {
  it("match as globs do, and a glob of many stars that matches nothing is refused at once", () => {
    const { faults } = make();
    expect(faults.add({ operation: "*User", action: "throttle" }).operations).toContain("AdminGetUser");
    expect(faults.add({ operation: "Get*Pool*", action: "throttle" }).operations).toEqual(["GetUserPoolMfaConfig"]);
    expect(faults.add({ operation: "**GetUser**", action: "throttle" }).operations).toContain("GetUser");
    const started = performance.now();
    expect(refusal(() => faults.add({ operation: `${"*a".repeat(60)}*Z`, action: "throttle" })).field).toBe(
      "operation",
    );
    expect(performance.now() - started).toBeLessThan(500);
  });
});
