// The app's sign-in on the managed login pages (GET /login/hosted, /callback, GET /logout) end to
// end against the emulator: openid-client discovers the pool, the pages are driven with form posts
// (test-support/browser.ts over real HTTP), and the app's session is the password login's.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientRequest,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertOf, Browser, type Page } from "../test-support/browser.js";
import { GUIDE_POOL } from "../test-support/seed-guide.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { createAuthApp } from "./app.js";
import { ClientConfigError, CognitoAuthClient } from "./cognito-client.js";
import { discoveryUrlFor, HostedLogin, type HostedLoginConfig, hostedConfigFromEnv } from "./hosted-login.js";
import { createAccessTokenVerifier } from "./middleware.js";

const APP = "http://localhost:5000";
const CALLBACK = `${APP}/callback`;
const SIGNED_OUT = `${APP}/signed-out`;
const PASSWORD = "Hosted-Passw0rd!";

/** The emulator over real HTTP, redirects left to the test's browser. */
const overHttp = { request: (input: string, init?: RequestInit) => fetch(input, { ...init, redirect: "manual" }) };

interface Setup {
  t: TestTwin;
  poolId: string;
  domainBase: string;
  /** Makes an app client for the pages (code grant, the callback above), optionally with a secret. */
  client(secret: boolean, extra?: Partial<CreateUserPoolClientRequest>): Promise<{ id: string; secret?: string }>;
  user(email: string): Promise<void>;
}

async function setUp(config: Parameters<typeof startTwin>[0] = {}): Promise<Setup> {
  const t = await startTwin(config);
  const pool = await t.cognito.send(new CreateUserPoolCommand(GUIDE_POOL));
  const poolId = pool.UserPool!.Id!;
  const prefix = `app-${Math.random().toString(36).slice(2, 8)}`;
  await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  return {
    t,
    poolId,
    domainBase: `${t.url}/_domain/${prefix}`,
    async client(secret, extra = {}) {
      const c = await t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "web",
          GenerateSecret: secret,
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["code"],
          AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
          CallbackURLs: [CALLBACK],
          LogoutURLs: [SIGNED_OUT],
          SupportedIdentityProviders: ["COGNITO"],
          ...extra,
        }),
      );
      const out = c.UserPoolClient!;
      return { id: out.ClientId!, ...(out.ClientSecret ? { secret: out.ClientSecret } : {}) };
    },
    async user(email) {
      await t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: email,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
            { Name: "name", Value: "Hosted User" },
          ],
        }),
      );
      await t.cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }),
      );
    },
  };
}

/** The app for a client, with the hosted login on `s`'s domain. */
function appFor(s: Setup, client: { id: string; secret?: string }, overrides: Partial<HostedLoginConfig> = {}) {
  const base = {
    region: "us-east-1",
    userPoolId: s.poolId,
    clientId: client.id,
    ...(client.secret ? { clientSecret: client.secret } : {}),
    endpoint: s.t.url,
  };
  const hosted = new HostedLogin({
    clientId: client.id,
    ...(client.secret ? { clientSecret: client.secret } : {}),
    domain: s.domainBase,
    callbackUrl: CALLBACK,
    logoutUrl: SIGNED_OUT,
    discoveryUrl: discoveryUrlFor(base),
    ...overrides,
  });
  const issuer = s.t.twin.services.config.issuer === "local" ? `${s.t.url}/${s.poolId}` : undefined;
  return createAuthApp({
    cognito: new CognitoAuthClient(base),
    verifier: createAccessTokenVerifier({ ...base, ...(issuer ? { issuer } : {}) }),
    hosted,
    logError: (e) => {
      throw e;
    },
  });
}

/** A user at the app's front door and the pages' (two origins, two cookie jars). */
function browsers(app: ReturnType<typeof appFor>, s: Setup) {
  return { app: new Browser(app, APP), pages: new Browser(overHttp, s.t.url) };
}

/** /login/hosted, then the pages as far as they go on their own: the login page, or the callback. */
async function startLogin(b: ReturnType<typeof browsers>): Promise<{ start: Page; page: Page }> {
  const start = await b.app.get("/login/hosted");
  expect(start.status).toBe(302);
  return { start, page: await b.pages.open(start.location!) };
}

async function signIn(b: ReturnType<typeof browsers>, email: string, password = PASSWORD): Promise<Page> {
  const { page } = await startLogin(b);
  expect(page.status).toBe(200);
  const back = await b.pages.submit(page, { username: email, password });
  return back;
}

