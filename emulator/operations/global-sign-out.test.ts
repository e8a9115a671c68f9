// GlobalSignOut and AdminUserGlobalSignOut: every session of the user ends, nobody else's.
import {
  AdminUserGlobalSignOutCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createUser, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { call } from "../../test-support/twin.js";

interface Session {
  AccessToken: string;
  RefreshToken: string;
}

// The file's pool and client (test-support/fixtures.ts), a second client, the users alice,
// bob, carol and dave, and the checks that a session has ended.
const it = authTest
  .extend("people", { scope: "file", auto: true }, async ({ t, poolId }) => {
    for (const u of ["alice", "bob", "carol", "dave"]) await createUser(t, poolId, u);
    return true;
  })
  .extend("otherClientId", { scope: "file" }, async ({ t, poolId }) => (await createClient(t, poolId)).clientId)
  .extend(
    "getUser",
    { scope: "file" },
    ({ t }) =>
      (AccessToken: string) =>
        t.cognito.send(new GetUserCommand({ AccessToken })),
  )
  .extend("expectSignedOut", { scope: "file" }, ({ t, clientId, getUser }) => {
    const refresh = (token: string, id: string) =>
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: id,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: token },
        }),
      );
    return async (session: Session, id = clientId): Promise<void> => {
      await expect(getUser(session.AccessToken)).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: "Access Token has been revoked",
      });
      await expect(refresh(session.RefreshToken, id)).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: "Refresh Token has been revoked",
      });
    };
  });

describe("GlobalSignOut", () => {
  it("revokes every session of the user across clients, and no one else's", async ({
    t,
    clientId,
    otherClientId,
    getUser,
    expectSignedOut,
  }) => {
    const a1 = await signIn(t, clientId, "alice");
    const a2 = await signIn(t, otherClientId, "alice");
    const b = await signIn(t, clientId, "bob");
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: a1.AccessToken }));
    await expectSignedOut(a1);
    await expectSignedOut(a2, otherClientId);
    await expect(getUser(b.AccessToken)).resolves.toMatchObject({ Username: "bob" });
    // Signing in again starts a fresh session.
    const again = await signIn(t, clientId, "alice");
    await expect(getUser(again.AccessToken)).resolves.toMatchObject({ Username: "alice" });
  });

  it("refuses a token that is already revoked, expired or invalid", async ({ t, clock, clientId }) => {
    const c = await signIn(t, clientId, "carol");
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: c.AccessToken }));
    await expect(t.cognito.send(new GlobalSignOutCommand({ AccessToken: c.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    await expect(t.cognito.send(new GlobalSignOutCommand({ AccessToken: c.IdToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
    const fresh = await signIn(t, clientId, "carol");
    clock.advance(3601);
    await expect(t.cognito.send(new GlobalSignOutCommand({ AccessToken: fresh.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
  });

  it("needs no SigV4 signature", async ({ t, clientId, expectSignedOut }) => {
    const d = await signIn(t, clientId, "dave");
    const res = await call(t.twin, "GlobalSignOut", { AccessToken: d.AccessToken }, { authorization: "" });
    expect(res.status).toBe(200);
    await expectSignedOut(d);
  });
});

describe("AdminUserGlobalSignOut", () => {
  it("revokes every session of the named user", async ({
    t,
    poolId,
    clientId,
    otherClientId,
    getUser,
    expectSignedOut,
  }) => {
    const b1 = await signIn(t, clientId, "bob");
    const b2 = await signIn(t, otherClientId, "bob");
    const a = await signIn(t, clientId, "alice");
    await t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: "bob" }));
    await expectSignedOut(b1);
    await expectSignedOut(b2, otherClientId);
    await expect(getUser(a.AccessToken)).resolves.toMatchObject({ Username: "alice" });
  });

  it("finds the user by an alias-free username case-insensitively, and refuses unknown users and pools", async ({
    t,
    poolId,
    clientId,
    expectSignedOut,
  }) => {
    const b = await signIn(t, clientId, "bob");
    await t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: "BOB" }));
    await expectSignedOut(b);
    await expect(
      t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: "nobody" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException", message: "User does not exist." });
    await expect(
      t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: "us-east-1_nothere1", Username: "bob" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere1 does not exist.",
    });
  });
});
