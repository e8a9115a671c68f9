// MFA end to end through SDK v3: enrolling an authenticator (AssociateSoftwareToken,
// VerifySoftwareToken), preferences, the SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
// SELECT_MFA_TYPE and MFA_SETUP challenges, with codes computed from the shared secret (RFC 6238)
// or read from the inbox.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  inbox,
  PASSWORD,
  signIn,
} from "../../test-support/auth-fixtures.js";
import { srpSignIn } from "../../test-support/srp-client.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { totpCode } from "../crypto/totp.js";

let t: TestTwin;

beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

async function expectError(p: Promise<unknown>, type: string, message?: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string },
  );
  expect(err, `expected ${type}`).toBeDefined();
  expect(err!.name).toBe(type);
  if (message !== undefined) expect(err!.message).toBe(message);
}

const FLOWS = [
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
] as const;

/** A pool with the MFA configuration given, a client, and the ids. */
async function mfaPool(config: Omit<SetUserPoolMfaConfigRequest, "UserPoolId">) {
  const poolId = await createPool(t);
  await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...config }));
  const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
  return { poolId, clientId };
}

const TOTP_ON = { SoftwareTokenMfaConfiguration: { Enabled: true } } as const;
const SMS_ON = {
  SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns", ExternalId: "x" } },
} as const;
const EMAIL_ON = { EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Sign-in code" } } as const;

const passwordAuth = (clientId: string, username: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );

const answer = (
  clientId: string,
  ChallengeName: string,
  Session: string | undefined,
  ChallengeResponses: Record<string, string>,
) =>
  t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: ChallengeName as never,
      Session,
      ChallengeResponses,
    }),
  );

const now = () => t.twin.services.clock.now();

/** Signs in, associates and verifies an authenticator, and turns TOTP on; returns the secret. */
async function enrolTotp(ids: { poolId: string; clientId: string }, username: string): Promise<string> {
  const { AccessToken } = await signIn(t, ids.clientId, username);
  const { SecretCode } = await t.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  await t.cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken,
      UserCode: totpCode(SecretCode!, now()),
      FriendlyDeviceName: "phone",
    }),
  );
  await t.cognito.send(
    new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  return SecretCode!;
}

/** The newest code the inbox holds for the user, with its message. */
async function lastCode(poolId: string, username: string) {
  const messages = await inbox(t, poolId, username);
  const m = messages.filter((x) => x.reason === "Authentication").at(-1);
  if (!m?.code) throw new Error("no Authentication code in the inbox");
  return m;
}

describe("enrolling an authenticator with an access token", () => {
  it("associates, refuses a wrong first code, verifies, and only then lets SetUserMFAPreference turn TOTP on", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...TOTP_ON });
    await createUser(t, ids.poolId, "tina");
    const { AccessToken } = await signIn(t, ids.clientId, "tina");
    await expectError(
      t.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true } })),
      "InvalidParameterException",
      "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
    );
    const { SecretCode, Session } = await t.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    expect(SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(Session).toBeUndefined();
    const wrong = totpCode(SecretCode!, now() + 10 * 60_000);
    await expectError(
      t.cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: wrong })),
      "EnableSoftwareTokenMFAException",
      "Code mismatch and fail enable Software Token MFA",
    );
    const ok = await t.cognito.send(
      new VerifySoftwareTokenCommand({
        AccessToken,
        UserCode: totpCode(SecretCode!, now()),
        FriendlyDeviceName: "Tina's phone",
      }),
    );
    expect(ok.Status).toBe("SUCCESS");
    // Verified, not yet on: sign-in needs no code.
    expect((await t.cognito.send(new GetUserCommand({ AccessToken }))).UserMFASettingList).toBeUndefined();
    expect((await passwordAuth(ids.clientId, "tina")).AuthenticationResult).toBeDefined();

    await t.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const me = await t.cognito.send(new GetUserCommand({ AccessToken }));
    expect(me.UserMFASettingList).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(me.PreferredMfaSetting).toBe("SOFTWARE_TOKEN_MFA");
    const admin = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: ids.poolId, Username: "tina" }));
    expect(admin).toMatchObject({
      UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
      PreferredMfaSetting: "SOFTWARE_TOKEN_MFA",
    });
  });

  it("refuses both calls when the pool has no TOTP factor, as Cognito documents", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OFF" });
    await createUser(t, ids.poolId, "nora");
    const { AccessToken } = await signIn(t, ids.clientId, "nora");
    await expectError(
      t.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken })),
      "SoftwareTokenMFANotFoundException",
      "Software Token MFA has not been enabled by the userPool.",
    );
    await expectError(
      t.cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: "123456" })),
      "SoftwareTokenMFANotFoundException",
    );
  });
});

