// The custom message trigger runs holding no lock (domain/users/codes.ts, MessageDrafts): a slow
// function does not hold up the user's other requests, a function may change the same user
// through the API, and the function still runs once per message, its failure failing the call.
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CustomMessageTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";

const MESSAGE = "arn:aws:lambda:us-east-1:123456789012:function:custom-message";

let t: TestTwin;
beforeAll(async () => {
  // Shorter than Cognito's 5 s: a function blocked on the user's lock would fail within the test.
  t = await startTwin({}, { clock: new ManualClock(), triggerTimeoutMs: 1000 });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

async function poolWithTrigger() {
  const poolId = await createPool(t, { LambdaConfig: { CustomMessage: MESSAGE } });
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

const lastTo = (poolId: string, username: string) =>
  t.twin.services.inbox.list({ userPoolId: poolId, username }).at(-1)!;

function given(poolId: string, username: string) {
  return t.cognito
    .send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))
    .then((u) => u.UserAttributes?.find((a) => a.Name === "given_name")?.Value);
}

describe("the custom message trigger and the user's lock", () => {
  it("lets the function change the same user through the API (ForgotPassword)", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    await createUser(t, poolId, "amy");
    const events: CustomMessageTriggerEvent[] = [];
    t.twin.triggers.set("custom-message", async (event: CustomMessageTriggerEvent) => {
      events.push(event);
      // Before: this waited for the lock ForgotPassword held, and the call failed after the wait.
      await t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: "amy",
          UserAttributes: [{ Name: "given_name", Value: "Amy" }],
        }),
      );
      event.response.emailMessage = `Reset with ${event.request.codeParameter}`;
      return event;
    });
    const started = Date.now();
    const out = await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "amy" }));
    expect(Date.now() - started).toBeLessThan(900);
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
    expect(events).toHaveLength(1);
    expect(events[0]!.triggerSource).toBe("CustomMessage_ForgotPassword");
    const message = lastTo(poolId, "amy");
    expect(message.message).toBe(`Reset with ${message.code}`);
    // Both changes are kept: the function's attribute and the code ForgotPassword stored.
    expect(await given(poolId, "amy")).toBe("Amy");
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "amy",
        ConfirmationCode: message.code,
        Password: "N3w-Passw0rd!",
      }),
    );
  });

  it("does not hold up the user's other requests while the function runs", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    t.twin.triggers.set("custom-message", (event: CustomMessageTriggerEvent) => event);
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ben",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ben@example.com" }],
      }),
    );
    let release!: () => void;
    const gate = new Promise<void>((done) => {
      release = done;
    });
    let entered!: () => void;
    const inside = new Promise<void>((done) => {
      entered = done;
    });
    let calls = 0;
    t.twin.triggers.set("custom-message", async (event: CustomMessageTriggerEvent) => {
      calls++;
      entered();
      await gate;
      return event;
    });
    const resending = t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "ben" }));
    await inside;
    // The function is still running: an update of the same user goes through meanwhile.
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "ben",
        UserAttributes: [{ Name: "given_name", Value: "Ben" }],
      }),
    );
    release();
    const out = await resending;
    expect(out.CodeDeliveryDetails?.Destination).toBe("b***@e***");
    expect(calls).toBe(1);
    expect(lastTo(poolId, "ben").reason).toBe("ResendCode");
    // The resend, made under the lock on the latest record, kept the update.
    expect(await given(poolId, "ben")).toBe("Ben");
  });

  it("runs a failing function once, and the call fails with nothing issued", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    await createUser(t, poolId, "cal");
    const { AccessToken } = await signIn(t, clientId, "cal");
    const before = t.twin.services.inbox.list({ userPoolId: poolId, username: "cal" }).length;
    let calls = 0;
    t.twin.triggers.set("custom-message", async () => {
      calls++;
      throw new Error("no message today");
    });
    await expect(
      t.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" })),
    ).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "CustomMessage failed with error no message today.",
    });
    expect(calls).toBe(1);
    expect(t.twin.services.inbox.list({ userPoolId: poolId, username: "cal" })).toHaveLength(before);
  });

  it("composes the messages of an attribute update outside the lock too", async () => {
    const { poolId } = await poolWithTrigger();
    await createUser(t, poolId, "dee");
    const events: CustomMessageTriggerEvent[] = [];
    t.twin.triggers.set("custom-message", async (event: CustomMessageTriggerEvent) => {
      events.push(event);
      await t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: "dee",
          UserAttributes: [{ Name: "given_name", Value: "Dee" }],
        }),
      );
      return event;
    });
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "dee",
        UserAttributes: [{ Name: "email", Value: "dee@example.org" }],
      }),
    );
    expect(events.map((e) => e.triggerSource)).toEqual(["CustomMessage_UpdateUserAttribute"]);
    expect(events[0]!.request.userAttributes.email).toBe("dee@example.org");
    expect(lastTo(poolId, "dee").destination).toBe("dee@example.org");
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "dee" }));
    const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({ email: "dee@example.org", email_verified: "false", given_name: "Dee" });
  });
});
