// A SAML provider created from a MetadataURL, the metadata served over HTTP on a loopback port by
// the test itself (the IdP is samlify's, test-support/saml-idp.ts). The emulator reads that URL
// again at every sign-in, both when it sends the browser to the IdP and when the response comes
// back, so what the URL answers at that moment decides the sign-in: metadata naming a new signing
// certificate is taken at once (a rotated key), and a URL that answers 500, answers garbage or is
// down ends the sign-in at the app's callback with Cognito's server_error, never a 5xx and never
// a signed-in user.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser } from "../../../test-support/browser.js";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { createSamlIdp, type TestSamlIdp } from "../../../test-support/saml-idp.js";
import { call } from "../../../test-support/twin.js";
import { samlSpEntityId } from "../../domain/federation/saml.js";

/** What the metadata URL answers: the IdP's metadata, the rotated IdP's, a 500, or garbage. */
type Mode = "metadata" | "rotated" | "500" | "not-xml" | "no-idp";
let mode: Mode = "metadata";
let server: Server;
let metadataUrl: string;
let h: Hosted;
let idp: TestSamlIdp;
/** The same IdP (entity id, SSO URL) after a key rotation: a new key and certificate. */
let rotated: TestSamlIdp;
let sp: { entityId: string; acsUrl: string };
const PROVIDER = "UrlSAML";

beforeAll(async () => {
  idp = await createSamlIdp();
  rotated = await createSamlIdp({ entityId: idp.entityId, ssoUrl: idp.ssoUrl });
  server = createServer((req, res) => {
    // No kept-alive connections: samlify's first response blocks this process (the emulator's
    // event loop too) for longer than the server's keep-alive timeout, and the emulator's next
    // fetch would be written to a socket the server has just closed (ECONNRESET). The emulator
    // sends such a GET once more (fetchUpstream, tested in domain/federation/upstream.test.ts);
    // a connection per request keeps this file's cases off that race altogether.
    res.setHeader("connection", "close");
    if (req.url !== "/metadata") {
      res.writeHead(404).end();
      return;
    }
    if (mode === "500") {
      res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      return;
    }
    const body =
      mode === "metadata"
        ? idp.metadata
        : mode === "rotated"
          ? rotated.metadata
          : mode === "not-xml"
            ? '{"oops": "this is not metadata"}'
            : // Well-formed XML, but not an IdP's metadata.
              '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>';
    res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;

  h = await hostedTwin();
  sp = { entityId: samlSpEntityId(h.poolId), acsUrl: `http://localhost${h.base}/saml2/idpresponse` };
  // http to 127.0.0.1 is taken for a MetadataURL (an IdP inside the test); it is fetched now.
  await h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: PROVIDER,
    ProviderType: "SAML",
    ProviderDetails: { MetadataURL: metadataUrl },
    AttributeMapping: { email: "email" },
  });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO", PROVIDER],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  // Closed by the last test already, or closed here.
  if (server?.listening) await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mode = "metadata";
});

/** The authorize request through the provider: the emulator's answer (the IdP, or the app's callback). */
function authorize(browser: Browser) {
  return browser.get(h.authorizeUrl({ identity_provider: PROVIDER, state: "app-state", scope: "openid email" }));
}

/** The browser sent to the IdP: the AuthnRequest as the IdP read it. */
async function toIdp(browser: Browser) {
  const page = await authorize(browser);
  expect(page.status).toBe(302);
  expect(page.location!.startsWith(`${idp.ssoUrl}?`)).toBe(true);
  return idp.parseRequest(page.location!, sp);
}

function postResponse(browser: Browser, samlResponse: string, relayState: string) {
  return browser.post(`${h.base}/saml2/idpresponse`, { SAMLResponse: samlResponse, RelayState: relayState });
}

/** A response to `request` from `from` (the IdP or its rotated self) for `nameId`. */
function respond(from: TestSamlIdp, request: { id: string }, nameId: string) {
  return from.respond({
    audience: sp.entityId,
    acsUrl: sp.acsUrl,
    request,
    nameId,
    attributes: { email: `${nameId}@corp.example` },
  });
}

