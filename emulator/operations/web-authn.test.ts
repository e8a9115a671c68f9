// Passkeys through SDK v3 with the software authenticator (test-support/soft-authenticator.ts):
// StartWebAuthnRegistration -> CompleteWebAuthnRegistration -> ListWebAuthnCredentials -> the
// WEB_AUTHN challenge -> DeleteWebAuthnCredential, the relying party's defaults, and every bad
// input the issue names, each refused with Cognito's error, never a 5xx, never tokens.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolDomainCommand,
  DeleteWebAuthnCredentialCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimsOf, createClient, createPool, createUser, signIn } from "../../test-support/auth-fixtures.js";
import { fileClock } from "../../test-support/fixtures.js";
import { refusal } from "../../test-support/refusal.js";
import {
  type CreationOptionsJson,
  type Forgery,
  type RequestOptionsJson,
  SoftAuthenticator,
  type SoftAuthenticatorOptions,
} from "../../test-support/soft-authenticator.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";
import { canSignInWithPasskey, startWebAuthnSignIn } from "../domain/webauthn/sign-in.js";

let t: TestTwin;
const clock = fileClock(() => t?.twin);

beforeAll(async () => {
  t = await startTwin({}, { clock });
});
afterAll(() => t.close());

const RP = "auth.example.com";
const ORIGIN = `https://${RP}`;
const PASSKEY_POLICY = { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD" as const, "WEB_AUTHN" as const] } };
const FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;

let counter = 0;

/** A pool that allows passkeys (RP ID `auth.example.com` unless said), a client, and a user. */
async function passkeyPool(
  webAuthn: SetUserPoolMfaConfigRequest["WebAuthnConfiguration"] | null = { RelyingPartyId: RP },
) {
  const poolId = await createPool(t, { Policies: { ...PASSKEY_POLICY } });
  if (webAuthn) {
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "OFF", WebAuthnConfiguration: webAuthn }),
    );
  }
  const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
  const username = `user${++counter}`;
  await createUser(t, poolId, username);
  const { AccessToken } = await signIn(t, clientId, username);
  return { poolId, clientId, username, accessToken: AccessToken };
}

async function start(accessToken: string): Promise<CreationOptionsJson> {
  const out = await t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
  return out.CredentialCreationOptions as unknown as CreationOptionsJson;
}

async function complete(accessToken: string, credential: Record<string, unknown>) {
  return t.cognito.send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }),
  );
}

/** Registers a passkey of `authenticator` for the signed-in user; answers its credential ID. */
async function register(accessToken: string, authenticator: SoftAuthenticator, forge: Forgery = {}): Promise<string> {
  const credential = authenticator.create(await start(accessToken), forge);
  await complete(accessToken, credential);
  return credential.id as string;
}

/**
 * A WEB_AUTHN challenge for the user: opened by the domain function USER_AUTH calls
 * (startWebAuthnSignIn), as InitiateAuth with PREFERRED_CHALLENGE=WEB_AUTHN opens it.
 */
function webAuthnChallenge(poolId: string, clientId: string, username: string) {
  const { store, clock: c } = t.twin.services;
  const pool = store.getPool(poolId)!;
  const client = store.getClient(clientId)!;
  const user = store.getUser(poolId, username)!;
  const out = startWebAuthnSignIn({ store, clock: c }, pool, client, user);
  return {
    session: out.Session!,
    options: JSON.parse(out.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson,
    name: out.ChallengeName,
  };
}

function answer(clientId: string, username: string, session: string, credential: unknown) {
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "WEB_AUTHN",
      Session: session,
      ChallengeResponses: {
        USERNAME: username,
        CREDENTIAL: typeof credential === "string" ? credential : JSON.stringify(credential),
      },
    }),
  );
}

/** Signs in with the passkey; answers the tokens. */
async function passkeySignIn(poolId: string, clientId: string, username: string, authenticator: SoftAuthenticator) {
  const { session, options } = webAuthnChallenge(poolId, clientId, username);
  const out = await answer(clientId, username, session, authenticator.get(options));
  return out;
}

const authenticator = (options: Partial<SoftAuthenticatorOptions> = {}) =>
  new SoftAuthenticator({ origin: ORIGIN, ...options });

