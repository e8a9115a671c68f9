import {
  GetTokensFromRefreshTokenCommand,
  type GetTokensFromRefreshTokenCommandInput,
  GetUserCommand,
  RevokeTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { claimsOf, createClient, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";

// The file's pool, client and user "alice" (test-support/fixtures.ts), and
// GetTokensFromRefreshToken with the client filled in.
const it = authTest.extend(
  "getTokens",
  { scope: "file" },
  ({ t, clientId }) =>
    (input: Partial<GetTokensFromRefreshTokenCommandInput>) =>
      t.cognito.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, ...input } as GetTokensFromRefreshTokenCommandInput),
      ),
);

describe("GetTokensFromRefreshToken without rotation", () => {
  it("answers new access and id tokens and no refresh token", async ({ t, clientId, username, getTokens }) => {
    const tokens = await signIn(t, clientId, username);
    const out = await getTokens({ RefreshToken: tokens.RefreshToken });
    expect(out.AuthenticationResult).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect(claimsOf(out.AuthenticationResult!.AccessToken!).origin_jti).toBe(claimsOf(tokens.AccessToken).origin_jti);
    await expect(
      t.cognito.send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! })),
    ).resolves.toMatchObject({ Username: username });
  });

  it("needs no ExplicitAuthFlows entry", async ({ t, poolId, username, getTokens }) => {
    const { clientId: noRefreshFlow } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
    });
    const tokens = await signIn(t, noRefreshFlow, username);
    await expect(getTokens({ ClientId: noRefreshFlow, RefreshToken: tokens.RefreshToken })).resolves.toHaveProperty(
      "AuthenticationResult.AccessToken",
    );
  });

  it("refuses unknown, foreign, revoked and expired refresh tokens", async ({
    t,
    clock,
    poolId,
    clientId,
    username,
    getTokens,
  }) => {
    await expect(getTokens({ RefreshToken: "eyJ.a.b.c.d" })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    const tokens = await signIn(t, clientId, username);
    const { clientId: other } = await createClient(t, poolId);
    await expect(getTokens({ ClientId: other, RefreshToken: tokens.RefreshToken })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    clock.advance(30 * 86400 + 1);
    await expect(getTokens({ RefreshToken: tokens.RefreshToken })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Refresh Token has expired",
    });
  });

  it("refuses an unknown client", async ({ getTokens }) => {
    await expect(getTokens({ ClientId: "nosuchclient", RefreshToken: "eyJ.a.b.c.d" })).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool client nosuchclient does not exist.",
    });
  });

  it("takes the client secret itself (not a SECRET_HASH) from a confidential client", async ({
    t,
    poolId,
    username,
    getTokens,
  }) => {
    const { clientId: sc, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
    const tokens = await signIn(t, sc, username, PASSWORD, clientSecret);
    await expect(getTokens({ ClientId: sc, RefreshToken: tokens.RefreshToken })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: `Client ${sc} is configured with secret but ClientSecret was not received`,
    });
    await expect(
      getTokens({ ClientId: sc, RefreshToken: tokens.RefreshToken, ClientSecret: "wrongsecretwrongsecretwrongsecret" }),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: `Unable to verify client secret for client ${sc}`,
    });
    await expect(
      getTokens({ ClientId: sc, RefreshToken: tokens.RefreshToken, ClientSecret: clientSecret }),
    ).resolves.toHaveProperty("AuthenticationResult.AccessToken");
  });
});

describe("GetTokensFromRefreshToken with RefreshTokenRotation ENABLED", () => {
  it("answers a new refresh token each time; the old one stops working (no grace period)", async ({
    t,
    poolId,
    username,
    getTokens,
  }) => {
    const { clientId: rc } = await createClient(t, poolId, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    const tokens = await signIn(t, rc, username);
    const first = await getTokens({ ClientId: rc, RefreshToken: tokens.RefreshToken });
    const rotated = first.AuthenticationResult!.RefreshToken!;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(tokens.RefreshToken);
    await expect(getTokens({ ClientId: rc, RefreshToken: tokens.RefreshToken })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    const second = await getTokens({ ClientId: rc, RefreshToken: rotated });
    expect(second.AuthenticationResult!.RefreshToken).not.toBe(rotated);
    // Same sign-in session throughout.
    expect(claimsOf(second.AuthenticationResult!.AccessToken!).origin_jti).toBe(
      claimsOf(tokens.AccessToken).origin_jti,
    );
    expect(claimsOf(second.AuthenticationResult!.AccessToken!).auth_time).toBe(claimsOf(tokens.AccessToken).auth_time);
  });

  it("keeps the replaced refresh token usable for RetryGracePeriodSeconds, then refuses it", async ({
    t,
    clock,
    poolId,
    username,
    getTokens,
  }) => {
    const { clientId: rc } = await createClient(t, poolId, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 },
    });
    const tokens = await signIn(t, rc, username);
    const first = await getTokens({ ClientId: rc, RefreshToken: tokens.RefreshToken });
    clock.advance(20);
    // A client retrying with the old token within the grace period still gets tokens.
    const retry = await getTokens({ ClientId: rc, RefreshToken: tokens.RefreshToken });
    expect(retry.AuthenticationResult?.RefreshToken).toBeTruthy();
    clock.advance(11);
    await expect(getTokens({ ClientId: rc, RefreshToken: tokens.RefreshToken })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    // The newest token works.
    await expect(
      getTokens({ ClientId: rc, RefreshToken: retry.AuthenticationResult!.RefreshToken! }),
    ).resolves.toHaveProperty("AuthenticationResult.RefreshToken");
    expect(first.AuthenticationResult!.RefreshToken).toBeTruthy();
  });

  it("rotated tokens still belong to the session: revoking the newest revokes the session", async ({
    t,
    poolId,
    username,
    getTokens,
  }) => {
    const { clientId: rc } = await createClient(t, poolId, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    const tokens = await signIn(t, rc, username);
    const rotated = (await getTokens({ ClientId: rc, RefreshToken: tokens.RefreshToken })).AuthenticationResult!
      .RefreshToken!;
    await t.cognito.send(new RevokeTokenCommand({ ClientId: rc, Token: rotated }));
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    await expect(getTokens({ ClientId: rc, RefreshToken: rotated })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Refresh Token has been revoked",
    });
  });
});