describe("SOFTWARE_TOKEN_MFA", () => {
  let ids: { poolId: string; clientId: string };
  let secret: string;
  beforeAll(async () => {
    ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...TOTP_ON });
    await createUser(t, ids.poolId, "otto");
    secret = await enrolTotp(ids, "otto");
  });

  it("follows a password, names the device, takes a code of the next step, and refuses a wrong one first", async () => {
    t.twin.services.clock.advance(30);
    const started = await passwordAuth(ids.clientId, "otto");
    expect(started.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    expect(started.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: "phone", USER_ID_FOR_SRP: "otto" });
    expect(started.AuthenticationResult).toBeUndefined();
    const wrong = totpCode(secret, now() + 5 * 60_000);
    await expectError(
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, { USERNAME: "otto", SOFTWARE_TOKEN_MFA_CODE: wrong }),
      "CodeMismatchException",
      "Invalid code received for user",
    );
    // The session survives a wrong code.
    const done = await answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
      USERNAME: "otto",
      SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now()),
    });
    expect(claimsOf(done.AuthenticationResult!.AccessToken!).username).toBe("otto");
    await expectError(
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
        USERNAME: "otto",
        SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now()),
      }),
      "NotAuthorizedException",
    );
  });

  it("refuses a code whose time step was already used, for a second sign-in", async () => {
    t.twin.services.clock.advance(30);
    const code = totpCode(secret, now());
    const first = await passwordAuth(ids.clientId, "otto");
    await answer(ids.clientId, "SOFTWARE_TOKEN_MFA", first.Session, {
      USERNAME: "otto",
      SOFTWARE_TOKEN_MFA_CODE: code,
    });
    const second = await passwordAuth(ids.clientId, "otto");
    await expectError(
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", second.Session, { USERNAME: "otto", SOFTWARE_TOKEN_MFA_CODE: code }),
      "ExpiredCodeException",
      "Your software token has already been used once.",
    );
    t.twin.services.clock.advance(30);
    const ok = await answer(ids.clientId, "SOFTWARE_TOKEN_MFA", second.Session, {
      USERNAME: "otto",
      SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now()),
    });
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("accepts one step of clock skew either way, not two", async () => {
    t.twin.services.clock.advance(90);
    const started = await passwordAuth(ids.clientId, "otto");
    await expectError(
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
        USERNAME: "otto",
        SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now() + 60_000),
      }),
      "CodeMismatchException",
    );
    const ok = await answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
      USERNAME: "otto",
      SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now() + 30_000),
    });
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("follows USER_SRP_AUTH too, and expires with the session", async () => {
    t.twin.services.clock.advance(60);
    const started = await srpSignIn(t.cognito, ids, "otto", PASSWORD);
    expect(started.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    t.twin.services.clock.advance(181);
    await expectError(
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
        USERNAME: "otto",
        SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now()),
      }),
      "NotAuthorizedException",
      "Invalid session for the user, session is expired.",
    );
  });

  it("is not asked for when the pool's MFA is OFF", async () => {
    await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: ids.poolId, MfaConfiguration: "OFF" }));
    try {
      expect((await passwordAuth(ids.clientId, "otto")).AuthenticationResult?.AccessToken).toBeTruthy();
    } finally {
      await t.cognito.send(
        new SetUserPoolMfaConfigCommand({ UserPoolId: ids.poolId, MfaConfiguration: "OPTIONAL", ...TOTP_ON }),
      );
    }
  });
});