describe("register, list, sign in, delete", () => {
  it("registers a passkey, lists it, signs in with it (no password), and deletes it", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const key = authenticator({ attachment: "platform", transports: ["internal", "hybrid"] });
    const id = await register(accessToken, key);

    const listed = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(listed.Credentials).toHaveLength(1);
    expect(listed.Credentials![0]).toMatchObject({
      CredentialId: id,
      FriendlyCredentialName: "Platform authenticator",
      RelyingPartyId: RP,
      AuthenticatorAttachment: "platform",
      AuthenticatorTransports: ["internal", "hybrid"],
    });
    expect(listed.Credentials![0]!.CreatedAt).toEqual(new Date(Math.floor(clock.now() / 1000) * 1000));
    expect(listed.NextToken).toBeUndefined();

    const { session, options, name } = webAuthnChallenge(poolId, clientId, username);
    expect(name).toBe("WEB_AUTHN");
    expect(options).toMatchObject({
      rpId: RP,
      timeout: 180000,
      userVerification: "preferred",
      allowCredentials: [{ type: "public-key", id, transports: ["internal", "hybrid"] }],
    });
    const out = await answer(clientId, username, session, key.get(options));
    expect(out.ChallengeName).toBeUndefined();
    const tokens = out.AuthenticationResult!;
    expect(claimsOf(tokens.AccessToken!)).toMatchObject({ username, token_use: "access", client_id: clientId });
    expect(tokens.RefreshToken).toBeTruthy();

    await t.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id }));
    const after = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(after.Credentials).toEqual([]);
    // The deleted passkey signs in no more: the authenticator still holds it, the pool does not.
    const again = webAuthnChallenge(poolId, clientId, username);
    expect(again.options.allowCredentials).toEqual([]);
    const refused = await refusal(
      answer(clientId, username, again.session, key.get({ ...again.options, allowCredentials: [] })),
    );
    expect(refused).toMatchObject({ name: "NotAuthorizedException", status: 400 });
    expect(
      await refusal(
        t.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id })),
      ),
    ).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("offers WEB_AUTHN (canSignInWithPasskey) once the user has a passkey for the pool's RP ID", async () => {
    const { poolId, username, accessToken } = await passkeyPool();
    const { store } = t.twin.services;
    const can = () => canSignInWithPasskey(store.getPool(poolId)!, store.getUser(poolId, username)!);
    expect(can()).toBe(false);
    await register(accessToken, authenticator());
    expect(can()).toBe(true);
    // Another RP ID: the passkey stays listed but is not offered.
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: "example.org" } }),
    );
    expect(can()).toBe(false);
  });

  it("shapes CredentialCreationOptions as Cognito does, excluding the passkeys the user has", async () => {
    const { poolId, username, accessToken } = await passkeyPool({ RelyingPartyId: RP, UserVerification: "required" });
    const first = await start(accessToken);
    const sub = t.twin.services.store.getUser(poolId, username)!.sub;
    expect(first).toMatchObject({
      rp: { id: RP, name: RP },
      user: { id: Buffer.from(sub).toString("base64url"), name: username, displayName: username },
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      timeout: 180000,
      excludeCredentials: [],
      authenticatorSelection: { requireResidentKey: true, residentKey: "required", userVerification: "required" },
    });
    expect(Buffer.from(first.challenge, "base64url")).toHaveLength(32);
    const key = authenticator();
    await complete(accessToken, key.create(first));
    const second = await start(accessToken);
    expect(second.challenge).not.toBe(first.challenge);
    expect(second.excludeCredentials).toEqual([
      { type: "public-key", id: expect.any(String), transports: ["internal"] },
    ]);
  });

  it("takes packed (self) attestation and RS256 keys; keeps no counter for authenticators without one", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const packed = authenticator({ attestation: "packed", counterStep: 0 });
    await register(accessToken, packed);
    const rsa = authenticator({ attestation: "packed", algorithm: "RS256", attachment: "cross-platform" });
    await register(accessToken, rsa);
    const listed = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(listed.Credentials!.map((c) => c.FriendlyCredentialName)).toEqual(["Passkey", "Security key"]);
    // A counter of 0 each time (passkey managers keep none) is accepted again and again.
    for (let i = 0; i < 2; i++) {
      const out = await passkeySignIn(poolId, clientId, username, packed);
      expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    }
    expect((await passkeySignIn(poolId, clientId, username, rsa)).AuthenticationResult?.IdToken).toBeTruthy();
  });

  it("pages ListWebAuthnCredentials by MaxResults and NextToken", async () => {
    const { accessToken } = await passkeyPool();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await register(accessToken, authenticator()));
    const page1 = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, MaxResults: 2 }));
    expect(page1.Credentials!.map((c) => c.CredentialId)).toEqual(ids.slice(0, 2));
    const page2 = await t.cognito.send(
      new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, MaxResults: 2, NextToken: page1.NextToken }),
    );
    expect(page2.Credentials!.map((c) => c.CredentialId)).toEqual(ids.slice(2));
    expect(page2.NextToken).toBeUndefined();
    const bad = await refusal(
      t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, NextToken: "nonsense" })),
    );
    expect(bad.name).toBe("InvalidParameterException");
  });

  it("asks for no MFA after a passkey, where a password gets the MFA challenge", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const key = authenticator();
    await register(accessToken, key);
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Sign-in code" },
      }),
    );
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const password = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: "Passw0rd!" },
      }),
    );
    expect(password.ChallengeName).toBe("EMAIL_OTP");
    const passkey = await passkeySignIn(poolId, clientId, username, key);
    expect(passkey.ChallengeName).toBeUndefined();
    expect(passkey.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("verifies the access token on every call", async () => {
    const { accessToken } = await passkeyPool();
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    for (const call of [
      () => t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken })),
      () => complete(accessToken, {}),
      () => t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken })),
      () => t.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: "abc" })),
    ]) {
      expect(await refusal(call())).toMatchObject({
        name: "NotAuthorizedException",
        message: "Access Token has been revoked",
      });
    }
    expect(
      await refusal(t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: "not.a.token" }))),
    ).toMatchObject({ name: "NotAuthorizedException" });
  });
});

