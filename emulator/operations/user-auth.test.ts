// Choice-based sign-in (AuthFlow USER_AUTH) through SDK v3: the pool's sign-in policy as
// CreateUserPool and UpdateUserPool check it, PREFERRED_CHALLENGE, SELECT_CHALLENGE and its
// AvailableChallenges, emailed and texted codes from the inbox, PASSWORD and PASSWORD_SRP as first
// factors (MFA after them), sign-up without a password (and the Session that signs the user in
// after it), GetUserAuthFactors, passkeys as a first factor, the triggers on these paths, and the
// bad input the issue names, each refused with Cognito's error, never a 5xx, never tokens.
import {
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  type CreateUserPoolRequest,
  DescribeUserPoolCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  inbox,
  PASSWORD,
  secretHash,
} from "../../test-support/auth-fixtures.js";
import { fileClock } from "../../test-support/fixtures.js";
import { refusal } from "../../test-support/refusal.js";
import {
  type CreationOptionsJson,
  type RequestOptionsJson,
  SoftAuthenticator,
} from "../../test-support/soft-authenticator.js";
import { SrpClient } from "../../test-support/srp-client.js";
import { recordTrigger } from "../../test-support/trigger-events.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
const clock = fileClock(() => t?.twin);

beforeAll(async () => {
  t = await startTwin({}, { clock });
});
afterAll(() => t.close());

/** Email through SES, which email codes need. */
const SES = {
  EmailSendingAccount: "DEVELOPER",
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
  From: "no-reply@example.com",
} as const;
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "x" };
const FLOWS = ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"] as const;
const POST = "arn:aws:lambda:us-east-1:123456789012:function:user-auth-post";
const TOKENS = "arn:aws:lambda:us-east-1:123456789012:function:user-auth-tokens";
const PRE = "arn:aws:lambda:us-east-1:123456789012:function:user-auth-pre";

let counter = 0;

/** A pool allowing `factors` (email via SES, SMS configured), a USER_AUTH client, and a user. */
async function setup(
  factors: ("PASSWORD" | "EMAIL_OTP" | "SMS_OTP")[] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"],
  opts: {
    pool?: Partial<CreateUserPoolRequest>;
    client?: Record<string, unknown>;
    attributes?: Record<string, string>;
  } = {},
) {
  const poolId = await createPool(t, {
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } },
    EmailConfiguration: { ...SES },
    SmsConfiguration: SMS,
    ...opts.pool,
  });
  const { clientId, clientSecret } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS], ...opts.client });
  const username = `ua${++counter}`;
  await createUser(t, poolId, username, {
    attributes: opts.attributes ?? {
      email: `${username}@example.com`,
      email_verified: "true",
      phone_number: "+15555550123",
      phone_number_verified: "true",
    },
  });
  return { poolId, clientId, clientSecret, username };
}

function initiate(clientId: string, params: Record<string, string>) {
  return t.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: params }));
}

function respond(clientId: string, name: string, session: string | undefined, responses: Record<string, string>) {
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: name as never,
      Session: session,
      ChallengeResponses: responses,
    }),
  );
}

/** The last code the inbox holds for the user. */
async function lastCode(poolId: string, username: string): Promise<string> {
  const messages = await inbox(t, poolId, username);
  return messages.at(-1)!.code!;
}

