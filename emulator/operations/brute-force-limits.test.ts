// Brute-force limits (issue 12 §2, docs/decisions/0014-brute-force-limits.md): a challenge session
// takes three wrong answers and is then dead; wrong MFA codes count towards the user's lockout
// across sessions; code requests and answers are limited per user per hour, so new codes buy no
// new guesses; wrong previous passwords on ChangePassword count towards the sign-in lockout. Time
// moves with the emulator's clock, never with sleeps.
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
  SignUpCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { totpCode } from "../crypto/totp.js";

let t: TestTwin;

beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const clock = () => t.twin.services.clock;
const now = () => clock().now();
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

const INVALID_SESSION = { name: "NotAuthorizedException", message: "Invalid session for the user." };
const LOCKED = { name: "NotAuthorizedException", message: "Password attempts exceeded" };
const LIMIT = { name: "LimitExceededException", message: "Attempt limit exceeded, please try after some time." };

const FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;
const TOTP_ON = { SoftwareTokenMfaConfiguration: { Enabled: true } } as const;
const SMS_ON = {
  SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns", ExternalId: "x" } },
} as const;
const EMAIL_ON = { EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Sign-in code" } } as const;

/** A pool with the MFA configuration given and a client of it. */
async function mfaPool(config: Omit<SetUserPoolMfaConfigRequest, "UserPoolId">) {
  const poolId = await createPool(t);
  await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...config }));
  const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
  return { poolId, clientId };
}

const passwordAuth = (clientId: string, USERNAME: string, PASSWORD_ = PASSWORD) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME, PASSWORD: PASSWORD_ },
    }),
  );

const answer = (
  clientId: string,
  ChallengeName: string,
  Session: string | undefined,
  responses: Record<string, string>,
) =>
  t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: ChallengeName as never,
      Session,
      ChallengeResponses: responses,
    }),
  );

/** Signs in, associates and verifies an authenticator, and prefers TOTP; returns the secret. */
async function enrolTotp(clientId: string, username: string): Promise<string> {
  const { AccessToken } = await signIn(t, clientId, username);
  const { SecretCode } = await t.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  await t.cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpCode(SecretCode!, now()) }));
  await t.cognito.send(
    new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  // The step VerifySoftwareToken used is spent: sign-ins take the next one.
  clock().advance(30);
  return SecretCode!;
}

/** TOTP codes of steps far from now: never the right one. */
const wrongTotp = (secret: string, i: number) => totpCode(secret, now() + (10 + 5 * i) * 60_000);

/** The newest code the inbox holds for the user with this reason. */
async function lastCode(poolId: string, username: string, reason: string): Promise<string> {
  const m = (await inbox(t, poolId, username)).filter((x) => x.reason === reason).at(-1);
  if (!m?.code) throw new Error(`no ${reason} code in the inbox`);
  return m.code;
}

