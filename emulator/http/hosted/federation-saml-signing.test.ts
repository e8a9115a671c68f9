// SAML signing, encryption and single logout end to end over HTTP, against a real IdP (samlify's,
// test-support/saml-idp.ts): GetSigningCertificate; an AuthnRequest signed with it that samlify
// verifies (RequestSigningAlgorithm); an assertion samlify encrypts to the provider's
// ActiveEncryptionCertificate (EncryptedResponses), and an unencrypted one refused; /logout
// sending a signed LogoutRequest to the IdP (IDPSignout) and its LogoutResponse at /saml2/logout.
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "../../../test-support/browser.js";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin, LOGOUT } from "../../../test-support/hosted-fixtures.js";
import { createSamlIdp, type TestSamlIdp } from "../../../test-support/saml-idp.js";
import { call } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";
import { samlSpEntityId } from "../../domain/federation/saml.js";

const clock = new ManualClock();
let h: Hosted;
/** An IdP that insists on signed requests and has a SingleLogoutService. */
let idp: TestSamlIdp;
let signingCert: string;
let sp: { entityId: string; acsUrl: string; sloUrl: string; signingCert: string };

beforeAll(async () => {
  h = await hostedTwin({ clock });
  idp = await createSamlIdp({ wantAuthnRequestsSigned: true, sloUrl: "https://idp.example.test/slo" });
  signingCert = String((await h.api("GetSigningCertificate", { UserPoolId: h.poolId })).Certificate);
  sp = {
    entityId: samlSpEntityId(h.poolId),
    acsUrl: `http://localhost${h.base}/saml2/idpresponse`,
    sloUrl: `http://localhost${h.base}/saml2/logout`,
    signingCert,
  };
  const provider = (name: string, details: Record<string, string>) =>
    h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: name,
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: idp.metadata, ...details },
      AttributeMapping: { email: "email" },
    });
  await provider("Signed", { RequestSigningAlgorithm: "rsa-sha256", IDPSignout: "true" });
  await provider("Unsigned", {});
  await provider("Encrypted", { RequestSigningAlgorithm: "rsa-sha256", EncryptedResponses: "true" });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    LogoutURLs: [LOGOUT],
    SupportedIdentityProviders: ["COGNITO", "Signed", "Unsigned", "Encrypted"],
  });
}, 90_000);

afterAll(async () => h?.close());

async function toIdp(browser: Browser, provider: string) {
  const page = await browser.open(h.authorizeUrl({ identity_provider: provider, state: "s1", scope: "openid email" }));
  expect(page.status).toBe(302);
  return page.location!;
}

