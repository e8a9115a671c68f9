// The authorization code grant end to end through the pages (path form and Host form), the
// tokens it issues, session reuse and logout, the implicit grant, and the discovery document.
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { alertOf, Browser } from "../../../test-support/browser.js";
import {
  CALLBACK,
  callbackQuery,
  type Hosted,
  hostedTwin,
  LOGOUT,
  PASSWORD,
  pkcePair,
  postForm,
} from "../../../test-support/hosted-fixtures.js";
import { ManualClock } from "../../core/clock.js";

let h: Hosted;
afterEach(async () => h?.close());

async function signInThroughPages(browser: Browser, url: string, username = "ann", password = PASSWORD) {
  const login = await browser.open(url);
  expect(login.status).toBe(200);
  return browser.submit(login, { username, password });
}

async function redeem(code: string, extra: Record<string, string> = {}) {
  return postForm(h.twin, `${h.base}/oauth2/token`, {
    grant_type: "authorization_code",
    client_id: h.clientId,
    code,
    redirect_uri: CALLBACK,
    ...extra,
  });
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("authorization code grant through the pages", () => {
  it("signs in with PKCE and redeems the code for tokens Cognito's verifiers accept", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const { verifier, challenge } = pkcePair();
    const browser = h.browser();
    const login = await browser.open(
      h.authorizeUrl({
        state: "st-1",
        nonce: "n-1",
        scope: "openid email aws.cognito.signin.user.admin",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    expect(login.url).toContain(`${h.base}/login?`);
    expect(login.body).toContain("Hosted Test Pool");
    expect(login.body).toContain('<label for="f-username">Username</label>');
    expect(login.body).toContain("Forgot your password?");
    expect(login.body).toContain("Sign up");
    expect(login.headers.get("content-security-policy")).toContain("default-src 'none'");
    const done = await browser.submit(login, { username: "ann", password: PASSWORD });
    expect(done.status).toBe(302);
    expect(done.location!.startsWith(`${CALLBACK}?`)).toBe(true);
    const q = callbackQuery(done.location);
    expect(q.get("state")).toBe("st-1");
    const code = q.get("code")!;
    expect(code).toMatch(/^[0-9a-f-]{36}$/);

    // The session cookie: HttpOnly, SameSite=Lax, scoped to the domain's base.
    const session = browser.cookies.get("cognito")!;
    expect(session.path).toBe(h.base);
    expect(session.attributes).toMatch(/HttpOnly/);
    expect(session.attributes).toMatch(/SameSite=Lax/);

    const res = await redeem(code, { code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["id_token", "access_token", "refresh_token", "expires_in", "token_type"]);
    expect(res.body.token_type).toBe("Bearer");
    expect(res.body.expires_in).toBe(3600);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const access = claims(res.body.access_token as string);
    const id = claims(res.body.id_token as string);
    expect(Object.keys(access)).toEqual([
      "sub",
      "iss",
      "version",
      "client_id",
      "origin_jti",
      "event_id",
      "token_use",
      "scope",
      "auth_time",
      "exp",
      "iat",
      "jti",
      "username",
    ]);
    expect(access.scope).toBe("openid email aws.cognito.signin.user.admin");
    expect(access.version).toBe(2);
    expect(id.nonce).toBe("n-1");
    expect(Object.keys(id)[0]).toBe("at_hash");
    expect(id.origin_jti).toBe(access.origin_jti);
    expect(id.auth_time).toBe(access.auth_time);
    expect(id.email).toBe("ann@example.com");

    // aws-jwt-verify (the default aws issuer) and jose accept both tokens.
    const jwks = (await (await h.twin.app.request(`/${h.poolId}/.well-known/jwks.json`)).json()) as never;
    const accessVerifier = CognitoJwtVerifier.create({
      userPoolId: h.poolId,
      tokenUse: "access",
      clientId: h.clientId,
    });
    accessVerifier.cacheJwks(jwks);
    await expect(accessVerifier.verify(res.body.access_token as string, { scope: "openid" })).resolves.toBeTruthy();
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: h.poolId, tokenUse: "id", clientId: h.clientId });
    idVerifier.cacheJwks(jwks);
    await expect(idVerifier.verify(res.body.id_token as string)).resolves.toBeTruthy();
    await expect(
      jwtVerify(res.body.id_token as string, createLocalJWKSet(jwks), { audience: h.clientId }),
    ).resolves.toBeTruthy();

    // The API takes the access token (it carries aws.cognito.signin.user.admin).
    const me = await h.twin.app.request("/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
      },
      body: JSON.stringify({ AccessToken: res.body.access_token }),
    });
    expect(me.status).toBe(200);
  });

  it("gives no id token without openid, and an access token the API refuses without the admin scope", async () => {
    h = await hostedTwin({ client: { AllowedOAuthScopes: ["openid", "email", "profile"] } });
    await h.user("ann");
    const done = await signInThroughPages(h.browser(), h.authorizeUrl({ scope: "openid profile" }));
    const res = await redeem(callbackQuery(done.location).get("code")!);
    expect(res.status).toBe(200);
    expect(claims(res.body.access_token as string).scope).toBe("openid profile");
    const me = await h.twin.app.request("/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
      },
      body: JSON.stringify({ AccessToken: res.body.access_token }),
    });
    expect(((await me.json()) as { message: string }).message).toBe("Access Token does not have required scopes");
  });

  it("defaults to every scope the client allows", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const done = await signInThroughPages(h.browser(), h.authorizeUrl());
    const res = await redeem(callbackQuery(done.location).get("code")!);
    expect(claims(res.body.access_token as string).scope).toBe("openid email profile aws.cognito.signin.user.admin");
  });

  it("shows the form again with Cognito's message after a wrong password, and issues no code", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    const page = await signInThroughPages(browser, h.authorizeUrl({ state: "x" }), "ann", "wrong-Passw0rd!");
    expect(page.status).toBe(200);
    expect(page.location).toBeUndefined();
    expect(alertOf(page.body)).toBe("Incorrect username or password.");
    expect(page.body).toContain('value="ann"');
    expect(browser.cookies.has("cognito")).toBe(false);
    expect(h.twin.services.oauth.sizes.codes).toBe(0);
  });

  it("locks the user out after five wrong passwords, as the API does", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    let page = await browser.open(h.authorizeUrl());
    for (let i = 0; i < 5; i++) page = await browser.submit(page, { username: "ann", password: "nope-Passw0rd" });
    expect(alertOf(page.body)).toBe("Password attempts exceeded");
    page = await browser.submit(page, { username: "ann", password: PASSWORD });
    expect(alertOf(page.body)).toBe("Password attempts exceeded");
  });

  it("answers a second authorize from the session at once, until logout", async () => {
    h = await hostedTwin({ client: { AllowedOAuthFlows: ["code"] } });
    await h.user("ann");
    const browser = h.browser();
    const first = await signInThroughPages(browser, h.authorizeUrl({ state: "1" }));
    expect(callbackQuery(first.location).get("code")).toBeTruthy();
    const second = await browser.get(h.authorizeUrl({ state: "2" }));
    expect(second.status).toBe(302);
    expect(callbackQuery(second.location).get("state")).toBe("2");
    expect(callbackQuery(second.location).get("code")).toBeTruthy();
    // The two codes carry the same sign-in time.
    const a = await redeem(callbackQuery(first.location).get("code")!);
    const b = await redeem(callbackQuery(second.location).get("code")!);
    expect(claims(b.body.access_token as string).auth_time).toBe(claims(a.body.access_token as string).auth_time);

    // The classic hosted UI (the domain's version 1) takes no prompt: prompt=login is answered
    // from the session all the same.
    const classic = await browser.get(h.authorizeUrl({ prompt: "login", state: "3" }));
    expect(callbackQuery(classic.location).get("code")).toBeTruthy();

    const out = await browser.get(`${h.base}/logout?client_id=${h.clientId}&logout_uri=${encodeURIComponent(LOGOUT)}`);
    expect(out.status).toBe(302);
    expect(out.location).toBe(LOGOUT);
    expect(browser.cookies.has("cognito")).toBe(false);
    const after = await browser.open(h.authorizeUrl());
    expect(after.status).toBe(200);
    expect(after.body).toContain('name="password"');
    // ... and prompt=none without a session shows the sign-in page, as without prompt.
    const none = await browser.get(h.authorizeUrl({ prompt: "none", state: "s" }));
    expect(none.location).toBe(
      `http://localhost${h.base}/login?${new URL(h.authorizeUrl({ prompt: "none", state: "s" }), "http://x").searchParams}`,
    );
  });

  it("ends the managed login session after an hour", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    await signInThroughPages(browser, h.authorizeUrl());
    h.twin.services.clock.advance(3601);
    const again = await browser.open(h.authorizeUrl());
    expect(again.status).toBe(200);
    expect(again.body).toContain('name="password"');
  });

  it("logout with redirect_uri and response_type signs out and shows the sign-in page", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    await signInThroughPages(browser, h.authorizeUrl());
    const q = new URLSearchParams({ client_id: h.clientId, response_type: "code", redirect_uri: CALLBACK });
    const out = await browser.open(`${h.base}/logout?${q}`);
    expect(out.status).toBe(200);
    expect(out.body).toContain('name="password"');
    expect(browser.cookies.has("cognito")).toBe(false);
  });

  it("implicit grant: tokens in the fragment, no refresh token", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const done = await signInThroughPages(
      h.browser(),
      h.authorizeUrl({ response_type: "token", scope: "openid email", state: "imp", nonce: "nn" }),
    );
    const url = new URL(done.location!);
    expect(url.search).toBe("");
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect([...fragment.keys()]).toEqual(["id_token", "access_token", "token_type", "expires_in", "state"]);
    expect(fragment.get("state")).toBe("imp");
    expect(claims(fragment.get("id_token")!).nonce).toBe("nn");
    expect(claims(fragment.get("access_token")!).scope).toBe("openid email");
  });

  it("refuses the implicit grant to a client that allows only code", async () => {
    h = await hostedTwin({ client: { AllowedOAuthFlows: ["code"] } });
    const res = await h.browser().get(h.authorizeUrl({ response_type: "token", state: "s" }));
    expect(res.location).toBe(`${CALLBACK}?error=unauthorized_client&state=s`);
  });
});

