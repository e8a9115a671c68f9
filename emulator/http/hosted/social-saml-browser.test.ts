// Sign-in through the social stand-ins and a SAML IdP in a real browser: headless Chromium, a
// listening emulator, and a bare app that only receives the callback. Google's stand-in page is
// filled in as a person would; Sign in with Apple returns through its form post, submitted by
// the page's own script; the SAML IdP (samlify's, test-support/saml-idp.ts) is served on its own
// port and answers the AuthnRequest with a self-submitting form, as IdPs' POST binding does. Each
// sign-in ends with the app's code redeemed at the token endpoint. A failed test leaves
// screenshots in test-results/screenshots/.
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { createSamlIdp, type TestSamlIdp } from "../../../test-support/saml-idp.js";
import { GUIDE_POOL } from "../../../test-support/seed-guide.js";
import { call, startTwin, type TestTwin } from "../../../test-support/twin.js";
import { samlSpEntityId } from "../../domain/federation/saml.js";

const SUITE = "emulator/http/hosted/social-saml-browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);

/** Starts a server on a free loopback port; answers it and its base URL. */
async function listen(
  handler: (req: Request) => Response | Promise<Response>,
): Promise<{ server: ServerType; base: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: handler, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: ServerType | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** Minimal HTML escaping for the IdP's self-submitting form. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe.skipIf(!runs)("sign-in through the social stand-ins and a SAML IdP in Chromium", () => {
  let t: TestTwin;
  const chromium = useChromium(SUITE);
  let app: { server: ServerType; base: string };
  let idpServer: { server: ServerType; base: string };
  let idp: TestSamlIdp;
  let poolId: string;
  let clientId: string;
  let domainBase: string;

  async function api(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await call(t.twin, operation, input);
    if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  }

  const callback = () => `${app.base.replace("127.0.0.1", "localhost")}/callback`;

  beforeAll(async () => {
    t = await startTwin();
    app = await listen(
      () =>
        new Response("<!doctype html><title>app</title><p>back in the app</p>", {
          headers: { "content-type": "text/html; charset=utf-8" },
        }),
    );
    const pool = await api("CreateUserPool", {
      ...GUIDE_POOL,
      PoolName: "Social-Browser-Pool",
      Schema: [{ Name: "department", AttributeDataType: "String", Mutable: true }],
    });
    poolId = (pool.UserPool as { Id: string }).Id;
    const prefix = `soc-${Math.random().toString(36).slice(2, 8)}`;
    await api("CreateUserPoolDomain", { UserPoolId: poolId, Domain: prefix });
    domainBase = `${t.url}/_domain/${prefix}`;

    // The IdP's SSO URL serves the POST binding: the AuthnRequest arrives by redirect, the signed
    // response leaves in a form the page submits to the pool's ACS URL at once.
    const sp = { entityId: samlSpEntityId(poolId), acsUrl: `${domainBase}/saml2/idpresponse` };
    let ssoHandler: (req: Request) => Promise<Response> = async () => new Response("starting", { status: 503 });
    idpServer = await listen((req) => ssoHandler(req));
    idp = await createSamlIdp({ ssoUrl: `${idpServer.base}/sso` });
    ssoHandler = async (req) => {
      const request = await idp.parseRequest(req.url, sp);
      const response = await idp.respond({
        audience: sp.entityId,
        acsUrl: sp.acsUrl,
        request,
        nameId: "jane.doe",
        attributes: { email: "jane@corp.example", given_name: "Jane", department: "R&D" },
      });
      const html = `<!doctype html><title>IdP</title>
<form method="post" action="${escapeHtml(sp.acsUrl)}" id="f">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(response)}">
<input type="hidden" name="RelayState" value="${escapeHtml(request.relayState)}">
<button>Continue</button></form><script>document.getElementById("f").submit()</script>`;
      return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
    };

    await api("CreateIdentityProvider", {
      UserPoolId: poolId,
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: {
        client_id: "123-abc.apps.googleusercontent.com",
        client_secret: "g-secret",
        authorize_scopes: "openid email profile",
      },
      AttributeMapping: { email: "email", email_verified: "email_verified", name: "name", given_name: "given_name" },
    });
    const { generateKeyPairSync } = await import("node:crypto");
    const appleKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    }) as string;
    await api("CreateIdentityProvider", {
      UserPoolId: poolId,
      ProviderName: "SignInWithApple",
      ProviderType: "SignInWithApple",
      ProviderDetails: {
        client_id: "com.example.web",
        team_id: "TEAM123456",
        key_id: "KEY1234567",
        private_key: appleKey,
        authorize_scopes: "email name",
      },
      AttributeMapping: { email: "email", name: "name", given_name: "firstName" },
    });
    await api("CreateIdentityProvider", {
      UserPoolId: poolId,
      ProviderName: "CorpSAML",
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: idp.metadata },
      AttributeMapping: { email: "email", given_name: "given_name", "custom:department": "department" },
    });
    const created = await api("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "social-app",
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [callback()],
      SupportedIdentityProviders: ["COGNITO", "Google", "SignInWithApple", "CorpSAML"],
    });
    clientId = (created.UserPoolClient as { ClientId: string }).ClientId;
  }, 120_000);

  afterAll(async () => {
    await close(app?.server);
    await close(idpServer?.server);
    await t?.close();
  });

  /** Opens the login page, runs `steps` in the browser, and answers the callback's query. */
  async function signIn(name: string, steps: (page: Page) => Promise<void>): Promise<URLSearchParams> {
    const page = await chromium.newPage({ width: 390, height: 844 });
    const authorize = new URL(`${domainBase}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: callback(),
      scope: "openid email profile",
      state: `st-${name}`,
    }).toString();
    await page.goto(authorize.toString());
    await steps(page);
    await page.waitForURL(`${callback()}?**`);
    expect(await page.locator("p").textContent()).toBe("back in the app");
    return new URL(page.url()).searchParams;
  }

  async function redeem(code: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${domainBase}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: clientId,
        code,
        redirect_uri: callback(),
      }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return claims(String(body.id_token));
  }

  it("Google: the stand-in's page filled in by hand, then the app's code", { timeout: 60_000 }, async () => {
    const q = await signIn("google", async (page) => {
      await page.getByRole("link", { name: "Continue with Google", exact: true }).click();
      await page.getByRole("heading", { name: "Enter a test identity" }).waitFor({ state: "visible" });
      await page.getByLabel("Email", { exact: true }).fill("gil@example.com");
      await page.getByLabel("First name").fill("Gil");
      await page.getByLabel("Last name").fill("Moe");
      await page.getByRole("button", { name: "Continue" }).click();
    });
    expect(q.get("state")).toBe("st-google");
    const id = await redeem(q.get("code")!);
    expect(String(id["cognito:username"])).toMatch(/^google_1\d{20}$/i);
    expect(id).toMatchObject({ email: "gil@example.com", name: "Gil Moe", given_name: "Gil" });
  });

  it("Sign in with Apple: the form post back to the pool is submitted by the page itself", {
    timeout: 60_000,
  }, async () => {
    const q = await signIn("apple", async (page) => {
      await page.getByRole("link", { name: "Continue with Apple", exact: true }).click();
      await page.getByLabel("Email", { exact: true }).fill("ap@example.com");
      await page.getByLabel("First name").fill("Ap");
      await page.getByLabel("Last name").fill("Le");
      await page.getByRole("button", { name: "Continue" }).click();
    });
    const id = await redeem(q.get("code")!);
    expect(String(id["cognito:username"])).toMatch(/^signinwithapple_/i);
    expect(id).toMatchObject({ email: "ap@example.com", given_name: "Ap" });
  });

  it("SAML: the IdP's self-submitting POST binding lands the federated user in the app", {
    timeout: 60_000,
  }, async () => {
    const q = await signIn("saml", async (page) => {
      await page.getByRole("link", { name: "Continue with CorpSAML", exact: true }).click();
    });
    expect(q.get("state")).toBe("st-saml");
    const id = await redeem(q.get("code")!);
    expect(String(id["cognito:username"]).toLowerCase()).toBe("corpsaml_jane.doe");
    const user = await api("AdminGetUser", { UserPoolId: poolId, Username: "CorpSAML_jane.doe" });
    expect(user.UserStatus).toBe("EXTERNAL_PROVIDER");
    const attrs = Object.fromEntries(
      (user.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
    );
    expect(attrs).toMatchObject({ email: "jane@corp.example", "custom:department": "R&D" });
  });
});