describe("the sign-in policy", () => {
  it("is stored, described and replaced by UpdateUserPool", async () => {
    const { poolId } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const described = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(described.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors).toEqual(["PASSWORD", "EMAIL_OTP"]);
    await t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "SMS_OTP"] } },
        SmsConfiguration: SMS,
      }),
    );
    const after = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(after.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors).toEqual(["PASSWORD", "SMS_OTP"]);
  });

  it("always includes PASSWORD", async () => {
    const out = await refusal(
      createPool(t, {
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["EMAIL_OTP"] } },
        EmailConfiguration: SES,
      }),
    );
    expect(out).toMatchObject({ name: "InvalidParameterException", status: 400 });
    expect(out.message).toBe("AllowedFirstAuthFactors must include PASSWORD.");
  });

  it("allows no other factor on the Lite plan, at creation or by a later change of plan", async () => {
    const lite = await refusal(
      createPool(t, {
        UserPoolTier: "LITE",
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
        EmailConfiguration: SES,
      }),
    );
    expect(lite.name).toBe("FeatureUnavailableInTierException");
    const { poolId } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const downgrade = await refusal(
      t.cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          UserPoolTier: "LITE",
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
          EmailConfiguration: SES,
        }),
      ),
    );
    expect(downgrade.name).toBe("FeatureUnavailableInTierException");
    // PASSWORD alone is every plan's.
    await createPool(t, {
      UserPoolTier: "LITE",
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] } },
    });
  });

  it("needs SES for EMAIL_OTP and an SMS configuration for SMS_OTP", async () => {
    const email = await refusal(
      createPool(t, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } } }),
    );
    expect(email).toMatchObject({ name: "InvalidParameterException" });
    expect(email.message).toContain("EmailSendingAccount DEVELOPER");
    const sms = await refusal(
      createPool(t, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "SMS_OTP"] } } }),
    );
    expect(sms).toMatchObject({ name: "InvalidParameterException" });
    expect(sms.message).toContain("SmsConfiguration");
  });
});