describe("a challenge session takes three wrong answers", () => {
  it("SOFTWARE_TOKEN_MFA: after three wrong codes even the right one is refused; a new sign-in works", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...TOTP_ON });
    await createUser(t, ids.poolId, "tina");
    const secret = await enrolTotp(ids.clientId, "tina");
    const started = await passwordAuth(ids.clientId, "tina");
    expect(started.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    for (let i = 0; i < 3; i++) {
      await expect(
        answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
          USERNAME: "tina",
          SOFTWARE_TOKEN_MFA_CODE: wrongTotp(secret, i),
        }),
      ).rejects.toMatchObject({ name: "CodeMismatchException", message: "Invalid code received for user" });
    }
    await expect(
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", started.Session, {
        USERNAME: "tina",
        SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now()),
      }),
    ).rejects.toMatchObject(INVALID_SESSION);
    // Three wrong codes do not lock the user (that takes five): a new session signs in.
    const again = await passwordAuth(ids.clientId, "tina");
    const done = await answer(ids.clientId, "SOFTWARE_TOKEN_MFA", again.Session, {
      USERNAME: "tina",
      SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now()),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it.each([
    ["SMS_MFA", "SMS_MFA_CODE"],
    ["EMAIL_OTP", "EMAIL_OTP_CODE"],
  ] as const)("%s: after three wrong codes even the code sent is refused", async (factor, field) => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...(factor === "SMS_MFA" ? SMS_ON : EMAIL_ON) });
    const name = `coded-${factor}`;
    await createUser(t, ids.poolId, name, {
      attributes: { email: `${name}@example.com`, email_verified: "true", phone_number: "+15555550123" },
    });
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: ids.poolId,
        Username: name,
        ...(factor === "SMS_MFA"
          ? { SMSMfaSettings: { Enabled: true, PreferredMfa: true } }
          : { EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
      }),
    );
    const started = await passwordAuth(ids.clientId, name);
    expect(started.ChallengeName).toBe(factor);
    const code = await lastCode(ids.poolId, name, "Authentication");
    for (let i = 0; i < 3; i++) {
      await expect(
        answer(ids.clientId, factor, started.Session, { USERNAME: name, [field]: wrong(code) }),
      ).rejects.toMatchObject({ name: "CodeMismatchException", message: "Invalid code or auth state for the user." });
    }
    await expect(
      answer(ids.clientId, factor, started.Session, { USERNAME: name, [field]: code }),
    ).rejects.toMatchObject(INVALID_SESSION);
  });

  it("SELECT_MFA_TYPE: three answers outside MFAS_CAN_CHOOSE end the session", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...TOTP_ON, ...SMS_ON });
    await createUser(t, ids.poolId, "selma", {
      attributes: { phone_number: "+15555550199", email: "selma@example.com", email_verified: "true" },
    });
    await enrolTotp(ids.clientId, "selma");
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: ids.poolId,
        Username: "selma",
        SMSMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const started = await passwordAuth(ids.clientId, "selma");
    expect(started.ChallengeName).toBe("SELECT_MFA_TYPE");
    for (let i = 0; i < 3; i++) {
      await expect(
        answer(ids.clientId, "SELECT_MFA_TYPE", started.Session, { USERNAME: "selma", ANSWER: "EMAIL_OTP" }),
      ).rejects.toMatchObject({ name: "InvalidParameterException" });
    }
    await expect(
      answer(ids.clientId, "SELECT_MFA_TYPE", started.Session, { USERNAME: "selma", ANSWER: "SMS_MFA" }),
    ).rejects.toMatchObject(INVALID_SESSION);
  });

  it("MFA_SETUP: three answers before verification end the session, and so do three wrong VerifySoftwareToken codes", async () => {
    const ids = await mfaPool({ MfaConfiguration: "ON", ...TOTP_ON });
    await createUser(t, ids.poolId, "newton");
    const early = await passwordAuth(ids.clientId, "newton");
    expect(early.ChallengeName).toBe("MFA_SETUP");
    for (let i = 0; i < 3; i++) {
      await expect(answer(ids.clientId, "MFA_SETUP", early.Session, { USERNAME: "newton" })).rejects.toMatchObject({
        name: "InvalidParameterException",
      });
    }
    await expect(t.cognito.send(new AssociateSoftwareTokenCommand({ Session: early.Session }))).rejects.toMatchObject(
      INVALID_SESSION,
    );

    const started = await passwordAuth(ids.clientId, "newton");
    const assoc = await t.cognito.send(new AssociateSoftwareTokenCommand({ Session: started.Session }));
    for (let i = 0; i < 3; i++) {
      await expect(
        t.cognito.send(
          new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: wrongTotp(assoc.SecretCode!, i) }),
        ),
      ).rejects.toMatchObject({ name: "EnableSoftwareTokenMFAException" });
    }
    await expect(
      t.cognito.send(
        new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totpCode(assoc.SecretCode!, now()) }),
      ),
    ).rejects.toMatchObject(INVALID_SESSION);
  });

  it("NEW_PASSWORD_REQUIRED: three passwords the policy refuses end the session", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "newbie",
        TemporaryPassword: "Temp-Passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    const started = await passwordAuth(clientId, "newbie", "Temp-Passw0rd!");
    expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    for (const weak of ["Sh0rt!", "nouppercase1!", "NoSymbols123"]) {
      await expect(
        answer(clientId, "NEW_PASSWORD_REQUIRED", started.Session, { USERNAME: "newbie", NEW_PASSWORD: weak }),
      ).rejects.toMatchObject({ name: "InvalidPasswordException" });
    }
    await expect(
      answer(clientId, "NEW_PASSWORD_REQUIRED", started.Session, { USERNAME: "newbie", NEW_PASSWORD: PASSWORD }),
    ).rejects.toMatchObject(INVALID_SESSION);
    // The temporary password still opens a new session.
    const again = await passwordAuth(clientId, "newbie", "Temp-Passw0rd!");
    const done = await answer(clientId, "NEW_PASSWORD_REQUIRED", again.Session, {
      USERNAME: "newbie",
      NEW_PASSWORD: PASSWORD,
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("wrong MFA codes and the user's lockout", () => {
  it("counts across sessions: the fifth locks the user (sign-in included) until the lock passes; passing MFA clears the count", async () => {
    const ids = await mfaPool({ MfaConfiguration: "OPTIONAL", ...TOTP_ON });
    await createUser(t, ids.poolId, "guessed");
    const secret = await enrolTotp(ids.clientId, "guessed");
    const tryCode = (session: string | undefined, code: string) =>
      answer(ids.clientId, "SOFTWARE_TOKEN_MFA", session, { USERNAME: "guessed", SOFTWARE_TOKEN_MFA_CODE: code });
    const mismatch = { name: "CodeMismatchException", message: "Invalid code received for user" };

    const first = await passwordAuth(ids.clientId, "guessed");
    for (let i = 0; i < 3; i++)
      await expect(tryCode(first.Session, wrongTotp(secret, i))).rejects.toMatchObject(mismatch);
    // A correct password opens a new session, but does not clear the count of wrong codes.
    const second = await passwordAuth(ids.clientId, "guessed");
    await expect(tryCode(second.Session, wrongTotp(secret, 3))).rejects.toMatchObject(mismatch);
    await expect(tryCode(second.Session, wrongTotp(secret, 4))).rejects.toMatchObject(LOCKED);
    // Locked: the right code is refused, and so is the password.
    await expect(tryCode(second.Session, totpCode(secret, now()))).rejects.toMatchObject(LOCKED);
    await expect(passwordAuth(ids.clientId, "guessed")).rejects.toMatchObject(LOCKED);

    clock().advance(2);
    const third = await passwordAuth(ids.clientId, "guessed");
    const done = await tryCode(third.Session, totpCode(secret, now()));
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // Signed in past MFA: the count starts again, so one wrong code is only a wrong code.
    clock().advance(30);
    const fourth = await passwordAuth(ids.clientId, "guessed");
    await expect(tryCode(fourth.Session, wrongTotp(secret, 0))).rejects.toMatchObject(mismatch);
  });
});

describe("code requests per user per hour", () => {
  it("ForgotPassword and ConfirmForgotPassword: twenty an hour together, however many codes were sent", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "resetter");
    const forgot = () => t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "resetter" }));
    const confirm = (ConfirmationCode: string, Password = "N3w-Passw0rd!") =>
      t.cognito.send(
        new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "resetter", ConfirmationCode, Password }),
      );
    // Each new code would reset the five-guess limit of the code; the hour's limit still holds.
    for (let round = 0; round < 4; round++) {
      await forgot();
      const code = await lastCode(poolId, "resetter", "ForgotPassword");
      for (let i = 0; i < 4; i++)
        await expect(confirm(wrong(code))).rejects.toMatchObject({ name: "CodeMismatchException" });
    }
    const code = await lastCode(poolId, "resetter", "ForgotPassword");
    await expect(forgot()).rejects.toMatchObject(LIMIT);
    await expect(confirm(code)).rejects.toMatchObject(LIMIT);

    clock().advance(3600);
    await forgot();
    await confirm(await lastCode(poolId, "resetter", "ForgotPassword"));
    await expect(signIn(t, clientId, "resetter", "N3w-Passw0rd!")).resolves.toHaveProperty("AccessToken");
  });

  it("ResendConfirmationCode: five an hour", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "resender",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "resender@example.com" }],
      }),
    );
    const resend = () =>
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "resender" }));
    for (let i = 0; i < 5; i++) await resend();
    await expect(resend()).rejects.toMatchObject(LIMIT);
    clock().advance(3600);
    await expect(resend()).resolves.toHaveProperty("CodeDeliveryDetails");
  });

  it("ConfirmSignUp: fifteen an hour, so resent codes buy no new guesses", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "confirmer",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "confirmer@example.com" }],
      }),
    );
    const confirm = (ConfirmationCode: string) =>
      t.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "confirmer", ConfirmationCode }));
    for (let round = 0; round < 3; round++) {
      const code = await lastCode(poolId, "confirmer", round === 0 ? "SignUp" : "ResendCode");
      for (let i = 0; i < 5; i++)
        await expect(confirm(wrong(code))).rejects.toMatchObject({ name: "CodeMismatchException" });
      await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "confirmer" }));
    }
    const code = await lastCode(poolId, "confirmer", "ResendCode");
    await expect(confirm(code)).rejects.toMatchObject(LIMIT);
    clock().advance(3600);
    await confirm(code);
    await expect(signIn(t, clientId, "confirmer")).resolves.toHaveProperty("AccessToken");
  });

  it("GetUserAttributeVerificationCode five an hour, VerifyUserAttribute fifteen", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "verifier", { attributes: { email: "verifier@example.com" } });
    const { AccessToken } = await signIn(t, clientId, "verifier");
    const getCode = () =>
      t.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    const verify = (Code: string) =>
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code }));
    for (let round = 0; round < 3; round++) {
      await getCode();
      const code = await lastCode(poolId, "verifier", "VerifyUserAttribute");
      for (let i = 0; i < 5; i++)
        await expect(verify(wrong(code))).rejects.toMatchObject({ name: "CodeMismatchException" });
    }
    await getCode();
    await getCode();
    await expect(getCode()).rejects.toMatchObject(LIMIT);
    const code = await lastCode(poolId, "verifier", "VerifyUserAttribute");
    await expect(verify(code)).rejects.toMatchObject(LIMIT);

    // An hour later the limits have passed (and the access token with them: sign in again).
    clock().advance(3600);
    const fresh = await signIn(t, clientId, "verifier");
    await t.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: fresh.AccessToken, AttributeName: "email", Code: code }),
    );
    await expect(
      t.cognito.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: fresh.AccessToken, AttributeName: "email" }),
      ),
    ).resolves.toHaveProperty("CodeDeliveryDetails");
  });
});

