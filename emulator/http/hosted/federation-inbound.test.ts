// The inbound federation trigger (LambdaConfig.InboundFederation) on real federated sign-ins:
// through an OIDC provider (panva's oidc-provider on a loopback port) and through the built-in
// Google stand-in, from the app's authorize request to its callback. The event Cognito documents
// (InboundFederation_ExternalProvider, the provider's name and type, its raw answer), the
// attributes the function answers being what AttributeMapping maps (`{}` keeps them, an omitted
// one is dropped), and a failing function ending at the callback with Cognito's error and no user.
// Then pre and post authentication, which AWS lists for a federated user's subsequent sign-ins.
import type { InboundFederationTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK, callbackQuery, type Hosted, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { followUpstream, type OidcUpstream, startOidcProvider } from "../../../test-support/oidc-upstream.js";
import { ManualClock } from "../../core/clock.js";

const INBOUND = "arn:aws:lambda:us-east-1:123456789012:function:inbound-federation";
const clock = new ManualClock();
let h: Hosted;
let upstream: OidcUpstream;
const accounts: Record<string, Record<string, unknown>> = {
  alice: { email: "alice@example.com", email_verified: true, name: "Alice Upstream" },
  bob: { email: "bob@example.com", email_verified: true, name: "Bob Upstream" },
  carol: { email: "carol@example.com", email_verified: true, name: "Carol Upstream" },
  dave: { email: "dave@example.com", email_verified: true, name: "Dave Upstream" },
};
const events: InboundFederationTriggerEvent[] = [];

beforeAll(async () => {
  h = await hostedTwin({
    clock,
    pool: { LambdaConfig: { InboundFederation: { LambdaVersion: "V1_0", LambdaArn: INBOUND } } },
  });
  upstream = await startOidcProvider({ redirectUris: [`http://localhost${h.base}/oauth2/idpresponse`], accounts });
  await h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: "Okta",
    ProviderType: "OIDC",
    ProviderDetails: {
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      authorize_scopes: "openid email profile",
      oidc_issuer: upstream.issuer,
      attributes_request_method: "GET",
    },
    AttributeMapping: { email: "email", name: "name", email_verified: "email_verified" },
  });
  await h.api("CreateIdentityProvider", {
    UserPoolId: h.poolId,
    ProviderName: "Google",
    ProviderType: "Google",
    ProviderDetails: {
      client_id: "123-abc.apps.googleusercontent.com",
      client_secret: "google-secret",
      authorize_scopes: "email profile openid",
    },
    AttributeMapping: { email: "email", name: "name", given_name: "given_name" },
  });
  await h.api("UpdateUserPoolClient", {
    UserPoolId: h.poolId,
    ClientId: h.clientId,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email", "profile"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO", "Okta", "Google"],
  });
});

afterAll(async () => {
  await upstream?.close();
  await h?.close();
});

afterEach(() => {
  h.twin.triggers.clear();
  events.length = 0;
});

/** Sets the inbound federation function: it records the event and answers `answer(event)`. */
function inbound(answer: (event: InboundFederationTriggerEvent) => Record<string, unknown> | undefined) {
  h.twin.triggers.set(INBOUND, async (event: InboundFederationTriggerEvent) => {
    events.push(structuredClone(event));
    const attributes = answer(event);
    if (attributes) event.response.userAttributesToMap = attributes as Record<string, string>;
    return event;
  });
}

/** Signs `account` in at the OIDC provider: the app callback's query. */
async function signInOkta(account: string): Promise<URLSearchParams> {
  upstream.next = { account };
  const browser = h.browser();
  const start = await browser.get(h.authorizeUrl({ identity_provider: "Okta", scope: "openid email", state: "s1" }));
  expect(start.status).toBe(302);
  const done = await browser.get(await followUpstream(start.location!));
  return callbackQuery(done.location);
}

async function attributesOf(username: string): Promise<Record<string, string> | undefined> {
  const out = await h.api("ListUsers", { UserPoolId: h.poolId, Filter: `username = "${username}"` });
  const [user] = out.Users as { Attributes: { Name: string; Value: string }[] }[];
  return user ? Object.fromEntries(user.Attributes.map((a) => [a.Name, a.Value])) : undefined;
}

