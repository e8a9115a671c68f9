// The built-in social provider stand-ins, in process: each one's endpoints over HTTP (tokens that
// verify with jose against the stand-in's JWKS, claims and profiles in the provider's documented
// shapes, codes single use, client secrets checked), the sign-in page without a browser (pick an
// identity, type one, cancel; escaping), the test control, and a whole federated sign-in through
// each of the four providers from /oauth2/authorize?identity_provider=... to the app's callback.
import { generateKeyPairSync } from "node:crypto";
import { createLocalJWKSet, importPKCS8, type JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, Page } from "../../../test-support/browser.js";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin, postForm } from "../../../test-support/hosted-fixtures.js";
import { ManualClock } from "../../core/clock.js";

const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
let h: Hosted;
const APPLE_KEY = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
  type: "pkcs8",
  format: "pem",
}) as string;
const OTHER_KEY = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
  type: "pkcs8",
  format: "pem",
}) as string;

const APPS = {
  Google: {
    client_id: "123-abc.apps.googleusercontent.com",
    client_secret: "google-secret",
    authorize_scopes: "email profile openid",
  },
  Facebook: {
    client_id: "1234567890",
    client_secret: "fb-secret",
    authorize_scopes: "public_profile,email",
    api_version: "v17.0",
  },
  LoginWithAmazon: {
    client_id: "amzn1.application-oa2-client.abc",
    client_secret: "amzn-secret",
    authorize_scopes: "profile postal_code",
  },
  SignInWithApple: {
    client_id: "com.example.web",
    team_id: "TEAM123456",
    key_id: "KEY1234567",
    private_key: APPLE_KEY,
    authorize_scopes: "email name",
  },
} as const;

const MAPPINGS: Record<keyof typeof APPS, Record<string, string>> = {
  Google: {
    email: "email",
    email_verified: "email_verified",
    name: "name",
    given_name: "given_name",
    picture: "picture",
  },
  Facebook: { email: "email", name: "name", given_name: "first_name", family_name: "last_name" },
  LoginWithAmazon: { email: "email", name: "name", "custom:postal": "postal_code" },
  SignInWithApple: { email: "email", email_verified: "email_verified", name: "name", given_name: "firstName" },
};

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

async function json(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await h.twin.app.request(path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function register(provider: string, identity: Record<string, unknown>) {
  const res = await json(`/_twin/social/${provider}/identities`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(identity),
  });
  expect(res.status).toBe(201);
  return res.body.identity as Record<string, string>;
}

async function jwks(path: string): Promise<ReturnType<typeof createLocalJWKSet>> {
  const res = await json(path);
  expect(res.status).toBe(200);
  return createLocalJWKSet(res.body as unknown as JSONWebKeySet);
}

const REDIRECT = "http://localhost/_domain/x/oauth2/idpresponse";

/** The fields of the page's forms, by their `choice`. */
function forms(body: string): Map<string, { action: string; fields: Record<string, string> }[]> {
  const out = new Map<string, { action: string; fields: Record<string, string> }[]>();
  for (const m of body.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      if (name)
        fields[name] = /value="([^"]*)"/.exec(input[0])?.[1]?.replaceAll("&quot;", '"').replaceAll("&amp;", "&") ?? "";
    }
    const choice = fields.choice ?? "form-post";
    out.set(choice, [...(out.get(choice) ?? []), { action: m[1]!.replaceAll("&amp;", "&"), fields }]);
  }
  return out;
}

