// Sign-in through an OIDC identity provider end to end over HTTP: a real, independent provider
// (panva's oidc-provider) on a loopback port, the emulator in process, a cookie jar for each
// side. The authorize redirect, the provider's login, /oauth2/idpresponse (GET and form_post),
// the federated user and the app's tokens; then the bad input: refusals, tampered, replayed,
// expired and stolen state, id tokens with a wrong signature, audience, issuer or nonce, an
// upstream that is down or answers garbage. Never a 5xx, never a signed-in user.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertOf, type Browser } from "../../../test-support/browser.js";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin, postForm } from "../../../test-support/hosted-fixtures.js";
import {
  type FakeOidc,
  followUpstream,
  type OidcUpstream,
  startFakeOidc,
  startOidcProvider,
} from "../../../test-support/oidc-upstream.js";
import { ManualClock } from "../../core/clock.js";

const clock = new ManualClock();
let h: Hosted;
let upstream: OidcUpstream;
let fake: FakeOidc;
const accounts: Record<string, Record<string, unknown>> = {
  alice: { email: "alice@example.com", email_verified: true, name: "Alice Upstream", given_name: "Alice" },
  bob: { email: "bob@example.com", email_verified: false, name: "Bob <b>&amp;</b>" },
};
const SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"];

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

async function setClient(providers: string[]): Promise<void> {
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code", "implicit"],
    AllowedOAuthScopes: SCOPES,
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: providers,
  });
}

async function oidcProvider(name: string, issuer: string, clientId: string, secret: string, extra = {}) {
  await h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: name,
    ProviderType: "OIDC",
    ProviderDetails: {
      client_id: clientId,
      client_secret: secret,
      authorize_scopes: "openid email profile",
      oidc_issuer: issuer,
      attributes_request_method: "GET",
      ...extra,
    },
    AttributeMapping: { email: "email", name: "name", email_verified: "email_verified" },
    ...(name === "Okta" ? { IdpIdentifiers: ["example.com"] } : {}),
  });
}

beforeAll(async () => {
  h = await hostedTwin({ clock });
  const redirect = `http://localhost${h.base}/oauth2/idpresponse`;
  upstream = await startOidcProvider({ redirectUris: [redirect], accounts });
  fake = await startFakeOidc("fake-client");
  await oidcProvider("Okta", upstream.issuer, upstream.clientId, upstream.clientSecret);
  await oidcProvider("Fake", fake.issuer, "fake-client", "fake-secret");
  // A provider nobody listens for.
  await oidcProvider("Down", "http://127.0.0.1:9", "down-client", "down-secret");
  await setClient(["COGNITO", "Okta", "Fake", "Down"]);
});

afterAll(async () => {
  await upstream?.close();
  await fake?.close();
  await h?.close();
});

beforeEach(() => {
  upstream.next = { account: "alice" };
  fake.mode = "good";
});

/** The authorize request for a provider, from a fresh browser: answers the browser and the 302. */
async function start(extra: Record<string, string>) {
  const browser = h.browser();
  const page = await browser.get(h.authorizeUrl({ scope: "openid email profile", state: "app-state-1", ...extra }));
  return { browser, page };
}

/** Signs in at the upstream and answers the emulator's last redirect (to the app's callback). */
async function signIn(provider = "Okta", extra: Record<string, string> = {}) {
  const { browser, page } = await start({ identity_provider: provider, ...extra });
  expect(page.status).toBe(302);
  const back = await followUpstream(page.location!);
  return { browser, back, done: await browser.get(back) };
}

async function redeem(code: string) {
  const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
    grant_type: "authorization_code",
    client_id: h.clientId,
    code,
    redirect_uri: CALLBACK,
  });
  expect(res.status).toBe(200);
  return res.body as { id_token: string; access_token: string };
}

async function users(): Promise<
  { Username: string; UserStatus: string; Attributes: { Name: string; Value: string }[] }[]
> {
  const out = await h.api("ListUsers", { UserPoolId: h.poolId });
  return out.Users as never;
}

