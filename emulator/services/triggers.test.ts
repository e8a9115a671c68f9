// The trigger service in this process: handlers a test sets, modules mapped by name or ARN, what
// each way of answering (or failing) comes to, and the invocation list. AWS Lambda's Invoke API
// is tested through a real server in triggers-lambda.test.ts.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PreSignUpTriggerHandler } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Logger } from "../core/logger.js";
import { functionName, type TriggerSettings, Triggers } from "./triggers.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
const EVENT = { version: "1", triggerSource: "PreSignUp_SignUp", request: {}, response: { autoConfirmUser: false } };

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (line) => lines.push(line),
    debug: () => undefined,
    error: (line) => lines.push(line),
  };
}

function service(settings: Partial<TriggerSettings> = {}) {
  const log = recordingLog();
  return { log, triggers: new Triggers({ log, ...settings }) };
}

describe("functionName", () => {
  it("reads the name of a function ARN, with or without a qualifier, and leaves a bare name as it is", () => {
    expect(functionName(ARN)).toBe("pre-signup");
    expect(functionName(`${ARN}:live`)).toBe("pre-signup");
    expect(functionName("pre-signup")).toBe("pre-signup");
  });
});

describe("handlers set in the test", () => {
  it("runs a handler set by function name for every ARN of that name, with a copy of the event", async () => {
    const { triggers } = service();
    const seen: unknown[] = [];
    const handler: PreSignUpTriggerHandler = async (event) => {
      seen.push(structuredClone(event));
      event.response.autoConfirmUser = true;
      return event;
    };
    triggers.set("pre-signup", handler);
    const event = structuredClone(EVENT);
    const outcome = await triggers.invoke(ARN, event, "PreSignUp_SignUp");
    expect(outcome).toEqual({ kind: "returned", payload: { ...EVENT, response: { autoConfirmUser: true } } });
    expect(seen).toEqual([EVENT]);
    // The function changed its own copy, not the emulator's event.
    expect(event).toEqual(EVENT);
    expect(await triggers.invoke(`${ARN}:live`, EVENT, "PreSignUp_SignUp")).toMatchObject({ kind: "returned" });
  });

  it("prefers a handler set for the full ARN over one set for the name", async () => {
    const { triggers } = service();
    triggers.set("pre-signup", () => ({ by: "name" }));
    triggers.set(ARN, () => ({ by: "arn" }));
    expect(await triggers.invoke(ARN, EVENT, "PreSignUp_SignUp")).toEqual({ kind: "returned", payload: { by: "arn" } });
    expect(await triggers.invoke(`${ARN}:live`, EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { by: "name" },
    });
  });

  it("passes a Lambda-like context naming the function", async () => {
    const { triggers } = service({ timeoutMs: 5000 });
    let context: Record<string, unknown> = {};
    triggers.set(ARN, (_event, ctx) => {
      context = { ...ctx, remaining: ctx.getRemainingTimeInMillis() };
      return {};
    });
    await triggers.invoke(ARN, EVENT, "PreSignUp_SignUp");
    expect(context).toMatchObject({
      functionName: "pre-signup",
      functionVersion: "$LATEST",
      invokedFunctionArn: ARN,
      logGroupName: "/aws/lambda/pre-signup",
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(context.remaining).toBeGreaterThan(4000);
    expect(context.remaining).toBeLessThanOrEqual(5000);
  });

  it("answers through the callback of a three-parameter handler, result or error", async () => {
    const { triggers } = service();
    triggers.set("ok", (event, _context, callback) => {
      setImmediate(() => callback(null, { ...event, answered: "late" }));
    });
    triggers.set("fails", (_event, _context, callback) => callback(new Error("Nope")));
    triggers.set("done-with-null", (_event, _context, callback) => callback(null, null));
    expect(await triggers.invoke("ok", { a: 1 }, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { a: 1, answered: "late" },
    });
    expect(await triggers.invoke("fails", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "Error",
      errorMessage: "Nope",
    });
    expect(await triggers.invoke("done-with-null", {}, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: null,
    });
  });

  it("answers through the legacy context.done, succeed and fail", async () => {
    const { triggers } = service();
    triggers.set("done", (event, context) => context.done(undefined, { ...event, via: "done" }));
    triggers.set("succeed", (event, context) => context.succeed({ ...event, via: "succeed" }));
    triggers.set("fail", (_event, context) => context.fail("Closed"));
    expect(await triggers.invoke("done", {}, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { via: "done" },
    });
    expect(await triggers.invoke("succeed", {}, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { via: "succeed" },
    });
    expect(await triggers.invoke("fail", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "string",
      errorMessage: "Closed",
    });
  });

  it("reports thrown errors and rejections by their class name and message", async () => {
    const { triggers } = service();
    class DomainNotAllowed extends Error {
      override name = "DomainNotAllowed";
    }
    triggers.set("sync-throw", () => {
      throw new TypeError("bad input");
    });
    triggers.set("async-throw", async () => {
      throw new DomainNotAllowed("Sign-ups from example.org are closed");
    });
    expect(await triggers.invoke("sync-throw", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "TypeError",
      errorMessage: "bad input",
    });
    expect(await triggers.invoke("async-throw", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "DomainNotAllowed",
      errorMessage: "Sign-ups from example.org are closed",
    });
  });

  it("reports a thrown value that is not an Error as Lambda's runtime does: its typeof and its string", async () => {
    const { triggers } = service();
    triggers.set("string", () => {
      throw "Not allowed";
    });
    triggers.set("number", async () => Promise.reject(42));
    triggers.set("object", (_e, _c, callback) => callback({ code: 7 }));
    expect(await triggers.invoke("string", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "string",
      errorMessage: "Not allowed",
    });
    expect(await triggers.invoke("number", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "number",
      errorMessage: "42",
    });
    expect(await triggers.invoke("object", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "object",
      errorMessage: "[object Object]",
    });
  });

  it("answers null for an async handler that returns nothing", async () => {
    const { triggers } = service();
    triggers.set("forgot-return", async () => undefined);
    expect(await triggers.invoke("forgot-return", EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: null,
    });
  });

  it("fails a result JSON cannot hold as Lambda's runtime does, and a bare function as no JSON at all", async () => {
    const { triggers } = service();
    triggers.set("cycle", (event) => {
      event.self = event;
      return event;
    });
    triggers.set("bigint", () => ({ n: 1n }));
    triggers.set("function", () => () => 1);
    const stringifyError = {
      kind: "function-error",
      errorType: "Runtime.JSONStringifyError",
      errorMessage: "Unable to stringify response body",
    };
    expect(await triggers.invoke("cycle", {}, "PreSignUp_SignUp")).toEqual(stringifyError);
    expect(await triggers.invoke("bigint", {}, "PreSignUp_SignUp")).toEqual(stringifyError);
    expect(await triggers.invoke("function", {}, "PreSignUp_SignUp")).toEqual({ kind: "invalid-json" });
  });

  it("reads an answer as its JSON, whether or not it is JSON already", async () => {
    const { triggers } = service();
    class Response {
      autoConfirmUser = true;
      get derived() {
        return "not an own member";
      }
    }
    const answer = {
      plain: { list: [1, "a", null, true], nested: { deep: [{}] } },
      at: new Date(Date.UTC(2026, 0, 2)),
      missing: undefined,
      odd: [undefined, Number.NaN, Number.POSITIVE_INFINITY, () => 1],
      instance: new Response(),
      bare: Object.assign(Object.create(null), { a: 1 }),
    };
    triggers.set("json", () => answer);
    triggers.set("as-is", (event) => event);
    const outcome = await triggers.invoke("json", {}, "PreSignUp_SignUp");
    expect(outcome).toEqual({ kind: "returned", payload: JSON.parse(JSON.stringify(answer)) });
    expect((outcome as { payload: { instance: unknown } }).payload.instance).not.toBeInstanceOf(Response);
    // An answer that is JSON already is taken as it is, member for member.
    expect(await triggers.invoke("as-is", EVENT, "PreSignUp_SignUp")).toEqual({ kind: "returned", payload: EVENT });
  });

  it("refuses a response over Lambda's 6 MB, counted in bytes", async () => {
    const { triggers } = service();
    // 2.2 million three-byte characters: under 6 MB as string length, over it in UTF-8.
    triggers.set("large", () => ({ text: "€".repeat(2_200_000) }));
    triggers.set("just-under", () => "x".repeat(6 * 1024 * 1024 - 2));
    expect(await triggers.invoke("large", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: "Response payload size exceeded maximum allowed payload size (6291456 bytes).",
    });
    expect(await triggers.invoke("just-under", {}, "PreSignUp_SignUp")).toMatchObject({ kind: "returned" });
  });

  it("times out a handler that takes longer than timeoutMs, and one that never calls back", async () => {
    const { triggers, log } = service({ timeoutMs: 30 });
    triggers.set("slow", () => new Promise((done) => setTimeout(() => done({}), 2000).unref()));
    triggers.set("silent", (_event, _context, _callback) => undefined);
    const started = performance.now();
    expect(await triggers.invoke("slow", {}, "PreSignUp_SignUp")).toEqual({ kind: "timeout" });
    expect(await triggers.invoke("silent", {}, "PreSignUp_SignUp")).toEqual({ kind: "timeout" });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(log.lines).toContain("[triggers] PreSignUp_SignUp slow: gave no answer in time");
  });

  it("times the wait only for an answer still to come: no timer is left by one that came at once", async () => {
    vi.useFakeTimers();
    try {
      const { triggers } = service({ timeoutMs: 5000 });
      triggers.set("at-once", async (event) => event);
      triggers.set("callback", (event, _context, callback) => callback(null, event));
      expect(await triggers.invoke("at-once", EVENT, "PreSignUp_SignUp")).toMatchObject({ kind: "returned" });
      expect(await triggers.invoke("callback", EVENT, "PreSignUp_SignUp")).toMatchObject({ kind: "returned" });
      expect(vi.getTimerCount()).toBe(0);
      let answer: (value: unknown) => void = () => undefined;
      triggers.set("working", () => new Promise((done) => (answer = done)));
      const pending = triggers.invoke("working", EVENT, "PreSignUp_SignUp");
      await vi.advanceTimersByTimeAsync(4999);
      expect(vi.getTimerCount()).toBe(1);
      answer({ late: false });
      expect(await pending).toEqual({ kind: "returned", payload: { late: false } });
      expect(vi.getTimerCount()).toBe(0);
      // The same function answering after the wait: the call has timed out.
      const slow = triggers.invoke("working", EVENT, "PreSignUp_SignUp");
      await vi.advanceTimersByTimeAsync(5000);
      expect(await slow).toEqual({ kind: "timeout" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("clears one handler, or all of them", async () => {
    const { triggers } = service();
    triggers.set("a", () => ({}));
    triggers.set("b", () => ({}));
    expect(triggers.canInvoke("a") && triggers.canInvoke("b")).toBe(true);
    triggers.clear("a");
    expect(triggers.canInvoke("a")).toBe(false);
    expect(triggers.canInvoke("b")).toBe(true);
    triggers.clear();
    expect(triggers.canInvoke("b")).toBe(false);
  });
});

describe("a function nothing runs", () => {
  it("is not invocable, and the log names the ARN and the ways to map it", async () => {
    const { triggers, log } = service();
    expect(triggers.canInvoke(ARN)).toBe(false);
    expect(await triggers.invoke(ARN, EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "not-invocable",
      reason: "AccessDeniedException",
    });
    const line = log.lines.find((l) => l.includes("nothing runs"));
    expect(line).toContain(ARN);
    expect(line).toContain("--trigger 'pre-signup=./triggers/file.ts#handler'");
    expect(line).toContain('"Triggers"');
    expect(line).toContain("twin.triggers.set(");
    expect(line).toContain("--lambda-endpoint");
    expect(triggers.invocations.at(-1)).toMatchObject({ functionArn: ARN, via: "none" });
  });
});

describe("modules mapped in the configuration", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "twin-triggers-"));
    await writeFile(
      join(dir, "pre-signup.ts"),
      [
        'import type { PreSignUpTriggerHandler } from "aws-lambda";',
        "export const confirm: PreSignUpTriggerHandler = async (event) => {",
        "  const domain: string = event.request.userAttributes.email.split('@')[1];",
        '  if (domain === "example.org") throw new Error("Sign-ups from example.org are closed");',
        "  event.response.autoConfirmUser = true;",
        "  return event;",
        "};",
      ].join("\n"),
    );
    await writeFile(
      join(dir, "legacy.js"),
      "export const handler = (event, _context, callback) => callback(null, { ...event, from: 'js' });\n",
    );
    await writeFile(join(dir, "default-only.mjs"), "export default { handler: async () => ({ from: 'default' }) };\n");
    await writeFile(join(dir, "broken.js"), "export const handler = ;\n");
    await writeFile(join(dir, "no-handler.js"), "export const other = () => ({});\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const event = (email: string) => ({ ...EVENT, request: { userAttributes: { email } } });

  it("runs the named export of a TypeScript module, found by function name", async () => {
    const { triggers } = service({ modules: { "pre-signup": "./pre-signup.ts#confirm" }, baseDir: dir });
    expect(triggers.canInvoke(ARN)).toBe(true);
    const outcome = await triggers.invoke(ARN, event("ann@example.com"), "PreSignUp_SignUp");
    expect(outcome).toEqual({
      kind: "returned",
      payload: { ...event("ann@example.com"), response: { autoConfirmUser: true } },
    });
    expect(await triggers.invoke(ARN, event("bo@example.org"), "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "Error",
      errorMessage: "Sign-ups from example.org are closed",
    });
    expect(triggers.invocations.map((i) => i.via)).toEqual(["module", "module"]);
  });

  it("runs `handler` of a JavaScript module when the spec names no export, found by ARN", async () => {
    const { triggers } = service({ modules: { [ARN]: join(dir, "legacy.js") } });
    expect(await triggers.invoke(ARN, { a: 1 }, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { a: 1, from: "js" },
    });
    // Another function of the same name is not that ARN.
    expect(triggers.canInvoke(`${ARN}:live`)).toBe(false);
  });

  it("finds the export on a default-exported object too", async () => {
    const { triggers } = service({ modules: { f: `${join(dir, "default-only.mjs")}#handler` } });
    expect(await triggers.invoke("f", {}, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { from: "default" },
    });
  });

  it("reports a module that fails to load, or lacks the export, as Lambda's runtime does, and logs it", async () => {
    const { triggers, log } = service({
      modules: { missing: "./nowhere.js", broken: "./broken.js", "no-handler": "./no-handler.js" },
      baseDir: dir,
    });
    expect(await triggers.invoke("missing", {}, "PreSignUp_SignUp")).toMatchObject({
      kind: "function-error",
      errorType: "Runtime.ImportModuleError",
      errorMessage: expect.stringContaining("nowhere.js"),
    });
    expect(await triggers.invoke("broken", {}, "PreSignUp_SignUp")).toMatchObject({
      kind: "function-error",
      errorType: expect.stringMatching(/^Runtime\.(UserCodeSyntaxError|ImportModuleError)$/),
    });
    expect(await triggers.invoke("no-handler", {}, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "Runtime.HandlerNotFound",
      errorMessage: `${join(dir, "no-handler.js")}#handler is undefined or not exported`,
    });
    expect(log.lines.filter((l) => l.startsWith("[triggers] could not load the module for missing"))).toHaveLength(1);
  });

  it("tries a module that failed to load again on the next invocation", async () => {
    const { triggers } = service({ modules: { later: "./written-later.js" }, baseDir: dir });
    expect(await triggers.invoke("later", {}, "PreSignUp_SignUp")).toMatchObject({
      errorType: "Runtime.ImportModuleError",
    });
    await writeFile(join(dir, "written-later.js"), "export const handler = () => ({ fixed: true });\n");
    expect(await triggers.invoke("later", {}, "PreSignUp_SignUp")).toEqual({
      kind: "returned",
      payload: { fixed: true },
    });
  });

  it("lets a handler set in the test win over a mapped module", async () => {
    const { triggers } = service({ modules: { "pre-signup": "./pre-signup.ts#confirm" }, baseDir: dir });
    triggers.set("pre-signup", () => ({ from: "test" }));
    expect(await triggers.invoke(ARN, {}, "PreSignUp_SignUp")).toEqual({ kind: "returned", payload: { from: "test" } });
    triggers.clear();
    expect(await triggers.invoke(ARN, event("ann@example.com"), "PreSignUp_SignUp")).toMatchObject({
      kind: "returned",
    });
  });
});

describe("invocations", () => {
  it("lists each invocation with its event, route, outcome and timing", async () => {
    const { triggers } = service();
    triggers.set("pre-signup", async (event) => event);
    await triggers.invoke(ARN, EVENT, "PreSignUp_SignUp");
    await triggers.invoke("unmapped", { b: 2 }, "PostConfirmation_ConfirmSignUp");
    expect(triggers.invocations).toEqual([
      {
        functionArn: ARN,
        triggerSource: "PreSignUp_SignUp",
        via: "handler",
        event: EVENT,
        outcome: { kind: "returned", payload: EVENT },
        startedAt: expect.any(Number),
        durationMs: expect.any(Number),
      },
      expect.objectContaining({
        functionArn: "unmapped",
        triggerSource: "PostConfirmation_ConfirmSignUp",
        via: "none",
        outcome: { kind: "not-invocable", reason: "AccessDeniedException" },
      }),
    ]);
    expect(triggers.invocations[0]!.durationMs).toBeGreaterThanOrEqual(0);
    triggers.forgetInvocations();
    expect(triggers.invocations).toEqual([]);
  });

  it("keeps the last 1000, dropping the oldest first", async () => {
    const { triggers } = service();
    let n = 0;
    triggers.set("f", () => ({ n: n++ }));
    for (let i = 0; i < 1005; i++) await triggers.invoke("f", { i }, "PreSignUp_SignUp");
    expect(triggers.invocations).toHaveLength(1000);
    expect(triggers.invocations[0]!.event).toEqual({ i: 5 });
    expect(triggers.invocations.at(-1)!.event).toEqual({ i: 1004 });
  });
});
