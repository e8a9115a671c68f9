// AttributesRequireVerificationBeforeUpdate through the SDK v3 client: the verified email or
// phone number stays in effect (shown, signed in with) until the new value is verified, and
// only then does the new one take its place (docs/decisions/0029-attribute-updates-and-seed.md).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  CreateUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const KEEP = { AttributesRequireVerificationBeforeUpdate: ["email" as const, "phone_number" as const] };

/** A pool keeping email and phone until verified, with email (or phone) as an alias or username. */
async function keepingPool(extra: Record<string, unknown> = { AliasAttributes: ["email"] }) {
  const poolId = await createPool(t, {
    AutoVerifiedAttributes: ["email", "phone_number"],
    UserAttributeUpdateSettings: KEEP,
    ...extra,
  });
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

const attrs = (list: AttributeType[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

async function adminAttrs(poolId: string, username: string) {
  return attrs(
    (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes,
  );
}

/** The last code sent in the pool (to `username`: in email-as-username pools usernames are generated). */
async function lastCode(poolId: string, username?: string): Promise<{ code: string; destination: string }> {
  const messages = await inbox(t, poolId, username);
  const m = messages.at(-1)!;
  return { code: m.code!, destination: m.destination };
}

describe("AttributesRequireVerificationBeforeUpdate", () => {
  it("UpdateUserAttributes keeps the verified email in effect until VerifyUserAttribute confirms the new one", async () => {
    const { poolId, clientId } = await keepingPool();
    await createUser(t, poolId, "amy", { attributes: { email: "old@example.com", email_verified: "true" } });
    const { AccessToken } = await signIn(t, clientId, "amy");

    const out = await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "new@example.com" }] }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "n***@e***" },
    ]);
    // The code goes to the new address; the old one is still the user's, verified.
    const sent = await lastCode(poolId, "amy");
    expect(sent.destination).toBe("new@example.com");
    expect(attrs((await t.cognito.send(new GetUserCommand({ AccessToken }))).UserAttributes)).toMatchObject({
      email: "old@example.com",
      email_verified: "true",
    });
    // The old email still signs in as the alias; the new one does not yet.
    await expect(signIn(t, clientId, "old@example.com")).resolves.toHaveProperty("AccessToken");
    await expect(signIn(t, clientId, "new@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });

    await t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: sent.code }));
    expect(await adminAttrs(poolId, "amy")).toMatchObject({ email: "new@example.com", email_verified: "true" });
    await expect(signIn(t, clientId, "new@example.com")).resolves.toHaveProperty("AccessToken");
    await expect(signIn(t, clientId, "old@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("email as username: the old email signs in until the change is verified; a wrong code changes nothing", async () => {
    const { poolId, clientId } = await keepingPool({ UsernameAttributes: ["email"] });
    await createUser(t, poolId, "ben@example.com", {
      attributes: { email: "ben@example.com", email_verified: "true" },
    });
    const { AccessToken } = await signIn(t, clientId, "ben@example.com");
    await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "ben2@example.com" }] }),
    );
    await expect(signIn(t, clientId, "ben2@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
    await expect(
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: "000000" })),
    ).rejects.toMatchObject({ name: "CodeMismatchException" });
    expect(await adminAttrs(poolId, "ben@example.com")).toMatchObject({ email: "ben@example.com" });
    const { code } = await lastCode(poolId);
    await t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: code }));
    await expect(signIn(t, clientId, "ben2@example.com")).resolves.toHaveProperty("AccessToken");
  });

  it("phone numbers wait too; GetUserAttributeVerificationCode sends a fresh code to the waiting number", async () => {
    const { poolId, clientId } = await keepingPool({});
    await createUser(t, poolId, "cal", {
      attributes: { phone_number: "+15550001111", phone_number_verified: "true" },
    });
    const { AccessToken } = await signIn(t, clientId, "cal");
    const out = await t.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "phone_number", Value: "+15550002222" }],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: "+*******2222" },
    ]);
    expect(await adminAttrs(poolId, "cal")).toMatchObject({
      phone_number: "+15550001111",
      phone_number_verified: "true",
    });
    const again = await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "phone_number" }),
    );
    expect(again.CodeDeliveryDetails).toMatchObject({ Destination: "+*******2222" });
    const { code, destination } = await lastCode(poolId, "cal");
    expect(destination).toBe("+15550002222");
    await t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "phone_number", Code: code }));
    expect(await adminAttrs(poolId, "cal")).toMatchObject({
      phone_number: "+15550002222",
      phone_number_verified: "true",
    });
  });

  it("an unverified or absent value is replaced at once, unverified, as without the setting", async () => {
    const { poolId, clientId } = await keepingPool();
    await createUser(t, poolId, "dan", { attributes: { email: "dan@example.com", email_verified: "false" } });
    const { AccessToken } = await signIn(t, clientId, "dan");
    await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "dan2@example.com" }] }),
    );
    expect(await adminAttrs(poolId, "dan")).toMatchObject({ email: "dan2@example.com", email_verified: "false" });
  });

  it("AdminUpdateUserAttributes: pending without the flag; email_verified=true applies at once, or confirms the waiting value", async () => {
    const { poolId } = await keepingPool();
    await createUser(t, poolId, "eve", { attributes: { email: "eve@example.com", email_verified: "true" } });
    const update = (UserAttributes: AttributeType[]) =>
      t.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: "eve", UserAttributes }));

    await update([{ Name: "email", Value: "eve2@example.com" }]);
    expect(await adminAttrs(poolId, "eve")).toMatchObject({ email: "eve@example.com", email_verified: "true" });
    expect((await lastCode(poolId, "eve")).destination).toBe("eve2@example.com");
    // Setting the flag alone verifies the value waiting, with no further message.
    const before = (await inbox(t, poolId, "eve")).length;
    await update([{ Name: "email_verified", Value: "true" }]);
    expect(await adminAttrs(poolId, "eve")).toMatchObject({ email: "eve2@example.com", email_verified: "true" });
    // A new value with the flag takes effect at once, with no code sent.
    await update([
      { Name: "email", Value: "eve3@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    expect(await adminAttrs(poolId, "eve")).toMatchObject({ email: "eve3@example.com", email_verified: "true" });
    expect(await inbox(t, poolId, "eve")).toHaveLength(before);
  });

  it("updating back to the current value cancels the change waiting; its code then verifies nothing new", async () => {
    const { poolId, clientId } = await keepingPool();
    await createUser(t, poolId, "fay", { attributes: { email: "fay@example.com", email_verified: "true" } });
    const { AccessToken } = await signIn(t, clientId, "fay");
    const update = (Value: string) =>
      t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value }] }));
    await update("fay2@example.com");
    const { code } = await lastCode(poolId, "fay");
    const out = await update("fay@example.com");
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    await expect(
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: code })),
    ).rejects.toMatchObject({ name: "ExpiredCodeException" });
    expect(await adminAttrs(poolId, "fay")).toMatchObject({ email: "fay@example.com", email_verified: "true" });
  });

  it("a waiting value another user has taken meanwhile is refused on verification (AliasExistsException)", async () => {
    const { poolId, clientId } = await keepingPool({ UsernameAttributes: ["email"] });
    await createUser(t, poolId, "gus@example.com", {
      attributes: { email: "gus@example.com", email_verified: "true" },
    });
    const { AccessToken } = await signIn(t, clientId, "gus@example.com");
    await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "taken@example.com" }] }),
    );
    const { code } = await lastCode(poolId);
    await createUser(t, poolId, "taken@example.com", {
      attributes: { email: "taken@example.com", email_verified: "true" },
    });
    await expect(
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: code })),
    ).rejects.toMatchObject({ name: "AliasExistsException" });
    expect(await adminAttrs(poolId, "gus@example.com")).toMatchObject({ email: "gus@example.com" });
  });

  it("CreateUserPool and UpdateUserPool refuse a kept attribute the pool does not auto-verify", async () => {
    const refused = {
      name: "InvalidParameterException",
      message: "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes",
    };
    await expect(
      t.cognito.send(
        new CreateUserPoolCommand({
          PoolName: "p",
          AutoVerifiedAttributes: ["email"],
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["phone_number"] },
        }),
      ),
    ).rejects.toMatchObject(refused);
    const poolId = await createPool(t, { AutoVerifiedAttributes: ["email"] });
    await expect(
      t.cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
        }),
      ),
    ).rejects.toMatchObject(refused);
    await t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        AutoVerifiedAttributes: ["email"],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
      }),
    );
  });
});

describe("a value waiting for verification survives a restart (--data-dir)", () => {
  it("is kept, and verifies after the restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "twin-pending-"));
    try {
      let a = await startTwin({ dataDir: dir });
      const poolId = await createPool(a, {
        AutoVerifiedAttributes: ["email"],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
      });
      const { clientId } = await createClient(a, poolId);
      await createUser(a, poolId, "hal", { attributes: { email: "hal@example.com", email_verified: "true" } });
      const { AccessToken } = await signIn(a, clientId, "hal");
      await a.cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken,
          UserAttributes: [{ Name: "email", Value: "hal2@example.com" }],
        }),
      );
      const [message] = (await inbox(a, poolId, "hal")).slice(-1);
      await a.close();
      a = await startTwin({ dataDir: dir });
      try {
        const user = a.twin.services.store.getUser(poolId, "hal");
        expect(user?.pendingAttributes).toEqual({ email: "hal2@example.com" });
        await a.cognito.send(
          new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: message!.code! }),
        );
        expect(
          attrs(
            (await a.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "hal" }))).UserAttributes,
          ),
        ).toMatchObject({ email: "hal2@example.com", email_verified: "true" });
      } finally {
        await a.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
