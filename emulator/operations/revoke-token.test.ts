import {
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type RevokeTokenCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t);
  ({ clientId } = await createClient(t, poolId));
  await createUser(t, poolId, "alice");
});
afterAll(() => t.close());

const revoke = (input: Partial<RevokeTokenCommandInput>) =>
  t.cognito.send(new RevokeTokenCommand({ ClientId: clientId, ...input } as RevokeTokenCommandInput));
const getUser = (AccessToken: string) => t.cognito.send(new GetUserCommand({ AccessToken }));
const refresh = (token: string, id = clientId) =>
  t.cognito.send(
    new InitiateAuthCommand({ ClientId: id, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: token } }),
  );

describe("RevokeToken", () => {
  it("revokes the refresh token and every access token minted from it, and only those", async () => {
    const session = await signIn(t, clientId, "alice");
    const other = await signIn(t, clientId, "alice");
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
    await expect(getUser(other.AccessToken)).resolves.toMatchObject({ Username: "alice" });
    await expect(refresh(other.RefreshToken)).resolves.toHaveProperty("AuthenticationResult.AccessToken");
  });

  it("is idempotent, and quiet about tokens it does not know", async () => {
    const session = await signIn(t, clientId, "alice");
    await revoke({ Token: session.RefreshToken });
    await expect(revoke({ Token: session.RefreshToken })).resolves.toBeDefined();
    await expect(revoke({ Token: "eyJ.unknown.refresh.token.x" })).resolves.toBeDefined();
  });

  it("refuses an access or id token", async () => {
    const session = await signIn(t, clientId, "alice");
    for (const Token of [session.AccessToken, session.IdToken]) {
      await expect(revoke({ Token })).rejects.toMatchObject({ name: "UnsupportedTokenTypeException" });
    }
    await expect(getUser(session.AccessToken)).resolves.toMatchObject({ Username: "alice" });
  });

  it("refuses a refresh token issued to another client, and leaves it working", async () => {
    const session = await signIn(t, clientId, "alice");
    const { clientId: other } = await createClient(t, poolId);
    await expect(revoke({ ClientId: other, Token: session.RefreshToken })).rejects.toMatchObject({
      name: "UnauthorizedException",
    });
    await expect(refresh(session.RefreshToken)).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses an unknown client", async () => {
    await expect(revoke({ ClientId: "nosuchclient", Token: "eyJ.a.b.c.d" })).rejects.toMatchObject({
      name: "UnauthorizedException",
    });
  });

  it("needs the client secret of a confidential client", async () => {
    const { clientId: sc, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
    const session = await signIn(t, sc, "alice", PASSWORD, clientSecret);
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

  it("is refused for a client with token revocation turned off", async () => {
    const { clientId: off } = await createClient(t, poolId, { EnableTokenRevocation: false });
    const session = await signIn(t, off, "alice");
    await expect(revoke({ ClientId: off, Token: session.RefreshToken })).rejects.toMatchObject({
      name: "UnsupportedOperationException",
      message: "Token revocation is not enabled for this client.",
    });
  });
});
