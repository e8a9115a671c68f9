// Sign-in through an OIDC provider in a real browser: headless Chromium, a listening emulator,
// a real upstream (panva's oidc-provider) on its own port, and the seed app (client/, its hosted
// login through openid-client) as the app. The user clicks the provider's button on the login
// page, the upstream signs them in, and the app lands signed in as the federated user. A failed
// test leaves screenshots in test-results/screenshots/.
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthApp } from "../../../client/app.js";
import { CognitoAuthClient } from "../../../client/cognito-client.js";
import { discoveryUrlFor, HostedLogin } from "../../../client/hosted-login.js";
import { createAccessTokenVerifier } from "../../../client/middleware.js";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { type OidcUpstream, startOidcProvider } from "../../../test-support/oidc-upstream.js";
import { GUIDE_POOL } from "../../../test-support/seed-guide.js";
import { call, startTwin, type TestTwin } from "../../../test-support/twin.js";

const SUITE = "emulator/http/hosted/federation-browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);
const PAGES_DIR = process.env.HOSTED_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "pages");

describe.skipIf(!runs)("sign-in through an OIDC provider in Chromium", () => {
  let t: TestTwin;
  const chromium = useChromium(SUITE, { pagesDir: PAGES_DIR });
  let upstream: OidcUpstream;
  let server: ServerType;
  let app: string;
  let poolId: string;
  let domainBase: string;

  async function api(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await call(t.twin, operation, input);
    if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  }

  beforeAll(async () => {
    t = await startTwin();
    const pool = await api("CreateUserPool", { ...GUIDE_POOL, PoolName: "Federation-Browser-Pool" });
    poolId = (pool.UserPool as { Id: string }).Id;
    const prefix = `fed-${Math.random().toString(36).slice(2, 8)}`;
    await api("CreateUserPoolDomain", { UserPoolId: poolId, Domain: prefix });
    domainBase = `${t.url}/_domain/${prefix}`;
    upstream = await startOidcProvider({
      redirectUris: [`${domainBase}/oauth2/idpresponse`],
      accounts: { "corp-42": { email: "ada@corp.example", email_verified: true, name: "Ada Corp" } },
    });
    await api("CreateIdentityProvider", {
      UserPoolId: poolId,
      ProviderName: "CorpIdP",
      ProviderType: "OIDC",
      ProviderDetails: {
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        authorize_scopes: "openid email profile",
        oidc_issuer: upstream.issuer,
        attributes_request_method: "GET",
      },
      AttributeMapping: { email: "email", name: "name" },
    });

    let handler: (req: Request) => Response | Promise<Response> = () => new Response("starting", { status: 503 });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: (req) => handler(req), hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    app = `http://localhost:${(server.address() as AddressInfo).port}`;
    const created = await api("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "federation-app",
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [`${app}/callback`],
      LogoutURLs: [`${app}/signed-out`],
      SupportedIdentityProviders: ["COGNITO", "CorpIdP"],
    });
    const clientId = (created.UserPoolClient as { ClientId: string }).ClientId;
    const config = { region: "us-east-1", userPoolId: poolId, clientId, endpoint: t.url };
    const authApp = createAuthApp({
      cognito: new CognitoAuthClient(config),
      verifier: createAccessTokenVerifier(config),
      hosted: new HostedLogin({
        clientId,
        domain: domainBase,
        callbackUrl: `${app}/callback`,
        logoutUrl: `${app}/signed-out`,
        discoveryUrl: discoveryUrlFor(config),
      }),
      logError: (e) => console.error(e),
    });
    handler = (req) => authApp.fetch(req);
  }, 120_000);

  afterAll(async () => {
    await upstream?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  });

  it("clicks the provider's button and lands in the app as the federated user", { timeout: 60_000 }, async () => {
    const page = await chromium.newPage();
    await page.goto(`${app}/login/hosted`);
    await expect.poll(() => page.url()).toContain(`${domainBase}/login?`);
    const button = page.getByRole("link", { name: "Continue with CorpIdP", exact: true });
    await button.waitFor({ state: "visible" });
    await chromium.keep(page, "login-with-provider");
    const upstreamHits: string[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(upstream.issuer)) upstreamHits.push(new URL(r.url()).pathname);
    });
    await button.click();
    await page.waitForURL(`${app}/callback?**`);
    const body = JSON.parse((await page.locator("body").textContent()) ?? "") as Record<string, unknown>;
    expect(body.message).toBe("Login successful");
    expect(upstreamHits[0]).toBe("/auth");
    const user = await api("AdminGetUser", { UserPoolId: poolId, Username: "corpidp_corp-42" });
    expect(user.UserStatus).toBe("EXTERNAL_PROVIDER");
    const attrs = user.UserAttributes as { Name: string; Value: string }[];
    expect(attrs.find((a) => a.Name === "email")?.Value).toBe("ada@corp.example");
  });
});