describe("inbound federation through an OIDC provider", () => {
  it("sends Cognito's event and maps the attributes the function answers", async () => {
    inbound((event) => ({
      ...event.request.attributes.idToken,
      ...event.request.attributes.userInfo,
      name: "Alice Rewritten",
    }));
    const q = await signInOkta("alice");
    expect(q.get("error"), q.get("error_description") ?? "").toBeNull();
    expect(q.get("code")).toBeTruthy();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      version: "1",
      triggerSource: "InboundFederation_ExternalProvider",
      userPoolId: h.poolId,
      userName: "alice",
      callerContext: { clientId: h.clientId },
      request: { providerName: "Okta", providerType: "OIDC" },
      response: { userAttributesToMap: {} },
    });
    const { tokenResponse, idToken, userInfo, samlResponse } = event!.request.attributes;
    expect(samlResponse).toBeUndefined();
    expect(tokenResponse).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i) });
    expect(typeof tokenResponse!.access_token).toBe("string");
    expect(String(tokenResponse!.id_token).split(".")).toHaveLength(3);
    expect(idToken).toMatchObject({ sub: "alice", iss: upstream.issuer });
    expect(userInfo).toMatchObject({ sub: "alice", email: "alice@example.com" });
    expect(await attributesOf("okta_alice")).toMatchObject({ email: "alice@example.com", name: "Alice Rewritten" });
  });

  it("runs again on a returning sign-in; an empty map keeps the provider's attributes", async () => {
    inbound(() => ({}));
    const q = await signInOkta("alice");
    expect(q.get("error")).toBeNull();
    expect(events.map((e) => e.triggerSource)).toEqual(["InboundFederation_ExternalProvider"]);
    expect((await attributesOf("okta_alice"))?.name).toBe("Alice Upstream");
  });

  it("drops an attribute the function leaves out of its answer", async () => {
    inbound(() => ({ email: "carol@example.com" }));
    const q = await signInOkta("carol");
    expect(q.get("error")).toBeNull();
    const attributes = await attributesOf("okta_carol");
    expect(attributes?.email).toBe("carol@example.com");
    expect(attributes?.name).toBeUndefined();
  });

  it("a function that throws ends at the callback with UserLambdaValidationException's message, and no user", async () => {
    h.twin.triggers.set(INBOUND, () => {
      throw new Error("no federation today");
    });
    const q = await signInOkta("bob");
    expect(q.get("code")).toBeNull();
    expect(q.get("error")).toBe("invalid_request");
    expect(q.get("error_description")).toContain("InboundFederation failed with error no federation today.");
    expect(await attributesOf("okta_bob")).toBeUndefined();
  });

  it("an answer of the wrong shape is InvalidLambdaResponseException's message, and no user", async () => {
    inbound(() => undefined);
    h.twin.triggers.set(INBOUND, (event: InboundFederationTriggerEvent) => ({
      ...event,
      response: { userAttributesToMap: "email=bob@example.com" },
    }));
    const q = await signInOkta("bob");
    expect(q.get("code")).toBeNull();
    expect(q.get("error")).toBe("invalid_request");
    expect(q.get("error_description")).toContain("Unrecognizable lambda output");
    expect(await attributesOf("okta_bob")).toBeUndefined();
  });

  it("a function that is mapped to nothing fails the sign-in, never skipped", async () => {
    const q = await signInOkta("bob");
    expect(q.get("code")).toBeNull();
    expect(q.get("error_description")).toContain("InboundFederation invocation failed due to error");
    expect(await attributesOf("okta_bob")).toBeUndefined();
  });
});

