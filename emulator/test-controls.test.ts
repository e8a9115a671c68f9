// The controls tests drive the emulator with: the inbox of messages Cognito would have sent,
// the adjustable clock, and reset, over plain HTTP as any test suite would use them.
import { AdminCreateUserCommand, ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let clientId: string;
let otherPool: string;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t, { UsernameAttributes: ["email"] });
  ({ clientId } = await createClient(t, poolId));
  otherPool = await createPool(t);
});
afterAll(() => t.close());

interface Message {
  userPoolId: string;
  username: string;
  destination: string;
  deliveryMedium: string;
  attributeName?: string;
  reason: string;
  code?: string;
  temporaryPassword?: string;
  subject?: string;
  message?: string;
  createdAt: number;
}

async function messages(query: Record<string, string> = {}): Promise<Message[]> {
  const res = await fetch(`${t.url}/_twin/messages?${new URLSearchParams(query).toString()}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: Message[] }).messages;
}

describe("GET /_twin/messages", () => {
  it("lists what was sent with its code, found by username or by the address it went to", async () => {
    const now = t.twin.services.clock.now() / 1000;
    const { UserSub } = await t.cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: "Ann@Example.com", Password: PASSWORD }),
    );
    const byUsername = await messages({ userPoolId: poolId, username: UserSub! });
    expect(byUsername).toEqual([
      {
        userPoolId: poolId,
        username: UserSub,
        destination: "Ann@Example.com",
        deliveryMedium: "EMAIL",
        attributeName: "email",
        reason: "SignUp",
        code: expect.stringMatching(/^\d{6}$/),
        // The text Cognito would send: the pool sets no template, so Cognito's default.
        subject: "Your verification code",
        message: expect.stringMatching(/^Your verification code is \d{6}\. $/),
        createdAt: expect.any(Number),
      },
    ]);
    expect(byUsername[0]!.message).toContain(byUsername[0]!.code);
    expect(byUsername[0]!.createdAt).toBeGreaterThanOrEqual(Math.floor(now));
    expect(await messages({ userPoolId: poolId, username: "ann@example.com" })).toEqual(byUsername);
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "ann@example.com",
        ConfirmationCode: byUsername[0]!.code!,
      }),
    );
  });

  it("shows an invitation's temporary password, and filters by pool", async () => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: otherPool,
        Username: "invitee",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "invitee@example.com" }],
      }),
    );
    const [invite] = await messages({ userPoolId: otherPool });
    expect(invite).toMatchObject({
      username: "invitee",
      reason: "AdminCreateUser",
      destination: "invitee@example.com",
      temporaryPassword: expect.any(String),
    });
    expect(invite!.code).toBeUndefined();
    expect((await messages({ userPoolId: poolId })).every((m) => m.userPoolId === poolId)).toBe(true);
    expect((await messages()).length).toBeGreaterThanOrEqual(2);
  });
});

describe("DELETE /_twin/messages", () => {
  it("clears one pool's (or one user's) messages, or all of them", async () => {
    await t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: "bo@example.com", Password: PASSWORD }));
    const before = (await messages({ userPoolId: poolId })).length;
    let res = await fetch(
      `${t.url}/_twin/messages?${new URLSearchParams({ userPoolId: poolId, username: "bo@example.com" })}`,
      { method: "DELETE" },
    );
    expect(await res.json()).toEqual({ messages: [], deleted: 1 });
    expect(await messages({ userPoolId: poolId })).toHaveLength(before - 1);

    res = await fetch(`${t.url}/_twin/messages?userPoolId=${poolId}`, { method: "DELETE" });
    expect(await res.json()).toEqual({ messages: [], deleted: before - 1 });
    expect(await messages({ userPoolId: otherPool })).toHaveLength(1);

    res = await fetch(`${t.url}/_twin/messages`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await messages()).toEqual([]);
  });
});

describe("/_twin/clock", () => {
  it("reads and advances the emulator's clock", async () => {
    const read = async () =>
      (await (await fetch(`${t.url}/_twin/clock`)).json()) as { now: number; offsetSeconds: number };
    const start = await read();
    expect(start.offsetSeconds).toBe(0);
    expect(Math.abs(start.now - Date.now() / 1000)).toBeLessThan(60);

    const res = await fetch(`${t.url}/_twin/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 3600 }),
    });
    expect(res.status).toBe(200);
    const moved = (await res.json()) as { now: number; offsetSeconds: number };
    expect(moved.offsetSeconds).toBe(3600);
    expect(moved.now - start.now).toBeGreaterThanOrEqual(3600);
    expect(t.twin.services.clock.offsetSeconds).toBe(3600);

    for (const body of ["not json", JSON.stringify({ advanceSeconds: "soon" }), JSON.stringify({})]) {
      const bad = await fetch(`${t.url}/_twin/clock`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: 'Body must be JSON like {"advanceSeconds": 3600}' });
    }
  });
});

describe("POST /_twin/reset", () => {
  it("drops pools, messages and the clock offset", async () => {
    const res = await fetch(`${t.url}/_twin/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(await res.json()).toEqual({ reset: true });
    expect(await messages()).toEqual([]);
    expect(t.twin.services.clock.offsetSeconds).toBe(0);
    expect([...t.twin.services.store.listPools()]).toEqual([]);
  });
});