async function page(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await h.twin.app.request(path);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

async function submit(action: string, fields: Record<string, string>) {
  return h.twin.app.request(`http://localhost${action}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Opens a provider's authorize page and answers its forms. */
async function authorizePage(path: string, query: Record<string, string>) {
  const p = await page(`${path}?${new URLSearchParams(query)}`);
  expect(p.status, p.body.slice(0, 300)).toBe(200);
  return { ...p, forms: forms(p.body) };
}

/** Types a new identity on the page; answers the redirect's query. */
async function typeIdentity(path: string, query: Record<string, string>, fields: Record<string, string>) {
  const p = await authorizePage(path, query);
  const form = p.forms.get("new")![0]!;
  return submit(form.action, { ...form.fields, ...fields });
}

beforeAll(async () => {
  h = await hostedTwin({
    clock,
    pool: { Schema: [{ Name: "postal", AttributeDataType: "String", Mutable: true }] },
  });
  for (const [type, details] of Object.entries(APPS))
    await h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: type,
      ProviderType: type,
      ProviderDetails: details,
      AttributeMapping: MAPPINGS[type as keyof typeof APPS],
    });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email", "profile"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO", ...Object.keys(APPS)],
  });
});

afterAll(async () => {
  await h?.close();
});

beforeEach(async () => {
  for (const p of ["google", "facebook", "amazon", "apple"])
    await h.twin.app.request(`/_twin/social/${p}/identities`, { method: "DELETE" });
});

describe("Google's stand-in", () => {
  const auth = "/_social/google/o/oauth2/v2/auth";
  const query = (extra: Record<string, string> = {}) => ({
    client_id: APPS.Google.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid email profile",
    state: "st-1",
    nonce: "n-1",
    ...extra,
  });

  it("issues a code for a typed identity, and an id token in Google's shape that verifies against its JWKS", async () => {
    const res = await typeIdentity(auth, query(), {
      email: "ann@example.com",
      given_name: "Ann",
      family_name: "Lee",
      email_verified: "true",
    });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("st-1");
    const code = back.searchParams.get("code")!;
    expect(code).toMatch(/^4\/0A/);
    const token = await postForm(h.twin, "/_social/google/oauth2/v4/token", {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: APPS.Google.client_id,
      client_secret: APPS.Google.client_secret,
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    expect(token.body.scope).toBe(
      "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
    );
    expect(String(token.body.access_token)).toMatch(/^ya29\./);
    const { payload, protectedHeader } = await jwtVerify(
      String(token.body.id_token),
      await jwks("/_social/google/oauth2/v3/certs"),
      { issuer: "https://accounts.google.com", audience: APPS.Google.client_id, currentDate: new Date(clock.now()) },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      azp: APPS.Google.client_id,
      email: "ann@example.com",
      email_verified: true,
      name: "Ann Lee",
      given_name: "Ann",
      family_name: "Lee",
      hd: "example.com",
      nonce: "n-1",
      iat: clock.now() / 1000,
      exp: clock.now() / 1000 + 3600,
    });
    expect(payload.sub).toMatch(/^1\d{20}$/);
    expect(String(payload.picture)).toMatch(/^https:\/\/lh3\.googleusercontent\.com\//);
    expect(typeof payload.at_hash).toBe("string");

    const bearer = { headers: { authorization: `Bearer ${token.body.access_token}` } };
    const info = await json("/_social/google/v1/userinfo", bearer);
    expect(info.body).toEqual({
      sub: payload.sub,
      name: "Ann Lee",
      given_name: "Ann",
      family_name: "Lee",
      picture: payload.picture,
      email: "ann@example.com",
      email_verified: true,
      hd: "example.com",
    });
    const person = await json("/_social/google/v1/people/me?personFields=names,emailAddresses", bearer);
    expect(person.body).toMatchObject({
      resourceName: `people/${payload.sub}`,
      names: [{ displayName: "Ann Lee", givenName: "Ann", familyName: "Lee" }],
      emailAddresses: [{ value: "ann@example.com", metadata: { verified: true } }],
    });
    expect(person.body.photos).toBeUndefined();
    const noMask = await json("/_social/google/v1/people/me", bearer);
    expect(noMask.status).toBe(400);
    expect(noMask.body).toMatchObject({ error: { status: "INVALID_ARGUMENT" } });

    // The code is single use.
    const again = await postForm(h.twin, "/_social/google/oauth2/v4/token", {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: APPS.Google.client_id,
      client_secret: APPS.Google.client_secret,
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: "invalid_grant", error_description: "Bad Request" });
  });

  it("refuses a wrong client secret, a wrong redirect_uri, and an unknown access token", async () => {
    const reg = await register("google", { email: "bo@gmail.com", name: "Bo Park", autoSignIn: true });
    expect(reg.hostedDomain).toBeUndefined();
    const code = async () => {
      const res = await h.twin.app.request(`${auth}?${new URLSearchParams(query())}`);
      expect(res.status).toBe(302);
      return new URL(res.headers.get("location")!).searchParams.get("code")!;
    };
    const wrongSecret = await postForm(
      h.twin,
      "/_social/google/token",
      { grant_type: "authorization_code", code: await code(), redirect_uri: REDIRECT },
      { authorization: `Basic ${Buffer.from(`${APPS.Google.client_id}:nope`).toString("base64")}` },
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: "invalid_client", error_description: "Unauthorized" });
    const wrongRedirect = await postForm(h.twin, "/_social/google/token", {
      grant_type: "authorization_code",
      code: await code(),
      redirect_uri: "http://localhost/elsewhere",
      client_id: APPS.Google.client_id,
      client_secret: APPS.Google.client_secret,
    });
    expect(wrongRedirect.body.error).toBe("redirect_uri_mismatch");
    const info = await json("/_social/google/v1/userinfo", { headers: { authorization: "Bearer ya29.nope" } });
    expect(info.status).toBe(401);
  });

  it("answers a client_id no pool names with Google's error page, not a redirect", async () => {
    const p = await page(`${auth}?${new URLSearchParams(query({ client_id: "unknown.apps.googleusercontent.com" }))}`);
    expect(p.status).toBe(401);
    expect(p.body).toContain("Error 401: invalid_client");
    expect(p.headers.get("location")).toBeNull();
  });

  it("serves a discovery document naming Google's issuer and the local endpoints", async () => {
    const d = await json("/_social/google/.well-known/openid-configuration");
    expect(d.body).toMatchObject({
      issuer: "https://accounts.google.com",
      authorization_endpoint: "http://localhost/_social/google/o/oauth2/v2/auth",
      jwks_uri: "http://localhost/_social/google/oauth2/v3/certs",
    });
  });
});

describe("the sign-in page", () => {
  const auth = "/_social/google/o/oauth2/v2/auth";
  const query = {
    client_id: APPS.Google.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid email profile",
    state: "s",
  };

  it("lists the identities the provider knows; picking one signs it in", async () => {
    const reg = await register("google", { email: "cy@example.org", givenName: "Cy", familyName: "Ng" });
    const p = await authorizePage(auth, query);
    expect(p.body).toContain("Choose an account");
    expect(p.body).toContain("cy@example.org");
    expect(p.body).toMatch(/<label for="f-email">Email<\/label>/);
    expect(p.headers.get("content-security-policy")).toContain("default-src 'none'");
    const pick = p.forms.get("pick")!.find((f) => f.fields.sub === reg.sub)!;
    const res = await submit(pick.action, pick.fields);
    expect(res.status).toBe(302);
    const q = new URL(res.headers.get("location")!).searchParams;
    expect(q.get("code")).toBeTruthy();
    expect(q.get("state")).toBe("s");
    // A page's sign-in is answered once.
    const twice = await submit(pick.action, pick.fields);
    expect(twice.status).toBe(400);
  });

  it("typing the same email again is the same identity", async () => {
    const sub = async () => {
      const res = await typeIdentity(auth, query, { email: "dee@example.com", given_name: "Dee" });
      const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
      const t = await postForm(h.twin, "/_social/google/token", {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        client_id: APPS.Google.client_id,
        client_secret: APPS.Google.client_secret,
      });
      return claims(String(t.body.id_token)).sub;
    };
    expect(await sub()).toBe(await sub());
  });

  it("cancelling sends error=access_denied back with the state", async () => {
    const p = await authorizePage(auth, query);
    const refuse = p.forms.get("refuse")![0]!;
    const res = await submit(refuse.action, refuse.fields);
    expect(res.status).toBe(302);
    const q = new URL(res.headers.get("location")!).searchParams;
    expect(Object.fromEntries(q)).toEqual({ error: "access_denied", state: "s" });
  });

  it("asks again for an address that is not one, keeping what was typed, escaped", async () => {
    const p = await authorizePage(auth, query);
    const form = p.forms.get("new")![0]!;
    const res = await submit(form.action, { ...form.fields, email: "nope", given_name: '<script>"x"</script>' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain("Enter an email address");
    expect(body).not.toContain("<script>");
    expect(body).toContain("&lt;script&gt;");
  });

  it("escapes the identities' names", async () => {
    await register("google", { email: "evil@example.com", name: "<img src=x onerror=alert(1)>" });
    const p = await authorizePage(auth, query);
    expect(p.body).not.toContain("<img src=x");
    expect(p.body).toContain("&lt;img src=x");
  });
});

describe("Facebook's stand-in", () => {
  it("exchanges the code by GET and answers /me with the fields asked for", async () => {
    const auth = "/_social/facebook/v17.0/dialog/oauth";
    const res = await typeIdentity(
      auth,
      {
        client_id: APPS.Facebook.client_id,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "public_profile,email",
        state: "f",
      },
      { email: "fay@example.com", given_name: "Fay", family_name: "Ott" },
    );
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const tokenQuery = new URLSearchParams({
      client_id: APPS.Facebook.client_id,
      client_secret: APPS.Facebook.client_secret,
      redirect_uri: REDIRECT,
      code,
    });
    const token = await json(`/_social/facebook/v17.0/oauth/access_token?${tokenQuery}`);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "bearer" });
    expect(String(token.body.access_token)).toMatch(/^EAA/);
    const me = await json(
      `/_social/facebook/v17.0/me?fields=id,name,email,first_name,last_name,picture&access_token=${encodeURIComponent(String(token.body.access_token))}`,
    );
    expect(me.body).toMatchObject({ name: "Fay Ott", email: "fay@example.com", first_name: "Fay", last_name: "Ott" });
    expect(me.body.id).toMatch(/^10\d{15}$/);
    expect(me.body.picture).toMatchObject({ data: { height: 50, width: 50, is_silhouette: false } });
    const few = await json(
      `/_social/facebook/v17.0/me?access_token=${encodeURIComponent(String(token.body.access_token))}`,
    );
    expect(Object.keys(few.body).sort()).toEqual(["id", "name"]);
    const bad = await json(
      `/_social/facebook/v17.0/me?fields=shoe_size&access_token=${encodeURIComponent(String(token.body.access_token))}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { type: "OAuthException", code: 100 } });
    const replay = await json(`/_social/facebook/v17.0/oauth/access_token?${tokenQuery}`);
    expect(replay.body).toMatchObject({
      error: { message: "This authorization code has been used.", type: "OAuthException" },
    });
  });

  it("cancelling answers Facebook's denial", async () => {
    const p = await authorizePage("/_social/facebook/v17.0/dialog/oauth", {
      client_id: APPS.Facebook.client_id,
      redirect_uri: REDIRECT,
      response_type: "code",
      state: "f2",
    });
    const refuse = p.forms.get("refuse")![0]!;
    const res = await submit(refuse.action, refuse.fields);
    expect(Object.fromEntries(new URL(res.headers.get("location")!).searchParams)).toEqual({
      error: "access_denied",
      error_code: "200",
      error_description: "Permissions error",
      error_reason: "user_denied",
      state: "f2",
    });
  });
});