describe("authorize with identity_provider", () => {
  it("sends the browser to the provider's authorization endpoint, as Cognito builds the request", async () => {
    const { browser, page } = await start({ identity_provider: "Okta" });
    expect(page.status).toBe(302);
    const url = new URL(page.location!);
    expect(`${url.origin}${url.pathname}`).toBe(`${upstream.issuer}/auth`);
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(upstream.clientId);
    expect(q.get("redirect_uri")).toBe(`http://localhost${h.base}/oauth2/idpresponse`);
    expect(q.get("scope")).toBe("openid email profile");
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("nonce")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Cognito sends no PKCE upstream, and never the app's own state.
    expect(q.has("code_challenge")).toBe(false);
    expect(q.get("state")).not.toBe("app-state-1");
    // The round trip is bound to this browser's cookie.
    expect(browser.cookies.has("XSRF-TOKEN")).toBe(true);
  });

  it("finds the provider by idp_identifier", async () => {
    const { page } = await start({ idp_identifier: "example.com" });
    expect(page.status).toBe(302);
    expect(page.location!.startsWith(`${upstream.issuer}/auth?`)).toBe(true);
  });

  it("sends an unknown provider, or one the client does not list, back to the app with invalid_request", async () => {
    const bad: Record<string, string>[] = [{ identity_provider: "Nobody" }, { idp_identifier: "nowhere.example" }];
    for (const extra of bad) {
      const { page } = await start(extra);
      expect(page.status).toBe(302);
      const q = callbackQuery(page.location);
      expect(page.location!.startsWith(CALLBACK)).toBe(true);
      expect(q.get("error")).toBe("invalid_request");
      expect(q.get("state")).toBe("app-state-1");
    }
    await setClient(["COGNITO", "Fake"]);
    try {
      const { page } = await start({ identity_provider: "Okta" });
      expect(callbackQuery(page.location).get("error")).toBe("invalid_request");
    } finally {
      await setClient(["COGNITO", "Okta", "Fake", "Down"]);
    }
  });
});

describe("the login page", () => {
  it("offers a button per provider the client lists, each an authorize link with identity_provider", async () => {
    const login = await h.browser().open(h.authorizeUrl({ state: "s<1>" }));
    expect(login.status).toBe(200);
    const links = [...login.body.matchAll(/<a class="provider" href="([^"]*)">([^<]*)<\/a>/g)];
    expect(links.map((m) => m[2])).toEqual(["Continue with Okta", "Continue with Fake", "Continue with Down"]);
    const href = links[0]![1]!.replace(/&amp;/g, "&");
    const q = new URL(href, "http://localhost").searchParams;
    expect(q.get("identity_provider")).toBe("Okta");
    expect(q.get("state")).toBe("s<1>");
    expect(login.body).not.toContain("s<1>");
    expect(login.body).toContain('name="password"');
  });

  it("shows only the buttons for a client without COGNITO, and refuses a password there", async () => {
    const browser = h.browser();
    // A form from while the client still listed COGNITO: its CSRF token is good.
    const withForm = await browser.open(h.authorizeUrl({ state: "x" }));
    await setClient(["Okta"]);
    try {
      const login = await browser.open(h.authorizeUrl({ state: "x" }));
      expect(login.status).toBe(200);
      expect(login.body).toContain("Continue with Okta");
      expect(login.body).not.toContain('name="password"');
      expect(login.body).not.toContain("Sign up");
      const posted = await browser.submit(withForm, { username: "ann", password: "Passw0rd!" });
      expect(posted.status).toBe(302);
      const q = callbackQuery(posted.location);
      expect(q.get("error")).toBe("unauthorized_client");
      expect(q.get("state")).toBe("x");
    } finally {
      await setClient(["COGNITO", "Okta", "Fake", "Down"]);
    }
  });
});

