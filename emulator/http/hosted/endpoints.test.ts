// The JSON endpoints: /oauth2/token (refresh, client_credentials, client authentication, its
// errors), /oauth2/userInfo, /oauth2/revoke, and the test control POST /_twin/oauth/code.
import { afterEach, describe, expect, it } from "vitest";
import {
  basic,
  CALLBACK,
  callbackQuery,
  type Hosted,
  hostedTwin,
  pkcePair,
  postForm,
} from "../../../test-support/hosted-fixtures.js";
import { call } from "../../../test-support/twin.js";

let h: Hosted;
afterEach(async () => h?.close());

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** A code from the test control. */
async function testCode(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await h.twin.app.request("/_twin/oauth/code", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function tokens(extra: Record<string, unknown> = {}, clientId = h.clientId, secret?: string) {
  const issued = await testCode({ clientId, username: "ann", ...extra });
  expect(issued.status).toBe(200);
  const res = await postForm(
    h.twin,
    `${h.base}/oauth2/token`,
    { grant_type: "authorization_code", code: issued.body.code as string, redirect_uri: CALLBACK, client_id: clientId },
    secret ? basic(clientId, secret) : {},
  );
  expect(res.status).toBe(200);
  return res.body as { access_token: string; id_token?: string; refresh_token: string };
}

function userInfo(token: string | undefined, method = "GET") {
  return h.twin.app.request(`${h.base}/oauth2/userInfo`, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe("test control POST /_twin/oauth/code", () => {
  it("answers a redirect URL and a code for a user of a hosted-UI client", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const issued = await testCode({ clientId: h.clientId, username: "ann", state: "s1", scope: "openid" });
    expect(issued.status).toBe(200);
    expect(issued.body.redirectUrl).toBe(`${CALLBACK}?code=${issued.body.code}&state=s1`);
  });

  it("refuses unknown clients and users, bad scopes and redirect URIs, and bad bodies", async () => {
    h = await hostedTwin();
    await h.user("ann");
    expect((await testCode({ clientId: "nope", username: "ann" })).status).toBe(400);
    expect((await testCode({ clientId: h.clientId, username: "bob" })).status).toBe(400);
    expect((await testCode({ clientId: h.clientId, username: "ann", scope: "phone" })).body.message).toMatch(
      /invalid_scope/,
    );
    expect(
      (await testCode({ clientId: h.clientId, username: "ann", redirectUri: "https://evil.example/" })).body.message,
    ).toMatch(/redirect_mismatch/);
    expect((await testCode({ clientId: 5, username: "ann" })).status).toBe(400);
    const res = await h.twin.app.request("/_twin/oauth/code", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });
});

describe("POST /oauth2/token", () => {
  it("refresh_token: new access and id tokens with the session's scopes, no new refresh token", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const first = await tokens({ scope: "openid email" });
    h.twin.services.clock.advance(60);
    const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "refresh_token",
      client_id: h.clientId,
      refresh_token: first.refresh_token,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["id_token", "access_token", "expires_in", "token_type"]);
    const access = claims(res.body.access_token as string);
    expect(access.scope).toBe("openid email");
    expect(access.origin_jti).toBe(claims(first.access_token).origin_jti);
    expect(access.auth_time).toBe(claims(first.access_token).auth_time);
  });

  it("refresh_token also takes an API sign-in's refresh token", async () => {
    h = await hostedTwin({ client: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] } });
    await h.user("ann");
    const signed = await call(h.twin, "InitiateAuth", {
      ClientId: h.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ann", PASSWORD: "Passw0rd!" },
    });
    const refresh = (signed.body.AuthenticationResult as { RefreshToken: string }).RefreshToken;
    const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "refresh_token",
      client_id: h.clientId,
      refresh_token: refresh,
    });
    expect(res.status).toBe(200);
    expect(claims(res.body.access_token as string).scope).toBe("aws.cognito.signin.user.admin");
  });

  it("refresh_token: invalid_grant for a revoked, unknown or expired token", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const first = await tokens();
    const refresh = (token: string) =>
      postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "refresh_token",
        client_id: h.clientId,
        refresh_token: token,
      });
    expect((await refresh("nope")).body).toEqual({ error: "invalid_grant" });
    h.twin.services.clock.advance(31 * 86400);
    expect((await refresh(first.refresh_token)).body).toEqual({ error: "invalid_grant" });
  });

  it("refresh_token with RefreshTokenRotation: a new refresh token each time, the old one spent", async () => {
    h = await hostedTwin({ client: { RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 } } });
    await h.user("ann");
    // As AWS has such clients: REFRESH_TOKEN_AUTH off (rotation "isn't compatible" with it).
    const record = h.twin.services.store.getClient(h.clientId)!;
    h.twin.services.store.putClient({
      ...record,
      client: { ...record.client, ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] },
    });
    const first = await tokens({ scope: "openid email" });
    const refresh = (token: string) =>
      postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "refresh_token",
        client_id: h.clientId,
        refresh_token: token,
      });
    h.twin.services.clock.advance(60);
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(Object.keys(second.body)).toEqual(["id_token", "access_token", "refresh_token", "expires_in", "token_type"]);
    const rotated = second.body.refresh_token as string;
    expect(rotated).not.toBe(first.refresh_token);
    // One session still: its scopes, sign-in time and origin_jti carry over.
    const access = claims(second.body.access_token as string);
    expect(access).toMatchObject({
      scope: "openid email",
      origin_jti: claims(first.access_token).origin_jti,
      auth_time: claims(first.access_token).auth_time,
    });
    // No grace period: the replaced token is refused at once, the new one works and rotates again.
    expect(await refresh(first.refresh_token)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const third = await refresh(rotated);
    expect(third.status).toBe(200);
    expect(third.body.refresh_token).not.toBe(rotated);
    // GetTokensFromRefreshToken continues the same chain.
    const api = await call(h.twin, "GetTokensFromRefreshToken", {
      ClientId: h.clientId,
      RefreshToken: third.body.refresh_token,
    });
    expect(api.status).toBe(200);
    const apiRefresh = (api.body.AuthenticationResult as { RefreshToken: string }).RefreshToken;
    expect((await refresh(third.body.refresh_token as string)).body).toEqual({ error: "invalid_grant" });
    // A rotated token lasts as long as the first one did: rotation does not extend the session.
    h.twin.services.clock.advance(30 * 86400 - 60);
    expect((await refresh(apiRefresh)).body).toEqual({ error: "invalid_grant" });
  });

  it("refresh_token with a rotation grace period: the replaced token works for that long", async () => {
    h = await hostedTwin({ client: { RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 } } });
    await h.user("ann");
    const first = await tokens({ scope: "openid" });
    const refresh = (token: string) =>
      postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "refresh_token",
        client_id: h.clientId,
        refresh_token: token,
      });
    const second = await refresh(first.refresh_token);
    expect(second.body.refresh_token).toBeTruthy();
    h.twin.services.clock.advance(29);
    // A retry within the period rotates again, from the session's current token.
    const retry = await refresh(first.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).not.toBe(second.body.refresh_token);
    h.twin.services.clock.advance(2);
    expect((await refresh(first.refresh_token)).body).toEqual({ error: "invalid_grant" });
    expect((await refresh(retry.body.refresh_token as string)).status).toBe(200);
  });

  it("client_credentials: an access token with the custom scopes, sub the client id, nothing else", async () => {
    h = await hostedTwin();
    await h.api("CreateResourceServer", {
      UserPoolId: h.poolId,
      Identifier: "https://api.example.com",
      Name: "api",
      Scopes: [
        { ScopeName: "read", ScopeDescription: "read" },
        { ScopeName: "write", ScopeDescription: "write" },
      ],
    });
    const m2m = await h.api("CreateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientName: "m2m",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: ["https://api.example.com/read", "https://api.example.com/write"],
    });
    const { ClientId: id, ClientSecret: secret } = m2m.UserPoolClient as { ClientId: string; ClientSecret: string };
    const all = await postForm(
      h.twin,
      `${h.base}/oauth2/token`,
      { grant_type: "client_credentials" },
      basic(id, secret),
    );
    expect(all.status).toBe(200);
    expect(Object.keys(all.body)).toEqual(["access_token", "expires_in", "token_type"]);
    const c = claims(all.body.access_token as string);
    expect(Object.keys(c)).toEqual([
      "sub",
      "token_use",
      "scope",
      "auth_time",
      "iss",
      "exp",
      "iat",
      "version",
      "jti",
      "client_id",
    ]);
    expect(c.sub).toBe(id);
    expect(c.client_id).toBe(id);
    expect(c.scope).toBe("https://api.example.com/read https://api.example.com/write");
    expect(c.username).toBeUndefined();
    // client_secret_post works too, and a subset of scopes can be asked for.
    const one = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "client_credentials",
      client_id: id,
      client_secret: secret,
      scope: "https://api.example.com/read",
    });
    expect(claims(one.body.access_token as string).scope).toBe("https://api.example.com/read");
    const bad = await postForm(
      h.twin,
      `${h.base}/oauth2/token`,
      { grant_type: "client_credentials", scope: "https://api.example.com/admin" },
      basic(id, secret),
    );
    expect(bad).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    const openid = await postForm(
      h.twin,
      `${h.base}/oauth2/token`,
      { grant_type: "client_credentials", scope: "openid" },
      basic(id, secret),
    );
    expect(openid.body).toEqual({ error: "invalid_scope" });
    // The user client may not use client_credentials.
    const user = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "client_credentials",
      client_id: h.clientId,
    });
    expect(user.body).toEqual({ error: "unauthorized_client" });
    // Nor may the M2M client redeem codes.
    const code = await postForm(
      h.twin,
      `${h.base}/oauth2/token`,
      { grant_type: "authorization_code", code: "x", redirect_uri: CALLBACK },
      basic(id, secret),
    );
    expect(code.body).toEqual({ error: "unauthorized_client" });
  });

  it("a client_credentials token is refused by the user pool API for its scopes, and by userInfo", async () => {
    h = await hostedTwin();
    await h.api("CreateResourceServer", {
      UserPoolId: h.poolId,
      Identifier: "orders",
      Name: "orders",
      Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
    });
    const m2m = await h.api("CreateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientName: "m2m",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: ["orders/read"],
    });
    const { ClientId: id, ClientSecret: secret } = m2m.UserPoolClient as { ClientId: string; ClientSecret: string };
    const issued = await postForm(
      h.twin,
      `${h.base}/oauth2/token`,
      { grant_type: "client_credentials" },
      basic(id, secret),
    );
    const token = issued.body.access_token as string;
    // No user behind it: Cognito answers for the missing aws.cognito.signin.user.admin scope.
    for (const [operation, input] of [
      ["GetUser", { AccessToken: token }],
      ["GlobalSignOut", { AccessToken: token }],
      ["UpdateUserAttributes", { AccessToken: token, UserAttributes: [{ Name: "name", Value: "x" }] }],
    ] as const) {
      const res = await call(h.twin, operation, input);
      expect(res.status, operation).toBe(400);
      expect(res.body, operation).toEqual({
        __type: "NotAuthorizedException",
        message: "Access Token does not have required scopes",
      });
    }
    const info = await userInfo(token);
    expect(info.status).toBe(401);
    expect(((await info.json()) as { error_description: string }).error_description).toBe(
      "Access token does not contain openid scope",
    );
    // An id token in its place is still simply not an access token.
    await h.user("ann");
    const t = await tokens({ scope: "openid aws.cognito.signin.user.admin" });
    const idAsAccess = await call(h.twin, "GetUser", { AccessToken: t.id_token });
    expect(idAsAccess.body).toMatchObject({ __type: "NotAuthorizedException", message: "Invalid Access Token" });
  });

  it("authenticates a confidential client by Basic or by the form, and refuses a wrong or missing secret", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const created = await h.api("CreateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientName: "confidential",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ["COGNITO"],
    });
    const { ClientId: id, ClientSecret: secret } = created.UserPoolClient as { ClientId: string; ClientSecret: string };
    await tokens({}, id, secret);
    const code = async () => (await testCode({ clientId: id, username: "ann" })).body.code as string;
    const form = async (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      postForm(
        h.twin,
        `${h.base}/oauth2/token`,
        { grant_type: "authorization_code", code: await code(), redirect_uri: CALLBACK, ...fields },
        headers,
      );
    expect((await form({ client_id: id, client_secret: secret })).status).toBe(200);
    expect((await form({ client_id: id })).body).toEqual({ error: "invalid_client" });
    expect((await form({}, basic(id, "wrong"))).body).toEqual({ error: "invalid_client" });
    expect((await form({ client_id: id, client_secret: "wrong" })).body).toEqual({ error: "invalid_client" });
    expect((await form({ client_secret: secret }, basic(id, secret))).body).toEqual({ error: "invalid_request" });
    expect((await form({}, { authorization: "Basic %%%" })).body).toEqual({ error: "invalid_client" });
    // A public client must not send a secret.
    const pub = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "authorization_code",
      client_id: h.clientId,
      client_secret: "anything",
      code: "x",
      redirect_uri: CALLBACK,
    });
    expect(pub.body).toEqual({ error: "invalid_client" });
  });

  it("answers Cognito's error codes for bad requests", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const post = (fields: Record<string, string>) => postForm(h.twin, `${h.base}/oauth2/token`, fields);
    expect(await post({})).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect((await post({ grant_type: "password", client_id: h.clientId })).body).toEqual({
      error: "unsupported_grant_type",
    });
    expect((await post({ grant_type: "authorization_code", client_id: "nope" })).body).toEqual({
      error: "invalid_client",
    });
    expect(
      (await post({ grant_type: "authorization_code", client_id: h.clientId, redirect_uri: CALLBACK })).body,
    ).toEqual({
      error: "invalid_request",
    });
    expect((await post({ grant_type: "authorization_code", client_id: h.clientId, code: "x" })).body).toEqual({
      error: "invalid_request",
    });
    expect(
      (
        await post({
          grant_type: "authorization_code",
          client_id: h.clientId,
          code: "x",
          redirect_uri: "https://evil.example/",
        })
      ).body,
    ).toEqual({ error: "unauthorized_client" });
    expect(
      (await post({ grant_type: "authorization_code", client_id: h.clientId, code: "x", redirect_uri: CALLBACK })).body,
    ).toEqual({ error: "invalid_grant" });
    expect((await post({ grant_type: "refresh_token", client_id: h.clientId })).body).toEqual({
      error: "invalid_request",
    });
    // A JSON body is not a form.
    const json = await h.twin.app.request(`${h.base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "refresh_token" }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: "invalid_request" });
  });

  it("PKCE: a wrong or missing verifier is refused, and the code is spent either way", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const { verifier, challenge } = pkcePair();
    const redeem = async (code: string, extra: Record<string, string>) =>
      postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "authorization_code",
        client_id: h.clientId,
        code,
        redirect_uri: CALLBACK,
        ...extra,
      });
    const code1 = (
      await testCode({ clientId: h.clientId, username: "ann", codeChallenge: challenge, codeChallengeMethod: "S256" })
    ).body.code as string;
    expect((await redeem(code1, { code_verifier: pkcePair().verifier })).body).toEqual({ error: "invalid_grant" });
    expect((await redeem(code1, { code_verifier: verifier })).body).toEqual({ error: "invalid_grant" });
    const code2 = (
      await testCode({ clientId: h.clientId, username: "ann", codeChallenge: challenge, codeChallengeMethod: "S256" })
    ).body.code as string;
    expect((await redeem(code2, {})).body).toEqual({ error: "invalid_request" });
    const code3 = (
      await testCode({ clientId: h.clientId, username: "ann", codeChallenge: challenge, codeChallengeMethod: "S256" })
    ).body.code as string;
    expect((await redeem(code3, { code_verifier: verifier })).status).toBe(200);
  });

  it("a code is single-use, expires after five minutes, and is bound to its client and redirect_uri", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const other = await h.api("CreateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientName: "other",
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
      CallbackURLs: [CALLBACK, "http://localhost:3000/cb"],
      SupportedIdentityProviders: ["COGNITO"],
    });
    const otherId = (other.UserPoolClient as { ClientId: string }).ClientId;
    const issue = async () => (await testCode({ clientId: h.clientId, username: "ann" })).body.code as string;
    const redeem = (code: string, clientId = h.clientId, redirect = CALLBACK) =>
      postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "authorization_code",
        client_id: clientId,
        code,
        redirect_uri: redirect,
      });
    const code = await issue();
    expect((await redeem(code)).status).toBe(200);
    expect((await redeem(code)).body).toEqual({ error: "invalid_grant" });
    const late = await issue();
    h.twin.services.clock.advance(301);
    expect((await redeem(late)).body).toEqual({ error: "invalid_grant" });
    expect((await redeem(await issue(), otherId)).body).toEqual({ error: "invalid_grant" });
    expect((await redeem(await issue(), h.clientId, "http://localhost:3000/cb")).body).toEqual({
      error: "invalid_grant",
    });
    // A code of another pool's domain is not this domain's.
    const other2 = await hostedTwin();
    try {
      const res = await postForm(other2.twin, `${other2.base}/oauth2/token`, {
        grant_type: "authorization_code",
        client_id: h.clientId,
        code: await issue(),
        redirect_uri: CALLBACK,
      });
      expect(res.body).toEqual({ error: "invalid_client" });
    } finally {
      await other2.close();
    }
  });

  it("only POST, with CORS for browsers", async () => {
    h = await hostedTwin();
    const get = await h.twin.app.request(`${h.base}/oauth2/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const pre = await h.twin.app.request(`${h.base}/oauth2/token`, { method: "OPTIONS" });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    const post = await postForm(h.twin, `${h.base}/oauth2/token`, {});
    expect(post.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("/oauth2/userInfo", () => {
  it("answers the user's attributes for a token with openid, by GET or POST", async () => {
    h = await hostedTwin();
    await h.api("AddCustomAttributes", {
      UserPoolId: h.poolId,
      CustomAttributes: [{ Name: "tier", AttributeDataType: "String" }],
    });
    await h.user("ann", { email: "ann@example.com", email_verified: "true", given_name: "Ann", "custom:tier": "gold" });
    const t = await tokens({ scope: "openid" });
    for (const method of ["GET", "POST"]) {
      const res = await userInfo(t.access_token, method);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(Object.keys(body)[0]).toBe("sub");
      expect(Object.keys(body).at(-1)).toBe("username");
      expect(body).toMatchObject({
        email: "ann@example.com",
        email_verified: "true",
        given_name: "Ann",
        "custom:tier": "gold",
        username: "ann",
      });
    }
  });

  it("narrows to the scopes' attributes when profile, email or phone is asked for", async () => {
    h = await hostedTwin();
    await h.user("ann", { email: "ann@example.com", email_verified: "true", given_name: "Ann" });
    const t = await tokens({ scope: "openid email" });
    const body = (await (await userInfo(t.access_token)).json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(["email", "email_verified", "sub", "username"]);
  });

  it("refuses missing, bad, revoked and openid-less tokens with 401 and WWW-Authenticate", async () => {
    h = await hostedTwin({ client: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] } });
    await h.user("ann");
    const none = await userInfo(undefined);
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({
      error: "invalid_request",
      error_description: "Bad OAuth2 request at UserInfo Endpoint",
    });
    const bad = await userInfo("not-a-token");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    expect(await bad.json()).toEqual({
      error: "invalid_token",
      error_description: "Access token is expired, disabled, or deleted, or the user has globally signed out.",
    });
    // An API sign-in's access token has no openid scope.
    const api = await call(h.twin, "InitiateAuth", {
      ClientId: h.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ann", PASSWORD: "Passw0rd!" },
    });
    const apiToken = (api.body.AuthenticationResult as { AccessToken: string }).AccessToken;
    const noOpenid = await userInfo(apiToken);
    expect(noOpenid.status).toBe(401);
    expect(((await noOpenid.json()) as { error_description: string }).error_description).toBe(
      "Access token does not contain openid scope",
    );
    const t = await tokens({ scope: "openid aws.cognito.signin.user.admin" });
    expect((await userInfo(t.access_token)).status).toBe(200);
    await call(h.twin, "GlobalSignOut", { AccessToken: t.access_token });
    expect((await userInfo(t.access_token)).status).toBe(401);
    const t2 = await tokens({ scope: "openid" });
    h.twin.services.clock.advance(3601);
    expect((await userInfo(t2.access_token)).status).toBe(401);
  });
});

describe("the id token of an OAuth grant", () => {
  /** The attribute claims of an id token (what userInfo would answer besides sub and username). */
  const ATTRIBUTE_CLAIMS = [
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "given_name",
    "custom:tier",
  ];
  function attributeClaims(jwt: string): Record<string, unknown> {
    const all = claims(jwt);
    return Object.fromEntries(Object.entries(all).filter(([name]) => ATTRIBUTE_CLAIMS.includes(name)));
  }
  async function hostedWithAttributes(client: Record<string, unknown> = {}) {
    h = await hostedTwin({
      client: {
        AllowedOAuthScopes: ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
        ...client,
      },
    });
    await h.api("AddCustomAttributes", {
      UserPoolId: h.poolId,
      CustomAttributes: [{ Name: "tier", AttributeDataType: "String" }],
    });
    await h.user("ann", {
      email: "ann@example.com",
      email_verified: "true",
      phone_number: "+15555550100",
      phone_number_verified: "false",
      given_name: "Ann",
      "custom:tier": "gold",
    });
  }

  it("carries every readable attribute with openid alone, and only the scopes' with profile, email or phone", async () => {
    await hostedWithAttributes();
    const cases: [string, Record<string, unknown>][] = [
      [
        "openid",
        {
          email: "ann@example.com",
          email_verified: true,
          phone_number: "+15555550100",
          phone_number_verified: false,
          given_name: "Ann",
          "custom:tier": "gold",
        },
      ],
      // The documented example: scope=openid+email gives sub, email and email_verified.
      ["openid email", { email: "ann@example.com", email_verified: true }],
      ["openid phone", { phone_number: "+15555550100", phone_number_verified: false }],
      ["openid profile", { given_name: "Ann", "custom:tier": "gold" }],
      [
        "openid email phone",
        { email: "ann@example.com", email_verified: true, phone_number: "+15555550100", phone_number_verified: false },
      ],
      // aws.cognito.signin.user.admin is for the API: it widens nothing.
      ["openid email aws.cognito.signin.user.admin", { email: "ann@example.com", email_verified: true }],
    ];
    for (const [scope, expected] of cases) {
      const t = await tokens({ scope });
      const id = claims(t.id_token!);
      expect(attributeClaims(t.id_token!), scope).toEqual(expected);
      // What is never narrowed.
      expect(id, scope).toMatchObject({
        sub: expect.any(String),
        "cognito:username": "ann",
        aud: h.clientId,
        token_use: "id",
      });
      // userInfo answers the same attributes (as strings), for the same access token.
      const info = (await (await userInfo(t.access_token)).json()) as Record<string, string>;
      expect(
        Object.keys(info)
          .filter((k) => k !== "sub" && k !== "username")
          .sort(),
        scope,
      ).toEqual(Object.keys(expected).sort());
      // A refresh keeps the grant's narrowing.
      const refreshed = await postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "refresh_token",
        client_id: h.clientId,
        refresh_token: t.refresh_token,
      });
      expect(attributeClaims(refreshed.body.id_token as string), `${scope} refreshed`).toEqual(expected);
    }
  });

  it("carries only what the client may read (ReadAttributes), as userInfo does", async () => {
    await hostedWithAttributes({ ReadAttributes: ["email", "given_name", "phone_number_verified"] });
    const open = await tokens({ scope: "openid" });
    expect(attributeClaims(open.id_token!)).toEqual({
      email: "ann@example.com",
      given_name: "Ann",
      phone_number_verified: false,
    });
    const info = (await (await userInfo(open.access_token)).json()) as Record<string, string>;
    expect(info).toEqual({
      sub: claims(open.id_token!).sub,
      email: "ann@example.com",
      phone_number_verified: "false",
      given_name: "Ann",
      username: "ann",
    });
    // Both bounds at once: the scopes' attributes the client may read.
    const profile = await tokens({ scope: "openid profile" });
    expect(attributeClaims(profile.id_token!)).toEqual({ given_name: "Ann" });
    const email = await tokens({ scope: "openid email" });
    expect(attributeClaims(email.id_token!)).toEqual({ email: "ann@example.com" });
  });

  it("is not issued without openid, by the code grant or by a refresh", async () => {
    await hostedWithAttributes();
    const t = await tokens({ scope: "aws.cognito.signin.user.admin" });
    expect(Object.keys(t)).toEqual(["access_token", "refresh_token", "expires_in", "token_type"]);
    const refreshed = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "refresh_token",
      client_id: h.clientId,
      refresh_token: t.refresh_token,
    });
    expect(Object.keys(refreshed.body)).toEqual(["access_token", "expires_in", "token_type"]);
  });
});