describe("hosted login through the app", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(() => s.t.close());

  it("sends the browser to the domain's authorize endpoint with PKCE, state and nonce", async () => {
    const client = await s.client(false);
    const b = browsers(appFor(s, client), s);
    const start = await b.app.get("/login/hosted");
    expect(start.status).toBe(302);
    expect(start.headers.get("cache-control")).toBe("no-store");
    const url = new URL(start.location!);
    expect(`${url.origin}${url.pathname}`).toBe(`${s.domainBase}/oauth2/authorize`);
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(client.id);
    expect(q.get("redirect_uri")).toBe(CALLBACK);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get("nonce")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.has("scope")).toBe(false);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith("session_hosted="))!;
    expect(cookie).toMatch(/Path=\/callback/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("signs in on the pages, redeems the code and sets the password login's session", async () => {
    const client = await s.client(false);
    await s.user("ann@example.com");
    const b = browsers(appFor(s, client), s);
    const back = await signIn(b, "ann@example.com");
    expect(back.location).toMatch(/^http:\/\/localhost:5000\/callback\?code=/);
    const done = await b.app.get(back.location!);
    expect(done.status).toBe(200);
    const body = JSON.parse(done.body) as Record<string, unknown>;
    expect(body.message).toBe("Login successful");
    expect(body.tokenType).toBe("Bearer");
    expect(body.token).toBe(body.accessToken);
    expect(typeof body.idToken).toBe("string");
    expect(typeof body.refreshToken).toBe("string");
    expect(b.app.cookies.get("session")?.value).toBe(body.accessToken);
    expect(b.app.cookies.get("session")?.attributes).toMatch(/HttpOnly/);
    expect(b.app.cookies.has("session_hosted")).toBe(false);
    const me = await b.app.get("/me");
    expect(me.status).toBe(200);
    const claims = JSON.parse(me.body) as { clientId: string; scope: string };
    expect(claims.clientId).toBe(client.id);
    expect(claims.scope.split(" ").sort()).toEqual(["aws.cognito.signin.user.admin", "email", "openid", "profile"]);
    // The same session as the password login: ChangePassword with the cookie's token works.
    const changed = await b.app.fetch("/change-password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ previousPassword: PASSWORD, proposedPassword: `${PASSWORD}2` }),
    });
    expect(changed.status).toBe(200);
  });

  it("asks for the configured scopes only", async () => {
    const client = await s.client(false);
    await s.user("scoped@example.com");
    const b = browsers(appFor(s, client, { scope: "openid email" }), s);
    const { start, page } = await startLogin(b);
    expect(new URL(start.location!).searchParams.get("scope")).toBe("openid email");
    const back = await b.pages.submit(page, { username: "scoped@example.com", password: PASSWORD });
    const done = await b.app.get(back.location!);
    expect(done.status).toBe(200);
    const me = JSON.parse((await b.app.get("/me")).body) as { scope: string };
    expect(me.scope.split(" ").sort()).toEqual(["email", "openid"]);
  });

  it("works with a client secret (HTTP Basic at the token endpoint)", async () => {
    const client = await s.client(true);
    expect(client.secret).toBeTruthy();
    await s.user("secret@example.com");
    const b = browsers(appFor(s, client), s);
    const back = await signIn(b, "secret@example.com");
    const done = await b.app.get(back.location!);
    expect(done.status, done.body).toBe(200);
    expect((await b.app.get("/protected")).status).toBe(200);
  });

  it("shows the pages' own error for a wrong password and stays there", async () => {
    const client = await s.client(false);
    await s.user("wrong@example.com");
    const b = browsers(appFor(s, client), s);
    const page = await signIn(b, "wrong@example.com", "Not-the-password1!");
    expect(page.status).toBe(200);
    expect(page.location).toBeUndefined();
    expect(alertOf(page.body)).toBe("Incorrect username or password.");
  });

  it("reuses the pages' session, and GET /logout ends both sessions", async () => {
    const client = await s.client(false);
    await s.user("reuse@example.com");
    const b = browsers(appFor(s, client), s);
    expect((await b.app.get((await signIn(b, "reuse@example.com")).location!)).status).toBe(200);
    // A second sign-in in this browser goes straight back with a code: no login page.
    const again = await startLogin(b);
    expect(again.page.location).toMatch(/^http:\/\/localhost:5000\/callback\?code=/);
    expect((await b.app.get(again.page.location!)).status).toBe(200);

    const out = await b.app.get("/logout");
    expect(out.status).toBe(302);
    const logout = new URL(out.location!);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${s.domainBase}/logout`);
    expect(logout.searchParams.get("client_id")).toBe(client.id);
    expect(logout.searchParams.get("logout_uri")).toBe(SIGNED_OUT);
    expect(b.app.cookies.has("session")).toBe(false);
    const ended = await b.pages.open(out.location!);
    expect(ended.location).toBe(SIGNED_OUT);
    expect((await b.app.get("/me")).status).toBe(401);
    // The pages ask again.
    const fresh = await startLogin(b);
    expect(fresh.page.status).toBe(200);
    expect(fresh.page.body).toContain('name="password"');
  });

  it("POST /logout names the pages' logout when the hosted login is on", async () => {
    const client = await s.client(false);
    await s.user("post@example.com");
    const b = browsers(appFor(s, client), s);
    expect((await b.app.get((await signIn(b, "post@example.com")).location!)).status).toBe(200);
    const res = await b.app.post("/logout", {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).logoutUrl).toBe(
      `${s.domainBase}/logout?client_id=${client.id}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`,
    );
  });

  it("refuses a callback without a sign-in in progress, with another state, or with Cognito's error", async () => {
    const client = await s.client(false);
    await s.user("cb@example.com");
    const b = browsers(appFor(s, client), s);
    const none = await b.app.get("/callback?code=abc&state=xyz");
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body).error.type).toBe("invalid_callback");

    const back = await signIn(b, "cb@example.com");
    const forged = new URL(back.location!);
    forged.searchParams.set("state", "another-state");
    const wrongState = await b.app.get(forged.toString());
    expect(wrongState.status).toBe(400);
    expect(JSON.parse(wrongState.body).error).toEqual({
      type: "invalid_callback",
      message: expect.stringMatching(/state/),
    });
    // The transaction is spent: the right URL now finds none.
    expect((await b.app.get(back.location!)).status).toBe(400);

    const start = await b.app.get("/login/hosted");
    const state = new URL(start.location!).searchParams.get("state")!;
    const denied = await b.app.get(`/callback?error=access_denied&error_description=nope&state=${state}`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    expect(JSON.parse(denied.body).error).toEqual({ type: "access_denied", message: "nope" });
  });

  it("answers 400 invalid_grant for a code already redeemed", async () => {
    const client = await s.client(false);
    await s.user("twice@example.com");
    const b = browsers(appFor(s, client), s);
    const start = await b.app.get("/login/hosted");
    const cookie = b.app.cookies.get("session_hosted")!.value;
    const page = await b.pages.open(start.location!);
    const back = await b.pages.submit(page, { username: "twice@example.com", password: PASSWORD });
    expect((await b.app.get(back.location!)).status).toBe(200);
    // The same transaction and code again (a replayed callback): the code is spent.
    b.app.cookies.set("session_hosted", { value: cookie, path: "/callback", attributes: "" });
    const replay = await b.app.get(back.location!);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body).error.type).toBe("invalid_grant");
  });

  it("answers 502 when the discovery document cannot be read, and tries again later", async () => {
    const client = await s.client(false);
    const app = appFor(s, client, { discoveryUrl: `${s.t.url}/us-east-1_Nope00000/.well-known/openid-configuration` });
    const res = await app.request("/login/hosted");
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: { type: "upstream_error", message: "The identity provider could not be reached" },
    });
    const down = appFor(s, client, { discoveryUrl: "http://127.0.0.1:1/.well-known/openid-configuration" });
    expect((await down.request("/login/hosted")).status).toBe(502);
  });
});

describe("Sign in with Google through the emulator's stand-in", () => {
  let s: Setup;
  let client: { id: string; secret?: string };
  beforeAll(async () => {
    s = await setUp();
    await s.t.cognito.send(
      new CreateIdentityProviderCommand({
        UserPoolId: s.poolId,
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: {
          client_id: "seed-app.apps.googleusercontent.com",
          client_secret: "local",
          authorize_scopes: "openid email profile",
        },
        AttributeMapping: { email: "email", email_verified: "email_verified", name: "name" },
      }),
    );
    client = await s.client(false, { SupportedIdentityProviders: ["COGNITO", "Google"] });
  });
  afterAll(() => s.t.close());

  it("offers the button on the app's sign-in page, and only for the providers it is given", async () => {
    const page = await appFor(s, client, { identityProviders: ["Google"] }).request("/login");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const body = await page.text();
    expect(body).toContain('<a href="/login/hosted?identity_provider=Google">Sign in with Google</a>');
    expect(body).toContain('<a href="/login/hosted">');
    const plain = await (await appFor(s, client).request("/login")).text();
    expect(plain).not.toContain("Google");
    const other = await appFor(s, client, { identityProviders: ["Google"] }).request(
      "/login/hosted?identity_provider=Facebook",
    );
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { type: string } }).error.type).toBe("invalid_request");
  });

  it("signs in through Google: authorize with identity_provider, the stand-in, idpresponse, the app's tokens", async () => {
    const registered = await fetch(`${s.t.url}/_twin/social/google/identities`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "gail@example.com", givenName: "Gail", familyName: "Ng", autoSignIn: true }),
    });
    expect(registered.status).toBe(201);
    const { sub } = ((await registered.json()) as { identity: { sub: string } }).identity;
    const b = browsers(appFor(s, client, { identityProviders: ["Google"] }), s);
    const start = await b.app.get("/login/hosted?identity_provider=Google");
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${s.domainBase}/oauth2/authorize`);
    expect(authorize.searchParams.get("identity_provider")).toBe("Google");
    // The pages send the browser to the stand-in, which signs Gail in at once and returns to
    // /oauth2/idpresponse, which sends it back to the app with a code.
    const back = await b.pages.open(start.location!);
    expect(back.location).toMatch(/^http:\/\/localhost:5000\/callback\?code=/);
    const done = await b.app.get(back.location!);
    expect(done.status, done.body).toBe(200);
    const id = JSON.parse(Buffer.from(String(JSON.parse(done.body).idToken).split(".")[1]!, "base64url").toString());
    expect(id["cognito:username"]).toBe(`google_${sub}`);
    expect(id).toMatchObject({ email: "gail@example.com", name: "Gail Ng" });
    expect(id.identities).toEqual([
      expect.objectContaining({ userId: sub, providerName: "Google", providerType: "Google", primary: "true" }),
    ]);
    const me = await b.app.get("/me");
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body).username).toBe(`google_${sub}`);
  });
});