describe("Login with Amazon's stand-in", () => {
  it("answers the profile with user_id amzn1.account..., name, email and postal_code", async () => {
    await register("amazon", { email: "al@example.com", name: "Al Fox", postalCode: "98109", autoSignIn: true });
    const res = await h.twin.app.request(
      `/_social/amazon/ap/oa?${new URLSearchParams({ client_id: APPS.LoginWithAmazon.client_id, redirect_uri: REDIRECT, response_type: "code", scope: "profile postal_code", state: "a" })}`,
    );
    expect(res.status).toBe(302);
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const token = await postForm(h.twin, "/_social/amazon/auth/o2/token", {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: APPS.LoginWithAmazon.client_id,
      client_secret: APPS.LoginWithAmazon.client_secret,
    });
    expect(token.status).toBe(200);
    expect(String(token.body.access_token)).toMatch(/^Atza\|/);
    expect(String(token.body.refresh_token)).toMatch(/^Atzr\|/);
    expect(token.body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    const profile = await json("/_social/amazon/user/profile", {
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });
    expect(profile.body).toMatchObject({ name: "Al Fox", email: "al@example.com", postal_code: "98109" });
    expect(profile.body.user_id).toMatch(/^amzn1\.account\.[A-Z2-7]{28}$/);
    const wrong = await postForm(h.twin, "/_social/amazon/auth/o2/token", {
      grant_type: "authorization_code",
      code: "ANnope",
      redirect_uri: REDIRECT,
      client_id: APPS.LoginWithAmazon.client_id,
      client_secret: "wrong",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
  });
});

describe("Sign in with Apple's stand-in", () => {
  const query = {
    client_id: APPS.SignInWithApple.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    response_mode: "form_post",
    scope: "email name",
    state: "ap",
    nonce: "apple-nonce",
  };

  async function clientSecret(pem: string, iss: string = APPS.SignInWithApple.team_id): Promise<string> {
    const now = clock.now() / 1000;
    return new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: APPS.SignInWithApple.key_id })
      .setIssuer(iss)
      .setSubject(APPS.SignInWithApple.client_id)
      .setAudience("https://appleid.apple.com")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(await importPKCS8(pem, "ES256"));
  }

  /** Signs in on the page; answers the fields Apple form-posts back. */
  async function formPost(fields: Record<string, string>): Promise<Record<string, string>> {
    const res = await typeIdentity("/_social/apple/auth/authorize", query, fields);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[A-Za-z0-9_-]+'/);
    const post = forms(await res.text()).get("form-post")![0]!;
    expect(post.action).toBe(REDIRECT);
    return post.fields;
  }

  it("form-posts the code and, on the first sign-in only, the user's name", async () => {
    const first = await formPost({
      email: "io@example.com",
      given_name: "Io",
      family_name: "Ray",
      private_email: "true",
    });
    expect(first.state).toBe("ap");
    const relay = first.user ? (JSON.parse(first.user) as { name: unknown; email: string }) : undefined;
    expect(relay?.name).toEqual({ firstName: "Io", lastName: "Ray" });
    expect(relay?.email).toMatch(/^[0-9a-f]{10}@privaterelay\.appleid\.com$/);
    const token = await postForm(h.twin, "/_social/apple/auth/token", {
      grant_type: "authorization_code",
      code: first.code!,
      redirect_uri: REDIRECT,
      client_id: APPS.SignInWithApple.client_id,
      client_secret: await clientSecret(APPLE_KEY),
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const { payload } = await jwtVerify(String(token.body.id_token), await jwks("/_social/apple/auth/keys"), {
      issuer: "https://appleid.apple.com",
      audience: APPS.SignInWithApple.client_id,
      currentDate: new Date(clock.now()),
    });
    expect(payload.sub).toMatch(/^00\d{4}\.[0-9a-f]{32}\.\d{4}$/);
    expect(payload).toMatchObject({
      email: relay?.email,
      email_verified: true,
      is_private_email: true,
      nonce: "apple-nonce",
      nonce_supported: true,
    });
    expect(payload.name).toBeUndefined();

    const second = await formPost({
      email: "io@example.com",
      given_name: "Io",
      family_name: "Ray",
      private_email: "true",
    });
    expect(second.user).toBeUndefined();
  });

  it("refuses a client secret signed with another key, or naming another team", async () => {
    const fields = await formPost({ email: "kay@example.com" });
    for (const secret of [await clientSecret(OTHER_KEY), await clientSecret(APPLE_KEY, "OTHERTEAM" as string)]) {
      const token = await postForm(h.twin, "/_social/apple/auth/token", {
        grant_type: "authorization_code",
        code: fields.code!,
        redirect_uri: REDIRECT,
        client_id: APPS.SignInWithApple.client_id,
        client_secret: secret,
      });
      expect(token.status).toBe(400);
      expect(token.body).toEqual({ error: "invalid_client" });
    }
  });

  it("cancelling form-posts error=user_cancelled_authorize", async () => {
    const p = await authorizePage("/_social/apple/auth/authorize", query);
    const refuse = p.forms.get("refuse")![0]!;
    const res = await submit(refuse.action, refuse.fields);
    const post = forms(await res.text()).get("form-post")![0]!;
    expect(post.fields).toEqual({ error: "user_cancelled_authorize", state: "ap" });
  });
});

describe("the identities test control", () => {
  it("registers, lists and forgets identities; refuses bad bodies and unknown providers", async () => {
    const reg = await register("SignInWithApple", {
      email: "x@example.com",
      sub: "001111.abc.2222",
      privateEmail: true,
    });
    expect(reg).toMatchObject({ sub: "001111.abc.2222", privateEmail: true });
    expect(reg.relayEmail).toMatch(/@privaterelay\.appleid\.com$/);
    const list = await json("/_twin/social/apple/identities");
    expect((list.body.identities as unknown[]).length).toBe(1);
    const bad = await json("/_twin/social/apple/identities", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: 3 }),
    });
    expect(bad.status).toBe(400);
    const unknown = await json("/_twin/social/myspace/identities");
    expect(unknown.status).toBe(404);
    const gone = await json("/_twin/social/apple/identities", { method: "DELETE" });
    expect(gone.body).toEqual({ identities: [], deleted: 1 });
  });
});