describe("through USER_AUTH", () => {
  const userAuth = (clientId: string, username: string, preferred?: string) =>
    t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) },
      }),
    );

  it("PREFERRED_CHALLENGE WEB_AUTHN opens the passkey challenge; its answer signs in", async () => {
    const { clientId, username, accessToken } = await passkeyPool();
    const key = authenticator();
    const id = await register(accessToken, key);
    const started = await userAuth(clientId, username, "WEB_AUTHN");
    expect(started.ChallengeName).toBe("WEB_AUTHN");
    const options = JSON.parse(started.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson;
    expect(options).toMatchObject({ rpId: RP, allowCredentials: [{ type: "public-key", id }] });
    const out = await answer(clientId, username, started.Session!, key.get(options));
    expect(claimsOf(out.AuthenticationResult!.AccessToken!)).toMatchObject({ username });
  });

  it("SELECT_CHALLENGE offers WEB_AUTHN to a user with a passkey, and ANSWER WEB_AUTHN opens it", async () => {
    const { clientId, username, accessToken } = await passkeyPool();
    const before = await userAuth(clientId, username);
    expect(before.AvailableChallenges).not.toContain("WEB_AUTHN");
    const key = authenticator();
    await register(accessToken, key);
    const select = await userAuth(clientId, username);
    expect(select.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(select.AvailableChallenges).toContain("WEB_AUTHN");
    const chosen = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "SELECT_CHALLENGE",
        Session: select.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: "WEB_AUTHN" },
      }),
    );
    expect(chosen.ChallengeName).toBe("WEB_AUTHN");
    const options = JSON.parse(chosen.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson;
    const out = await answer(clientId, username, chosen.Session!, key.get(options));
    expect(out.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it("AdminInitiateAuth and AdminRespondToAuthChallenge take the passkey too", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const key = authenticator();
    await register(accessToken, key);
    const started = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" },
      }),
    );
    expect(started.ChallengeName).toBe("WEB_AUTHN");
    const options = JSON.parse(started.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson;
    const out = await t.cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "WEB_AUTHN",
        Session: started.Session,
        ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(key.get(options)) },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("persistence", () => {
  it("keeps passkeys with the user: exported, imported, and signing in again with the counter kept", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const key = authenticator();
    await register(accessToken, key);
    await passkeySignIn(poolId, clientId, username, key);
    const state = await (await fetch(`${t.url}/_twin/state`)).text();
    const imported = await fetch(`${t.url}/_twin/state`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: state,
    });
    expect(imported.status).toBe(200);
    const user = t.twin.services.store.getUser(poolId, username)!;
    expect(user.webAuthnCredentials).toHaveLength(1);
    expect(user.webAuthnCredentials![0]!.counter).toBe(2);
    expect((await passkeySignIn(poolId, clientId, username, key)).AuthenticationResult).toBeDefined();
    // A state document with a broken passkey is refused, naming the field.
    const broken = JSON.parse(state) as { tables: { users: { webAuthnCredentials?: { counter: unknown }[] }[] } };
    const withPasskey = broken.tables.users.find((u) => u.webAuthnCredentials)!;
    withPasskey.webAuthnCredentials![0]!.counter = "two";
    const refused = await fetch(`${t.url}/_twin/state`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(broken),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("webAuthnCredentials[0].counter");
  });
});