describe("USER_AUTH", () => {
  it("needs ALLOW_USER_AUTH on the client", async () => {
    const { clientId, username } = await setup(undefined, {
      client: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] },
    });
    const out = await refusal(initiate(clientId, { USERNAME: username }));
    expect(out).toEqual({
      name: "InvalidParameterException",
      message: "USER_AUTH flow not enabled for this client",
      status: 400,
    });
  });

  it("offers SELECT_CHALLENGE with what the user can use when nothing is preferred", async () => {
    const { clientId, username } = await setup();
    const out = await initiate(clientId, { USERNAME: username });
    expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(out.Session).toBeTruthy();
    expect(out.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]);
    expect(out.AuthenticationResult).toBeUndefined();
    // Codes go only to verified addresses.
    const unverified = await setup(undefined, { attributes: { email: "x@example.com", phone_number: "+15555550199" } });
    const other = await initiate(unverified.clientId, { USERNAME: unverified.username });
    expect(other.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
  });

  it("signs in with an emailed code: PREFERRED_CHALLENGE EMAIL_OTP, the code from the inbox, tokens", async () => {
    const { poolId, clientId, username } = await setup();
    const out = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect(out.ChallengeName).toBe("EMAIL_OTP");
    expect(out.ChallengeParameters).toMatchObject({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "u***@e***",
    });
    const code = await lastCode(poolId, username);
    expect(code).toMatch(/^\d{8}$/);
    const done = await respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
    expect(claimsOf(done.AuthenticationResult!.IdToken!)["cognito:username"]).toBe(username);
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it("signs in with a texted code chosen from SELECT_CHALLENGE", async () => {
    const { poolId, clientId, username } = await setup();
    const select = await initiate(clientId, { USERNAME: username });
    const sms = await respond(clientId, "SELECT_CHALLENGE", select.Session, { USERNAME: username, ANSWER: "SMS_OTP" });
    expect(sms.ChallengeName).toBe("SMS_OTP");
    expect(sms.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM).toBe("SMS");
    const code = await lastCode(poolId, username);
    expect(code).toMatch(/^\d{6}$/);
    const done = await respond(clientId, "SMS_OTP", sms.Session, { USERNAME: username, SMS_OTP_CODE: code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // The choice was used up with the answer.
    const again = await refusal(
      respond(clientId, "SELECT_CHALLENGE", select.Session, { USERNAME: username, ANSWER: "EMAIL_OTP" }),
    );
    expect(again).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("takes a password with PREFERRED_CHALLENGE PASSWORD, and in a SELECT_CHALLENGE answer", async () => {
    const { clientId, username } = await setup();
    const direct = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
    expect(direct.AuthenticationResult?.IdToken).toBeTruthy();
    const select = await initiate(clientId, { USERNAME: username });
    const chosen = await respond(clientId, "SELECT_CHALLENGE", select.Session, {
      USERNAME: username,
      ANSWER: "PASSWORD",
      PASSWORD,
    });
    expect(chosen.AuthenticationResult?.IdToken).toBeTruthy();
    const missing = await refusal(initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "PASSWORD" }));
    expect(missing).toMatchObject({
      name: "InvalidParameterException",
      message: "Missing required parameter PASSWORD",
    });
  });

  it("proves the password by SRP: PREFERRED_CHALLENGE PASSWORD_SRP, and ANSWER PASSWORD_SRP", async () => {
    const { poolId, clientId, username } = await setup();
    const srp = new SrpClient(poolId);
    const verifier = await initiate(clientId, {
      USERNAME: username,
      PREFERRED_CHALLENGE: "PASSWORD_SRP",
      SRP_A: srp.A,
    });
    expect(verifier.ChallengeName).toBe("PASSWORD_VERIFIER");
    const done = await respond(
      clientId,
      "PASSWORD_VERIFIER",
      verifier.Session,
      srp.answer(verifier.ChallengeParameters!, PASSWORD),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    const select = await initiate(clientId, { USERNAME: username });
    const srp2 = new SrpClient(poolId);
    const v2 = await respond(clientId, "SELECT_CHALLENGE", select.Session, {
      USERNAME: username,
      ANSWER: "PASSWORD_SRP",
      SRP_A: srp2.A,
    });
    expect(v2.ChallengeName).toBe("PASSWORD_VERIFIER");
    const done2 = await respond(
      clientId,
      "PASSWORD_VERIFIER",
      v2.Session,
      srp2.answer(v2.ChallengeParameters!, PASSWORD),
    );
    expect(done2.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("asks for MFA after a password, and offers no code as a first factor to a user with MFA", async () => {
    const { poolId, clientId, username } = await setup();
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsConfiguration: SMS },
      }),
    );
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const select = await initiate(clientId, { USERNAME: username });
    expect(select.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
    const mfa = await respond(clientId, "SELECT_CHALLENGE", select.Session, {
      USERNAME: username,
      ANSWER: "PASSWORD",
      PASSWORD,
    });
    expect(mfa.ChallengeName).toBe("SMS_MFA");
    expect(mfa.AuthenticationResult).toBeUndefined();
    const done = await respond(clientId, "SMS_MFA", mfa.Session, {
      USERNAME: username,
      SMS_MFA_CODE: await lastCode(poolId, username),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // A preferred code the user cannot use falls back to the choice.
    const preferred = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect(preferred.ChallengeName).toBe("SELECT_CHALLENGE");
  });

  it("runs pre authentication, post authentication and pre token generation around a code", async () => {
    const pre = recordTrigger<{ triggerSource: string }>(t.twin.triggers, PRE);
    const post = recordTrigger<{ triggerSource: string }>(t.twin.triggers, POST);
    const tokens = recordTrigger<{ triggerSource: string }>(t.twin.triggers, TOKENS);
    const { poolId, clientId, username } = await setup(undefined, {
      pool: { LambdaConfig: { PreAuthentication: PRE, PostAuthentication: POST, PreTokenGeneration: TOKENS } },
    });
    const out = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect(pre.map((e) => e.triggerSource)).toEqual(["PreAuthentication_Authentication"]);
    expect(post).toHaveLength(0);
    await respond(clientId, "EMAIL_OTP", out.Session, {
      USERNAME: username,
      EMAIL_OTP_CODE: await lastCode(poolId, username),
    });
    expect(post.map((e) => e.triggerSource)).toEqual(["PostAuthentication_Authentication"]);
    expect(tokens.map((e) => e.triggerSource)).toEqual(["TokenGeneration_Authentication"]);
  });

  it("goes through AdminInitiateAuth, and checks SECRET_HASH for a client with a secret", async () => {
    const { poolId, clientId, clientSecret, username } = await setup(undefined, { client: { GenerateSecret: true } });
    const hash = secretHash(clientSecret!, username, clientId);
    const missing = await refusal(
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: username },
        }),
      ),
    );
    expect(missing.name).toBe("NotAuthorizedException");
    const out = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: username, SECRET_HASH: hash, PREFERRED_CHALLENGE: "EMAIL_OTP" },
      }),
    );
    expect(out.ChallengeName).toBe("EMAIL_OTP");
    const done = await respond(clientId, "EMAIL_OTP", out.Session, {
      USERNAME: username,
      SECRET_HASH: hash,
      EMAIL_OTP_CODE: await lastCode(poolId, username),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("GetUserAuthFactors", () => {
  it("lists the first factors USER_AUTH offers the user, and their MFA settings", async () => {
    const { clientId, username } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const { AuthenticationResult } = await initiate(clientId, {
      USERNAME: username,
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
    });
    const out = await t.cognito.send(
      new GetUserAuthFactorsCommand({ AccessToken: AuthenticationResult!.AccessToken! }),
    );
    expect(out.Username).toBe(username);
    expect(out.ConfiguredUserAuthFactors).toEqual(["PASSWORD", "EMAIL_OTP"]);
    expect(out.UserMFASettingList).toBeUndefined();
    const bad = await refusal(t.cognito.send(new GetUserAuthFactorsCommand({ AccessToken: "not-a-token" })));
    expect(bad).toMatchObject({ name: "NotAuthorizedException", message: "Invalid Access Token" });
  });
});

describe("bad input", () => {
  async function emailChallenge(): Promise<{
    poolId: string;
    clientId: string;
    username: string;
    out: InitiateAuthCommandOutput;
  }> {
    const ids = await setup();
    const out = await initiate(ids.clientId, { USERNAME: ids.username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    return { ...ids, out };
  }

  it("a wrong code: CodeMismatchException, the third ends the session, no tokens", async () => {
    const { poolId, clientId, username, out } = await emailChallenge();
    const code = await lastCode(poolId, username);
    for (let i = 0; i < 2; i++) {
      const wrong = await refusal(
        respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: "00000000" }),
      );
      expect(wrong).toMatchObject({
        name: "CodeMismatchException",
        message: "Invalid code or auth state for the user.",
      });
    }
    await refusal(respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: "00000000" }));
    const right = await refusal(
      respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: code }),
    );
    expect(right).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("five wrong codes across sessions lock the user out", async () => {
    const { clientId, username } = await setup();
    let last = { name: "", message: "" };
    for (let i = 0; i < 5; i++) {
      const out = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
      last = await refusal(
        respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: "12345678" }),
      );
    }
    expect(last).toMatchObject({ name: "NotAuthorizedException", message: "Password attempts exceeded" });
    const locked = await refusal(initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" }));
    expect(locked).toMatchObject({ name: "NotAuthorizedException", message: "Password attempts exceeded" });
  });

  it("an expired code's session: session is expired", async () => {
    const { poolId, clientId, username, out } = await emailChallenge();
    const code = await lastCode(poolId, username);
    clock.advance(4 * 60);
    const late = await refusal(
      respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: code }),
    );
    expect(late).toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
  });

  it("a replayed session: refused once the code signed the user in", async () => {
    const { poolId, clientId, username, out } = await emailChallenge();
    const code = await lastCode(poolId, username);
    await respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
    const replay = await refusal(
      respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: code }),
    );
    expect(replay).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("an unknown or mismatched challenge: refused, never tokens", async () => {
    const { clientId, username, out } = await emailChallenge();
    const other = await refusal(
      respond(clientId, "SMS_OTP", out.Session, { USERNAME: username, SMS_OTP_CODE: "123456" }),
    );
    expect(other).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
    const bogus = await refusal(respond(clientId, "NOT_A_CHALLENGE", out.Session, { USERNAME: username }));
    expect(bogus.status).toBe(400);
    const preferred = await refusal(initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "MAGIC_LINK" }));
    expect(preferred).toMatchObject({ name: "InvalidParameterException", status: 400 });
    const missing = await refusal(respond(clientId, "EMAIL_OTP", out.Session, { USERNAME: username }));
    expect(missing).toMatchObject({
      name: "InvalidParameterException",
      message: "Missing required parameter EMAIL_OTP_CODE",
    });
  });

  it("a factor the pool does not allow: not offered, refused as an answer", async () => {
    const { poolId, clientId, username } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const select = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "SMS_OTP" });
    expect(select.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(select.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
    const refused = await refusal(
      respond(clientId, "SELECT_CHALLENGE", select.Session, { USERNAME: username, ANSWER: "SMS_OTP" }),
    );
    expect(refused).toMatchObject({ name: "InvalidParameterException", status: 400 });
    expect(await inbox(t, poolId, username)).toHaveLength(0);
    // WEB_AUTHN is not this pool's either, nor a passkey this user's.
    const passkey = await refusal(
      respond(clientId, "SELECT_CHALLENGE", select.Session, { USERNAME: username, ANSWER: "WEB_AUTHN" }),
    );
    expect(passkey.name).toBe("InvalidParameterException");
  });

  it("a wrong password in a SELECT_CHALLENGE answer: Incorrect username or password, no tokens", async () => {
    const { clientId, username } = await setup();
    const select = await initiate(clientId, { USERNAME: username });
    const wrong = await refusal(
      respond(clientId, "SELECT_CHALLENGE", select.Session, {
        USERNAME: username,
        ANSWER: "PASSWORD",
        PASSWORD: "Wr0ng!pass",
      }),
    );
    expect(wrong).toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    // Named directly, with the same session.
    const done = await respond(clientId, "PASSWORD", select.Session, { USERNAME: username, PASSWORD });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("an answer for another user's session: Invalid session", async () => {
    const a = await emailChallenge();
    const b = await refusal(
      respond(a.clientId, "EMAIL_OTP", a.out.Session, { USERNAME: "someone-else", EMAIL_OTP_CODE: "1" }),
    );
    expect(b).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });
});

