// Social providers reached at a team's own mock (--social-upstream): the option's parsing, the
// endpoints moved onto the mock with their real paths, a whole sign-in through each of the four
// (Google, Sign in with Apple with its form post, Facebook, Login with Amazon) against mocks on a
// loopback port, and what a mock that signs the id token with the wrong key, sends another nonce,
// answers the code exchange or the profile call with garbage, or is down does: an error at the
// app's callback, never a 5xx or a signed-in user.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "../../../test-support/browser.js";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin, postForm } from "../../../test-support/hosted-fixtures.js";
import { ConfigError, readConfig } from "../../config.js";
import { ManualClock } from "../../core/clock.js";
import { socialEndpoints } from "./social.js";

describe("--social-upstream", () => {
  it("maps provider names (short or ProviderType) to URLs, and refuses anything else", () => {
    const config = readConfig(["--social-upstream", "google=http://mock:8080/,Apple=https://apple.test"], {});
    expect(config !== "help" && config.socialUpstreams).toEqual({
      Google: "http://mock:8080",
      SignInWithApple: "https://apple.test",
    });
    const fromEnv = readConfig([], { COGNITO_TWIN_SOCIAL_UPSTREAM: "LoginWithAmazon=http://127.0.0.1:1" });
    expect(fromEnv !== "help" && fromEnv.socialUpstreams).toEqual({ LoginWithAmazon: "http://127.0.0.1:1" });
    expect(() => readConfig(["--social-upstream", "myspace=http://x"], {})).toThrow(ConfigError);
    expect(() => readConfig(["--social-upstream", "google=ftp://x"], {})).toThrow(ConfigError);
  });

  it("moves each real endpoint onto the upstream, keeping its path", () => {
    const services = { config: { socialUpstreams: { Facebook: "http://mock:1" } } } as never;
    const fb = socialEndpoints(services, "Facebook", "http://localhost:9229", { api_version: "v19.0" });
    expect(fb).toMatchObject({
      authorize: "http://mock:1/v19.0/dialog/oauth",
      token: "http://mock:1/v19.0/oauth/access_token",
      tokenMethod: "GET",
      attributes: "http://mock:1/v19.0/me?fields=",
      standIn: false,
    });
    const google = socialEndpoints(services, "Google", "http://localhost:9229/");
    expect(google).toMatchObject({
      authorize: "http://localhost:9229/_social/google/o/oauth2/v2/auth",
      token: "http://localhost:9229/_social/google/oauth2/v4/token",
      jwks: "http://localhost:9229/_social/google/oauth2/v3/certs",
      attributes: "http://localhost:9229/_social/google/v1/people/me?personFields=",
      issuer: "https://accounts.google.com",
      standIn: true,
    });
  });
});
// --- A team's own mock of each provider, on one loopback port ---------------------------------
// Each provider's endpoints keep their real paths on the mock, and the paths do not overlap:
// Google's /o/oauth2/v2/auth, Apple's /auth/authorize, Facebook's /dialog/oauth, Amazon's /ap/oa.

/**
 * What the mock does wrong: signs the id token with a key its JWKS does not name, puts another
 * nonce in it, answers the code exchange with garbage, or (Facebook, Amazon) answers the
 * profile call with garbage.
 */
type Mode = "good" | "wrong-key" | "wrong-nonce" | "garbage" | "garbage-profile";
type Provider = "Google" | "SignInWithApple" | "Facebook" | "LoginWithAmazon";
const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
let mock: Server;
let mockUrl: string;
let mode: Mode = "good";
let h: Hosted;
let down: Hosted;
const CLIENT = "mock-client.apps.googleusercontent.com";
const APPLE_CLIENT = "com.example.web";
const APPLE_TEAM = "TEAM123456";
/** Where each provider's authorize endpoint is, on the mock as on the provider. */
const AUTHORIZE: Readonly<Record<Provider, string>> = {
  Google: "/o/oauth2/v2/auth",
  SignInWithApple: "/auth/authorize",
  Facebook: "/dialog/oauth",
  LoginWithAmazon: "/ap/oa",
};
/** The subject each mock names: what the federated user's name is made of. */
const SUBJECT: Readonly<Record<Provider, string>> = {
  Google: "109876543210987654321",
  SignInWithApple: "001234.0a1b2c3d4e5f.1234",
  Facebook: "10150000000000001",
  LoginWithAmazon: "amzn1.account.AEXAMPLE0000000000000000000",
};
/** The team's Sign in with Apple key (ProviderDetails private_key): signs the client secret. */
const appleKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
/** The client secret the mock Apple was last sent with a code. */
let appleSecret = "";