describe("the relying party", () => {
  it("refuses passkeys where the sign-in policy does not allow WEB_AUTHN", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "nopasskeys");
    const { AccessToken } = await signIn(t, clientId, "nopasskeys");
    expect(await refusal(start(AccessToken))).toMatchObject({ name: "WebAuthnNotEnabledException", status: 400 });
    expect(await refusal(complete(AccessToken, {}))).toMatchObject({ name: "WebAuthnNotEnabledException" });
  });

  it("defaults the RP ID to the custom domain, else the prefix domain; without either, configuration missing", async () => {
    const { poolId, accessToken } = await passkeyPool(null);
    expect(await refusal(start(accessToken))).toMatchObject({ name: "WebAuthnConfigurationMissingException" });
    const prefix = `passkeys${counter}`;
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    expect((await start(accessToken)).rp.id).toBe(`${prefix}.auth.us-east-1.amazoncognito.com`);
    await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: `login${counter}.example.org`,
        CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/passkeys" },
      }),
    );
    expect((await start(accessToken)).rp.id).toBe(`login${counter}.example.org`);
    // A configured RelyingPartyId wins over both.
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: "example.org" } }),
    );
    expect((await start(accessToken)).rp.id).toBe("example.org");
  });

  it("validates WebAuthnConfiguration in SetUserPoolMfaConfig", async () => {
    const poolId = await createPool(t, { Policies: { ...PASSKEY_POLICY } });
    for (const rpId of ["https://auth.example.com", "Auth.Example.com", "127.0.0.1", "a..b", "-x.example.com"]) {
      expect(
        await refusal(
          t.cognito.send(
            new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: rpId } }),
          ),
        ),
      ).toMatchObject({ name: "InvalidParameterException" });
    }
    // Passkeys as MFA are taken (web-authn-passkey-mfa.test.ts).
    const multi = await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: {
          RelyingPartyId: "localhost",
          FactorConfiguration: "MULTI_FACTOR_WITH_USER_VERIFICATION",
        },
      }),
    );
    expect(multi.WebAuthnConfiguration?.FactorConfiguration).toBe("MULTI_FACTOR_WITH_USER_VERIFICATION");
    const out = await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" },
      }),
    );
    expect(out.WebAuthnConfiguration).toEqual({ RelyingPartyId: "localhost", UserVerification: "required" });
  });

  it("accepts http only on localhost", async () => {
    const { accessToken } = await passkeyPool({ RelyingPartyId: "localhost" });
    await register(accessToken, new SoftAuthenticator({ origin: "http://localhost:5173" }));
    const other = await passkeyPool({ RelyingPartyId: RP });
    const refused = await refusal(
      complete(other.accessToken, authenticator({ origin: `http://${RP}` }).create(await start(other.accessToken))),
    );
    expect(refused.name).toBe("WebAuthnOriginNotAllowedException");
    // A subdomain of the RP ID may register; a sibling may not.
    await register(other.accessToken, authenticator({ origin: `https://app.${RP}` }));
    const sibling = await refusal(
      complete(
        other.accessToken,
        authenticator({ origin: "https://evil-example.com" }).create(await start(other.accessToken)),
      ),
    );
    expect(sibling.name).toBe("WebAuthnOriginNotAllowedException");
  });
});