describe("unknown users", () => {
  it("are UserNotFoundException, unless the client hides users", async () => {
    const { clientId } = await setup();
    const out = await refusal(initiate(clientId, { USERNAME: "nobody" }));
    expect(out).toMatchObject({ name: "UserNotFoundException", message: "User does not exist." });
  });

  it("get challenges that no code answers when the client hides users", async () => {
    const { poolId, clientId } = await setup(undefined, { client: { PreventUserExistenceErrors: "ENABLED" } });
    const select = await initiate(clientId, { USERNAME: "nobody@example.com" });
    expect(select.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(select.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]);
    const email = await respond(clientId, "SELECT_CHALLENGE", select.Session, {
      USERNAME: "nobody@example.com",
      ANSWER: "EMAIL_OTP",
    });
    expect(email.ChallengeName).toBe("EMAIL_OTP");
    expect(email.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toBe("n***@e***");
    expect(await inbox(t, poolId)).toHaveLength(0);
    const wrong = await refusal(
      respond(clientId, "EMAIL_OTP", email.Session, { USERNAME: "nobody@example.com", EMAIL_OTP_CODE: "12345678" }),
    );
    expect(wrong).toMatchObject({ name: "CodeMismatchException" });
    const password = await refusal(
      initiate(clientId, { USERNAME: "nobody", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }),
    );
    expect(password).toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
  });
});

describe("sign-up without a password", () => {
  it("makes a passwordless user who signs in with an emailed code", async () => {
    const { poolId, clientId } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const username = `pl${++counter}`;
    const out = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    expect(out.UserConfirmed).toBe(false);
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: await lastCode(poolId, username),
      }),
    );
    const select = await initiate(clientId, { USERNAME: username });
    expect(select.AvailableChallenges).toEqual(["EMAIL_OTP"]);
    const noPassword = await refusal(
      initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }),
    );
    expect(noPassword).toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    const email = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const done = await respond(clientId, "EMAIL_OTP", email.Session, {
      USERNAME: username,
      EMAIL_OTP_CODE: await lastCode(poolId, username),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("SignUp's Session, exchanged by ConfirmSignUp, signs the user in once with USER_AUTH", async () => {
    const post = recordTrigger<{ triggerSource: string }>(t.twin.triggers, POST);
    const { poolId, clientId } = await setup(["PASSWORD", "EMAIL_OTP"], {
      pool: { LambdaConfig: { PostAuthentication: POST } },
    });
    const username = `ss${++counter}`;
    const up = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    expect(up.Session).toBeTruthy();
    // Not a sign-in session before the confirmation.
    const early = await refusal(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: username },
          Session: up.Session,
        }),
      ),
    );
    expect(early).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
    const confirmed = await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: await lastCode(poolId, username),
        Session: up.Session,
      }),
    );
    expect(confirmed.Session).toBeTruthy();
    const signIn = (Session: string | undefined, USERNAME = username) =>
      t.cognito.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME }, Session }),
      );
    const other = await refusal(signIn(confirmed.Session, "someone-else"));
    expect(other).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
    const done = await signIn(confirmed.Session);
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(post.map((e) => e.triggerSource)).toEqual(["PostAuthentication_Authentication"]);
    const replay = await refusal(signIn(confirmed.Session));
    expect(replay).toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("the confirmed sign-up's Session expires with the client's AuthSessionValidity", async () => {
    const { poolId, clientId } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const username = `se${++counter}`;
    const up = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    const confirmed = await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: await lastCode(poolId, username),
        Session: up.Session,
      }),
    );
    clock.advance(4 * 60);
    const late = await refusal(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: username },
          Session: confirmed.Session,
        }),
      ),
    );
    expect(late).toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
  });

  it("is refused where no one-time code can sign the user in", async () => {
    const { clientId } = await setup(["PASSWORD"]);
    const out = await refusal(t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: `np${++counter}` })));
    expect(out).toMatchObject({ name: "InvalidParameterException", message: "Password is required for sign-up." });
    // A blank Password is the model's pattern error ([\\S]+) before any of this (ADR 0020).
    const blank = await refusal(
      t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: `np${++counter}`, Password: "" })),
    );
    expect(blank).toMatchObject({ name: "InvalidParameterException", status: 400 });
  });

  it("an unconfirmed passwordless user gets no code", async () => {
    const { clientId } = await setup(["PASSWORD", "EMAIL_OTP"]);
    const username = `pu${++counter}`;
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    // The email is not verified yet: nothing to sign in with, and the reason is the confirmation.
    const out = await refusal(initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" }));
    expect(out).toMatchObject({ name: "UserNotConfirmedException" });
  });
});