beforeAll(async () => {
  const good = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(good.publicKey)), kid: "k1", alg: "RS256" };
  let lastNonce = "";
  /** An id token as Google or Apple signs one, for `mode`. */
  const idToken = (issuer: string, audience: string, subject: string, claims: Record<string, unknown>) => {
    const now = Math.floor(clock.now() / 1000);
    return new SignJWT({ ...claims, nonce: mode === "wrong-nonce" ? "other" : lastNonce })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(mode === "wrong-key" ? other.privateKey : good.privateKey);
  };
  mock = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const form = () =>
      new Promise<URLSearchParams>((resolve) => {
        let body = "";
        req.on("data", (chunk: Buffer) => {
          body += chunk.toString("utf8");
        });
        req.on("end", () => resolve(new URLSearchParams(body)));
      });
    if (Object.values(AUTHORIZE).includes(url.pathname)) {
      lastNonce = url.searchParams.get("nonce") ?? "";
      const back = new URL(url.searchParams.get("redirect_uri")!);
      if (url.searchParams.get("response_mode") === "form_post") {
        // Apple answers with a form the page posts to the redirect URI.
        res.writeHead(200, { "content-type": "text/html" });
        res.end(
          `<form method="post" action="${back}"><input type="hidden" name="code" value="mock-code">` +
            `<input type="hidden" name="state" value="${url.searchParams.get("state")}"></form>`,
        );
        return;
      }
      back.searchParams.set("code", "mock-code");
      back.searchParams.set("state", url.searchParams.get("state")!);
      res.writeHead(302, { location: back.toString() });
      res.end();
    } else if (url.pathname === "/oauth2/v4/token") {
      if (mode === "garbage") return send(200, "<html>not json");
      void idToken("https://accounts.google.com", CLIENT, SUBJECT.Google, {
        email: "mock@example.com",
        email_verified: true,
        name: "Mock User",
      }).then((token) =>
        send(200, { access_token: "ya29.mock", token_type: "Bearer", expires_in: 3599, id_token: token }),
      );
    } else if (url.pathname === "/auth/token") {
      void form().then(async (fields) => {
        appleSecret = fields.get("client_secret") ?? "";
        if (mode === "garbage") return send(200, "<html>not json");
        const token = await idToken("https://appleid.apple.com", APPLE_CLIENT, SUBJECT.SignInWithApple, {
          email: "apple@example.com",
          email_verified: "true",
        });
        send(200, { access_token: "a.mock", token_type: "Bearer", expires_in: 3600, id_token: token });
      });
    } else if (url.pathname === "/oauth/access_token" || url.pathname === "/auth/o2/token") {
      // Facebook's code exchange (a GET) and Amazon's (a POST): an access token, no id token.
      if (mode === "garbage") return send(200, "<html>not json");
      send(200, { access_token: "mock-access-token", token_type: "bearer", expires_in: 3600 });
    } else if (url.pathname === "/me" || url.pathname === "/user/profile") {
      if (mode === "garbage-profile") return send(200, "<html>not json");
      send(
        200,
        url.pathname === "/me"
          ? { id: SUBJECT.Facebook, email: "fb@example.com" }
          : { user_id: SUBJECT.LoginWithAmazon, email: "amzn@example.com", name: "Amazon User" },
      );
    } else if (url.pathname === "/oauth2/v3/certs" || url.pathname === "/auth/keys") send(200, { keys: [jwk] });
    else send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => mock.listen(0, "127.0.0.1", resolve));
  mockUrl = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
  const setUp = async (upstream: string) => {
    const twin = await hostedTwin({
      clock,
      config: {
        socialUpstreams: { Google: upstream, SignInWithApple: upstream, Facebook: upstream, LoginWithAmazon: upstream },
      },
    });
    const provider = (type: Provider, details: Record<string, string>) =>
      twin.api("CreateIdentityProvider", {
        UserPoolId: twin.poolId,
        ProviderName: type,
        ProviderType: type,
        ProviderDetails: details,
        AttributeMapping: { email: "email", ...(type === "Google" ? { name: "name" } : {}) },
      });
    await provider("Google", { client_id: CLIENT, client_secret: "s", authorize_scopes: "openid email profile" });
    await provider("SignInWithApple", {
      client_id: APPLE_CLIENT,
      team_id: APPLE_TEAM,
      key_id: "KEY1234567",
      private_key: appleKey.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
      authorize_scopes: "email name",
    });
    await provider("Facebook", { client_id: "fb-app", client_secret: "s", authorize_scopes: "public_profile,email" });
    await provider("LoginWithAmazon", {
      client_id: "amzn1.application-oa2-client.mock",
      client_secret: "s",
      authorize_scopes: "profile",
    });
    await twin.api("UpdateUserPoolClient", {
      UserPoolId: twin.poolId,
      ClientId: twin.clientId,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ["Google", "SignInWithApple", "Facebook", "LoginWithAmazon"],
    });
    return twin;
  };
  h = await setUp(mockUrl);
  down = await setUp("http://127.0.0.1:9");
});

