// Passkeys as MFA, through the SDK v3 client: WebAuthnConfiguration's FactorConfiguration
// MULTI_FACTOR_WITH_USER_VERIFICATION lets a passkey with user verification satisfy MFA, for a
// user who turned passkey MFA on (WebAuthnMfaSettings) beside another factor. USER_AUTH then
// offers WEB_AUTHN where the pool requires MFA, and the passkey's sign-in ends with tokens, no
// second challenge; an assertion without the UV flag is refused (docs/decisions/0021-passkeys.md).
import {
  AdminSetUserMFAPreferenceCommand,
  CompleteWebAuthnRegistrationCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, signIn } from "../../test-support/auth-fixtures.js";
import { fileClock } from "../../test-support/fixtures.js";
import {
  type CreationOptionsJson,
  type RequestOptionsJson,
  SoftAuthenticator,
} from "../../test-support/soft-authenticator.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
const clock = fileClock(() => t?.twin);

beforeAll(async () => {
  t = await startTwin({}, { clock });
});
afterAll(() => t.close());

const RP = "auth.example.com";
const SMS = { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns" } };
const MULTI = "MULTI_FACTOR_WITH_USER_VERIFICATION" as const;

/** Sets the pool's MFA with SMS and the relying party, and the passkeys' factor configuration. */
function setMfa(poolId: string, mfa: "ON" | "OFF" | "OPTIONAL", factor?: "SINGLE_FACTOR" | typeof MULTI) {
  const input: SetUserPoolMfaConfigRequest = {
    UserPoolId: poolId,
    MfaConfiguration: mfa,
    SmsMfaConfiguration: SMS,
    WebAuthnConfiguration: { RelyingPartyId: RP, ...(factor ? { FactorConfiguration: factor } : {}) },
  };
  return t.cognito.send(new SetUserPoolMfaConfigCommand(input));
}

const userAuth = (clientId: string, username: string, preferred?: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) },
    }),
  );

const preference = (poolId: string, username: string, input: Record<string, unknown>) =>
  t.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, ...input }));

/**
 * A pool with passkeys (MFA off while the user registers one), a client for USER_AUTH, and a user
 * with a phone and a passkey on `key`, registered while the pool's passkeys may be MFA.
 */
async function setup(username: string, key: SoftAuthenticator) {
  const poolId = await createPool(t, {
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
  });
  await setMfa(poolId, "OFF", MULTI);
  const { clientId } = await createClient(t, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  await createUser(t, poolId, username, {
    attributes: { phone_number: "+15555550142", phone_number_verified: "true" },
  });
  const { AccessToken } = await signIn(t, clientId, username);
  const started = await t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
  const options = started.CredentialCreationOptions as unknown as CreationOptionsJson;
  // Passkeys that may serve as MFA must verify the user: the pool asks for it.
  expect(options.authenticatorSelection?.userVerification).toBe("required");
  const credential = key.create(options);
  await t.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential as never }));
  return { poolId, clientId, AccessToken: AccessToken! };
}

async function answerPasskey(clientId: string, username: string, key: SoftAuthenticator, userVerified?: boolean) {
  const started = await userAuth(clientId, username, "WEB_AUTHN");
  expect(started.ChallengeName).toBe("WEB_AUTHN");
  const options = JSON.parse(started.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson;
  expect(options.userVerification).toBe("required");
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "WEB_AUTHN",
      Session: started.Session,
      ChallengeResponses: {
        USERNAME: username,
        CREDENTIAL: JSON.stringify(key.get(options, userVerified === undefined ? {} : { userVerified })),
      },
    }),
  );
}