describe("inbound federation through the Google stand-in", () => {
  it("carries Google's token response, id token claims and profile; its answer is what is mapped", async () => {
    inbound((event) => ({ ...event.request.attributes.userInfo, given_name: "Gilbert" }));
    const browser = h.browser();
    const start = await browser.get(
      h.authorizeUrl({ identity_provider: "Google", scope: "openid email profile", state: "g1" }),
    );
    expect(start.status).toBe(302);
    const providerPage = await browser.get(start.location!);
    const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g;
    let action = "";
    const fields: Record<string, string> = {};
    for (const m of providerPage.body.matchAll(form)) {
      const hidden: Record<string, string> = {};
      for (const input of m[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
        const name = /name="([^"]*)"/.exec(input[0])?.[1];
        if (name) hidden[name] = (/value="([^"]*)"/.exec(input[0])?.[1] ?? "").replaceAll("&amp;", "&");
      }
      if (hidden.choice === "new") {
        action = m[1]!.replaceAll("&amp;", "&");
        Object.assign(fields, hidden);
      }
    }
    expect(action).not.toBe("");
    const answer = await browser.post(new URL(action, providerPage.url).toString(), {
      ...fields,
      email: "gil@example.com",
      given_name: "Gil",
      family_name: "Moe",
    });
    expect(answer.status).toBe(302);
    const back = await browser.follow(await browser.get(answer.location!));
    const q = callbackQuery(back.location ?? answer.location);
    expect(q.get("error"), q.get("error_description") ?? "").toBeNull();

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.request).toMatchObject({ providerName: "Google", providerType: "Google" });
    const { tokenResponse, idToken, userInfo } = event!.request.attributes;
    expect(typeof tokenResponse!.access_token).toBe("string");
    expect(idToken).toMatchObject({ iss: "https://accounts.google.com", email: "gil@example.com" });
    expect(userInfo).toMatchObject({ email: "gil@example.com", given_name: "Gil" });
    expect(event!.userName).toBe(idToken!.sub);
    const attributes = await attributesOf(`google_${idToken!.sub}`);
    expect(attributes).toMatchObject({ email: "gil@example.com", given_name: "Gilbert" });
  });
});

describe("pre and post authentication on federated sign-ins", () => {
  const PRE_AUTH = "arn:aws:lambda:us-east-1:123456789012:function:pre-auth";
  const POST_AUTH = "arn:aws:lambda:us-east-1:123456789012:function:post-auth";
  const seen: { triggerSource: string; userName: string; request: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    // UpdateUserPool replaces LambdaConfig: all three triggers are named.
    await h.api("UpdateUserPool", {
      UserPoolId: h.poolId,
      LambdaConfig: {
        InboundFederation: { LambdaVersion: "V1_0", LambdaArn: INBOUND },
        PreAuthentication: PRE_AUTH,
        PostAuthentication: POST_AUTH,
      },
    });
  });
  const record = (event: { triggerSource: string; userName: string; request: Record<string, unknown> }) => {
    seen.push(structuredClone(event));
    return event;
  };

  it("runs neither on the first sign-in, and both (in order) on every later one", async () => {
    seen.length = 0;
    inbound(() => ({}));
    h.twin.triggers.set(PRE_AUTH, record);
    h.twin.triggers.set(POST_AUTH, record);
    expect((await signInOkta("dave")).get("error")).toBeNull();
    expect(seen).toEqual([]);

    inbound(() => ({}));
    h.twin.triggers.set(PRE_AUTH, record);
    h.twin.triggers.set(POST_AUTH, record);
    expect((await signInOkta("dave")).get("error")).toBeNull();
    expect(seen.map((e) => [e.triggerSource, e.userName])).toEqual([
      ["PreAuthentication_Authentication", "okta_dave"],
      ["PostAuthentication_Authentication", "okta_dave"],
    ]);
    expect(seen[0]!.request).toMatchObject({
      userAttributes: { "cognito:user_status": "EXTERNAL_PROVIDER", email: "dave@example.com" },
      validationData: {},
    });
    expect(seen[1]!.request).toMatchObject({ newDeviceUsed: false });
  });

  it("a pre authentication refusal ends at the callback and leaves the user as it was", async () => {
    inbound(() => ({ email: "dave@example.com", name: "Dave Renamed" }));
    h.twin.triggers.set(PRE_AUTH, () => {
      throw new Error("not today");
    });
    h.twin.triggers.set(POST_AUTH, record);
    const q = await signInOkta("dave");
    expect(q.get("code")).toBeNull();
    expect(q.get("error_description")).toContain("PreAuthentication failed with error not today.");
    expect((await attributesOf("okta_dave"))?.name).toBe("Dave Upstream");
  });

  it("a post authentication failure gives no code", async () => {
    inbound(() => ({}));
    h.twin.triggers.set(PRE_AUTH, record);
    h.twin.triggers.set(POST_AUTH, () => {
      throw new Error("audit log is down");
    });
    const q = await signInOkta("dave");
    expect(q.get("code")).toBeNull();
    expect(q.get("error_description")).toContain("PostAuthentication failed with error audit log is down.");
  });
});