// --- The whole sign-in, from the app's authorize request to its callback -----------------------

async function signInThrough(provider: keyof typeof APPS, identity: Record<string, string>) {
  const browser: Browser = h.browser();
  const start = await browser.get(
    h.authorizeUrl({ identity_provider: provider, scope: "openid email profile", state: "app-state" }),
  );
  expect(start.status, start.body.slice(0, 300)).toBe(302);
  expect(start.location).toContain(`/_social/`);
  const upstream = new URL(start.location!);
  expect(upstream.searchParams.get("client_id")).toBe(APPS[provider].client_id);
  expect(upstream.searchParams.get("redirect_uri")).toBe(`http://localhost${h.base}/oauth2/idpresponse`);
  const providerPage = await browser.get(start.location!);
  expect(providerPage.status).toBe(200);
  const form = forms(providerPage.body).get("new")![0]!;
  let answer: Page = await browser.post(new URL(form.action, providerPage.url).toString(), {
    ...form.fields,
    ...identity,
  });
  if (provider === "SignInWithApple") {
    const post = forms(answer.body).get("form-post")![0]!;
    answer = await browser.post(post.action, post.fields);
  }
  expect(answer.status, answer.body.slice(0, 300)).toBe(302);
  const back = await browser.follow(await browser.get(answer.location!));
  const callback = back.location ?? answer.location;
  expect(new URL(callback!).searchParams.get("error"), callback).toBeNull();
  return callbackQuery(callback);
}