afterAll(async () => {
  await h?.close();
  await down?.close();
  await new Promise((resolve) => mock?.close(resolve));
});

beforeEach(() => {
  mode = "good";
});

/**
 * The app's authorize request through `provider`, the mock's answer (a redirect, or Apple's form
 * post), idpresponse: the callback's query.
 */
async function signIn(twin: Hosted, provider: Provider = "Google"): Promise<URLSearchParams> {
  const browser = twin.browser();
  const start = await browser.get(
    twin.authorizeUrl({ identity_provider: provider, scope: "openid email", state: "s1" }),
  );
  expect(start.status).toBe(302);
  expect(start.location!.startsWith(`${twin === h ? mockUrl : "http://127.0.0.1:9"}${AUTHORIZE[provider]}?`)).toBe(
    true,
  );
  let back: Page;
  if (twin === down) {
    // The mock is down: answer for it, as its redirect (or Apple's form post) would.
    const q = new URL(start.location!).searchParams;
    const fields = { code: "c", state: q.get("state")! };
    back =
      provider === "SignInWithApple"
        ? await browser.post(q.get("redirect_uri")!, fields)
        : await browser.get(`${q.get("redirect_uri")}?${new URLSearchParams(fields)}`);
  } else {
    const upstream = await fetch(start.location!, { redirect: "manual" });
    if (provider === "SignInWithApple") {
      // The form Apple's page submits: its action and hidden fields.
      const html = await upstream.text();
      const action = /action="([^"]+)"/.exec(html)![1]!;
      const fields = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      back = await browser.post(action, fields);
    } else back = await browser.get(upstream.headers.get("location")!);
  }
  expect(back.status).toBe(302);
  return callbackQuery(back.location);
}

/** The claims of the id token the app gets for the callback's code. */
async function redeem(q: URLSearchParams): Promise<Record<string, unknown>> {
  expect(q.get("error")).toBeNull();
  const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
    grant_type: "authorization_code",
    client_id: h.clientId,
    code: q.get("code")!,
    redirect_uri: CALLBACK,
  });
  expect(res.status).toBe(200);
  return JSON.parse(Buffer.from(String(res.body.id_token).split(".")[1]!, "base64url").toString()) as Record<
    string,
    unknown
  >;
}

