// Social providers reached at a team's own mock (--social-upstream): the option's parsing, the
// endpoints moved onto the mock with their real paths, a whole Google sign-in against a mock
// Google on a loopback port, and what a mock that signs with the wrong key, sends another nonce,
// answers garbage or is down does: an error at the app's callback, never a 5xx or a signed-in user.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

// --- A mock Google on a loopback port ---------------------------------------------------------

type Mode = "good" | "wrong-key" | "wrong-nonce" | "garbage";
const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
let mock: Server;
let mockUrl: string;
let mode: Mode = "good";
let h: Hosted;
let down: Hosted;
const CLIENT = "mock-client.apps.googleusercontent.com";

beforeAll(async () => {
  const good = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(good.publicKey)), kid: "k1", alg: "RS256" };
  let lastNonce = "";
  mock = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (url.pathname === "/o/oauth2/v2/auth") {
      lastNonce = url.searchParams.get("nonce") ?? "";
      const back = new URL(url.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", "mock-code");
      back.searchParams.set("state", url.searchParams.get("state")!);
      res.writeHead(302, { location: back.toString() });
      res.end();
    } else if (url.pathname === "/oauth2/v4/token") {
      if (mode === "garbage") return send(200, "<html>not json");
      const now = Math.floor(clock.now() / 1000);
      void new SignJWT({
        email: "mock@example.com",
        email_verified: true,
        name: "Mock User",
        nonce: mode === "wrong-nonce" ? "other" : lastNonce,
      })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer("https://accounts.google.com")
        .setAudience(CLIENT)
        .setSubject("109876543210987654321")
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(mode === "wrong-key" ? other.privateKey : good.privateKey)
        .then((idToken) =>
          send(200, { access_token: "ya29.mock", token_type: "Bearer", expires_in: 3599, id_token: idToken }),
        );
    } else if (url.pathname === "/oauth2/v3/certs") send(200, { keys: [jwk] });
    else send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => mock.listen(0, "127.0.0.1", resolve));
  mockUrl = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
  const setUp = async (upstream: string) => {
    const twin = await hostedTwin({ clock, config: { socialUpstreams: { Google: upstream } } });
    await twin.api("CreateIdentityProvider", {
      UserPoolId: twin.poolId,
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: { client_id: CLIENT, client_secret: "s", authorize_scopes: "openid email profile" },
      AttributeMapping: { email: "email", name: "name" },
    });
    await twin.api("UpdateUserPoolClient", {
      UserPoolId: twin.poolId,
      ClientId: twin.clientId,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ["Google"],
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

/** The app's authorize request through Google, the mock's redirect, idpresponse: the callback's query. */
async function signIn(twin: Hosted): Promise<URLSearchParams> {
  const browser = twin.browser();
  const start = await browser.get(
    twin.authorizeUrl({ identity_provider: "Google", scope: "openid email", state: "s1" }),
  );
  expect(start.status).toBe(302);
  expect(start.location!.startsWith(`${twin === h ? mockUrl : "http://127.0.0.1:9"}/o/oauth2/v2/auth?`)).toBe(true);
  if (twin === down) {
    // The mock is down: answer for it, as its redirect would.
    const q = new URL(start.location!).searchParams;
    const back = await browser.get(`${q.get("redirect_uri")}?code=c&state=${q.get("state")}`);
    expect(back.status).toBe(302);
    return callbackQuery(back.location);
  }
  const upstream = await fetch(start.location!, { redirect: "manual" });
  const back = await browser.get(upstream.headers.get("location")!);
  expect(back.status).toBe(302);
  return callbackQuery(back.location);
}

describe("a team's own mock Google", () => {
  it("signs in through it: the id token checked against its keys, the federated user created", async () => {
    const q = await signIn(h);
    expect(q.get("error")).toBeNull();
    const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "authorization_code",
      client_id: h.clientId,
      code: q.get("code")!,
      redirect_uri: CALLBACK,
    });
    expect(res.status).toBe(200);
    const id = JSON.parse(Buffer.from(String(res.body.id_token).split(".")[1]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(String(id["cognito:username"]).toLowerCase()).toBe("google_109876543210987654321");
    expect(id.email).toBe("mock@example.com");
  });

  for (const bad of ["wrong-key", "wrong-nonce", "garbage"] as const) {
    it(`an id token or answer that does not verify (${bad}) ends at the callback with an error`, async () => {
      mode = bad;
      const q = await signIn(h);
      expect(q.get("code")).toBeNull();
      expect(q.get("error")).toBe("invalid_request");
      expect(q.get("error_description")).toMatch(/^Google Error - /);
      expect(q.get("state")).toBe("s1");
    });
  }

  it("an upstream that is down ends at the callback with an error", async () => {
    const q = await signIn(down);
    expect(q.get("code")).toBeNull();
    expect(q.get("error")).toBe("invalid_request");
    expect(q.get("error_description")).toMatch(/could not be reached/);
  });
});