describe("POST /oauth2/revoke", () => {
  it("revokes the refresh token's session: refresh and userInfo stop working", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const t = await tokens({ scope: "openid" });
    const res = await postForm(h.twin, `${h.base}/oauth2/revoke`, { token: t.refresh_token, client_id: h.clientId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const refresh = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "refresh_token",
      client_id: h.clientId,
      refresh_token: t.refresh_token,
    });
    expect(refresh.body).toEqual({ error: "invalid_grant" });
    expect((await userInfo(t.access_token)).status).toBe(401);
    // Again, or an unknown token: still 200 (RFC 7009).
    expect(
      (await postForm(h.twin, `${h.base}/oauth2/revoke`, { token: t.refresh_token, client_id: h.clientId })).status,
    ).toBe(200);
    expect(
      (await postForm(h.twin, `${h.base}/oauth2/revoke`, { token: "a.b.c.d.e", client_id: h.clientId })).status,
    ).toBe(200);
  });

  it("answers the documented errors", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const t = await tokens();
    const revoke = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      postForm(h.twin, `${h.base}/oauth2/revoke`, fields, headers);
    expect(await revoke({ client_id: h.clientId })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await revoke({ token: t.access_token, client_id: h.clientId })).toMatchObject({
      status: 400,
      body: { error: "unsupported_token_type" },
    });
    expect(await revoke({ token: t.refresh_token, client_id: "nope" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await revoke({ token: t.refresh_token }, basic(h.clientId, "x"))).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    await h.api("UpdateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      EnableTokenRevocation: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code", "implicit"],
      AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ["COGNITO"],
    });
    expect(await revoke({ token: t.refresh_token, client_id: h.clientId })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect((await h.twin.app.request(`${h.base}/oauth2/revoke`)).status).toBe(405);
  });

  it("a code redeemed after the user was disabled is refused", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const issued = await testCode({ clientId: h.clientId, username: "ann" });
    await h.api("AdminDisableUser", { UserPoolId: h.poolId, Username: "ann" });
    const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "authorization_code",
      client_id: h.clientId,
      code: issued.body.code as string,
      redirect_uri: CALLBACK,
    });
    expect(res.body).toEqual({ error: "invalid_grant" });
    expect(callbackQuery(issued.body.redirectUrl as string).get("code")).toBe(issued.body.code);
  });
});