describe("SMS_MFA and EMAIL_OTP", () => {
  it("SMS_MFA: the code goes to the inbox, a wrong one is refused, the right one signs in", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...SMS_ON });
    await createUser(t, ids.poolId, "sam", {
      attributes: { phone_number: "+15555550123", phone_number_verified: "true" },
    });
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: ids.poolId,
        Username: "sam",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    expect(
      (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: ids.poolId, Username: "sam" }))).UserMFASettingList,
    ).toEqual(["SMS_MFA"]);
    const started = await passwordAuth(ids.clientId, "sam");
    expect(started.ChallengeName).toBe("SMS_MFA");
    expect(started.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "SMS",
      CODE_DELIVERY_DESTINATION: "+*******0123",
      USER_ID_FOR_SRP: "sam",
    });
    const message = await lastCode(ids.poolId, "sam");
    expect(message).toMatchObject({ destination: "+15555550123", attributeName: "phone_number" });
    expect(message.code).toMatch(/^\d{6}$/);
    const wrong = message.code === "000000" ? "111111" : "000000";
    await expectError(
      answer(ids.clientId, "SMS_MFA", started.Session, { USERNAME: "sam", SMS_MFA_CODE: wrong }),
      "CodeMismatchException",
      "Invalid code or auth state for the user.",
    );
    const done = await answer(ids.clientId, "SMS_MFA", started.Session, {
      USERNAME: "sam",
      SMS_MFA_CODE: message.code!,
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("EMAIL_OTP: an eight-digit code by email", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...EMAIL_ON });
    await createUser(t, ids.poolId, "emma");
    const { AccessToken } = await signIn(t, ids.clientId, "emma");
    await t.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const started = await passwordAuth(ids.clientId, "emma");
    expect(started.ChallengeName).toBe("EMAIL_OTP");
    expect(started.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "e***@e***",
      USER_ID_FOR_SRP: "emma",
    });
    const message = await lastCode(ids.poolId, "emma");
    expect(message.code).toMatch(/^\d{8}$/);
    const done = await answer(ids.clientId, "EMAIL_OTP", started.Session, {
      USERNAME: "emma",
      EMAIL_OTP_CODE: message.code!,
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("refuses to turn SMS on for a user without a phone number", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...SMS_ON });
    await createUser(t, ids.poolId, "nophone");
    await expectError(
      t.cognito.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: ids.poolId,
          Username: "nophone",
          SMSMfaSettings: { Enabled: true },
        }),
      ),
      "InvalidParameterException",
      "User does not have delivery config set to turn on SMS_MFA",
    );
  });
});

describe("several factors", () => {
  it("SELECT_MFA_TYPE without a preference, then the chosen factor's challenge", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...TOTP_ON, ...SMS_ON });
    await createUser(t, ids.poolId, "sela", {
      attributes: { phone_number: "+15555550199", email: "sela@example.com", email_verified: "true" },
    });
    await enrolTotp(ids, "sela");
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: ids.poolId,
        Username: "sela",
        SMSMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    expect(
      (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: ids.poolId, Username: "sela" }))).PreferredMfaSetting,
    ).toBeUndefined();
    const started = await passwordAuth(ids.clientId, "sela");
    expect(started.ChallengeName).toBe("SELECT_MFA_TYPE");
    expect(JSON.parse(started.ChallengeParameters!.MFAS_CAN_CHOOSE!)).toEqual(["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
    await expectError(
      answer(ids.clientId, "SELECT_MFA_TYPE", started.Session, { USERNAME: "sela", ANSWER: "EMAIL_OTP" }),
      "InvalidParameterException",
    );
    const chosen = await answer(ids.clientId, "SELECT_MFA_TYPE", started.Session, {
      USERNAME: "sela",
      ANSWER: "SMS_MFA",
    });
    expect(chosen.ChallengeName).toBe("SMS_MFA");
    const { code } = await lastCode(ids.poolId, "sela");
    const done = await answer(ids.clientId, "SMS_MFA", chosen.Session, { USERNAME: "sela", SMS_MFA_CODE: code! });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    // With a preference, the preferred factor is asked for directly.
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: ids.poolId,
        Username: "sela",
        SMSMfaSettings: { PreferredMfa: true },
      }),
    );
    expect((await passwordAuth(ids.clientId, "sela")).ChallengeName).toBe("SMS_MFA");
  });
});

