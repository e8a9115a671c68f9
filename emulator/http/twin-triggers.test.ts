// GET and DELETE /_twin/triggers: the trigger functions' recent invocations, over HTTP as a test
// suite in another process reads them, behind the control token like every /_twin/* route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type TwinApp } from "../app.js";
import { ManualClock } from "../core/clock.js";

const TOKEN = "test-control-t0ken";
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
const auth = { "x-twin-control-token": TOKEN };

let twin: TwinApp;
beforeAll(async () => {
  twin = await createApp(
    { logLevel: "silent", controlToken: TOKEN },
    { clock: new ManualClock(Date.UTC(2026, 0, 1)), triggerTimeoutMs: 50 },
  );
});
afterAll(() => twin.close());

async function get(path: string, headers: Record<string, string> = auth) {
  const res = await twin.app.request(path, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("/_twin/triggers", () => {
  it("lists each invocation with its function, source, route, event, outcome and duration; filters by source", async () => {
    twin.triggers.set("pre-signup", async (event) => {
      event.response.autoConfirmUser = true;
      return event;
    });
    const signUpEvent = { version: "1", triggerSource: "PreSignUp_SignUp", response: { autoConfirmUser: false } };
    await twin.triggers.invoke(ARN, signUpEvent, "PreSignUp_SignUp");
    await twin.triggers.invoke("unmapped", { version: "1" }, "PostConfirmation_ConfirmSignUp");

    const all = await get("/_twin/triggers");
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      invocations: [
        {
          functionArn: ARN,
          triggerSource: "PreSignUp_SignUp",
          via: "handler",
          event: signUpEvent,
          outcome: { kind: "returned", payload: { ...signUpEvent, response: { autoConfirmUser: true } } },
          startedAt: expect.any(Number),
          durationMs: expect.any(Number),
        },
        {
          functionArn: "unmapped",
          triggerSource: "PostConfirmation_ConfirmSignUp",
          via: "none",
          event: { version: "1" },
          outcome: { kind: "not-invocable", reason: "AccessDeniedException" },
          startedAt: expect.any(Number),
          durationMs: expect.any(Number),
        },
      ],
    });
    // startedAt is epoch seconds, as the inbox's createdAt.
    const [first] = all.body.invocations as { startedAt: number }[];
    expect(Math.abs(first!.startedAt - Date.now() / 1000)).toBeLessThan(60);

    const filtered = await get("/_twin/triggers?triggerSource=PostConfirmation_ConfirmSignUp");
    expect((filtered.body.invocations as { functionArn: string }[]).map((i) => i.functionArn)).toEqual(["unmapped"]);
    expect((await get("/_twin/triggers?triggerSource=CustomMessage_SignUp")).body).toEqual({ invocations: [] });
  });

  it("forgets them on DELETE (and on reset)", async () => {
    await twin.triggers.invoke(ARN, { version: "1" }, "PreSignUp_SignUp");
    const res = await twin.app.request("/_twin/triggers", { method: "DELETE", headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ invocations: [], deleted: expect.any(Number) });
    expect((await get("/_twin/triggers")).body).toEqual({ invocations: [] });

    await twin.triggers.invoke(ARN, { version: "1" }, "PreSignUp_SignUp");
    await twin.reset();
    expect(twin.triggers.invocations).toEqual([]);
  });

  it("needs the control token when one is set", async () => {
    expect((await get("/_twin/triggers", {})).status).toBe(401);
    const res = await twin.app.request("/_twin/triggers", { method: "DELETE" });
    expect(res.status).toBe(401);
  });
});
