// Two details of sign-in through OIDC and social providers: the app's `prompt` passed on to the
// provider as Cognito's authorize endpoint says (select_account, consent, login; managed login
// only), and a social provider whose ProviderDetails name endpoints on a host other than the
// provider's own: the team's own mock, called as given, while the provider's real hosts still go
// to the built-in stand-in.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { socialEndpoints } from "../../domain/federation/social.js";

let h: Hosted;
let mock: Server;
let mockUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  // A team's own Facebook mock: a code for a token, the token for a profile.
  mock = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.setHeader("content-type", "application/json");
    if (req.url?.startsWith("/fb/token")) res.end(JSON.stringify({ access_token: "mock-token", token_type: "bearer" }));
    else if (req.url?.startsWith("/fb/me")) res.end(JSON.stringify({ id: "fb-mock-1", email: "mocked@example.com" }));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => mock.listen(0, "127.0.0.1", resolve));
  mockUrl = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;

  h = await hostedTwin();
  await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });
  const social = (type: string, details: Record<string, string> = {}) =>
    h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: type,
      ProviderType: type,
      ProviderDetails: { client_id: "app-id", client_secret: "app-secret", authorize_scopes: "email", ...details },
      AttributeMapping: { email: "email" },
    });
  await social("Google");
  await social("Facebook", { token_url: `${mockUrl}/fb/token`, attributes_url: `${mockUrl}/fb/me?fields=` });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO", "Google", "Facebook"],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => mock?.close(resolve));
});

describe("prompt", () => {
  it("passes select_account, consent and login on to the provider; none and unknown values stay", async () => {
    const page = await h
      .browser()
      .fetch(h.authorizeUrl({ identity_provider: "Google", prompt: "select_account consent bogus", state: "s" }));
    expect(page.status).toBe(302);
    const url = new URL(page.location!);
    expect(url.pathname).toBe("/_social/google/o/oauth2/v2/auth");
    expect(url.searchParams.get("prompt")).toBe("select_account consent");

    const login = await h.browser().fetch(h.authorizeUrl({ identity_provider: "Google", prompt: "login" }));
    expect(new URL(login.location!).searchParams.get("prompt")).toBe("login");
    const none = await h.browser().fetch(h.authorizeUrl({ identity_provider: "Google" }));
    expect(new URL(none.location!).searchParams.has("prompt")).toBe(false);
  });

  it("is managed login's: a classic hosted UI domain passes none on", async () => {
    await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 1 });
    try {
      const page = await h.browser().fetch(h.authorizeUrl({ identity_provider: "Google", prompt: "consent" }));
      expect(new URL(page.location!).searchParams.has("prompt")).toBe(false);
    } finally {
      await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });
    }
  });
});

describe("a social provider's endpoints on the team's own mock", () => {
  it("keeps a URL on another host as given, and moves the provider's real host to the stand-in", () => {
    const services = { config: {} } as never;
    const fb = socialEndpoints(services, "Facebook", "http://localhost:9229", {
      authorize_url: "https://www.facebook.com/v19.0/dialog/oauth",
      token_url: "http://127.0.0.1:4444/fb/token",
      attributes_url: "https://graph.facebook.com/me?fields=",
    });
    expect(fb).toMatchObject({
      authorize: "http://localhost:9229/_social/facebook/v19.0/dialog/oauth",
      token: "http://127.0.0.1:4444/fb/token",
      attributes: "http://localhost:9229/_social/facebook/me?fields=",
    });
    // With --social-upstream, the real hosts go to the upstream; the mock's URL still as given.
    const upstream = socialEndpoints(
      { config: { socialUpstreams: { Facebook: "http://up:1" } } } as never,
      "Facebook",
      "",
      {
        token_url: "http://127.0.0.1:4444/fb/token",
      },
    );
    expect(upstream).toMatchObject({ authorize: "http://up:1/dialog/oauth", token: "http://127.0.0.1:4444/fb/token" });
  });

  it("signs in with the code exchanged and the profile read at the mock, the browser sent to the stand-in", async () => {
    const browser = h.browser();
    const start = await browser.fetch(h.authorizeUrl({ identity_provider: "Facebook", state: "app" }));
    const at = new URL(start.location!);
    expect(at.pathname).toBe("/_social/facebook/dialog/oauth");
    // The provider's answer, as the stand-in's page would send it: any code, the mock takes it.
    const state = at.searchParams.get("state")!;
    const done = await browser.fetch(`${h.base}/oauth2/idpresponse?code=mock-code&state=${state}`);
    const q = callbackQuery(done.location);
    expect(q.get("error_description")).toBeNull();
    expect(q.get("code")).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.some((r) => r.startsWith("GET /fb/token"))).toBe(true);
    expect(seen.some((r) => r.startsWith("GET /fb/me?fields="))).toBe(true);
    const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "Facebook_fb-mock-1" });
    expect(user.UserStatus).toBe("EXTERNAL_PROVIDER");
  });
});
