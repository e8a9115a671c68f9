// InitiateAuth's refusals, each with the type and message real Cognito answers.
import { InitiateAuthCommand, type InitiateAuthCommandInput } from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createUser, PASSWORD, secretHash, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { cloneUser } from "../domain/users/records.js";

// The file's pool, client and user "alice" (test-support/fixtures.ts), and InitiateAuth with
// them: `initiate` (USER_PASSWORD_AUTH unless told otherwise), `login` and `refresh`.
const it = authTest
  .extend(
    "initiate",
    { scope: "file" },
    ({ t, clientId }) =>
      (input: Partial<InitiateAuthCommandInput>) =>
        t.cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            ...input,
          } as InitiateAuthCommandInput),
        ),
  )
  .extend(
    "login",
    { scope: "file" },
    ({ initiate, clientId }) =>
      (USERNAME: string, PASSWORD_: string, id = clientId) =>
        initiate({ ClientId: id, AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } }),
  )
  .extend(
    "refresh",
    { scope: "file" },
    ({ initiate, clientId }) =>
      (token: string, flow: "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" = "REFRESH_TOKEN_AUTH", id = clientId) =>
        initiate({ ClientId: id, AuthFlow: flow, AuthParameters: { REFRESH_TOKEN: token } }),
  )
  /** A client of the pool with a secret. */
  .extend("secretClient", { scope: "file" }, ({ t, poolId }) => createClient(t, poolId, { GenerateSecret: true }));

describe("InitiateAuth USER_PASSWORD_AUTH", () => {
  it("answers tokens and an empty ChallengeParameters", async ({ username, login }) => {
    const out = await login(username, PASSWORD);
    expect(out.ChallengeParameters).toEqual({});
    expect(out.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
    expect(out.AuthenticationResult?.RefreshToken?.split(".")).toHaveLength(5);
  });

  it("refuses a flow the client does not allow", async ({ t, poolId, username, login }) => {
    const { clientId: srpOnly } = await createClient(t, poolId, { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] });
    await expect(login(username, PASSWORD, srpOnly)).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "USER_PASSWORD_AUTH flow not enabled for this client",
    });
  });

  it("accepts the legacy flow name USER_PASSWORD_AUTH in ExplicitAuthFlows", async ({ t, poolId, username, login }) => {
    const { clientId: legacy } = await createClient(t, poolId, { ExplicitAuthFlows: ["USER_PASSWORD_AUTH" as never] });
    await expect(login(username, PASSWORD, legacy)).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses the admin flows", async ({ username, initiate }) => {
    await expect(
      initiate({ AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Initiate Auth method not supported.",
    });
  });

  it("LEGACY (the API default) says the user does not exist", async ({ login }) => {
    await expect(login("nobody", PASSWORD)).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("ENABLED answers an unknown user exactly like a wrong password", async ({ t, poolId, username, login }) => {
    const { clientId: hiding } = await createClient(t, poolId, { PreventUserExistenceErrors: "ENABLED" });
    const unknown = login("nobody", PASSWORD, hiding).catch((e: Error) => e);
    const wrong = login(username, "Wrong-passw0rd", hiding).catch((e: Error) => e);
    for (const e of [await unknown, await wrong])
      expect(e).toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  it("locks the user out after repeated wrong passwords, then lets them in once the lock passes", async ({
    t,
    clock,
    poolId,
    login,
  }) => {
    await createUser(t, poolId, "victim");
    for (let i = 0; i < 4; i++) {
      await expect(login("victim", `Wrong-${i}`)).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: "Incorrect username or password.",
      });
    }
    await expect(login("victim", "Wrong-5")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Password attempts exceeded",
    });
    // Even the right password is refused while locked.
    await expect(login("victim", PASSWORD)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Password attempts exceeded",
    });
    clock.advance(2);
    await expect(login("victim", PASSWORD)).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses a disabled user", async ({ t, poolId, login }) => {
    await createUser(t, poolId, "disabled");
    const { store } = t.twin.services;
    store.putUser({ ...cloneUser(store.getUser(poolId, "disabled")!), enabled: false });
    await expect(login("disabled", PASSWORD)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });

  describe("with a client secret", () => {
    it("requires SECRET_HASH", async ({ username, login, secretClient }) => {
      await expect(login(username, PASSWORD, secretClient.clientId)).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
      });
    });

    it("refuses a wrong SECRET_HASH", async ({ username, initiate, secretClient }) => {
      await expect(
        initiate({
          ClientId: secretClient.clientId,
          AuthParameters: {
            USERNAME: username,
            PASSWORD,
            SECRET_HASH: secretHash("not-the-secret", username, secretClient.clientId),
          },
        }),
      ).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: `Unable to verify secret hash for client ${secretClient.clientId}`,
      });
    });

    it("accepts the right SECRET_HASH, and refreshes with it", async ({ t, username, initiate, secretClient }) => {
      const tokens = await signIn(t, secretClient.clientId, username, PASSWORD, secretClient.clientSecret);
      await expect(
        initiate({
          ClientId: secretClient.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
        }),
      ).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
      });
      const out = await initiate({
        ClientId: secretClient.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: {
          REFRESH_TOKEN: tokens.RefreshToken,
          SECRET_HASH: secretHash(secretClient.clientSecret!, username, secretClient.clientId),
        },
      });
      expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    });
  });
});

describe("InitiateAuth REFRESH_TOKEN_AUTH", () => {
  it("answers new access and id tokens and no refresh token, under both flow names", async ({
    t,
    clientId,
    username,
    refresh,
  }) => {
    const tokens = await signIn(t, clientId, username);
    for (const flow of ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"] as const) {
      const out = await refresh(tokens.RefreshToken, flow);
      expect(out.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
      expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
      expect(out.AuthenticationResult?.AccessToken).not.toBe(tokens.AccessToken);
    }
  });

  it("refuses an unknown refresh token", async ({ refresh }) => {
    await expect(refresh("eyJ.not.a.real.token")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
  });

  it("refuses a refresh token of another client", async ({ t, poolId, clientId, username, refresh }) => {
    const tokens = await signIn(t, clientId, username);
    const { clientId: other } = await createClient(t, poolId);
    await expect(refresh(tokens.RefreshToken, "REFRESH_TOKEN_AUTH", other)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
  });

  it("refuses an expired refresh token (the client's RefreshTokenValidity)", async ({
    t,
    clock,
    poolId,
    username,
    refresh,
  }) => {
    const { clientId: shortLived } = await createClient(t, poolId, {
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: "minutes" },
    });
    const tokens = await signIn(t, shortLived, username);
    clock.advance(3601);
    await expect(refresh(tokens.RefreshToken, "REFRESH_TOKEN_AUTH", shortLived)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Refresh Token has expired",
    });
  });

  it("refuses a refresh token of a disabled user", async ({ t, poolId, clientId, refresh }) => {
    await createUser(t, poolId, "soon-disabled");
    const tokens = await signIn(t, clientId, "soon-disabled");
    const { store } = t.twin.services;
    store.putUser({ ...cloneUser(store.getUser(poolId, "soon-disabled")!), enabled: false });
    await expect(refresh(tokens.RefreshToken)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });

  it("is not a flow of a client that rotates refresh tokens (GetTokensFromRefreshToken is)", async ({
    t,
    poolId,
    username,
    refresh,
  }) => {
    const { clientId: rotating } = await createClient(t, poolId, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    const tokens = await signIn(t, rotating, username);
    await expect(refresh(tokens.RefreshToken, "REFRESH_TOKEN_AUTH", rotating)).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "REFRESH_TOKEN_AUTH flow not enabled for this client",
    });
  });
});