/** The callback of a sign-in the provider's answer did not make: an error, the state, no code. */
function expectRefused(q: URLSearchParams, provider: Provider, description: string | RegExp) {
  expect(q.get("code")).toBeNull();
  expect(q.get("error")).toBe("invalid_request");
  if (typeof description === "string") expect(q.get("error_description")).toBe(`${provider} Error - ${description}`);
  else expect(q.get("error_description")).toMatch(description);
  expect(q.get("state")).toBe("s1");
}

describe("a team's own mock Google", () => {
  it("signs in through it: the id token checked against its keys, the federated user created", async () => {
    const id = await redeem(await signIn(h));
    expect(String(id["cognito:username"]).toLowerCase()).toBe("google_109876543210987654321");
    expect(id.email).toBe("mock@example.com");
  });

  for (const bad of ["wrong-key", "wrong-nonce", "garbage"] as const) {
    it(`an id token or answer that does not verify (${bad}) ends at the callback with an error`, async () => {
      mode = bad;
      expectRefused(await signIn(h), "Google", /^Google Error - /);
    });
  }

  it("an upstream that is down ends at the callback with an error", async () => {
    expectRefused(await signIn(down), "Google", /could not be reached/);
  });
});

describe("a team's own mock Sign in with Apple", () => {
  it("signs in through its form post: the client secret the team's key signs, the id token checked", async () => {
    const id = await redeem(await signIn(h, "SignInWithApple"));
    expect(String(id["cognito:username"]).toLowerCase()).toBe(`signinwithapple_${SUBJECT.SignInWithApple}`);
    expect(id.email).toBe("apple@example.com");
    // What reached the mock's token endpoint: an ES256 JWT from the team, for this client, to Apple.
    const { payload } = await jwtVerify(appleSecret, appleKey.publicKey, {
      algorithms: ["ES256"],
      issuer: APPLE_TEAM,
      subject: APPLE_CLIENT,
      audience: "https://appleid.apple.com",
      currentDate: new Date(clock.now()),
    });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it("refuses an id token signed with a key its JWKS does not name", async () => {
    mode = "wrong-key";
    expectRefused(
      await signIn(h, "SignInWithApple"),
      "SignInWithApple",
      "the id token was refused: signature verification failed",
    );
  });

  it("refuses an id token with another nonce than the one sent", async () => {
    mode = "wrong-nonce";
    expectRefused(await signIn(h, "SignInWithApple"), "SignInWithApple", "the id token's nonce is not the one sent");
  });

  it("refuses a code exchange answered with garbage, and an upstream that is down", async () => {
    mode = "garbage";
    expectRefused(
      await signIn(h, "SignInWithApple"),
      "SignInWithApple",
      "SignInWithApple refused the authorization code (HTTP 200): not JSON",
    );
    expectRefused(
      await signIn(down, "SignInWithApple"),
      "SignInWithApple",
      /^SignInWithApple Error - the provider could not be reached: /,
    );
  });
});

for (const provider of ["Facebook", "LoginWithAmazon"] as const) {
  describe(`a team's own mock ${provider}`, () => {
    it("signs in through it: the profile read with the access token names the user", async () => {
      const id = await redeem(await signIn(h, provider));
      expect(String(id["cognito:username"]).toLowerCase()).toBe(`${provider}_${SUBJECT[provider]}`.toLowerCase());
    });

    it("refuses a code exchange answered with garbage", async () => {
      mode = "garbage";
      expectRefused(
        await signIn(h, provider),
        provider,
        `${provider} refused the authorization code (HTTP 200): not JSON`,
      );
    });

    it("refuses a profile answered with garbage", async () => {
      mode = "garbage-profile";
      expectRefused(await signIn(h, provider), provider, `${provider} refused the access token: HTTP 200: not JSON`);
    });

    it("an upstream that is down ends at the callback with an error", async () => {
      expectRefused(
        await signIn(down, provider),
        provider,
        new RegExp(`^${provider} Error - the provider could not be reached: `),
      );
    });
  });
}