describe("bad registrations", () => {
  it("refuses a wrong, expired, absent or used challenge: WebAuthnChallengeNotFoundException", async () => {
    const { accessToken } = await passkeyPool();
    const key = authenticator();
    expect(
      await refusal(complete(accessToken, key.create(await start(accessToken), { challenge: "AAAA" }))),
    ).toMatchObject({
      name: "WebAuthnChallengeNotFoundException",
    });
    // A second Start replaces the first challenge.
    const first = await start(accessToken);
    await start(accessToken);
    expect((await refusal(complete(accessToken, key.create(first)))).name).toBe("WebAuthnChallengeNotFoundException");
    // Expired: the ceremony's three minutes are over.
    const late = await start(accessToken);
    clock.advance(181);
    expect((await refusal(complete(accessToken, key.create(late)))).name).toBe("WebAuthnChallengeNotFoundException");
    // Used: the challenge is gone after a registration.
    const once = await start(accessToken);
    await complete(accessToken, key.create(once));
    expect((await refusal(complete(accessToken, key.create(once)))).name).toBe("WebAuthnChallengeNotFoundException");
  });

  it("refuses a registration finished with another client's token: WebAuthnClientMismatchException", async () => {
    const { poolId, username, accessToken } = await passkeyPool();
    const { clientId: other } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
    const options = await start(accessToken);
    const { AccessToken: otherToken } = await signIn(t, other, username);
    expect((await refusal(complete(otherToken, authenticator().create(options)))).name).toBe(
      "WebAuthnClientMismatchException",
    );
  });

  it("refuses another origin, another RP ID, and what the pool does not support", async () => {
    const { accessToken } = await passkeyPool({ RelyingPartyId: RP, UserVerification: "required" });
    const cases: [SoftAuthenticator, Forgery, string][] = [
      [authenticator(), { origin: "https://other.example.net" }, "WebAuthnOriginNotAllowedException"],
      [authenticator(), { rpId: "other.example.net" }, "WebAuthnRelyingPartyMismatchException"],
      [authenticator({ algorithm: "EdDSA" }), {}, "WebAuthnCredentialNotSupportedException"],
      [authenticator({ userVerification: false }), {}, "WebAuthnCredentialNotSupportedException"],
      [authenticator(), { type: "webauthn.get" }, "InvalidParameterException"],
      [authenticator({ attestation: "packed" }), { badSignature: true }, "InvalidParameterException"],
    ];
    for (const [key, forge, name] of cases) {
      const refused = await refusal(complete(accessToken, key.create(await start(accessToken), forge)));
      expect({ forge, ...refused }).toMatchObject({ forge, name, status: 400 });
    }
    const listed = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(listed.Credentials).toEqual([]);
  });

  it("refuses malformed credentials with InvalidParameterException", async () => {
    const { accessToken } = await passkeyPool();
    const good = authenticator().create(await start(accessToken));
    const response = good.response as Record<string, unknown>;
    const malformed: unknown[] = [
      {},
      { ...good, type: "password" },
      { ...good, rawId: "AAAA" },
      { ...good, id: "not base64url!" },
      { ...good, response: "x" },
      { ...good, response: { ...response, attestationObject: "AAAA" } },
      { ...good, response: { ...response, clientDataJSON: Buffer.from("{no").toString("base64url") } },
      { ...good, response: { ...response, transports: [1] } },
    ];
    for (const credential of malformed) {
      const refused = await refusal(complete(accessToken, credential as Record<string, unknown>));
      expect({ credential, ...refused }).toMatchObject({ credential, name: "InvalidParameterException", status: 400 });
    }
    // The challenge survives refusals: the right credential still registers.
    await complete(accessToken, good);
  });

  it("answers 400, never a 5xx, for any document as Credential", async () => {
    const { accessToken } = await passkeyPool();
    const good = authenticator().create(await start(accessToken));
    const response = good.response as Record<string, unknown>;
    const odd: unknown[] = [
      "text",
      42,
      null,
      [],
      [good],
      { ...good, response: { ...response, clientDataJSON: Buffer.from("[]").toString("base64url") } },
      { ...good, response: { ...response, clientDataJSON: Buffer.from('{"type":1}').toString("base64url") } },
      { ...good, response: { ...response, attestationObject: Buffer.from([0xa0]).toString("base64url") } },
      { ...good, response: { ...response, attestationObject: Buffer.from([0xff, 0x00]).toString("base64url") } },
      { ...good, clientExtensionResults: "x" },
      { ...good, authenticatorAttachment: 7 },
    ];
    for (const credential of odd) {
      const res = await call(t.twin, "CompleteWebAuthnRegistration", {
        AccessToken: accessToken,
        Credential: credential,
      });
      expect({ credential, status: res.status }).toEqual({ credential, status: 400 });
      expect(String(res.body.__type)).toMatch(/InvalidParameterException|WebAuthn/);
    }
  });

  it("keeps at most 20 passkeys per user", async () => {
    const { accessToken } = await passkeyPool();
    for (let i = 0; i < 19; i++) await register(accessToken, authenticator());
    // The 20th registers; a 21st cannot even start.
    await register(accessToken, authenticator());
    expect((await refusal(start(accessToken))).name).toBe("LimitExceededException");
    const listed = await t.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(listed.Credentials).toHaveLength(20);
  });
});

