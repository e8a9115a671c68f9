// The inbound federation trigger on a SAML sign-in (samlify's IdP, test-support/saml-idp.ts):
// `providerType` SAML, the assertion's attributes as `request.attributes.samlResponse`, and its
// `userAttributesToMap` being what the provider's AttributeMapping maps onto the new user.
import type { InboundFederationTriggerEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { createSamlIdp, type TestSamlIdp } from "../../../test-support/saml-idp.js";
import { ManualClock } from "../../core/clock.js";
import { samlSpEntityId } from "../../domain/federation/saml.js";

const INBOUND = "arn:aws:lambda:us-east-1:123456789012:function:inbound-federation";
const clock = new ManualClock();
let h: Hosted;
let idp: TestSamlIdp;
let sp: { entityId: string; acsUrl: string; signingCert: string };

beforeAll(async () => {
  h = await hostedTwin({
    clock,
    pool: { LambdaConfig: { InboundFederation: { LambdaVersion: "V1_0", LambdaArn: INBOUND } } },
  });
  idp = await createSamlIdp();
  sp = {
    entityId: samlSpEntityId(h.poolId),
    acsUrl: `http://localhost${h.base}/saml2/idpresponse`,
    signingCert: String((await h.api("GetSigningCertificate", { UserPoolId: h.poolId })).Certificate),
  };
  await h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: "Corp",
    ProviderType: "SAML",
    ProviderDetails: { MetadataFile: idp.metadata },
    AttributeMapping: { email: "email", given_name: "given_name", family_name: "family_name" },
  });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO", "Corp"],
  });
}, 90_000);
afterAll(async () => h?.close());

describe("inbound federation on a SAML sign-in", () => {
  it("gets the assertion's attributes as samlResponse; its answer is what is mapped", async () => {
    const events: InboundFederationTriggerEvent[] = [];
    h.twin.triggers.set(INBOUND, (event: InboundFederationTriggerEvent) => {
      events.push(structuredClone(event));
      const { family_name: _dropped, ...kept } = event.request.attributes.samlResponse!;
      event.response.userAttributesToMap = { ...kept, given_name: String(kept.given_name).toUpperCase() };
      return event;
    });
    const browser = h.browser();
    const page = await browser.open(h.authorizeUrl({ identity_provider: "Corp", state: "s1", scope: "openid email" }));
    expect(page.status).toBe(302);
    const request = await idp.parseRequest(page.location!, sp);
    const samlResponse = await idp.respond({
      ...sp,
      audience: sp.entityId,
      request,
      nameId: "sam.user",
      attributes: { email: "sam@example.com", given_name: "Sam", family_name: "Lee", department: "R&D" },
    });
    const done = await browser.fetch(`${h.base}/saml2/idpresponse`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: request.relayState }).toString(),
    });
    const q = callbackQuery(done.location);
    expect(q.get("error"), q.get("error_description") ?? "").toBeNull();

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      triggerSource: "InboundFederation_ExternalProvider",
      userName: "sam.user",
      request: {
        providerName: "Corp",
        providerType: "SAML",
        attributes: {
          samlResponse: { email: "sam@example.com", given_name: "Sam", family_name: "Lee", department: "R&D" },
        },
      },
    });
    expect(Object.keys(events[0]!.request.attributes)).toEqual(["samlResponse"]);
    const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "Corp_sam.user" });
    const attributes = Object.fromEntries(
      (user.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
    );
    expect(attributes).toMatchObject({ email: "sam@example.com", given_name: "SAM" });
    expect(attributes.family_name).toBeUndefined();
  }, 60_000);
});
