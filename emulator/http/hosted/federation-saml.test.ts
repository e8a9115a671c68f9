// Sign-in through a SAML 2.0 provider end to end over HTTP, against a real IdP (samlify's,
// test-support/saml-idp.ts): /oauth2/authorize sends the browser to the IdP with an
// AuthnRequest, the IdP's signed response is POSTed to /saml2/idpresponse, the federated user is
// made and the app gets its code; IdP-initiated sign-in where IDPInit allows it; and the bad
// responses, each ending at the app's callback or on the error page, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "../../../test-support/browser.js";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin, postForm } from "../../../test-support/hosted-fixtures.js";
import { createSamlIdp, type TestSamlIdp } from "../../../test-support/saml-idp.js";
import { ManualClock } from "../../core/clock.js";
import { samlSpEntityId } from "../../domain/federation/saml.js";

const clock = new ManualClock();
let h: Hosted;
let idp: TestSamlIdp;
let sp: { entityId: string; acsUrl: string };
const MAPPING = { email: "email", given_name: "given_name", "custom:department": "department" };

async function samlProvider(name: string, details: Record<string, string>) {
  return h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: name,
    ProviderType: "SAML",
    ProviderDetails: { MetadataFile: idp.metadata, ...details },
    AttributeMapping: MAPPING,
  });
}

beforeAll(async () => {
  h = await hostedTwin({
    clock,
    pool: { Schema: [{ Name: "department", AttributeDataType: "String", Mutable: true }] },
  });
  idp = await createSamlIdp();
  sp = { entityId: samlSpEntityId(h.poolId), acsUrl: `http://localhost${h.base}/saml2/idpresponse` };
  await samlProvider("CorpSAML", {});
  await samlProvider("Portal", { IDPInit: "true" });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email", "profile"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO", "CorpSAML", "Portal"],
  });
}, 60_000);

afterAll(async () => h?.close());

/** The browser sent to the IdP for `provider`; answers the AuthnRequest the IdP read. */
async function toIdp(browser: Browser, provider = "CorpSAML", state = "app-state") {
  const page = await browser.open(h.authorizeUrl({ identity_provider: provider, state, scope: "openid email" }));
  expect(page.status).toBe(302);
  expect(page.location!.startsWith(`${idp.ssoUrl}?`)).toBe(true);
  return idp.parseRequest(page.location!, sp);
}