describe("prompt (managed login, the domain's version 2)", () => {
  /** A hosted twin whose domain serves managed login, where Cognito takes `prompt`. */
  async function managedLogin(options: Parameters<typeof hostedTwin>[0] = {}) {
    const hosted = await hostedTwin(options);
    await hosted.api("UpdateUserPoolDomain", {
      UserPoolId: hosted.poolId,
      Domain: hosted.domain,
      ManagedLoginVersion: 2,
    });
    return hosted;
  }

  it("prompt=none answers from the session, for any client of the pool, or login_required", async () => {
    h = await managedLogin();
    await h.user("ann");
    const browser = h.browser();
    // No session: the app gets login_required at once (no page), on /authorize and on /login.
    const none = await browser.get(h.authorizeUrl({ prompt: "none", state: "s1" }));
    expect(none.status).toBe(302);
    expect(none.location).toBe(`${CALLBACK}?error=login_required&state=s1`);
    const login = await browser.get(
      `${h.base}/login?${new URL(h.authorizeUrl({ prompt: "none", state: "s2" }), "http://x").searchParams}`,
    );
    expect(login.location).toBe(`${CALLBACK}?error=login_required&state=s2`);
    const implicit = await browser.get(h.authorizeUrl({ prompt: "none", response_type: "token", state: "s3" }));
    expect(implicit.location).toBe(`${CALLBACK}?error=login_required&state=s3`);
    expect(h.twin.services.oauth.sizes.codes).toBe(0);

    const first = await signInThroughPages(browser, h.authorizeUrl({ state: "1" }));
    const firstCode = callbackQuery(first.location).get("code")!;
    // With the session: a code at once, with the session's sign-in time.
    const silent = await browser.get(h.authorizeUrl({ prompt: "none", state: "2" }));
    expect(silent.status).toBe(302);
    expect(callbackQuery(silent.location).get("state")).toBe("2");
    const silentCode = callbackQuery(silent.location).get("code")!;
    const a = await redeem(firstCode);
    const b = await redeem(silentCode);
    expect(claims(b.body.access_token as string).auth_time).toBe(claims(a.body.access_token as string).auth_time);

    // Another app client of the pool signs in silently from the same session.
    const other = await h.api("CreateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientName: "second",
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
      CallbackURLs: ["https://other.example.com/cb"],
      SupportedIdentityProviders: ["COGNITO"],
    });
    const otherId = (other.UserPoolClient as { ClientId: string }).ClientId;
    const q = new URLSearchParams({
      response_type: "code",
      client_id: otherId,
      redirect_uri: "https://other.example.com/cb",
      prompt: "none",
    });
    const cross = await browser.get(`${h.base}/oauth2/authorize?${q}`);
    expect(cross.location).toMatch(/^https:\/\/other\.example\.com\/cb\?code=[0-9a-f-]{36}$/);

    // Logged out: login_required again.
    await browser.get(`${h.base}/logout?client_id=${h.clientId}&logout_uri=${encodeURIComponent(LOGOUT)}`);
    const after = await browser.get(h.authorizeUrl({ prompt: "none", state: "3" }));
    expect(after.location).toBe(`${CALLBACK}?error=login_required&state=3`);
  });

  it("prompt=login asks again despite the session, keeps it if abandoned, and opens a new one", async () => {
    // Time stands still but for the two minutes the test moves it, so auth_time is exact.
    h = await managedLogin({ clock: new ManualClock() });
    await h.user("ann");
    const browser = h.browser();
    const first = await signInThroughPages(browser, h.authorizeUrl());
    const firstCookie = browser.cookies.get("cognito")!.value;
    const firstTokens = await redeem(callbackQuery(first.location).get("code")!);

    // The authorize endpoint sends the browser to /login with the same parameters, prompt=login kept.
    const url = h.authorizeUrl({ prompt: "login", state: "again" });
    const redirect = await browser.get(url);
    expect(redirect.location).toBe(`http://localhost${h.base}/login?${new URL(url, "http://x").searchParams}`);
    const forced = await browser.open(url);
    expect(forced.status).toBe(200);
    expect(forced.body).toContain('name="password"');
    // Walking away from that page leaves the session as it was.
    expect(browser.cookies.get("cognito")!.value).toBe(firstCookie);
    const still = await browser.get(h.authorizeUrl({ state: "still" }));
    expect(callbackQuery(still.location).get("code")).toBeTruthy();

    // Signing in again: a new session cookie and a new sign-in time.
    h.twin.services.clock.advance(120);
    const again = await browser.submit(forced, { username: "ann", password: PASSWORD });
    expect(callbackQuery(again.location).get("state")).toBe("again");
    expect(browser.cookies.get("cognito")!.value).not.toBe(firstCookie);
    const againTokens = await redeem(callbackQuery(again.location).get("code")!);
    expect(claims(againTokens.body.access_token as string).auth_time).toBe(
      (claims(firstTokens.body.access_token as string).auth_time as number) + 120,
    );
    // prompt=login combined with other values still asks (consent changes nothing locally).
    const combined = await browser.open(h.authorizeUrl({ prompt: "login consent" }));
    expect(combined.body).toContain('name="password"');
  });

  it("consent and select_account change nothing for the pool's own users; none with another value is refused", async () => {
    h = await managedLogin();
    await h.user("ann");
    const browser = h.browser();
    // Without a session they are a plain sign-in; with one, answered at once.
    for (const prompt of ["consent", "select_account", "select_account consent"]) {
      const page = await browser.open(h.authorizeUrl({ prompt }));
      expect(page.body, prompt).toContain('name="password"');
    }
    await signInThroughPages(browser, h.authorizeUrl());
    for (const prompt of ["consent", "select_account"]) {
      const res = await browser.get(h.authorizeUrl({ prompt, state: prompt }));
      expect(callbackQuery(res.location).get("state"), prompt).toBe(prompt);
      expect(callbackQuery(res.location).get("code"), prompt).toBeTruthy();
    }
    const both = await browser.get(h.authorizeUrl({ prompt: "none login", state: "st" }));
    expect(both.location).toBe(`${CALLBACK}?error=invalid_request&state=st`);
  });
});