describe("a sign-in through a real OIDC provider", () => {
  it("creates the federated user and returns to the app with a code and the app's state", async () => {
    const { done } = await signIn();
    expect(done.status).toBe(302);
    expect(done.location!.startsWith(CALLBACK)).toBe(true);
    const q = callbackQuery(done.location);
    expect(q.get("state")).toBe("app-state-1");
    const tokens = await redeem(q.get("code")!);
    const id = claims(tokens.id_token);
    expect(id["cognito:username"]).toBe("okta_alice");
    expect(id.email).toBe("alice@example.com");
    expect(id.name).toBe("Alice Upstream");
    const user = (await users()).find((u) => u.Username === "okta_alice");
    expect(user?.UserStatus).toBe("EXTERNAL_PROVIDER");
    const identities = JSON.parse(user!.Attributes.find((a) => a.Name === "identities")!.Value) as unknown[];
    expect(identities[0]).toMatchObject({ providerName: "Okta", providerType: "OIDC", userId: "alice" });
    // The provider was asked for userInfo with GET (oidc-provider's /me), the code with a POST.
    expect(upstream.requests).toContainEqual({ method: "GET", path: "/me" });
    expect(upstream.requests).toContainEqual({ method: "POST", path: "/token" });
  });

  it("opens a managed login session: the next authorize without identity_provider answers at once", async () => {
    const { browser } = await signIn();
    const again = await browser.get(h.authorizeUrl({ scope: "openid", state: "again" }));
    expect(again.status).toBe(302);
    const q = callbackQuery(again.location);
    expect(q.get("state")).toBe("again");
    expect(claims((await redeem(q.get("code")!)).id_token)["cognito:username"]).toBe("okta_alice");
  });

  it("refreshes the mapped attributes on the next sign-in", async () => {
    await signIn();
    accounts.alice!.name = "Alice Renamed";
    try {
      const { done } = await signIn();
      const id = claims((await redeem(callbackQuery(done.location).get("code")!)).id_token);
      expect(id.name).toBe("Alice Renamed");
    } finally {
      accounts.alice!.name = "Alice Upstream";
    }
  });

  it("reads userInfo with POST when attributes_request_method is POST", async () => {
    await h.api("UpdateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "Okta",
      ProviderDetails: {
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        authorize_scopes: "openid email profile",
        oidc_issuer: upstream.issuer,
        attributes_request_method: "POST",
      },
    });
    try {
      upstream.requests.length = 0;
      upstream.next = { account: "bob" };
      const { done } = await signIn();
      const id = claims((await redeem(callbackQuery(done.location).get("code")!)).id_token);
      expect(id["cognito:username"]).toBe("okta_bob");
      expect(id.name).toBe("Bob <b>&amp;</b>");
      expect(upstream.requests).toContainEqual({ method: "POST", path: "/me" });
      expect(upstream.requests).not.toContainEqual({ method: "GET", path: "/me" });
    } finally {
      await h.api("UpdateIdentityProvider", {
        UserPoolId: h.poolId,
        ProviderName: "Okta",
        ProviderDetails: {
          client_id: upstream.clientId,
          client_secret: upstream.clientSecret,
          authorize_scopes: "openid email profile",
          oidc_issuer: upstream.issuer,
          attributes_request_method: "GET",
        },
      });
    }
  });

  it("passes the provider's refusal to the app's callback with its error and the provider's name", async () => {
    upstream.next = { refuse: true };
    const { done } = await signIn();
    expect(done.status).toBe(302);
    expect(done.location!.startsWith(CALLBACK)).toBe(true);
    const q = callbackQuery(done.location);
    expect(q.get("error")).toBe("access_denied");
    expect(q.get("error_description")).toMatch(/^Okta Error - access_denied/);
    expect(q.get("state")).toBe("app-state-1");
    expect(q.has("code")).toBe(false);
  });

  it("takes the provider's answer as a form post (response_mode form_post)", async () => {
    const { browser, page } = await start({ identity_provider: "Fake" });
    const back = new URL(await followUpstream(page.location!));
    const posted = await browser.post(`${back.pathname}`, back.searchParams);
    expect(posted.status).toBe(302);
    expect(callbackQuery(posted.location).get("state")).toBe("app-state-1");
    expect(callbackQuery(posted.location).has("code")).toBe(true);
    // client_secret_post: the secret in the form, as Cognito sends it.
    expect(fake.lastToken?.get("client_secret")).toBe("fake-secret");
    expect(fake.lastToken?.get("client_id")).toBe("fake-client");
  });
});

