import {
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type RevokeTokenCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";

// The file's pool, client and user "alice" (test-support/fixtures.ts), and the calls with them.
const it = authTest
  .extend(
    "revoke",
    { scope: "file" },
    ({ t, clientId }) =>
      (input: Partial<RevokeTokenCommandInput>) =>
        t.cognito.send(new RevokeTokenCommand({ ClientId: clientId, ...input } as RevokeTokenCommandInput)),
  )
  .extend(
    "getUser",
    { scope: "file" },
    ({ t }) =>
      (AccessToken: string) =>
        t.cognito.send(new GetUserCommand({ AccessToken })),
  )
  .extend(
    "refresh",
    { scope: "file" },
    ({ t, clientId }) =>
      (token: string, id = clientId) =>
        t.cognito.send(
          new InitiateAuthCommand({
            ClientId: id,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            AuthParameters: { REFRESH_TOKEN: token },
          }),
        ),
  );

describe("RevokeToken", () => {
  it("revokes the refresh token and every access token minted from it, and only those", async ({
    t,
    clientId,
    username,
    revoke,
    getUser,
    refresh,
  }) => {
    const session = await signIn(t, clientId, username);
    const other = await signIn(t, clientId, username);
    const refreshed = (await refresh(session.RefreshToken)).AuthenticationResult!.AccessToken!;
    await expect(revoke({ Token: session.RefreshToken })).resolves.toBeDefined();
    for (const token of [session.AccessToken, refreshed]) {
      await expect(getUser(token)).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: "Access Token has been revoked",
      });
    }
    await expect(refresh(session.RefreshToken)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Refresh Token has been revoked",
    });
    // The user's other session is untouched.
    await expect(getUser(other.AccessToken)).resolves.toMatchObject({ Username: username });
    await expect(refresh(other.RefreshToken)).resolves.toHaveProperty("AuthenticationResult.AccessToken");
  });

  it("is idempotent, and quiet about tokens it does not know", async ({ t, clientId, username, revoke }) => {
    const session = await signIn(t, clientId, username);
    await revoke({ Token: session.RefreshToken });
    await expect(revoke({ Token: session.RefreshToken })).resolves.toBeDefined();
    await expect(revoke({ Token: "eyJ.unknown.refresh.token.x" })).resolves.toBeDefined();
  });

  it("refuses an access or id token", async ({ t, clientId, username, revoke, getUser }) => {
    const session = await signIn(t, clientId, username);
    for (const Token of [session.AccessToken, session.IdToken]) {
      await expect(revoke({ Token })).rejects.toMatchObject({ name: "UnsupportedTokenTypeException" });
    }
    await expect(getUser(session.AccessToken)).resolves.toMatchObject({ Username: username });
  });

  it("refuses a refresh token issued to another client, and leaves it working", async ({
    t,
    poolId,
    clientId,
    username,
    revoke,
    refresh,
  }) => {
    const session = await signIn(t, clientId, username);
    const { clientId: other } = await createClient(t, poolId);
    await expect(revoke({ ClientId: other, Token: session.RefreshToken })).rejects.toMatchObject({
      name: "UnauthorizedException",
    });
    await expect(refresh(session.RefreshToken)).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses an unknown client", async ({ revoke }) => {
    await expect(revoke({ ClientId: "nosuchclient", Token: "eyJ.a.b.c.d" })).rejects.toMatchObject({
      name: "UnauthorizedException",
    });
  });

  it("needs the client secret of a confidential client", async ({ t, poolId, username, revoke, getUser }) => {
    const { clientId: sc, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
    const session = await signIn(t, sc, username, PASSWORD, clientSecret);
    await expect(revoke({ ClientId: sc, Token: session.RefreshToken })).rejects.toMatchObject({
      name: "UnauthorizedException",
      message: `Client ${sc} is configured with secret but ClientSecret was not received`,
    });
    await expect(
      revoke({ ClientId: sc, Token: session.RefreshToken, ClientSecret: "wrongsecretwrongsecretwrongsecret" }),
    ).rejects.toMatchObject({
      name: "UnauthorizedException",
      message: `Unable to verify client secret for client ${sc}`,
    });
    await revoke({ ClientId: sc, Token: session.RefreshToken, ClientSecret: clientSecret });
    await expect(getUser(session.AccessToken)).rejects.toMatchObject({ message: "Access Token has been revoked" });
  });

  it("is refused for a client with token revocation turned off", async ({ t, poolId, username, revoke }) => {
    const { clientId: off } = await createClient(t, poolId, { EnableTokenRevocation: false });
    const session = await signIn(t, off, username);
    await expect(revoke({ ClientId: off, Token: session.RefreshToken })).rejects.toMatchObject({
      name: "UnsupportedOperationException",
      message: "Token revocation is not enabled for this client.",
    });
  });
});