function post(browser: Browser, path: string, fields: Record<string, string>) {
  return browser.fetch(`${h.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

async function providerDetails(name: string): Promise<Record<string, string>> {
  const described = await h.api("DescribeIdentityProvider", { UserPoolId: h.poolId, ProviderName: name });
  return (described.IdentityProvider as { ProviderDetails: Record<string, string> }).ProviderDetails;
}

describe("GetSigningCertificate", () => {
  it("answers the pool's certificate: base64 DER, valid ten years from the emulator's clock, the same every time", async () => {
    const x509 = new X509Certificate(Buffer.from(signingCert, "base64"));
    expect(Date.parse(x509.validFrom)).toBeLessThanOrEqual(clock.now());
    const years = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (365.25 * 86_400_000);
    expect(Math.round(years)).toBe(10);
    expect(x509.subject).toContain(h.poolId);
    const again = await h.api("GetSigningCertificate", { UserPoolId: h.poolId });
    expect(again.Certificate).toBe(signingCert);
  });

  it("answers ResourceNotFoundException for a pool that does not exist", async () => {
    const res = await call(h.twin, "GetSigningCertificate", { UserPoolId: "us-east-1_Missing00" });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("ResourceNotFoundException");
  });
});

describe("signed AuthnRequests (RequestSigningAlgorithm)", () => {
  it("signs the request with the pool's certificate: RSA-SHA256, verified by the IdP", async () => {
    const parsed = await idp.parseRequest(await toIdp(h.browser(), "Signed"), sp);
    expect(parsed.sigAlg).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    expect(parsed.id).toMatch(/^_/);
  });

  it("sends an unsigned request for a provider without it, which this IdP refuses", async () => {
    const location = await toIdp(h.browser(), "Unsigned");
    expect(new URL(location).searchParams.has("Signature")).toBe(false);
    await expect(idp.parseRequest(location, sp)).rejects.toThrow(/SIG/);
  });

  it("a request signed by another pool's certificate does not verify", async () => {
    const other = await hostedTwin({ clock });
    try {
      const cert = String((await other.api("GetSigningCertificate", { UserPoolId: other.poolId })).Certificate);
      const location = await toIdp(h.browser(), "Signed");
      await expect(idp.parseRequest(location, { ...sp, signingCert: cert })).rejects.toThrow(/SIGNATURE/);
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe("encrypted assertions (EncryptedResponses)", () => {
  it("describes the provider's ActiveEncryptionCertificate, kept across updates", async () => {
    const details = await providerDetails("Encrypted");
    expect(details.ActiveEncryptionCertificate).toMatch(/^MII/);
    expect(details).toMatchObject({ EncryptedResponses: "true", RequestSigningAlgorithm: "rsa-sha256" });
    await h.api("UpdateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "Encrypted",
      ProviderDetails: {
        MetadataFile: idp.metadata,
        EncryptedResponses: "true",
        RequestSigningAlgorithm: "rsa-sha256",
      },
    });
    expect((await providerDetails("Encrypted")).ActiveEncryptionCertificate).toBe(details.ActiveEncryptionCertificate);
    expect((await providerDetails("Signed")).ActiveEncryptionCertificate).toBeUndefined();
  });

  it("signs in with an assertion the IdP encrypted to it; refuses one in the clear", async () => {
    const encryptTo = (await providerDetails("Encrypted")).ActiveEncryptionCertificate!;
    let browser = h.browser();
    let request = await idp.parseRequest(await toIdp(browser, "Encrypted"), sp);
    const sealed = await idp.respond({ ...sp, audience: sp.entityId, request, nameId: "enc.user", encryptTo });
    expect(Buffer.from(sealed, "base64").toString()).toContain("EncryptedAssertion");
    let done = await post(browser, "/saml2/idpresponse", { SAMLResponse: sealed, RelayState: request.relayState });
    expect(callbackQuery(done.location).get("code")).toMatch(/^[0-9a-f-]{36}$/);
    await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "Encrypted_enc.user" });

    browser = h.browser();
    request = await idp.parseRequest(await toIdp(browser, "Encrypted"), sp);
    const clear = await idp.respond({ ...sp, audience: sp.entityId, request, nameId: "enc.user" });
    done = await post(browser, "/saml2/idpresponse", { SAMLResponse: clear, RelayState: request.relayState });
    const q = callbackQuery(done.location);
    expect(q.get("error")).toBe("server_error");
    expect(q.get("error_description")).toBe("Invalid SAML response received: The SAML assertion is not encrypted.");
    expect(q.get("code")).toBeNull();
  }, 30_000);

  it("refuses an assertion encrypted to another certificate", async () => {
    const other = await createSamlIdp();
    const browser = h.browser();
    const request = await idp.parseRequest(await toIdp(browser, "Encrypted"), sp);
    // Another provider's certificate: the pool cannot decrypt it.
    const wrong = await other.respond({
      ...sp,
      audience: sp.entityId,
      request,
      nameId: "x",
      encryptTo: signingCert,
    });
    const done = await post(browser, "/saml2/idpresponse", { SAMLResponse: wrong, RelayState: request.relayState });
    expect(done.status).toBe(302);
    expect(callbackQuery(done.location).get("error")).toBe("server_error");
  }, 30_000);
});

describe("single logout (IDPSignout)", () => {
  async function signIn(browser: Browser) {
    const request = await idp.parseRequest(await toIdp(browser, "Signed"), sp);
    const response = await idp.respond({
      ...sp,
      audience: sp.entityId,
      request,
      nameId: "slo.user",
      sessionIndex: "_session-42",
    });
    const done = await post(browser, "/saml2/idpresponse", { SAMLResponse: response, RelayState: request.relayState });
    expect(callbackQuery(done.location).get("code")).toBeTruthy();
  }
  const logoutUrl = `?${new URLSearchParams({ logout_uri: LOGOUT })}`;

  it("sends a signed LogoutRequest naming the session to the IdP, and its LogoutResponse on to logout_uri", async () => {
    const browser = h.browser();
    await signIn(browser);
    const out = await browser.open(`${h.base}/logout${logoutUrl}&client_id=${h.clientId}`);
    expect(out.status).toBe(302);
    const location = new URL(out.location!);
    expect(`${location.origin}${location.pathname}`).toBe("https://idp.example.test/slo");
    expect(location.searchParams.get("SigAlg")).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    const answer = await idp.answerLogout(out.location!, sp);
    expect(answer).toMatchObject({ nameId: "slo.user", sessionIndex: "_session-42" });

    const back = await post(browser, "/saml2/logout", {
      SAMLResponse: answer.samlResponse,
      RelayState: answer.relayState,
    });
    expect(back.status).toBe(302);
    expect(back.location).toBe(LOGOUT);
    // Taken once: the same answer again finds no sign-out to finish.
    const again = await post(browser, "/saml2/logout", {
      SAMLResponse: answer.samlResponse,
      RelayState: answer.relayState,
    });
    expect(again.status).toBe(400);
    // The managed login session is gone: authorize shows the login page again.
    const page = await browser.open(h.authorizeUrl());
    expect(page.status).toBe(200);
  }, 30_000);

  it("refuses a LogoutResponse signed by another key, on the error page", async () => {
    const browser = h.browser();
    await signIn(browser);
    const out = await browser.open(`${h.base}/logout${logoutUrl}&client_id=${h.clientId}`);
    const forger = await createSamlIdp({ entityId: idp.entityId, sloUrl: "https://idp.example.test/slo" });
    const forged = await forger.answerLogout(out.location!, { ...sp, signingCert: undefined as never });
    const back = await post(browser, "/saml2/logout", {
      SAMLResponse: forged.samlResponse,
      RelayState: forged.relayState,
    });
    expect(back.status).toBe(400);
    expect(back.body).toContain("Invalid SAML logout response");
  }, 30_000);

  it("signs a user of a provider without IDPSignout out locally only", async () => {
    const browser = h.browser();
    const request = await idp.parseRequest(await toIdp(browser, "Encrypted"), sp);
    const encryptTo = (await providerDetails("Encrypted")).ActiveEncryptionCertificate!;
    const response = await idp.respond({ ...sp, audience: sp.entityId, request, nameId: "local.out", encryptTo });
    await post(browser, "/saml2/idpresponse", { SAMLResponse: response, RelayState: request.relayState });
    const out = await browser.open(`${h.base}/logout${logoutUrl}&client_id=${h.clientId}`);
    expect(out.location).toBe(LOGOUT);
  }, 30_000);

  it("refuses IDPSignout for an IdP whose metadata has no SingleLogoutService", async () => {
    const plain = await createSamlIdp();
    const res = await call(h.twin, "CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "NoSlo",
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: plain.metadata, IDPSignout: "true" },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      __type: "InvalidParameterException",
      message: "IDPSignout requires a SingleLogoutService with the HTTP-Redirect binding in the SAML metadata.",
    });
  });

  it("never answers /saml2/logout with a 5xx: garbage, no form, a GET", async () => {
    const browser = h.browser();
    for (const fields of [{}, { RelayState: "x".repeat(500) }, { RelayState: "abc", SAMLResponse: "%%%" }]) {
      const res = await post(browser, "/saml2/logout", fields as Record<string, string>);
      expect(res.status).toBeLessThan(500);
    }
    const raw = await browser.fetch(`${h.base}/saml2/logout`, { method: "POST", body: "not a form" });
    expect(raw.status).toBeLessThan(500);
    const get = await browser.open(`${h.base}/saml2/logout`);
    expect(get.status).toBeLessThan(500);
  });
});