describe("the upstream state", () => {
  async function expectInvalidState(browser: Browser, url: string) {
    const page = await browser.get(url);
    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
    expect(alertOf(page.body)).toBe("invalid_request");
    expect(page.body).toContain("Invalid state");
  }

  it("is single use: a replayed answer ends on the error page", async () => {
    const { browser, back, done } = await signIn();
    expect(done.status).toBe(302);
    await expectInvalidState(browser, back);
  });

  it("refuses a tampered state, a missing one, and one sent twice", async () => {
    const { browser, page } = await start({ identity_provider: "Fake" });
    const back = new URL(await followUpstream(page.location!));
    const tampered = new URL(back);
    tampered.searchParams.set("state", `${back.searchParams.get("state")!.slice(0, -2)}xx`);
    await expectInvalidState(browser, tampered.toString());
    const missing = new URL(back);
    missing.searchParams.delete("state");
    await expectInvalidState(browser, missing.toString());
    const twice = new URL(back);
    twice.searchParams.append("state", back.searchParams.get("state")!);
    await expectInvalidState(browser, twice.toString());
  });

  it("expires after five minutes on the emulator's clock", async () => {
    const { browser, page } = await start({ identity_provider: "Fake" });
    const back = await followUpstream(page.location!);
    clock.advance(5 * 60);
    try {
      await expectInvalidState(browser, back);
    } finally {
      clock.advance(-5 * 60);
    }
  });

  it("belongs to the browser that started the sign-in", async () => {
    const { page } = await start({ identity_provider: "Fake" });
    const back = await followUpstream(page.location!);
    await expectInvalidState(h.browser(), back);
  });
});

describe("an upstream that misbehaves", () => {
  const cases: [FakeOidc["mode"], RegExp][] = [
    ["wrong-signature", /^Fake Error - /],
    ["wrong-audience", /aud/],
    ["wrong-issuer", /iss/],
    ["wrong-nonce", /nonce/],
    ["expired", /exp/],
    ["garbage-token", /^Fake Error - /],
  ];
  for (const [mode, words] of cases) {
    it(`${mode}: back to the app with invalid_request, no user`, async () => {
      fake.mode = mode;
      const before = (await users()).length;
      const { done } = await signIn("Fake");
      expect(done.status).toBe(302);
      expect(done.location!.startsWith(CALLBACK)).toBe(true);
      const q = callbackQuery(done.location);
      expect(q.get("error")).toBe("invalid_request");
      expect(q.get("error_description")).toMatch(words);
      expect(q.get("state")).toBe("app-state-1");
      expect(q.has("code")).toBe(false);
      expect((await users()).length).toBe(before);
    });
  }

  it("an error from the token endpoint: its code, and the provider's name and HTTP status", async () => {
    fake.mode = "token-error";
    const { done } = await signIn("Fake");
    const q = callbackQuery(done.location);
    expect(q.get("error")).toBe("invalid_grant");
    expect(q.get("error_description")).toBe("Fake Error - 400 invalid_grant The code has expired");
  });

  it("garbage for a discovery document, or nobody listening: back to the app before any redirect upstream", async () => {
    fake.mode = "garbage-discovery";
    for (const provider of ["Fake", "Down"]) {
      const { page } = await start({ identity_provider: provider });
      expect(page.status).toBe(302);
      expect(page.location!.startsWith(CALLBACK)).toBe(true);
      const q = callbackQuery(page.location);
      expect(q.get("error")).toBe("invalid_request");
      expect(q.get("error_description")).toMatch(new RegExp(`^${provider} Error - `));
      expect(q.get("state")).toBe("app-state-1");
    }
  });

  it("an upstream that goes down between the redirect and its answer", async () => {
    const { browser, page } = await start({ identity_provider: "Fake" });
    const back = await followUpstream(page.location!);
    fake.mode = "garbage-discovery";
    const done = await browser.get(back);
    expect(done.status).toBe(302);
    expect(callbackQuery(done.location).get("error")).toBe("invalid_request");
  });
});