describe("MFA required (ON)", () => {
  it("MFA_SETUP for a user without a factor: AssociateSoftwareToken and VerifySoftwareToken by Session, then the answer signs in", async () => {
    const ids = await mfaPool({ MfaConfiguration: "ON", ...TOTP_ON });
    await createUser(t, ids.poolId, "newt");
    const started = await passwordAuth(ids.clientId, "newt");
    expect(started.ChallengeName).toBe("MFA_SETUP");
    expect(started.ChallengeParameters).toEqual({ MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: "newt" });
    await expectError(
      answer(ids.clientId, "MFA_SETUP", started.Session, { USERNAME: "newt" }),
      "InvalidParameterException",
    );

    const assoc = await t.cognito.send(new AssociateSoftwareTokenCommand({ Session: started.Session }));
    expect(assoc.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(assoc.Session).toBeTruthy();
    expect(assoc.Session).not.toBe(started.Session);
    await expectError(
      t.cognito.send(
        new VerifySoftwareTokenCommand({
          Session: assoc.Session,
          UserCode: totpCode(assoc.SecretCode!, now() + 600_000),
        }),
      ),
      "EnableSoftwareTokenMFAException",
    );
    const verified = await t.cognito.send(
      new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totpCode(assoc.SecretCode!, now()) }),
    );
    expect(verified.Status).toBe("SUCCESS");
    expect(verified.Session).toBeTruthy();
    const done = await answer(ids.clientId, "MFA_SETUP", verified.Session, { USERNAME: "newt" });
    const access = done.AuthenticationResult!.AccessToken!;
    expect((await t.cognito.send(new GetUserCommand({ AccessToken: access }))).UserMFASettingList).toEqual([
      "SOFTWARE_TOKEN_MFA",
    ]);

    // From now on the authenticator is asked for.
    t.twin.services.clock.advance(30);
    const next = await passwordAuth(ids.clientId, "newt");
    expect(next.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    const ok = await answer(ids.clientId, "SOFTWARE_TOKEN_MFA", next.Session, {
      USERNAME: "newt",
      SOFTWARE_TOKEN_MFA_CODE: totpCode(assoc.SecretCode!, now()),
    });
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("SMS to the phone number without any preference when the pool offers SMS", async () => {
    const ids = await mfaPool({ MfaConfiguration: "ON", ...SMS_ON, ...TOTP_ON });
    await createUser(t, ids.poolId, "phil", { attributes: { phone_number: "+15555550142" } });
    const started = await passwordAuth(ids.clientId, "phil");
    expect(started.ChallengeName).toBe("SMS_MFA");
    await createUser(t, ids.poolId, "nophil");
    const setup = await passwordAuth(ids.clientId, "nophil");
    expect(setup.ChallengeName).toBe("MFA_SETUP");
    expect(JSON.parse(setup.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual(["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
  });

  it("a temporary password: NEW_PASSWORD_REQUIRED first, then MFA_SETUP (admin flow)", async () => {
    const ids = await mfaPool({ MfaConfiguration: "ON", ...TOTP_ON });
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: ids.poolId,
        Username: "fresh",
        TemporaryPassword: "Temp-Passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    const first = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: ids.poolId,
        ClientId: ids.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "fresh", PASSWORD: "Temp-Passw0rd!" },
      }),
    );
    expect(first.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const next = await answer(ids.clientId, "NEW_PASSWORD_REQUIRED", first.Session, {
      USERNAME: "fresh",
      NEW_PASSWORD: "Brand-New-Passw0rd!",
    });
    expect(next.ChallengeName).toBe("MFA_SETUP");
    expect(next.Session).toBeTruthy();
  });
});
