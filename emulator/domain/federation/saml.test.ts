// The SAML service provider against a real IdP (samlify's, test-support/saml-idp.ts): the
// AuthnRequest it parses, the responses it signs, and each way a response is refused.
import { beforeAll, describe, expect, it } from "vitest";
import { createSamlIdp, samlKeyPair, type TestSamlIdp } from "../../../test-support/saml-idp.js";
import { CognitoError } from "../../core/errors.js";
import {
  checkSamlProviderDetails,
  finishSamlSignIn,
  parseSamlMetadata,
  type SamlEndpoint,
  type SamlReplayGuard,
  SamlSignInError,
  samlSpEntityId,
  startSamlSignIn,
} from "./saml.js";

const POOL = "us-east-1_Saml00001";
const ACS = "http://127.0.0.1:9229/_domain/myapp/saml2/idpresponse";
const SP = { entityId: samlSpEntityId(POOL), acsUrl: ACS };

function guard(): SamlReplayGuard {
  const seen = new Set<string>();
  return {
    firstUse: (id) => {
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    },
  };
}

let idp: TestSamlIdp;
let endpoint: SamlEndpoint;
beforeAll(async () => {
  idp = await createSamlIdp();
  endpoint = { details: { MetadataFile: idp.metadata }, poolId: POOL, acsUrl: ACS };
}, 30_000);

async function failure(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SamlSignInError);
  return (e as Error).message;
}

describe("SAML metadata and ProviderDetails", () => {
  it("reads the entity id, the redirect SSO URL and the signing certificate of an IdP's metadata", () => {
    const m = parseSamlMetadata(idp.metadata);
    expect(m).toMatchObject({ entityId: idp.entityId, ssoRedirectUrl: idp.ssoUrl });
    expect(typeof m === "string" ? [] : m.signingCertificates).toHaveLength(1);
    expect(parseSamlMetadata("<not xml")).toBe("the metadata is not well-formed XML");
    expect(parseSamlMetadata('<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>')).toBe(
      "the metadata has no IDPSSODescriptor",
    );
  });

  it("echoes the details with the SSORedirectBindingURI Cognito adds, fetching a MetadataURL", async () => {
    const now = Date.now();
    expect(await checkSamlProviderDetails({ MetadataFile: idp.metadata, IDPInit: "true" }, now)).toEqual({
      IDPInit: "true",
      MetadataFile: idp.metadata,
      SSORedirectBindingURI: idp.ssoUrl,
    });
    const fetched: string[] = [];
    const viaUrl = await checkSamlProviderDetails({ MetadataURL: "http://127.0.0.1:1/metadata" }, now, async (url) => {
      fetched.push(url);
      return idp.metadata;
    });
    expect(fetched).toEqual(["http://127.0.0.1:1/metadata"]);
    expect(viaUrl).toEqual({ MetadataURL: "http://127.0.0.1:1/metadata", SSORedirectBindingURI: idp.ssoUrl });
  });

  it("refuses bad metadata, an unreachable MetadataURL, an expired certificate and what it cannot do", async () => {
    const now = Date.now();
    const refused = async (details: Record<string, string>, fetcher?: () => Promise<string>) => {
      const e = await checkSamlProviderDetails(details, now, fetcher).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(CognitoError);
      return `${(e as CognitoError).type}: ${(e as CognitoError).message}`;
    };
    expect(await refused({ IDPInit: "true" })).toMatch(/^InvalidParameterException: /);
    expect(await refused({ MetadataFile: "<x/>" })).toBe(
      "InvalidParameterException: Invalid SAML metadata: the metadata has no IDPSSODescriptor.",
    );
    expect(
      await refused({ MetadataURL: "http://127.0.0.1:1/m" }, async () => {
        throw new Error("connect ECONNREFUSED");
      }),
    ).toBe("InvalidParameterException: Unable to retrieve metadata from http://127.0.0.1:1/m: connect ECONNREFUSED");
    expect(await refused({ MetadataFile: idp.metadata, IDPInit: "yes" })).toMatch(/IDPInit must be true or false/);
    // IDPSignout needs the IdP's SingleLogoutService (this IdP's metadata names none).
    expect(await refused({ MetadataFile: idp.metadata, IDPSignout: "true" })).toBe(
      "InvalidParameterException: IDPSignout requires a SingleLogoutService with the HTTP-Redirect binding in the SAML metadata.",
    );
    const old = await createSamlIdp({ keys: await samlKeyPair("old", 1, new Date(now - 3 * 86_400_000)) });
    expect(await refused({ MetadataFile: old.metadata })).toBe(
      "InvalidParameterException: The signing certificate in the SAML metadata has expired.",
    );
  }, 30_000);
});

