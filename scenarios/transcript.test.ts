import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failures, wrongPassword } from "./failures.js";
import { flows } from "./flows.js";
import { runScenarios } from "./runner.js";
import { openMemoryTarget } from "./targets/memory.js";
import type { OpenTarget } from "./targets/types.js";
import {
  diffTranscripts,
  formatDiff,
  redact,
  shapeOf,
  type Transcript,
  TranscriptRecorder,
  uncompared,
} from "./transcript.js";

describe("shapeOf", () => {
  it("keeps keys and types, not values", () => {
    expect(
      shapeOf({
        ClientId: "abc",
        AuthParameters: { USERNAME: "a@b.c", PASSWORD: "x" },
        Count: 3,
        When: new Date(),
        Missing: undefined,
        $metadata: { x: 1 },
      }),
    ).toEqual({
      AuthParameters: { PASSWORD: "string", USERNAME: "string" },
      ClientId: "string",
      Count: "number",
      When: "date",
    });
  });
  it("keeps attribute names (sorted) and enum-like values", () => {
    expect(
      shapeOf({
        UserAttributes: [
          { Name: "sub", Value: "1" },
          { Name: "email", Value: "a@b.c" },
        ],
        CodeDeliveryDetails: { DeliveryMedium: "EMAIL", Destination: "a***@b***" },
        ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
        UserConfirmed: false,
      }),
    ).toEqual({
      CodeDeliveryDetails: { DeliveryMedium: "=EMAIL", Destination: "string" },
      ExplicitAuthFlows: "=ALLOW_REFRESH_TOKEN_AUTH,ALLOW_USER_PASSWORD_AUTH",
      UserAttributes: ["email:string", "sub:string"],
      UserConfirmed: "=false",
    });
  });
  it("merges list items of one shape", () => {
    expect(shapeOf({ Groups: [{ GroupName: "a" }, { GroupName: "b" }] })).toEqual({
      Groups: [{ GroupName: "string" }],
    });
  });
});

describe("redact", () => {
  it("replaces known values, tokens, pool ids, uuids, emails, client ids and codes", () => {
    const known = new Map([["scn-1-user@example.com", "<email>"]]);
    expect(redact("User scn-1-user@example.com in us-east-1_AbC123xyz", known)).toBe("User <email> in <poolId>");
    expect(redact("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln and 7c9e6679-7425-40de-944b-e07fc1f90ae7")).toBe(
      "token <token> and <uuid>",
    );
    expect(redact("Client 4f1a2b3c4d5e6f7g8h9i0j1k2l is configured with secret")).toBe(
      "Client <clientId> is configured with secret",
    );
    expect(redact("code 123456 at 2026-01-01T10:00:00.000Z")).toBe("code <code> at <time>");
    expect(redact("Incorrect username or password.")).toBe("Incorrect username or password.");
  });
});