function postResponse(browser: Browser, fields: Record<string, string>) {
  return browser.fetch(`${h.base}/saml2/idpresponse`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("SAML provider over the API", () => {
  it("describes it as Cognito echoes it: the SSO redirect URL read from the metadata", async () => {
    const described = await h.api("DescribeIdentityProvider", { UserPoolId: h.poolId, ProviderName: "Portal" });
    const p = described.IdentityProvider as Record<string, Record<string, string>>;
    expect(p.ProviderDetails).toEqual({
      IDPInit: "true",
      MetadataFile: idp.metadata,
      SSORedirectBindingURI: idp.ssoUrl,
    });
  });
});

describe("SP-initiated sign-in", () => {
  it("signs in through the IdP: the federated user, mapped attributes, the app's code and state", async () => {
    const browser = h.browser();
    const request = await toIdp(browser);
    const response = await idp.respond({
      audience: sp.entityId,
      acsUrl: sp.acsUrl,
      request,
      nameId: "jane.doe",
      attributes: { email: "jane@corp.example", given_name: "Jane", department: "R&D" },
    });
    const done = await postResponse(browser, { SAMLResponse: response, RelayState: request.relayState });
    expect(done.status).toBe(302);
    const q = callbackQuery(done.location);
    expect(q.get("state")).toBe("app-state");
    expect(q.get("code")).toMatch(/^[0-9a-f-]{36}$/);

    const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "CorpSAML_jane.doe" });
    expect(user.UserStatus).toBe("EXTERNAL_PROVIDER");
    const attrs = Object.fromEntries(
      (user.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
    );
    expect(attrs).toMatchObject({ email: "jane@corp.example", given_name: "Jane", "custom:department": "R&D" });
    expect(JSON.parse(attrs.identities!)).toMatchObject([
      { userId: "jane.doe", providerName: "CorpSAML", providerType: "SAML" },
    ]);

    const tokens = await postForm(h.twin, `${h.base}/oauth2/token`, {
      grant_type: "authorization_code",
      client_id: h.clientId,
      code: q.get("code")!,
      redirect_uri: CALLBACK,
    });
    expect(tokens.status).toBe(200);
    const id = JSON.parse(Buffer.from(String(tokens.body.id_token).split(".")[1]!, "base64url").toString());
    // The token names the user as Cognito's tokens name federated users: in lower case.
    expect(String(id["cognito:username"]).toLowerCase()).toBe("corpsaml_jane.doe");
  });

  it("sends an unsigned response or one signed by another key back to the app as Cognito does", async () => {
    for (const make of [
      (r: { id: string }) =>
        idp.respond({ ...sp, audience: sp.entityId, request: r, nameId: "eve", signature: "none" }),
      async (r: { id: string }) =>
        (await createSamlIdp({ entityId: idp.entityId })).respond({
          ...sp,
          audience: sp.entityId,
          request: r,
          nameId: "eve",
        }),
    ]) {
      const browser = h.browser();
      const request = await toIdp(browser);
      const done = await postResponse(browser, { SAMLResponse: await make(request), RelayState: request.relayState });
      expect(done.status).toBe(302);
      const q = callbackQuery(done.location);
      expect(q.get("error")).toBe("server_error");
      expect(q.get("error_description")).toBe("Invalid SAML response received: SAML Assertion signature is invalid.");
      expect(q.get("state")).toBe("app-state");
      expect(q.get("code")).toBeNull();
    }
  }, 30_000);

  it("refuses a wrong audience and an assertion expired on the emulator's clock", async () => {
    let browser = h.browser();
    let request = await toIdp(browser);
    const other = await idp.respond({
      ...sp,
      audience: "urn:amazon:cognito:sp:us-east-1_Other0001",
      request,
      nameId: "eve",
    });
    let q = callbackQuery(
      (await postResponse(browser, { SAMLResponse: other, RelayState: request.relayState })).location,
    );
    expect(q.get("error_description")).toBe(
      "Invalid SAML response received: Audience mismatch: the SAML assertion is not for this user pool.",
    );

    // Valid for a minute from the emulator's now; the emulator's clock then moves three minutes
    // (the round trip itself lives five), past the assertion and the minute of skew allowed.
    browser = h.browser();
    request = await toIdp(browser);
    const response = await idp.respond({
      ...sp,
      audience: sp.entityId,
      request,
      nameId: "eve",
      at: new Date(clock.now()),
      lifetimeSeconds: 60,
    });
    clock.advance(3 * 60);
    q = callbackQuery(
      (await postResponse(browser, { SAMLResponse: response, RelayState: request.relayState })).location,
    );
    expect(q.get("error_description")).toBe("Invalid SAML response received: The SAML assertion has expired.");
    expect(q.get("code")).toBeNull();
  }, 30_000);

  it("takes a response once: posting it again finds no sign-in to finish", async () => {
    const browser = h.browser();
    const request = await toIdp(browser);
    const response = await idp.respond({ ...sp, audience: sp.entityId, request, nameId: "jane.doe" });
    const fields = { SAMLResponse: response, RelayState: request.relayState };
    expect(callbackQuery((await postResponse(browser, fields)).location).get("code")).toBeTruthy();
    const again = await postResponse(browser, fields);
    expect(again.status).toBe(400);
    expect(again.body).toContain("Invalid state");
  });
});

describe("IdP-initiated sign-in", () => {
  const relay = (provider: string) =>
    new URLSearchParams({
      identity_provider: provider,
      client_id: h.clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      scope: "openid email",
    }).toString();

  it("takes an unsolicited response for a provider with IDPInit, once", async () => {
    const response = await idp.respond({
      ...sp,
      audience: sp.entityId,
      nameId: "kim",
      attributes: { email: "kim@corp.example" },
    });
    const browser = h.browser();
    const done = await postResponse(browser, { SAMLResponse: response, RelayState: relay("Portal") });
    expect(done.status).toBe(302);
    expect(callbackQuery(done.location).get("code")).toMatch(/^[0-9a-f-]{36}$/);
    const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "Portal_kim" });
    expect(user.UserStatus).toBe("EXTERNAL_PROVIDER");

    const replayed = await postResponse(h.browser(), { SAMLResponse: response, RelayState: relay("Portal") });
    expect(callbackQuery(replayed.location).get("error_description")).toBe(
      "Invalid SAML response received: The SAML assertion has already been used.",
    );
  });

  it("shows Cognito's error page for a provider without IDPInit, and never a 5xx for garbage", async () => {
    const response = await idp.respond({ ...sp, audience: sp.entityId, nameId: "kim" });
    const refused = await postResponse(h.browser(), { SAMLResponse: response, RelayState: relay("CorpSAML") });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Invalid samlResponse or relayState from identity provider");

    const garbage = await postResponse(h.browser(), { SAMLResponse: "%%%", RelayState: relay("Portal") });
    expect(garbage.status).toBe(302);
    expect(callbackQuery(garbage.location).get("error")).toBe("server_error");
    const noRelay = await postResponse(h.browser(), { SAMLResponse: response });
    expect(noRelay.status).toBe(400);
  });
});