async function federatedUser(username: string) {
  const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: username });
  return {
    status: user.UserStatus,
    attributes: Object.fromEntries(
      (user.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
    ),
  };
}

async function redeem(code: string): Promise<Record<string, unknown>> {
  const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
    grant_type: "authorization_code",
    client_id: h.clientId,
    code,
    redirect_uri: CALLBACK,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return claims(String(res.body.id_token));
}

describe("a federated sign-in through each stand-in", () => {
  it("Google: the federated Google_<sub> user, its mapped attributes and identities", async () => {
    const q = await signInThrough("Google", {
      email: "gil@example.com",
      given_name: "Gil",
      family_name: "Moe",
      email_verified: "true",
    });
    expect(q.get("state")).toBe("app-state");
    const id = await redeem(q.get("code")!);
    const username = String(id["cognito:username"]);
    expect(username).toMatch(/^google_1\d{20}$/i);
    expect(id).toMatchObject({ email: "gil@example.com", name: "Gil Moe", given_name: "Gil" });
    const user = await federatedUser(username);
    expect(user.status).toBe("EXTERNAL_PROVIDER");
    expect(user.attributes.email).toBe("gil@example.com");
    expect(JSON.parse(user.attributes.identities!)[0]).toMatchObject({
      providerName: "Google",
      providerType: "Google",
    });
  });

  it("Facebook: the Facebook_<id> user with first and last name mapped", async () => {
    const q = await signInThrough("Facebook", { email: "fi@example.com", given_name: "Fi", family_name: "Lo" });
    const id = await redeem(q.get("code")!);
    expect(String(id["cognito:username"])).toMatch(/^facebook_10\d{15}$/i);
    expect(id).toMatchObject({ email: "fi@example.com", name: "Fi Lo", given_name: "Fi", family_name: "Lo" });
  });

  it("Login with Amazon: the LoginWithAmazon_amzn1.account... user with the postal code mapped", async () => {
    const q = await signInThrough("LoginWithAmazon", {
      email: "am@example.com",
      given_name: "Am",
      family_name: "Zo",
      postal_code: "10115",
    });
    const id = await redeem(q.get("code")!);
    const username = String(id["cognito:username"]);
    expect(username).toMatch(/^loginwithamazon_amzn1\.account\.[A-Z2-7]{28}$/i);
    const user = await federatedUser(username);
    expect(user.attributes).toMatchObject({ email: "am@example.com", name: "Am Zo", "custom:postal": "10115" });
  });

  it("Sign in with Apple: the name from the first sign-in's form post, the private relay email", async () => {
    const q = await signInThrough("SignInWithApple", {
      email: "ap@example.com",
      given_name: "Ap",
      family_name: "Le",
      private_email: "true",
    });
    const id = await redeem(q.get("code")!);
    const username = String(id["cognito:username"]);
    expect(username).toMatch(/^signinwithapple_00\d{4}\.[0-9a-f]{32}\.\d{4}$/i);
    const user = await federatedUser(username);
    expect(user.attributes.email).toMatch(/@privaterelay\.appleid\.com$/);
    expect(user.attributes).toMatchObject({ name: "Ap Le", given_name: "Ap" });
  });

  it("a refusal at the provider reaches the app's callback as an error, with the app's state", async () => {
    const browser = h.browser();
    const start = await browser.get(
      h.authorizeUrl({ identity_provider: "Google", scope: "openid email", state: "st-x" }),
    );
    const providerPage = await browser.get(start.location!);
    const refuse = forms(providerPage.body).get("refuse")![0]!;
    const answer = await browser.post(new URL(refuse.action, providerPage.url).toString(), refuse.fields);
    const back = await browser.get(answer.location!);
    const q = callbackQuery(back.location);
    expect(q.get("error")).toBe("access_denied");
    expect(q.get("state")).toBe("st-x");
    expect(q.get("code")).toBeNull();
  });
});