describe("addressing", () => {
  it("answers at the domain's host name, with links and cookies at the root", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const origin = `http://${h.hostname}`;
    const browser = new Browser(h.twin.app, origin);
    const q = new URLSearchParams({ response_type: "code", client_id: h.clientId, redirect_uri: CALLBACK });
    const login = await browser.open(`/oauth2/authorize?${q}`);
    expect(login.url).toBe(`${origin}/login?${q}`);
    expect(login.body).toContain(`action="/login?`);
    expect(login.body).not.toContain("/_domain/");
    const done = await browser.submit(login, { username: "ann", password: PASSWORD });
    expect(browser.cookies.get("cognito")!.path).toBe("/");
    const res = await postForm(h.twin, `${origin}/oauth2/token`, {
      grant_type: "authorization_code",
      client_id: h.clientId,
      code: callbackQuery(done.location).get("code")!,
      redirect_uri: CALLBACK,
    });
    expect(res.status).toBe(200);
  });

  it("answers under /_domain/ by prefix or by the full host name, and not for an unknown domain", async () => {
    h = await hostedTwin();
    const q = new URLSearchParams({ response_type: "code", client_id: h.clientId, redirect_uri: CALLBACK });
    const byHost = await h.browser().open(`/_domain/${h.hostname}/oauth2/authorize?${q}`);
    expect(byHost.status).toBe(200);
    expect(byHost.body).toContain(`action="/_domain/${h.hostname}/login?`);
    const unknown = await h.twin.app.request(`/_domain/nobody-here/oauth2/authorize?${q}`);
    expect(unknown.status).toBe(404);
    // Another host name is not the domain: the API's 404 (or the Host guard), never the pages.
    const other = await h.twin.app.request(`http://localhost/login?${q}`);
    expect(other.status).toBe(404);
  });
});

describe("discovery document", () => {
  it("names the endpoints once the pool has a domain, and none before", async () => {
    h = await hostedTwin();
    const withDomain = (await (
      await h.twin.app.request(`/${h.poolId}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    const base = `http://localhost/_domain/${h.domain}`;
    expect(withDomain).toMatchObject({
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      end_session_endpoint: `${base}/logout`,
      response_types_supported: ["code", "token"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
    await h.api("DeleteUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain });
    const without = (await (
      await h.twin.app.request(`/${h.poolId}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    for (const key of [
      "authorization_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
      "revocation_endpoint",
      "end_session_endpoint",
    ])
      expect(without[key]).toBeUndefined();
    expect(without.issuer).toBe(withDomain.issuer);
  });

  it("builds the endpoints on --public-url when it is set", async () => {
    h = await hostedTwin({ config: { publicUrl: "https://twin.example.test" } });
    const doc = (await (
      await h.twin.app.request(`/${h.poolId}/.well-known/openid-configuration`, {
        headers: { host: "twin.example.test" },
      })
    ).json()) as Record<string, unknown>;
    expect(doc.token_endpoint).toBe(`https://twin.example.test/_domain/${h.domain}/oauth2/token`);
  });
});
