import { CreateUserPoolClientCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import {
  ClientConfigError,
  CognitoAuthClient,
  clientConfigFromEnv,
  computeSecretHash,
  toFailure,
} from "./cognito-client.js";

describe("clientConfigFromEnv", () => {
  it("reads the seed's variables plus COGNITO_ENDPOINT", () => {
    const cfg = clientConfigFromEnv({
      AWS_REGION: "eu-west-1",
      COGNITO_USER_POOL_ID: "eu-west-1_abc",
      COGNITO_APP_CLIENT_ID: "client1",
      COGNITO_APP_CLIENT_SECRET: "s3cret",
      COGNITO_ENDPOINT: "http://127.0.0.1:9229/",
      AWS_ACCESS_KEY_ID: "AKID",
      AWS_SECRET_ACCESS_KEY: "SECRET",
    });
    expect(cfg).toEqual({
      region: "eu-west-1",
      userPoolId: "eu-west-1_abc",
      clientId: "client1",
      clientSecret: "s3cret",
      endpoint: "http://127.0.0.1:9229",
      credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" },
    });
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it("takes the region from the pool id when AWS_REGION is unset, and leaves optional parts out", () => {
    expect(clientConfigFromEnv({ COGNITO_USER_POOL_ID: "ap-south-1_x", COGNITO_APP_CLIENT_ID: "c" })).toEqual({
      region: "ap-south-1",
      userPoolId: "ap-south-1_x",
      clientId: "c",
    });
  });

  it("names what is missing or wrong", () => {
    expect(() => clientConfigFromEnv({})).toThrow(
      new ClientConfigError("missing environment variables: AWS_REGION, COGNITO_USER_POOL_ID, COGNITO_APP_CLIENT_ID"),
    );
    expect(() =>
      clientConfigFromEnv({ AWS_REGION: "local", COGNITO_USER_POOL_ID: "p_1", COGNITO_APP_CLIENT_ID: "c" }),
    ).toThrow(/AWS_REGION "local" is not an AWS region/);
    expect(() =>
      clientConfigFromEnv({
        AWS_REGION: "us-east-1",
        COGNITO_USER_POOL_ID: "p_1",
        COGNITO_APP_CLIENT_ID: "c",
        COGNITO_ENDPOINT: "localhost:9229",
      }),
    ).toThrow(/COGNITO_ENDPOINT/);
    expect(() =>
      clientConfigFromEnv({
        AWS_REGION: "us-east-1",
        COGNITO_USER_POOL_ID: "p_1",
        COGNITO_APP_CLIENT_ID: "c",
        AWS_ACCESS_KEY_ID: "x",
      }),
    ).toThrow(/set together/);
  });
});

describe("toFailure", () => {
  it("keeps Cognito's type, message and status", () => {
    const err = Object.assign(new Error("User does not exist."), {
      name: "UserNotFoundException",
      $metadata: { httpStatusCode: 400 },
    });
    expect(toFailure(err)).toEqual({ type: "UserNotFoundException", message: "User does not exist.", status: 400 });
  });
  it("calls an error without an HTTP answer a NetworkError (502)", () => {
    expect(toFailure(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).toEqual({
      type: "NetworkError",
      message: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1",
      status: 502,
    });
  });
});

describe("CognitoAuthClient against the emulator", () => {
  let t: TestTwin;
  let poolId: string;

  beforeAll(async () => {
    t = await startTwin();
    const pool = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "client-test",
        UsernameAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
        Schema: [{ Name: "name", Required: true, Mutable: true }],
      }),
    );
    poolId = pool.UserPool!.Id!;
  });
  afterAll(() => t.close());

  async function clientWith(secret: boolean) {
    const c = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "c",
        GenerateSecret: secret,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    return new CognitoAuthClient({
      region: "us-east-1",
      userPoolId: poolId,
      clientId: c.UserPoolClient!.ClientId!,
      ...(secret ? { clientSecret: c.UserPoolClient!.ClientSecret! } : {}),
      endpoint: t.url,
    });
  }

  async function codeFor(sub: string, reason: string): Promise<string> {
    const res = (await (await fetch(`${t.url}/_twin/messages?userPoolId=${poolId}&username=${sub}`)).json()) as {
      messages: { reason: string; code: string }[];
    };
    return res.messages.filter((m) => m.reason === reason).at(-1)!.code;
  }

  it.each([false, true])(
    "runs sign-up, confirm, login, refresh, GetUser, reset and sign-out (client secret: %s)",
    async (secret) => {
      const cognito = await clientWith(secret);
      const email = `flow-${secret}@example.com`;
      const up = await cognito.signUp({ email, password: "Passw0rd!", name: "Flow" });
      expect(up).toMatchObject({
        ok: true,
        value: { confirmed: false, delivery: { medium: "EMAIL", attribute: "email" } },
      });
      const sub = up.ok ? up.value.userSub : "";
      expect(await cognito.resendCode(email)).toMatchObject({ ok: true, value: { delivery: { medium: "EMAIL" } } });
      expect(await cognito.confirmSignUp(email, await codeFor(sub, "ResendCode"))).toEqual({
        ok: true,
        value: undefined,
      });

      const login = await cognito.login(email, "Passw0rd!");
      expect(login).toMatchObject({
        ok: true,
        value: { kind: "tokens", tokens: { tokenType: "Bearer", expiresIn: 3600 } },
      });
      const tokens = login.ok && login.value.kind === "tokens" ? login.value.tokens : undefined;
      // With a secret, Cognito checks SECRET_HASH of a refresh against the user's username.
      const refreshed = await cognito.refresh(tokens!.refreshToken!, sub);
      expect(refreshed).toMatchObject({ ok: true, value: { tokenType: "Bearer" } });
      expect(refreshed.ok ? refreshed.value.refreshToken : "failed").toBeUndefined();
      expect(await cognito.getUser(tokens!.accessToken)).toMatchObject({
        ok: true,
        value: { username: sub, attributes: { email, name: "Flow", email_verified: "true" } },
      });

      expect(await cognito.changePassword(tokens!.accessToken, "Passw0rd!", "Passw0rd!2")).toEqual({
        ok: true,
        value: undefined,
      });
      expect(await cognito.forgotPassword(email)).toMatchObject({ ok: true, value: { delivery: { medium: "EMAIL" } } });
      expect(await cognito.confirmForgotPassword(email, await codeFor(sub, "ForgotPassword"), "Passw0rd!3")).toEqual({
        ok: true,
        value: undefined,
      });
      const again = await cognito.login(email, "Passw0rd!3");
      const t2 = again.ok && again.value.kind === "tokens" ? again.value.tokens : undefined;
      expect(await cognito.revoke(t2!.refreshToken!)).toEqual({ ok: true, value: undefined });
      expect(await cognito.refresh(t2!.refreshToken!, sub)).toMatchObject({
        ok: false,
        error: { type: "NotAuthorizedException" },
      });

      const third = await cognito.login(email, "Passw0rd!3");
      const t3 = third.ok && third.value.kind === "tokens" ? third.value.tokens : undefined;
      expect(await cognito.signOut(t3!.accessToken)).toEqual({ ok: true, value: undefined });
      expect(await cognito.getUser(t3!.accessToken)).toEqual({
        ok: false,
        error: { type: "NotAuthorizedException", message: "Access Token has been revoked", status: 400 },
      });
    },
  );

  it("answers Cognito's errors as typed failures", async () => {
    const cognito = await clientWith(false);
    expect(await cognito.signUp({ email: "weak@example.com", password: "short", name: "W" })).toEqual({
      ok: false,
      error: {
        type: "InvalidPasswordException",
        message: "Password did not conform with policy: Password not long enough",
        status: 400,
      },
    });
    expect(await cognito.login("nobody@example.com", "Passw0rd!")).toEqual({
      ok: false,
      error: { type: "UserNotFoundException", message: "User does not exist.", status: 400 },
    });
  });

  it("computes SECRET_HASH as Cognito does", () => {
    // Base64(HMAC-SHA256(secret, username + clientId)); the expected value was computed with Python's hmac.
    expect(computeSecretHash("secret", "user", "client")).toBe("wvW87lzZoI+qQCVGmWVBJLlucdJ65huAVP1z+0MgA6E=");
  });

  it("reports an unreachable Cognito as NetworkError", async () => {
    const cognito = new CognitoAuthClient({
      region: "us-east-1",
      userPoolId: "us-east-1_x",
      clientId: "c",
      endpoint: "http://127.0.0.1:1",
    });
    const r = await cognito.login("a@example.com", "x");
    expect(r).toMatchObject({ ok: false, error: { type: "NetworkError", status: 502 } });
  });
});