describe("passkeys among the first factors (domain/webauthn)", () => {
  it("offers WEB_AUTHN to a user with a passkey, and a preferred WEB_AUTHN signs in with it", async () => {
    const rp = "auth.example.com";
    const { poolId, clientId, username } = await setup(["PASSWORD", "EMAIL_OTP"], {
      pool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP"] } } },
    });
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OFF",
        WebAuthnConfiguration: { RelyingPartyId: rp },
      }),
    );
    // Without a passkey yet: not offered, and a preferred WEB_AUTHN falls back to the choice.
    const before = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" });
    expect(before.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(before.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);

    const signedIn = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    const authenticator = new SoftAuthenticator({ origin: `https://${rp}` });
    const started = await t.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
    const credential = authenticator.create(started.CredentialCreationOptions as unknown as CreationOptionsJson);
    await t.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential as never }));

    const select = await initiate(clientId, { USERNAME: username });
    expect(select.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN", "EMAIL_OTP"]);
    const challenge = await respond(clientId, "SELECT_CHALLENGE", select.Session, {
      USERNAME: username,
      ANSWER: "WEB_AUTHN",
    });
    expect(challenge.ChallengeName).toBe("WEB_AUTHN");
    const options = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptionsJson;
    const done = await respond(clientId, "WEB_AUTHN", challenge.Session, {
      USERNAME: username,
      CREDENTIAL: JSON.stringify(authenticator.get(options)),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const preferred = await initiate(clientId, { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" });
    expect(preferred.ChallengeName).toBe("WEB_AUTHN");
  });
});
