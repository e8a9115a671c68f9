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

    // prompt=login asks again even with a session.
    const forced = await browser.open(h.authorizeUrl({ prompt: "login" }));
    expect(forced.status).toBe(200);
    expect(forced.body).toContain('name="password"');

    const out = await browser.get(`${h.base}/logout?client_id=${h.clientId}&logout_uri=${encodeURIComponent(LOGOUT)}`);
    expect(out.status).toBe(302);
    expect(out.location).toBe(LOGOUT);
    expect(browser.cookies.has("cognito")).toBe(false);
    const after = await browser.open(h.authorizeUrl());
    expect(after.status).toBe(200);
    expect(after.body).toContain('name="password"');
    // prompt=none without a session: login_required on the callback.
    const none = await browser.get(h.authorizeUrl({ prompt: "none", state: "s" }));
    expect(none.location).toBe(`${CALLBACK}?error=login_required&state=s`);
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