describe("ChangePassword", () => {
  const change = (AccessToken: string, PreviousPassword: string, ProposedPassword = "Changed-Passw0rd!") =>
    t.cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));

  it("counts wrong previous passwords towards the sign-in lockout, and refuses while locked", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "changer");
    const { AccessToken } = await signIn(t, clientId, "changer");
    for (let i = 0; i < 3; i++) {
      await expect(passwordAuth(clientId, "changer", `Wrong-${i}`)).rejects.toMatchObject({
        message: "Incorrect username or password.",
      });
    }
    await expect(change(AccessToken, "Not-my-passw0rd")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    // The fifth wrong password, whichever operation it came through, locks the user.
    await expect(change(AccessToken, "Still-not-passw0rd")).rejects.toMatchObject(LOCKED);
    await expect(change(AccessToken, PASSWORD)).rejects.toMatchObject(LOCKED);
    await expect(passwordAuth(clientId, "changer")).rejects.toMatchObject(LOCKED);

    clock().advance(2);
    await change(AccessToken, PASSWORD);
    await expect(signIn(t, clientId, "changer", "Changed-Passw0rd!")).resolves.toHaveProperty("AccessToken");
  });

  it("takes five requests an hour", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "frequent");
    const { AccessToken } = await signIn(t, clientId, "frequent");
    for (let i = 0; i < 5; i++) await change(AccessToken, PASSWORD, PASSWORD);
    await expect(change(AccessToken, PASSWORD, PASSWORD)).rejects.toMatchObject(LIMIT);
    clock().advance(3600);
    const fresh = await signIn(t, clientId, "frequent");
    await expect(change(fresh.AccessToken, PASSWORD, PASSWORD)).resolves.toBeDefined();
  });
});