describe("passkeys as MFA (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION)", () => {
  it("signs in with a verified passkey where MFA is required, with no second challenge", async () => {
    const key = new SoftAuthenticator({ origin: `https://${RP}` });
    const { poolId, clientId, AccessToken } = await setup("pk-mfa", key);
    await preference(poolId, "pk-mfa", {
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      WebAuthnMfaSettings: { Enabled: true },
    });
    await setMfa(poolId, "ON", MULTI);

    const select = await userAuth(clientId, "pk-mfa");
    expect(select.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]);
    const factors = await t.cognito.send(new GetUserAuthFactorsCommand({ AccessToken }));
    expect(factors.ConfiguredUserAuthFactors).toEqual(["PASSWORD", "WEB_AUTHN"]);

    const done = await answerPasskey(clientId, "pk-mfa", key);
    expect(done.ChallengeName).toBeUndefined();
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // The password still asks for the SMS code.
    const password = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "pk-mfa", PASSWORD: "Passw0rd!" },
      }),
    );
    expect(password.ChallengeName).toBe("SMS_MFA");

    // The user's setting is kept with the user: exported, imported, and acted on again.
    const state = await (await fetch(`${t.url}/_twin/state`)).text();
    const imported = await fetch(`${t.url}/_twin/state`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: state,
    });
    expect(imported.status).toBe(200);
    expect(t.twin.services.store.getUser(poolId, "pk-mfa")?.mfa.webAuthn).toBe(true);
    expect((await answerPasskey(clientId, "pk-mfa", key)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("refuses a passkey assertion without user verification, and gives no tokens", async () => {
    const key = new SoftAuthenticator({ origin: `https://${RP}` });
    const { poolId, clientId } = await setup("pk-no-uv", key);
    await preference(poolId, "pk-no-uv", {
      SMSMfaSettings: { Enabled: true },
      WebAuthnMfaSettings: { Enabled: true },
    });
    await setMfa(poolId, "ON", MULTI);
    await expect(answerPasskey(clientId, "pk-no-uv", key, false)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Failed to verify the passkey assertion.",
    });
  });

  it("requires user verification at registration in such a pool", async () => {
    const key = new SoftAuthenticator({ origin: `https://${RP}` });
    const { AccessToken } = await setup("pk-register", key);
    const noUv = new SoftAuthenticator({ origin: `https://${RP}`, userVerification: false });
    const started = await t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
    const credential = noUv.create(started.CredentialCreationOptions as unknown as CreationOptionsJson);
    await expect(
      t.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential as never })),
    ).rejects.toMatchObject({ name: "WebAuthnCredentialNotSupportedException" });
  });

  it("offers no passkey where MFA is required to a user who has not turned passkey MFA on", async () => {
    const key = new SoftAuthenticator({ origin: `https://${RP}` });
    const { poolId, clientId } = await setup("pk-off", key);
    await preference(poolId, "pk-off", { SMSMfaSettings: { Enabled: true } });
    await setMfa(poolId, "ON", MULTI);
    const preferred = await userAuth(clientId, "pk-off", "WEB_AUTHN");
    expect(preferred.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(preferred.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
    // Nor once the pool's passkeys are a single factor again, though the user's setting stays.
    await preference(poolId, "pk-off", { WebAuthnMfaSettings: { Enabled: true } });
    expect((await userAuth(clientId, "pk-off")).AvailableChallenges).toContain("WEB_AUTHN");
    await setMfa(poolId, "ON", "SINGLE_FACTOR");
    expect((await userAuth(clientId, "pk-off")).AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
  });

  it("turns passkey MFA on only where the pool allows it and beside another factor", async () => {
    const key = new SoftAuthenticator({ origin: `https://${RP}` });
    const { poolId } = await setup("pk-settings", key);
    // No other factor: a lost passkey would lock the user out.
    await expect(preference(poolId, "pk-settings", { WebAuthnMfaSettings: { Enabled: true } })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("at least one other MFA method"),
    });
    await preference(poolId, "pk-settings", {
      SMSMfaSettings: { Enabled: true },
      WebAuthnMfaSettings: { Enabled: true },
    });
    // Nor may the last other factor go while passkey MFA is on; both together may.
    await expect(preference(poolId, "pk-settings", { SMSMfaSettings: { Enabled: false } })).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await preference(poolId, "pk-settings", {
      SMSMfaSettings: { Enabled: false },
      WebAuthnMfaSettings: { Enabled: false },
    });
    // A pool whose passkeys are a single factor takes no passkey MFA.
    await setMfa(poolId, "OFF", "SINGLE_FACTOR");
    await expect(
      preference(poolId, "pk-settings", { SMSMfaSettings: { Enabled: true }, WebAuthnMfaSettings: { Enabled: true } }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("MULTI_FACTOR_WITH_USER_VERIFICATION"),
    });
  });

  it("is refused on the Lite plan, and echoed by SetUserPoolMfaConfig elsewhere", async () => {
    const lite = await createPool(t, { UserPoolTier: "LITE" });
    await expect(setMfa(lite, "OFF", MULTI)).rejects.toMatchObject({ name: "FeatureUnavailableInTierException" });
    const pool = await createPool(t);
    const out = await setMfa(pool, "OPTIONAL", MULTI);
    expect(out.WebAuthnConfiguration).toEqual({ RelyingPartyId: RP, FactorConfiguration: MULTI });
  });
});