/** The callback of a refused sign-in: server_error with `description`, the app's state, no code. */
function expectRefused(page: { status: number; location?: string }, description: string) {
  expect(page.status).toBe(302);
  const q = callbackQuery(page.location);
  expect(`${new URL(page.location!).origin}${new URL(page.location!).pathname}`).toBe(CALLBACK);
  expect(q.get("error")).toBe("server_error");
  expect(q.get("error_description")).toBe(description);
  expect(q.get("state")).toBe("app-state");
  expect(q.get("code")).toBeNull();
}

/** No federated user was made for `nameId`, and the browser holds no managed login session. */
async function expectNotSignedIn(browser: Browser, nameId: string) {
  const user = await call(h.twin, "AdminGetUser", { UserPoolId: h.poolId, Username: `${PROVIDER}_${nameId}` });
  expect(user.status).toBe(400);
  expect((user.body as { __type?: string }).__type).toMatch(/UserNotFoundException/);
  // With a session, /oauth2/authorize would send the browser on to the app with a code; without
  // one it ends on the login page.
  const page = await browser.open(h.authorizeUrl({ state: "app-state" }));
  expect(page.location).toBeUndefined();
  expect(page.status).toBe(200);
  expect(new URL(page.url).pathname).toBe(`${h.base}/login`);
}

const UNREACHABLE = "Unable to retrieve the SAML metadata of the identity provider.";

describe("SAML provider with a MetadataURL", () => {
  it("signs in through the metadata the URL serves, and describes the URL as given", async () => {
    const described = await h.api("DescribeIdentityProvider", { UserPoolId: h.poolId, ProviderName: PROVIDER });
    expect((described.IdentityProvider as { ProviderDetails: Record<string, string> }).ProviderDetails).toEqual({
      MetadataURL: metadataUrl,
      SSORedirectBindingURI: idp.ssoUrl,
    });
    const browser = h.browser();
    const request = await toIdp(browser);
    const done = await postResponse(browser, await respond(idp, request, "ann"), request.relayState);
    expect(done.status).toBe(302);
    const q = callbackQuery(done.location);
    expect(q.get("error")).toBeNull();
    expect(q.get("code")).toMatch(/^[0-9a-f-]{36}$/);
    const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: `${PROVIDER}_ann` });
    expect(user.UserStatus).toBe("EXTERNAL_PROVIDER");
  });

  it("picks up a rotated signing key at the next sign-in: the new key's response taken, the old key's refused", async () => {
    mode = "rotated";
    let browser = h.browser();
    let request = await toIdp(browser);
    const done = await postResponse(browser, await respond(rotated, request, "rob"), request.relayState);
    expect(callbackQuery(done.location).get("code")).toMatch(/^[0-9a-f-]{36}$/);

    // The metadata no longer names the old certificate: what the old key signs no longer verifies.
    browser = h.browser();
    request = await toIdp(browser);
    const old = await postResponse(browser, await respond(idp, request, "old-key"), request.relayState);
    expectRefused(old, "Invalid SAML response received: SAML Assertion signature is invalid.");
    await expectNotSignedIn(browser, "old-key");
  }, 30_000);

  for (const [bad, description] of [
    ["500", UNREACHABLE],
    ["not-xml", "Invalid SAML metadata: the metadata is not well-formed XML."],
    ["no-idp", "Invalid SAML metadata: the metadata has no IDPSSODescriptor."],
  ] as const) {
    it(`a URL that answers ${bad} when the sign-in starts sends the browser back to the app, not to the IdP`, async () => {
      mode = bad;
      const browser = h.browser();
      expectRefused(await authorize(browser), description);
      await expectNotSignedIn(browser, "never");
    });

    it(`a URL that answers ${bad} when the response comes back refuses even a well-signed response`, async () => {
      const browser = h.browser();
      const request = await toIdp(browser);
      const response = await respond(idp, request, `late-${bad}`);
      mode = bad;
      expectRefused(
        await postResponse(browser, response, request.relayState),
        `Invalid SAML response received: ${description}`,
      );
      await expectNotSignedIn(browser, `late-${bad}`);
    });
  }

  // Last: the server is gone for good after it.
  it("a URL whose server is down refuses the sign-in at the response and at the next start", async () => {
    const browser = h.browser();
    const request = await toIdp(browser);
    const response = await respond(idp, request, "gone");
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expectRefused(
      await postResponse(browser, response, request.relayState),
      `Invalid SAML response received: ${UNREACHABLE}`,
    );
    await expectNotSignedIn(browser, "gone");

    const next = h.browser();
    expectRefused(await authorize(next), UNREACHABLE);
  });
});