describe("transcripts and diff", () => {
  const targets: OpenTarget[] = [];
  async function record(setting: "LEGACY" | "ENABLED", scenarios = [wrongPassword]): Promise<Transcript> {
    const opening = await openMemoryTarget({ clientOverrides: { PreventUserExistenceErrors: setting } });
    if (!opening.available) throw new Error(opening.reason);
    targets.push(opening.target);
    const rec = new TranscriptRecorder();
    const run = await runScenarios(opening.target, scenarios, { transcript: rec });
    expect(run.summary.failed).toBe(0);
    return rec.transcript(`memory-${setting}`);
  }
  let legacy: Transcript;
  beforeAll(async () => {
    legacy = await record("LEGACY");
  });
  afterAll(async () => {
    for (const t of targets) await t.close();
  });

  it("records each call with its scenario, step and shapes, and no ids, tokens or emails", async () => {
    const calls = legacy.entries.map((e) => `${e.step} #${e.seq} ${e.operation} ${e.outcome}`);
    expect(calls).toContain("a wrong password is refused #1 InitiateAuth error");
    expect(calls).toContain("an unknown user is refused #1 InitiateAuth error");
    expect(calls.filter((c) => c.startsWith("cleanup"))).toEqual([
      "cleanup #1 AdminDeleteUser ok",
      "cleanup #2 AdminDeleteUser error",
    ]);
    const signUp = legacy.entries.find((e) => e.operation === "SignUp")!;
    expect(signUp).toMatchObject({
      scenario: "wrong-password",
      step: "set up a confirmed user",
      outcome: "ok",
      status: 200,
      request: {
        ClientId: "string",
        Password: "string",
        UserAttributes: ["email:string", "name:string"],
        Username: "string",
      },
      response: {
        CodeDeliveryDetails: { AttributeName: "=email", DeliveryMedium: "=EMAIL", Destination: "string" },
        UserConfirmed: "=false",
        UserSub: "string",
      },
    });
    const text = JSON.stringify(legacy);
    expect(text).not.toMatch(/eyJ|@example\.com|us-east-1_/);
  });

  it("two runs with the same settings do not diverge", async () => {
    const again = await record("LEGACY");
    expect(diffTranscripts(legacy, again)).toEqual([]);
    expect(formatDiff([], "a", "b", again.entries.length)).toBe(
      `No divergence: ${again.entries.length} calls compared (a vs b).\n`,
    );
  });

  it("PreventUserExistenceErrors LEGACY vs ENABLED diverge where an unknown user signs in", async () => {
    const enabled = await record("ENABLED");
    const divergences = diffTranscripts(legacy, enabled);
    expect(divergences).toEqual([
      {
        where: "wrong-password › read the client's PreventUserExistenceErrors #1 DescribeUserPoolClient",
        field: "response.UserPoolClient.PreventUserExistenceErrors",
        a: "=LEGACY",
        b: "=ENABLED",
      },
      {
        where: "wrong-password › an unknown user is refused #1 InitiateAuth",
        field: "error.type",
        a: "UserNotFoundException",
        b: "NotAuthorizedException",
      },
      {
        where: "wrong-password › an unknown user is refused #1 InitiateAuth",
        field: "error.message",
        a: "User does not exist.",
        b: "Incorrect username or password.",
      },
    ]);
    const text = formatDiff(divergences, "legacy.json", "enabled.json", legacy.entries.length);
    expect(text).toContain("3 divergences between A=legacy.json and B=enabled.json:");
    expect(text).toContain(
      "wrong-password › an unknown user is refused #1 InitiateAuth\n  error.type\n    A: UserNotFoundException\n    B: NotAuthorizedException",
    );
  });

  it("reports calls only one side made", () => {
    const extra: Transcript = {
      ...legacy,
      entries: [
        ...legacy.entries,
        { scenario: "x", step: "y", seq: 1, operation: "GetUser", request: {}, outcome: "ok", response: {} },
      ],
    };
    expect(diffTranscripts(legacy, extra)).toEqual([
      { where: "x › y #1 GetUser", field: "call", a: "(no call)", b: "ok" },
    ]);
  });

  it("leaves out calls a run lacks because it skipped the scenario, and says so", () => {
    const call = (scenario: string, step: string, operation: string) => ({
      scenario,
      step,
      seq: 1,
      operation,
      request: {},
      outcome: "ok" as const,
      response: {},
    });
    const a: Transcript = {
      format: "cognito-twin-transcript",
      version: 1,
      target: "memory",
      scenarios: { clocky: "passed", broken: "passed" },
      entries: [
        call("clocky", "sign in", "InitiateAuth"),
        call("clocky", "expire", "GetUser"),
        call("broken", "one", "SignUp"),
        call("broken", "two", "GetUser"),
      ],
    };
    const b: Transcript = {
      ...a,
      target: "aws",
      scenarios: { clocky: "skipped", broken: "failed" },
      entries: [call("broken", "one", "SignUp")],
    };
    expect(diffTranscripts(a, b)).toEqual([
      { where: "broken › two #1 GetUser", field: "call", a: "ok", b: "(no call)" },
    ]);
    expect(uncompared(a, b)).toEqual(["clocky: skipped in B; its calls present in one run only are not compared"]);
    expect(formatDiff([], "a", "b", 4, uncompared(a, b))).toBe(
      "No divergence: 4 calls compared (a vs b).\n\nNot compared:\n  clocky: skipped in B; its calls present in one run only are not compared\n",
    );
  });

  it("a run of the seed app's flows and failures records every operation they use", async () => {
    const all = await record("LEGACY", [...flows, ...failures]);
    expect(new Set(all.entries.map((e) => e.operation))).toEqual(
      new Set([
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "InitiateAuth",
        "GetUser",
        "AdminDeleteUser",
        "CreateGroup",
        "AdminAddUserToGroup",
        "DeleteGroup",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "ChangePassword",
        "GlobalSignOut",
        "RevokeToken",
        "DescribeUserPoolClient",
      ]),
    );
  });
});
