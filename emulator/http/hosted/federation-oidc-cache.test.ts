// The OIDC provider's discovery document (and its JWKS) kept between sign-ins, as the provider's
// Cache-Control allows (domain/federation/oidc.ts): one discovery for many sign-ins, a new one
// once max-age has passed on the emulator's clock, after UpdateIdentityProvider, and after the
// provider is deleted and created again; a provider that says nothing of caching is asked at
// every step (federation-oidc.test.ts covers its failures).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { followUpstream, type OidcUpstream, startOidcProvider } from "../../../test-support/oidc-upstream.js";
import { ManualClock } from "../../core/clock.js";
import { freshnessSeconds } from "../../domain/federation/oidc.js";

const clock = new ManualClock();
let h: Hosted;
let cached: OidcUpstream;
let uncached: OidcUpstream;
const accounts = { alice: { email: "alice@example.com", email_verified: true, name: "Alice" } };
const DISCOVERY = "/.well-known/openid-configuration";

async function provider(name: string, upstream: OidcUpstream, extra: Record<string, string> = {}) {
  await h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: name,
    ProviderType: "OIDC",
    ProviderDetails: {
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      authorize_scopes: "openid email",
      oidc_issuer: upstream.issuer,
      attributes_request_method: "GET",
      ...extra,
    },
    AttributeMapping: { email: "email" },
  });
}

beforeAll(async () => {
  h = await hostedTwin({ clock });
  const redirect = `http://localhost${h.base}/oauth2/idpresponse`;
  cached = await startOidcProvider({ redirectUris: [redirect], accounts, discoveryMaxAge: 600 });
  uncached = await startOidcProvider({ redirectUris: [redirect], accounts });
  await provider("Cached", cached);
  await provider("Uncached", uncached);
  await listOnClient();
});

function listOnClient() {
  return h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["Cached", "Uncached"],
  });
}

afterAll(async () => {
  await cached?.close();
  await uncached?.close();
  await h?.close();
});

beforeEach(() => {
  cached.requests.length = 0;
  uncached.requests.length = 0;
});

/** One whole sign-in through `name`, from a fresh browser; answers the app's callback query. */
async function signIn(name: string): Promise<URLSearchParams> {
  const browser = h.browser();
  const page = await browser.get(h.authorizeUrl({ scope: "openid email", state: "s", identity_provider: name }));
  expect(page.status).toBe(302);
  const back = await followUpstream(page.location!);
  const done = await browser.get(back);
  expect(done.location!.startsWith(CALLBACK)).toBe(true);
  const q = callbackQuery(done.location);
  expect(q.get("error_description")).toBeNull();
  expect(q.get("code")).toBeTruthy();
  return q;
}

const count = (upstream: OidcUpstream, path: string) => upstream.requests.filter((r) => r.path === path).length;

describe("the discovery document of an OIDC provider", () => {
  it("is read once for many sign-ins while its max-age lasts, with the JWKS", async () => {
    await signIn("Cached");
    await signIn("Cached");
    await signIn("Cached");
    expect(count(cached, DISCOVERY)).toBe(1);
    expect(count(cached, "/jwks")).toBe(1);
    // Every sign-in still exchanges its code and reads userInfo.
    expect(count(cached, "/token")).toBe(3);
    expect(count(cached, "/me")).toBe(3);
  });

  it("is read again once max-age has passed on the emulator's clock", async () => {
    await signIn("Cached");
    cached.requests.length = 0;
    clock.advance(601);
    await signIn("Cached");
    expect(count(cached, DISCOVERY)).toBe(1);
    await signIn("Cached");
    expect(count(cached, DISCOVERY)).toBe(1);
  });

  it("is read again after UpdateIdentityProvider, and after the provider is deleted and made again", async () => {
    await signIn("Cached");
    cached.requests.length = 0;
    await h.api("UpdateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "Cached",
      ProviderDetails: {
        client_id: cached.clientId,
        client_secret: cached.clientSecret,
        authorize_scopes: "openid email",
        oidc_issuer: cached.issuer,
        attributes_request_method: "GET",
      },
    });
    await signIn("Cached");
    expect(count(cached, DISCOVERY)).toBe(1);
    cached.requests.length = 0;
    await h.api("DeleteIdentityProvider", { UserPoolId: h.poolId, ProviderName: "Cached" });
    await provider("Cached", cached);
    // Deleting the provider took it off the client, as Cognito does.
    await listOnClient();
    await signIn("Cached");
    expect(count(cached, DISCOVERY)).toBe(1);
  });

  it("is read at authorize and at idpresponse when the provider says nothing of caching", async () => {
    await signIn("Uncached");
    await signIn("Uncached");
    expect(count(uncached, DISCOVERY)).toBe(4);
  });
});

describe("freshnessSeconds", () => {
  const of = (headers: Record<string, string>) => freshnessSeconds(new Headers(headers));
  it("reads max-age less Age, and nothing from an answer that forbids keeping it", () => {
    expect(of({ "cache-control": "public, max-age=3600" })).toBe(3600);
    expect(of({ "cache-control": "max-age=3600, must-revalidate", age: "600" })).toBe(3000);
    expect(of({ "cache-control": "private, max-age=86400" })).toBe(86400);
    expect(of({ "cache-control": "max-age=999999999" })).toBe(86400);
    expect(of({ "cache-control": "no-store" })).toBe(0);
    expect(of({ "cache-control": "no-cache, max-age=60" })).toBe(0);
    expect(of({ "cache-control": "max-age=60", age: "120" })).toBe(0);
    expect(of({ "cache-control": "s-maxage=60" })).toBe(0);
    expect(of({})).toBe(0);
  });
});
