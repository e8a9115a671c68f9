// What the pages and endpoints do with bad input: missing, repeated and huge parameters, wrong
// methods, forged or missing CSRF tokens and cookies, open-redirect attempts, markup injected
// into every value that is shown again, and a sweep that no request answers a 5xx (the pages, and
// the federation endpoints, social stand-ins and their test control with garbage state and bodies).
import { afterEach, describe, expect, it } from "vitest";
import { alertOf } from "../../../test-support/browser.js";
import { CALLBACK, type Hosted, hostedTwin, LOGOUT, PASSWORD } from "../../../test-support/hosted-fixtures.js";
import { createSamlIdp } from "../../../test-support/saml-idp.js";

let h: Hosted;
afterEach(async () => h?.close());

const SCRIPT = `<script>alert("x")</script>"'&`;

function authorize(params: Record<string, string> | URLSearchParams): string {
  return `${h.base}/oauth2/authorize?${new URLSearchParams(params)}`;
}

/** The parameters of a good request, for the client of the fixture. */
function good(extra: Record<string, string> = {}): Record<string, string> {
  return { response_type: "code", client_id: h.clientId, redirect_uri: CALLBACK, ...extra };
}

describe("the authorize request", () => {
  it("shows an error page, never a redirect, until client_id and redirect_uri are good", async () => {
    h = await hostedTwin();
    const browser = h.browser();
    const cases: Record<string, string>[] = [
      { response_type: "code", redirect_uri: CALLBACK },
      { response_type: "code", client_id: "nope", redirect_uri: CALLBACK },
      { response_type: "code", client_id: h.clientId },
      good({ redirect_uri: "https://evil.example/callback" }),
      good({ redirect_uri: `${CALLBACK}.evil.example` }),
      good({ redirect_uri: `${CALLBACK}/` }),
      good({ redirect_uri: `${CALLBACK}?next=https://evil.example` }),
      good({ redirect_uri: `${CALLBACK}#frag` }),
      good({ redirect_uri: "HTTPS://APP.EXAMPLE.COM/callback" }),
      good({ redirect_uri: "//evil.example/callback" }),
      good({ redirect_uri: "https://app.example.com/callback/../evil" }),
      good({ redirect_uri: "javascript:alert(1)" }),
    ];
    for (const params of cases) {
      const res = await browser.get(authorize(params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.location, JSON.stringify(params)).toBeUndefined();
    }
    const mismatch = await browser.get(authorize(good({ redirect_uri: "https://evil.example/" })));
    expect(alertOf(mismatch.body)).toBe("redirect_mismatch");
  });

  it("refuses repeated and huge parameters without reflecting them", async () => {
    h = await hostedTwin();
    const browser = h.browser();
    for (const name of ["client_id", "redirect_uri", "state", "scope", "response_type", "code_challenge"]) {
      const q = new URLSearchParams(
        good({ state: "s", scope: "openid", code_challenge: "x".repeat(43), code_challenge_method: "S256" }),
      );
      q.append(name, q.get(name) ?? "again");
      const res = await browser.get(authorize(q));
      expect(res.status, name).toBe(400);
      expect(res.location).toBeUndefined();
      expect(res.body).toContain(`${name} was sent more than once`);
    }
    const huge = "A".repeat(100_000);
    for (const name of ["state", "redirect_uri", "client_id", "nonce", "scope"]) {
      const res = await browser.get(authorize(good({ [name]: huge })));
      expect(res.status, name).toBe(400);
      expect(res.location).toBeUndefined();
      expect(res.body).not.toContain(huge.slice(0, 5000));
    }
  });

  it("redirects Cognito's errors back to the app with the state", async () => {
    h = await hostedTwin();
    const browser = h.browser();
    const expectError = async (params: Record<string, string>, error: string) => {
      const res = await browser.get(authorize(params));
      expect(res.status, JSON.stringify(params)).toBe(302);
      expect(res.location, JSON.stringify(params)).toBe(`${CALLBACK}?error=${error}&state=st`);
    };
    await expectError({ client_id: h.clientId, redirect_uri: CALLBACK, state: "st" }, "invalid_request");
    await expectError(good({ response_type: "id_token", state: "st" }), "unsupported_response_type");
    await expectError(good({ scope: "phone openid", state: "st" }), "invalid_scope");
    await expectError(good({ scope: "email", state: "st" }), "invalid_scope");
    await expectError(good({ scope: "nope/read", state: "st" }), "invalid_scope");
    await expectError(
      good({ code_challenge: "x".repeat(43), code_challenge_method: "plain", state: "st" }),
      "invalid_request",
    );
    await expectError(good({ code_challenge: "x".repeat(43), state: "st" }), "invalid_request");
    await expectError(good({ code_challenge_method: "S256", state: "st" }), "invalid_request");
    await expectError(good({ code_challenge: "short", code_challenge_method: "S256", state: "st" }), "invalid_request");
    await expectError(good({ identity_provider: "Google", state: "st" }), "invalid_request");
    await expectError(good({ idp_identifier: "example.com", state: "st" }), "invalid_request");
    // prompt=none with another value is refused on a managed login domain only (code-flow.test.ts).
  });

  it("refuses a client that has OAuth turned off, or no COGNITO provider", async () => {
    h = await hostedTwin({ client: { AllowedOAuthFlowsUserPoolClient: false } });
    const res = await h.browser().get(authorize(good({ state: "st" })));
    expect(res.location).toBe(`${CALLBACK}?error=unauthorized_client&state=st`);
    await h.close();
    h = await hostedTwin({ client: { SupportedIdentityProviders: [] } });
    const none = await h.browser().get(authorize(good({ state: "st" })));
    expect(none.location).toBe(`${CALLBACK}?error=unauthorized_client&state=st`);
  });

  it("refuses a client of another pool at this domain", async () => {
    h = await hostedTwin();
    const other = await hostedTwin();
    try {
      const res = await other.browser().get(`${other.base}/oauth2/authorize?${new URLSearchParams(good())}`);
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe("methods and paths", () => {
  it("answers 405 for a method a page or endpoint does not take, 404 for an unknown page", async () => {
    h = await hostedTwin();
    const cases: [string, string, number][] = [
      ["POST", "/oauth2/authorize", 405],
      ["DELETE", "/login", 405],
      ["PUT", "/oauth2/token", 405],
      ["GET", "/oauth2/revoke", 405],
      ["DELETE", "/oauth2/userInfo", 405],
      ["POST", "/logout", 405],
      ["GET", "/nothing-here", 404],
      ["GET", "", 404],
    ];
    for (const [method, path, status] of cases) {
      const res = await h.twin.app.request(`${h.base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(status);
    }
  });
});

describe("CSRF and cookies", () => {
  it("refuses a sign-in whose CSRF token is missing, forged, or another browser's, and signs nobody in", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    const login = await browser.open(authorize(good()));
    const action = /action="([^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, "&");
    const csrf = /name="_csrf" value="([^"]*)"/.exec(login.body)![1]!;
    const refused = async (page: { status: number; body: string; location?: string }) => {
      expect(page.status).toBe(403);
      expect(page.location).toBeUndefined();
    };
    await refused(await browser.post(action, { username: "ann", password: PASSWORD }));
    await refused(await browser.post(action, { _csrf: `${csrf.slice(0, -2)}xx`, username: "ann", password: PASSWORD }));
    const twice = new URLSearchParams([
      ["_csrf", csrf],
      ["_csrf", csrf],
      ["username", "ann"],
      ["password", PASSWORD],
    ]);
    await refused(await browser.post(action, twice));
    // Another browser (its own cookie) with this browser's token.
    const other = h.browser();
    await other.open(authorize(good()));
    await refused(await other.post(action, { _csrf: csrf, username: "ann", password: PASSWORD }));
    // The right token with a tampered cookie.
    browser.cookies.get("XSRF-TOKEN")!.value = "A".repeat(32);
    await refused(await browser.post(action, { _csrf: csrf, username: "ann", password: PASSWORD }));
    browser.cookies.delete("XSRF-TOKEN");
    await refused(await browser.post(action, { _csrf: csrf, username: "ann", password: PASSWORD }));
    expect(h.twin.services.oauth.sizes).toMatchObject({ codes: 0, sessions: 0 });
    // Not a form at all.
    const json = await h.twin.app.request(action, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
  });

  it("a tampered or unknown session cookie is no session", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    const login = await browser.open(authorize(good()));
    await browser.submit(login, { username: "ann", password: PASSWORD });
    const cookie = browser.cookies.get("cognito")!;
    cookie.value = `${cookie.value.slice(0, -3)}abc`;
    const res = await browser.open(authorize(good()));
    expect(res.status).toBe(200);
    expect(res.body).toContain('name="password"');
    cookie.value = "<script>";
    expect((await browser.open(authorize(good()))).status).toBe(200);
  });

  it("a sign-in in progress expires", async () => {
    h = await hostedTwin({ client: {} });
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await h.user("ann");
    const browser = h.browser();
    const setup = await browser.submit(await browser.open(authorize(good())), { username: "ann", password: PASSWORD });
    expect(setup.url).toContain("/challenge?flow=");
    h.twin.services.clock.advance(16 * 60);
    const late = await browser.submit(setup, { code: "123456" });
    expect(late.status).toBe(400);
    expect(late.body).toContain("This sign-in has expired");
    const bad = await browser.get(`${h.base}/challenge?flow=${"x".repeat(5000)}`);
    expect(bad.status).toBe(400);
  });
});

describe("logout", () => {
  it("never redirects to a logout_uri the client did not register", async () => {
    h = await hostedTwin();
    const browser = h.browser();
    const attempts = [
      "https://evil.example/",
      `${LOGOUT}/`,
      `${LOGOUT}?x=1`,
      `${LOGOUT}.evil.example`,
      "//evil.example",
      "javascript:alert(1)",
      "",
    ];
    for (const uri of attempts) {
      const res = await browser.get(
        `${h.base}/logout?${new URLSearchParams({ client_id: h.clientId, logout_uri: uri })}`,
      );
      expect(res.status, uri).toBe(400);
      expect(res.location, uri).toBeUndefined();
    }
    const refusedQueries: Record<string, string>[] = [
      {},
      { client_id: "nope", logout_uri: LOGOUT },
      { logout_uri: LOGOUT },
      { client_id: h.clientId },
      { client_id: h.clientId, redirect_uri: "https://evil.example/", response_type: "code" },
    ];
    for (const q of refusedQueries) {
      const res = await browser.get(`${h.base}/logout?${new URLSearchParams(q)}`);
      expect(res.status, JSON.stringify(q)).toBe(400);
      expect(res.location, JSON.stringify(q)).toBeUndefined();
    }
    const twice = new URLSearchParams({ client_id: h.clientId, logout_uri: LOGOUT });
    twice.append("logout_uri", "https://evil.example/");
    expect((await browser.get(`${h.base}/logout?${twice}`)).location).toBeUndefined();
  });
});

describe("markup injected into every value shown again", () => {
  it("comes back escaped, and no page carries a script", async () => {
    h = await hostedTwin({
      pool: { Schema: [{ Name: "given_name", Required: true, Mutable: true, AttributeDataType: "String" }] },
    });
    await h.user("ann");
    const browser = h.browser();
    const pages: string[] = [];
    const check = (body: string, what: string) => {
      expect(body, what).not.toContain("<script");
      pages.push(body);
    };
    // In the authorize parameters: state, nonce, lang, scope, client_id, redirect_uri, prompt.
    for (const name of ["state", "nonce", "lang", "prompt", "code_challenge"]) {
      const res = await browser.open(authorize(good({ [name]: SCRIPT })));
      check(res.body, name);
      if (res.location) expect(res.location).not.toContain("<");
    }
    for (const name of ["client_id", "redirect_uri", "scope", "response_type", "identity_provider"]) {
      const res = await browser.get(authorize(good({ [name]: SCRIPT, state: SCRIPT })));
      check(res.body, name);
      if (res.location) expect(res.location).not.toMatch(/[<>"]/);
    }
    const unknownClient = await browser.get(authorize(good({ client_id: SCRIPT })));
    expect(unknownClient.body).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;&#39;&amp;");
    // The login form shows the username typed again.
    const login = await browser.open(authorize(good({ state: SCRIPT })));
    const failed = await browser.submit(login, { username: SCRIPT, password: "x" });
    check(failed.body, "username");
    expect(failed.body).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;&#39;&amp;"');
    // The sign-up form shows every field again.
    const signup = await browser.open(`${h.base}/signup?${new URLSearchParams(good({ state: SCRIPT }))}`);
    const refused = await browser.submit(signup, {
      username: SCRIPT,
      password: "x",
      "attr.given_name": SCRIPT,
      "attr.email": SCRIPT,
    });
    check(refused.body, "signup");
    expect(refused.body.match(/&lt;script&gt;/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    // The forgot-password form.
    const forgot = await browser.open(`${h.base}/forgotPassword?${new URLSearchParams(good())}`);
    check((await browser.submit(forgot, { username: SCRIPT })).body, "forgot");
    // The logout page's client_id.
    check(
      (await browser.get(`${h.base}/logout?${new URLSearchParams({ client_id: SCRIPT, logout_uri: SCRIPT })}`)).body,
      "logout",
    );
    // A user whose attributes hold markup, on the pages that show them (SMS/email destinations are masked).
    for (const body of pages) expect(body).not.toMatch(/<script|onerror=|javascript:/i);
  });

  it("the test control and the endpoints answer JSON, never markup", async () => {
    h = await hostedTwin();
    const res = await h.twin.app.request(`${h.base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: SCRIPT }).toString(),
    });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).not.toContain("<script");
  });
});

describe("never a 5xx", () => {
  it("answers every path, method and odd input below 500", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const paths = [
      "/oauth2/authorize",
      "/oauth2/token",
      "/oauth2/userInfo",
      "/oauth2/revoke",
      "/login",
      "/challenge",
      "/signup",
      "/confirm",
      "/forgotPassword",
      "/confirmForgotPassword",
      "/logout",
    ];
    const queries = [
      "",
      `?${new URLSearchParams(good())}`,
      `?${new URLSearchParams(good({ state: SCRIPT, scope: "%%%" }))}`,
      "?client_id=%E0%A4%A&redirect_uri=%",
      "?flow=../../etc/passwd",
      `?flow=${"A".repeat(32)}`,
    ];
    const bodies: (string | undefined)[] = [
      undefined,
      "",
      "username=ann&password=x",
      "%%%&&&===",
      `_csrf=${"A".repeat(43)}&flow=${"B".repeat(32)}&code=1`,
      "grant_type=authorization_code&code=x&redirect_uri=x&client_id=x",
      "\u0000\u0001\u0002",
    ];
    const types = ["application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data"];
    for (const path of paths) {
      for (const query of queries) {
        for (const method of ["GET", "POST", "PUT", "OPTIONS", "HEAD"]) {
          // Every body and type on POST; one of each on the other methods.
          const methodBodies =
            method === "GET" || method === "HEAD" ? [undefined] : method === "POST" ? bodies : [bodies[2]];
          for (const body of methodBodies) {
            for (const type of body === undefined ? [undefined] : method === "POST" ? types : [types[0]]) {
              const res = await h.twin.app.request(`${h.base}${path}${query}`, {
                method,
                headers: {
                  ...(type ? { "content-type": type } : {}),
                  authorization: "Basic !!!",
                  cookie: "XSRF-TOKEN=<x>; cognito=%%%",
                },
                ...(body !== undefined ? { body } : {}),
              });
              expect(res.status, `${method} ${path}${query} ${type} ${body}`).toBeLessThan(500);
            }
          }
        }
      }
    }
  });

  it("answers the federation endpoints, the social stand-ins and their test control below 500", async () => {
    h = await hostedTwin();
    // A SAML provider, so /saml2/* reach its code rather than stopping at "no provider".
    const { metadata } = await createSamlIdp();
    await h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "Corp",
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: metadata, IDPInit: "true" },
    });
    const garbage = Buffer.from("<samlp:Response><x/>").toString("base64");
    const relay = new URLSearchParams({ ...good(), identity_provider: "Corp" }).toString();
    const domainPaths = ["/oauth2/idpresponse", "/saml2/idpresponse", "/saml2/logout"];
    const queries = [
      "",
      `?state=${"A".repeat(43)}&code=x`,
      `?state=${SCRIPT}`,
      "?state=a&state=b",
      "?error=access_denied&state=%%%",
      `?RelayState=${"x".repeat(5000)}`,
    ];
    const bodies = [
      "",
      "%%%&&&===",
      `SAMLResponse=${encodeURIComponent(garbage)}&RelayState=${"A".repeat(43)}`,
      `SAMLResponse=${encodeURIComponent(garbage)}&RelayState=${encodeURIComponent(relay)}`,
      `SAMLResponse=${"A".repeat(200_000)}&RelayState=x`,
      "SAMLResponse=a&SAMLResponse=b&RelayState=x&RelayState=y",
      `state=${"A".repeat(43)}&code=x&id_token=a.b.c`,
      "\u0000\u0001",
    ];
    const rootPaths = [
      "/_social/google/o/oauth2/v2/auth",
      "/_social/google/oauth2/v4/token",
      "/_social/google/v1/userinfo",
      "/_social/google/v1/people/me",
      "/_social/facebook/v99.9/dialog/oauth",
      "/_social/facebook/me",
      "/_social/amazon/auth/o2/token",
      "/_social/apple/auth/authorize",
      "/_social/nowhere",
      "/_twin/social/google/identities",
      "/_twin/social/myspace/identities",
    ];
    const requests = [...domainPaths.map((p) => `${h.base}${p}`), ...rootPaths];
    for (const target of requests) {
      for (const query of queries) {
        for (const method of ["GET", "POST", "PUT", "DELETE"]) {
          for (const body of method === "GET" ? [undefined] : bodies) {
            for (const type of body === undefined
              ? [undefined]
              : ["application/x-www-form-urlencoded", "application/json"]) {
              const res = await h.twin.app.request(`${target}${query}`, {
                method,
                headers: {
                  ...(type ? { "content-type": type } : {}),
                  authorization: "Bearer !!!",
                  cookie: "XSRF-TOKEN=<x>; cognito=%%%",
                },
                ...(body !== undefined ? { body } : {}),
              });
              expect(res.status, `${method} ${target}${query} ${type} ${body?.slice(0, 80)}`).toBeLessThan(500);
            }
          }
        }
      }
    }
  }, 120_000);
});