describe("hosted login with --issuer local", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp({ issuer: "local" });
  });
  afterAll(() => s.t.close());

  it("checks the id token against the emulator's own issuer", async () => {
    const client = await s.client(false);
    await s.user("local@example.com");
    const b = browsers(appFor(s, client), s);
    const done = await b.app.get((await signIn(b, "local@example.com")).location!);
    expect(done.status, done.body).toBe(200);
    const idToken = JSON.parse(done.body).idToken as string;
    const claims = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as { iss: string };
    expect(claims.iss).toBe(`${s.t.url}/${s.poolId}`);
    expect((await b.app.get("/me")).status).toBe(200);
  });
});

describe("hostedConfigFromEnv", () => {
  const app = { region: "eu-west-1", userPoolId: "eu-west-1_AbCdEf123", clientId: "abc" };

  it("is off without COGNITO_DOMAIN", () => {
    expect(hostedConfigFromEnv({}, app)).toBeUndefined();
  });

  it("needs a callback URL, and reads the rest with defaults", () => {
    expect(() => hostedConfigFromEnv({ COGNITO_DOMAIN: "https://x.auth.eu-west-1.amazoncognito.com" }, app)).toThrow(
      ClientConfigError,
    );
    expect(() => hostedConfigFromEnv({ COGNITO_DOMAIN: "nope", COGNITO_CALLBACK_URL: CALLBACK }, app)).toThrow(
      'COGNITO_DOMAIN "nope" is not a URL',
    );
    expect(
      hostedConfigFromEnv(
        { COGNITO_DOMAIN: "https://x.auth.eu-west-1.amazoncognito.com/", COGNITO_CALLBACK_URL: CALLBACK },
        { ...app, clientSecret: "s3cret" },
      ),
    ).toEqual({
      clientId: "abc",
      clientSecret: "s3cret",
      domain: "https://x.auth.eu-west-1.amazoncognito.com",
      callbackUrl: CALLBACK,
      logoutUrl: `${APP}/`,
      discoveryUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration",
    });
    expect(
      hostedConfigFromEnv(
        {
          COGNITO_DOMAIN: "http://127.0.0.1:9229/_domain/x",
          COGNITO_CALLBACK_URL: CALLBACK,
          COGNITO_LOGOUT_URL: SIGNED_OUT,
          COGNITO_OAUTH_SCOPES: "openid, email  profile",
          COGNITO_IDENTITY_PROVIDERS: "Google, Facebook",
        },
        { ...app, endpoint: "http://127.0.0.1:9229" },
      ),
    ).toMatchObject({
      logoutUrl: SIGNED_OUT,
      scope: "openid email profile",
      identityProviders: ["Google", "Facebook"],
      discoveryUrl: "http://127.0.0.1:9229/eu-west-1_AbCdEf123/.well-known/openid-configuration",
    });
  });
});