describe("bad assertions", () => {
  it("refuses a wrong challenge, origin, RP ID, signature, key, user handle or counter: NotAuthorizedException, no tokens", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const key = authenticator();
    await register(accessToken, key);
    const forgeries: Forgery[] = [
      { challenge: "AAAA" },
      { origin: "https://other.example.net" },
      { rpId: "other.example.net" },
      { type: "webauthn.create" },
      { badSignature: true },
      { foreignKey: true },
      { userHandle: Buffer.from("someone-else").toString("base64url") },
    ];
    for (const forge of forgeries) {
      const { session, options } = webAuthnChallenge(poolId, clientId, username);
      const refused = await refusal(answer(clientId, username, session, key.get(options, forge)));
      expect({ forge, ...refused }).toMatchObject({ forge, name: "NotAuthorizedException", status: 400 });
    }
    // The counter: a right sign-in moves it to 2; an assertion that does not go past it is a clone or a replay.
    const ok = await passkeySignIn(poolId, clientId, username, key);
    expect(ok.AuthenticationResult).toBeDefined();
    const stored = t.twin.services.store.getUser(poolId, username)!.webAuthnCredentials![0]!;
    expect(stored.counter).toBe(key.credentials[0]!.counter);
    for (const counterValue of [stored.counter, stored.counter - 1]) {
      const { session, options } = webAuthnChallenge(poolId, clientId, username);
      const refused = await refusal(answer(clientId, username, session, key.get(options, { counter: counterValue })));
      expect(refused.name).toBe("NotAuthorizedException");
    }
    // A replayed assertion: its session is used up, and a new session has a new challenge.
    const { session, options } = webAuthnChallenge(poolId, clientId, username);
    const assertion = key.get(options, { counter: stored.counter + 10 });
    await answer(clientId, username, session, assertion);
    expect((await refusal(answer(clientId, username, session, assertion))).name).toBe("NotAuthorizedException");
    const fresh = webAuthnChallenge(poolId, clientId, username);
    expect((await refusal(answer(clientId, username, fresh.session, assertion))).name).toBe("NotAuthorizedException");
  });

  it("refuses another user's passkey", async () => {
    const alice = await passkeyPool();
    const bobName = `bob${counter}`;
    await createUser(t, alice.poolId, bobName);
    const { AccessToken: bobToken } = await signIn(t, alice.clientId, bobName);
    const bobKey = authenticator();
    await register(bobToken, bobKey);
    await register(alice.accessToken, authenticator());
    const { session, options } = webAuthnChallenge(alice.poolId, alice.clientId, alice.username);
    // Bob's authenticator answers Alice's challenge with Bob's passkey.
    const forged = bobKey.get({ ...options, allowCredentials: [] });
    const refused = await refusal(answer(alice.clientId, alice.username, session, forged));
    expect(refused).toMatchObject({ name: "NotAuthorizedException", status: 400 });
  });

  it("ends the session after three wrong answers, and refuses malformed CREDENTIALs as InvalidParameterException", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool();
    const key = authenticator();
    await register(accessToken, key);
    const { session, options } = webAuthnChallenge(poolId, clientId, username);
    for (const bad of [
      "",
      "{",
      "[]",
      JSON.stringify({ id: "AAAA", rawId: "AAAA", type: "public-key", response: {} }),
    ]) {
      const refused = await refusal(
        t.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: "WEB_AUTHN",
            Session: session,
            ChallengeResponses: { USERNAME: username, CREDENTIAL: bad },
          }),
        ),
      );
      expect({ bad, ...refused }).toMatchObject({ bad, name: "InvalidParameterException", status: 400 });
    }
    for (let i = 0; i < 3; i++) {
      expect((await refusal(answer(clientId, username, session, key.get(options, { badSignature: true })))).name).toBe(
        "NotAuthorizedException",
      );
    }
    const refused = await refusal(answer(clientId, username, session, key.get(options)));
    expect(refused).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("asks for user verification when the pool requires it", async () => {
    const { poolId, clientId, username, accessToken } = await passkeyPool({
      RelyingPartyId: RP,
      UserVerification: "required",
    });
    const key = authenticator();
    await register(accessToken, key);
    const { session, options } = webAuthnChallenge(poolId, clientId, username);
    expect(options.userVerification).toBe("required");
    const refused = await refusal(answer(clientId, username, session, key.get(options, { userVerified: false })));
    expect(refused.name).toBe("NotAuthorizedException");
    expect((await answer(clientId, username, session, key.get(options))).AuthenticationResult).toBeDefined();
  });
});