describe("SP-initiated sign-in", () => {
  it("sends an AuthnRequest the IdP parses, and takes its signed answer", async () => {
    const start = await startSamlSignIn(endpoint, "state-123");
    expect(start.url.startsWith(`${idp.ssoUrl}?`)).toBe(true);
    const request = await idp.parseRequest(start.url, SP);
    expect(request).toEqual({ id: start.requestId, relayState: "state-123" });

    const response = await idp.respond({
      ...SP,
      audience: SP.entityId,
      request,
      nameId: "jane@corp.example",
      attributes: { email: "jane@corp.example", given_name: "Jane", department: "R&D <1>" },
    });
    const identity = await finishSamlSignIn(endpoint, response, {
      expectedRequestId: start.requestId,
      now: Date.now(),
      replay: guard(),
    });
    expect(identity).toEqual({
      subject: "jane@corp.example",
      attributes: { email: "jane@corp.example", given_name: "Jane", department: "R&D <1>" },
      // What a LogoutRequest would name (no AuthnStatement here, so no SessionIndex).
      saml: {
        nameId: "jane@corp.example",
        nameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
        sessionIndex: undefined,
      },
    });
  }, 30_000);

  it("refuses a response to another request, and an unsolicited one", async () => {
    const start = await startSamlSignIn(endpoint, "s");
    const other = await idp.respond({ ...SP, audience: SP.entityId, request: { id: "_another" }, nameId: "u" });
    expect(
      await failure(
        finishSamlSignIn(endpoint, other, { expectedRequestId: start.requestId, now: Date.now(), replay: guard() }),
      ),
    ).toBe("The SAML response does not answer a sign-in request of this user pool.");
    const unsolicited = await idp.respond({ ...SP, audience: SP.entityId, nameId: "u" });
    expect(
      await failure(
        finishSamlSignIn(endpoint, unsolicited, {
          expectedRequestId: start.requestId,
          now: Date.now(),
          replay: guard(),
        }),
      ),
    ).toBe("The SAML response does not answer a sign-in request of this user pool.");
  }, 30_000);
});

describe("responses refused (IdP-initiated, so nothing else is in the way)", () => {
  const finish = (response: string, now = Date.now(), replay = guard()) =>
    finishSamlSignIn(endpoint, response, { now, replay });

  it("takes a good unsolicited response once: the second time is a replay", async () => {
    const response = await idp.respond({ ...SP, audience: SP.entityId, nameId: "bob" });
    const replay = guard();
    expect((await finish(response, Date.now(), replay)).subject).toBe("bob");
    expect(await failure(finish(response, Date.now(), replay))).toBe("The SAML assertion has already been used.");
  });

  it("refuses an unsigned response and one signed by another key", async () => {
    const unsigned = await idp.respond({ ...SP, audience: SP.entityId, nameId: "bob", signature: "none" });
    expect(unsigned).not.toContain("Signature");
    expect(await failure(finish(unsigned))).toBe("SAML Assertion signature is invalid.");
    const impostor = await createSamlIdp({ entityId: idp.entityId, signWith: await samlKeyPair("impostor") });
    const forged = await impostor.respond({ ...SP, audience: SP.entityId, nameId: "bob" });
    expect(await failure(finish(forged))).toBe("SAML Assertion signature is invalid.");
  }, 30_000);

  it("refuses another audience, another Destination and another issuer", async () => {
    const wrongAudience = await idp.respond({ ...SP, audience: samlSpEntityId("us-east-1_Other0001"), nameId: "bob" });
    expect(await failure(finish(wrongAudience))).toBe(
      "Audience mismatch: the SAML assertion is not for this user pool.",
    );
    const elsewhere = await idp.respond({
      audience: SP.entityId,
      acsUrl: "https://elsewhere.example/acs",
      nameId: "bob",
    });
    expect(await failure(finish(elsewhere))).toBe(
      "The SAML response's Destination is not this user pool's /saml2/idpresponse.",
    );
    const stranger = await createSamlIdp({ entityId: "https://stranger.example/idp" });
    const strangers = await stranger.respond({ ...SP, audience: SP.entityId, nameId: "bob" });
    expect(await failure(finish(strangers))).toBe("SAML Assertion signature is invalid.");
  }, 30_000);

  it("judges NotBefore and NotOnOrAfter on the emulator's clock, with a minute's skew", async () => {
    const at = new Date("2030-01-01T00:00:00Z");
    const response = await idp.respond({ ...SP, audience: SP.entityId, nameId: "bob", at, lifetimeSeconds: 300 });
    const t = at.getTime();
    expect(await failure(finish(response, t - 61_000))).toBe("The SAML assertion is not yet valid.");
    expect(await failure(finish(response, t + 300_000 + 60_000))).toBe("The SAML assertion has expired.");
    expect((await finish(response, t + 300_000 + 59_000)).subject).toBe("bob");
  });

  it("refuses garbage, an empty SAMLResponse and one past Cognito's 100,000 characters", async () => {
    expect(await failure(finish(Buffer.from("<nope/>").toString("base64")))).toBe(
      "The SAML response could not be read.",
    );
    expect(await failure(finish("%%%not base64"))).toMatch(/./);
    expect(await failure(finish(""))).toBe("The request has no SAMLResponse.");
    expect(await failure(finish("A".repeat(100_001)))).toBe("The SAMLResponse is longer than 100000 characters.");
  });
});
