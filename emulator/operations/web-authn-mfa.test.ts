// Passkeys in a pool that requires MFA (MfaConfiguration ON): with WebAuthnConfiguration's
// FactorConfiguration SINGLE_FACTOR (the default) a passkey is a
// single factor, and "passkey sign-in is available when MFA is required" only with passkey MFA
// (WebAuthnMfaSettingsType). USER_AUTH withholds WEB_AUTHN then, as it withholds one-time codes;
// a preferred WEB_AUTHN falls back to SELECT_CHALLENGE (docs/decisions/0021-passkeys.md).
import {
  CompleteWebAuthnRegistrationCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
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
const SES = {
  EmailSendingAccount: "DEVELOPER",
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
  From: "no-reply@example.com",
} as const;

/** Sets the pool's MFA, keeping its relying party and TOTP. */
function setMfa(poolId: string, mfa: "ON" | "OFF") {
  return t.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mfa,
      SoftwareTokenMfaConfiguration: { Enabled: true },
      WebAuthnConfiguration: { RelyingPartyId: RP },
    }),
  );
}

const userAuth = (clientId: string, username: string, preferred?: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) },
    }),
  );

describe("passkeys when the pool requires MFA", () => {
  it("withholds WEB_AUTHN from USER_AUTH while MFA is ON, and offers it again once MFA is OFF", async () => {
    const poolId = await createPool(t, {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP"] } },
      EmailConfiguration: { ...SES },
    });
    await setMfa(poolId, "OFF");
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      PreventUserExistenceErrors: "ENABLED",
    });
    const username = "passkey-mfa";
    await createUser(t, poolId, username);
    const { AccessToken } = await signIn(t, clientId, username);
    const key = new SoftAuthenticator({ origin: `https://${RP}` });
    const started = await t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
    const credential = key.create(started.CredentialCreationOptions as unknown as CreationOptionsJson);
    await t.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential as never }));
    const before = await userAuth(clientId, username);
    expect(before.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN", "EMAIL_OTP"]);

    await setMfa(poolId, "ON");
    // No passkey (nor code) to choose, and a preferred WEB_AUTHN falls back to the choice.
    const select = await userAuth(clientId, username);
    expect(select.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(select.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
    const preferred = await userAuth(clientId, username, "WEB_AUTHN");
    expect(preferred.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(preferred.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
    expect(preferred.AuthenticationResult).toBeUndefined();
    // Choosing it anyway is outside the choices: refused, no tokens.
    await expect(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "SELECT_CHALLENGE",
          Session: select.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: "WEB_AUTHN" },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    // GetUserAuthFactors answers what USER_AUTH offers.
    const factors = await t.cognito.send(new GetUserAuthFactorsCommand({ AccessToken }));
    expect(factors.ConfiguredUserAuthFactors).toEqual(["PASSWORD"]);
    // A name that matches no user (users hidden) is offered no code either: the same as a real user.
    const nobody = await userAuth(clientId, "nobody-here");
    expect(nobody.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);

    await setMfa(poolId, "OFF");
    const again = await userAuth(clientId, username, "WEB_AUTHN");
    expect(again.ChallengeName).toBe("WEB_AUTHN");
    const options = JSON.parse(again.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson;
    const done = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "WEB_AUTHN",
        Session: again.Session,
        ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(key.get(options)) },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
