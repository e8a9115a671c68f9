// Sign-in beyond a plain password: USER_SRP_AUTH (what Amplify and amazon-cognito-identity-js
// send), a first sign-in with a temporary password, TOTP enrolment and sign-in, MFA set up during
// sign-in, and SMS and email codes. The run's pool is the seed guide's (MFA off) with a client
// without SRP: scenarios without MFA add their own SRP client to it (deleted at the end; their
// users are the run's, cleaned up by the runner), and each MFA scenario makes a scratch pool with
// the seed guide's settings plus the MFA it needs (and the run's choice of client secret), and
// deletes it at the end. A target that cannot make one (AWS without the rights, SMS without an SNS
// role, email MFA outside the Essentials tier) skips with Cognito's reason. The client half of SRP is srp.ts: amazon-cognito-identity-js's math, proven equal to it
// in srp.test.ts, with the exponentiations in OpenSSL.

import { createHmac, randomBytes } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  type ChallengeNameType,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolRequest,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoResult } from "../client/cognito-client.js";
import { totpCode } from "../emulator/crypto/totp.js";
import { check, ExpectationFailed, equal, fails, ok } from "./expect.js";
import { attempt, claims } from "./helpers.js";
import { seedGuidePool } from "./seed-pool.js";
import { SrpClient } from "./srp.js";
import type { Scenario, ScenarioContext } from "./types.js";

const INCORRECT = "Incorrect username or password.";

/** A pool and SRP-enabled client made for one scenario. */
export interface ScratchPool {
  readonly poolId: string;
  readonly clientId: string;
  /** SECRET_HASH for a name, when the client has a secret (as the run's does or not). */
  hash(name: string): Record<string, string>;
}

/** A user of a scratch pool: signs in with `email`; Cognito's username is the generated UUID. */
export interface ScratchUser {
  readonly email: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Runs `body` with the seed guide's pool (email as username, its password policy, required email
 * and name) and a client of it allowing USER_SRP_AUTH and USER_PASSWORD_AUTH. Without `mfa` that
 * pool is the run's own (MFA off, as the guide sets it up), so no pool is made: a new pool costs
 * the target two RSA signing keys. With `mfa` it is a scratch pool with `mfa` applied. The client,
 * and the scratch pool, are deleted afterwards, whatever happened.
 */
async function withScratchPool(
  ctx: ScenarioContext,
  mfa: Omit<SetUserPoolMfaConfigRequest, "UserPoolId"> | undefined,
  body: (pool: ScratchPool) => Promise<void>,
): Promise<void> {
  return mfa ? withOwnPool(ctx, mfa, body) : withRunPool(ctx, body);
}

/** Makes the SRP client of `withScratchPool` in `poolId`. */
async function srpClient(ctx: ScenarioContext, poolId: string): Promise<CognitoResult<ScratchPool>> {
  const made = await attempt(() =>
    ctx.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "scenarios-srp-client",
        GenerateSecret: ctx.clientSecret !== undefined,
        ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    ),
  );
  if (!made.ok) return made;
  const clientId = made.value.UserPoolClient!.ClientId!;
  const secret = made.value.UserPoolClient!.ClientSecret;
  return {
    ok: true,
    value: {
      poolId,
      clientId,
      hash: (name: string): Record<string, string> =>
        secret
          ? {
              SECRET_HASH: createHmac("sha256", secret)
                .update(name + clientId)
                .digest("base64"),
            }
          : {},
    },
  };
}

async function withRunPool(ctx: ScenarioContext, body: (pool: ScratchPool) => Promise<void>): Promise<void> {
  let clientId: string | undefined;
  let passed = false;
  try {
    const pool = await ctx.step("make an SRP client in the run's pool", async () => {
      const created = await srpClient(ctx, ctx.poolId);
      if (!created.ok)
        ctx.skip(`the target would not make an SRP client: ${created.error.type}: ${created.error.message}`);
      return created.value;
    });
    clientId = pool.clientId;
    await body(pool);
    passed = true;
  } finally {
    if (clientId !== undefined) {
      const id = clientId;
      const deleted = await attempt(() =>
        ctx.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: ctx.poolId, ClientId: id })),
      );
      // A client left in the run's pool outlives the run (on live Cognito, in the user's pool):
      // fail the scenario for it, unless it already failed for a reason of its own.
      // Thrown only when the body passed, so it never hides the body's own failure.
      if (!deleted.ok && passed)
        // biome-ignore lint/correctness/noUnsafeFinally: see the line above
        throw new ExpectationFailed(
          `the SRP client ${id} could not be deleted from the run's pool: ${deleted.error.type}: ${deleted.error.message}`,
        );
    }
  }
}

/**
 * Runs `body` with a scratch pool of the seed guide's settings plus `settings` (devices.ts adds
 * its DeviceConfiguration), `mfa` applied, and an SRP client; the pool is deleted afterwards.
 */
export async function withOwnPool(
  ctx: ScenarioContext,
  mfa: Omit<SetUserPoolMfaConfigRequest, "UserPoolId">,
  body: (pool: ScratchPool) => Promise<void>,
  settings: Partial<CreateUserPoolRequest> = {},
): Promise<void> {
  let poolId: string | undefined;
  try {
    const pool = await ctx.step("make a scratch pool and an SRP client", async () => {
      const created = await attempt(() =>
        ctx.cognito.send(
          new CreateUserPoolCommand({
            ...seedGuidePool(`scenarios-srp-mfa-${randomBytes(4).toString("hex")}`),
            ...settings,
          }),
        ),
      );
      if (!created.ok)
        ctx.skip(`the target would not make a scratch pool: ${created.error.type}: ${created.error.message}`);
      poolId = created.value.UserPool!.Id!;
      const set = await attempt(() =>
        ctx.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa })),
      );
      if (!set.ok) ctx.skip(`the target would not configure this MFA: ${set.error.type}: ${set.error.message}`);
      return ok(await srpClient(ctx, poolId), "CreateUserPoolClient");
    });
    await body(pool);
  } finally {
    if (poolId !== undefined) {
      const id = poolId;
      const deleted = await attempt(() => ctx.cognito.send(new DeleteUserPoolCommand({ UserPoolId: id })));
      if (!deleted.ok) ctx.note(`scratch pool ${id} was not deleted: ${deleted.error.type}`);
    }
  }
}

/** A confirmed user of the scratch pool, made by an administrator (no emailed code needed). */
export async function confirmedUser(
  ctx: ScenarioContext,
  pool: ScratchPool,
  extra: Record<string, string> = {},
): Promise<ScratchUser> {
  const user = ctx.newUser();
  const created = ok(
    await attempt(() =>
      ctx.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: user.email,
          MessageAction: "SUPPRESS",
          UserAttributes: Object.entries({ email: user.email, email_verified: "true", name: user.name, ...extra }).map(
            ([Name, Value]) => ({ Name, Value }),
          ),
        }),
      ),
    ),
    "AdminCreateUser",
  );
  ok(
    await attempt(() =>
      ctx.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.poolId,
          Username: user.email,
          Password: user.password,
          Permanent: true,
        }),
      ),
    ),
    "AdminSetUserPassword",
  );
  return { email: user.email, username: created.User!.Username!, password: user.password };
}

/**
 * USER_SRP_AUTH: InitiateAuth, then the PASSWORD_VERIFIER answer the library would send (with
 * the DEVICE_KEY of a remembered device in both, as the library sends it, when one is given).
 */
export async function srpSignIn(
  ctx: ScenarioContext,
  pool: ScratchPool,
  email: string,
  password: string,
  deviceKey?: string,
): Promise<CognitoResult<RespondToAuthChallengeCommandOutput>> {
  const device: Record<string, string> = deviceKey ? { DEVICE_KEY: deviceKey } : {};
  const srp = new SrpClient(pool.poolId);
  const started = await attempt(() =>
    ctx.cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: email, SRP_A: srp.A, ...pool.hash(email), ...device },
      }),
    ),
  );
  if (!started.ok) return started;
  equal(started.value.ChallengeName, "PASSWORD_VERIFIER", "InitiateAuth ChallengeName");
  const params = started.value.ChallengeParameters!;
  for (const p of ["SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"])
    check(params[p], `PASSWORD_VERIFIER has no ${p}`);
  const responses = { ...srp.answer(params, password), ...pool.hash(params.USER_ID_FOR_SRP!), ...device };
  return attempt(() =>
    ctx.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: responses,
      }),
    ),
  );
}

/** Answers a challenge with USERNAME, SECRET_HASH and the responses given. */
export function answer(
  ctx: ScenarioContext,
  pool: ScratchPool,
  user: ScratchUser,
  name: ChallengeNameType,
  session: string | undefined,
  responses: Record<string, string>,
) {
  return attempt(() =>
    ctx.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: name,
        Session: session,
        ChallengeResponses: { USERNAME: user.username, ...pool.hash(user.username), ...responses },
      }),
    ),
  );
}

/** A challenge, not tokens, of the given name; returns its Session and parameters. */
export function challenge(result: CognitoResult<RespondToAuthChallengeCommandOutput>, name: string, what: string) {
  const out = ok(result, what);
  equal(out.ChallengeName, name, `${what} ChallengeName`);
  check(out.Session, `${what}: ${name} came without a Session`);
  return { session: out.Session, parameters: out.ChallengeParameters ?? {} };
}

/** Tokens, not a challenge; returns the access token. */
export function tokens(result: CognitoResult<RespondToAuthChallengeCommandOutput>, what: string): string {
  const out = ok(result, what);
  check(!out.ChallengeName, `${what} answered a ${String(out.ChallengeName)} challenge instead of tokens`);
  check(out.AuthenticationResult?.AccessToken, `${what} answered no access token`);
  return out.AuthenticationResult.AccessToken;
}

/** The target's time, for TOTP codes: its movable clock when it has one. */
export function now(ctx: ScenarioContext): number {
  return ctx.clock?.now() ?? Date.now();
}

/** Moves to the next 30-second TOTP step (a step is accepted once): the clock, else waiting. */
export async function nextTotpStep(ctx: ScenarioContext): Promise<void> {
  if (ctx.clock) return ctx.clock.advance(30);
  const wait = 30_000 - (Date.now() % 30_000) + 1000;
  ctx.note(`waited ${Math.round(wait / 1000)} s for the next TOTP step`);
  await new Promise((resolve) => setTimeout(resolve, wait));
}

function otherCode(code: string): string {
  return String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");
}

const srpLogin: Scenario = {
  name: "srp-login",
  description:
    "USER_SRP_AUTH as Amplify signs in: PASSWORD_VERIFIER, tokens for the right password, Incorrect username or password. for a wrong one",
  async run(ctx) {
    await withScratchPool(ctx, undefined, async (pool) => {
      const user = await ctx.step("make a confirmed user", () => confirmedUser(ctx, pool));
      await ctx.step("SRP sign-in with the right password", async () => {
        const access = tokens(await srpSignIn(ctx, pool, user.email, user.password), "USER_SRP_AUTH");
        const c = claims(access);
        equal(c.username, user.username, "access token username");
        equal(c.client_id, pool.clientId, "access token client_id");
        equal(c.token_use, "access", "token_use");
      });
      await ctx.step("SRP sign-in with a wrong password is refused", async () => {
        fails(await srpSignIn(ctx, pool, user.email, `${user.password}x`), "NotAuthorizedException", INCORRECT);
      });
      await ctx.step("SRP sign-in for an unknown user (LEGACY client): UserNotFoundException", async () => {
        fails(await srpSignIn(ctx, pool, `nobody-${user.email}`, user.password), "UserNotFoundException");
      });
    });
  },
};

const temporaryPasswordLogin: Scenario = {
  name: "temporary-password-login",
  description:
    "an administrator-created user signs in with SRP and the temporary password, answers NEW_PASSWORD_REQUIRED, then signs in with the new password",
  async run(ctx) {
    await withScratchPool(ctx, undefined, async (pool) => {
      const fresh = ctx.newUser();
      const temporary = `Tmp-${randomBytes(6).toString("hex")}1!`;
      const user = await ctx.step("AdminCreateUser with a temporary password", async () => {
        const created = ok(
          await attempt(() =>
            ctx.cognito.send(
              new AdminCreateUserCommand({
                UserPoolId: pool.poolId,
                Username: fresh.email,
                TemporaryPassword: temporary,
                MessageAction: "SUPPRESS",
                UserAttributes: [
                  { Name: "email", Value: fresh.email },
                  { Name: "email_verified", Value: "true" },
                  { Name: "name", Value: fresh.name },
                ],
              }),
            ),
          ),
          "AdminCreateUser",
        );
        equal(created.User?.UserStatus, "FORCE_CHANGE_PASSWORD", "UserStatus");
        return { email: fresh.email, username: created.User!.Username!, password: fresh.password };
      });
      const asked = await ctx.step("SRP sign-in with the temporary password: NEW_PASSWORD_REQUIRED", async () => {
        const c = challenge(
          await srpSignIn(ctx, pool, user.email, temporary),
          "NEW_PASSWORD_REQUIRED",
          "PASSWORD_VERIFIER answer",
        );
        equal(c.parameters.USER_ID_FOR_SRP, user.username, "USER_ID_FOR_SRP");
        equal(c.parameters.requiredAttributes, "[]", "requiredAttributes");
        return c;
      });
      await ctx.step("answer with a new password: tokens", async () => {
        tokens(
          await answer(ctx, pool, user, "NEW_PASSWORD_REQUIRED", asked.session, { NEW_PASSWORD: user.password }),
          "NEW_PASSWORD_REQUIRED answer",
        );
      });
      await ctx.step("the temporary password no longer works; the new one does", async () => {
        fails(await srpSignIn(ctx, pool, user.email, temporary), "NotAuthorizedException", INCORRECT);
        tokens(await srpSignIn(ctx, pool, user.email, user.password), "USER_SRP_AUTH with the new password");
      });
    });
  },
};

const totpEnrolmentAndLogin: Scenario = {
  name: "totp-enrolment-and-login",
  description:
    "AssociateSoftwareToken and VerifySoftwareToken with a signed-in user, SetUserMFAPreference, then SOFTWARE_TOKEN_MFA after SRP with a code computed from the secret",
  async run(ctx) {
    await withScratchPool(
      ctx,
      { MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } },
      async (pool) => {
        const user = await ctx.step("make a confirmed user", () => confirmedUser(ctx, pool));
        const access = await ctx.step("sign in (no MFA yet)", async () =>
          tokens(await srpSignIn(ctx, pool, user.email, user.password), "USER_SRP_AUTH"),
        );
        const secret = await ctx.step("AssociateSoftwareToken", async () => {
          const out = ok(
            await attempt(() => ctx.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))),
            "AssociateSoftwareToken",
          );
          check(
            out.SecretCode && /^[A-Z2-7]{16,}$/.test(out.SecretCode),
            `SecretCode ${String(out.SecretCode)} is not base32`,
          );
          return out.SecretCode;
        });
        await ctx.step("VerifySoftwareToken: a wrong code is refused, the right one verifies", async () => {
          const right = totpCode(secret, now(ctx));
          fails(
            await attempt(() =>
              ctx.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: otherCode(right) })),
            ),
            "EnableSoftwareTokenMFAException",
          );
          const out = ok(
            await attempt(() =>
              ctx.cognito.send(
                new VerifySoftwareTokenCommand({
                  AccessToken: access,
                  UserCode: right,
                  FriendlyDeviceName: "scenario",
                }),
              ),
            ),
            "VerifySoftwareToken",
          );
          equal(out.Status, "SUCCESS", "Status");
        });
        await ctx.step("SetUserMFAPreference: TOTP on and preferred", async () => {
          ok(
            await attempt(() =>
              ctx.cognito.send(
                new SetUserMFAPreferenceCommand({
                  AccessToken: access,
                  SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
                }),
              ),
            ),
            "SetUserMFAPreference",
          );
          const me = ok(await attempt(() => ctx.cognito.send(new GetUserCommand({ AccessToken: access }))), "GetUser");
          equal(me.UserMFASettingList?.join(","), "SOFTWARE_TOKEN_MFA", "UserMFASettingList");
          equal(me.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA", "PreferredMfaSetting");
        });
        await nextTotpStep(ctx);
        const asked = await ctx.step("SRP sign-in now answers SOFTWARE_TOKEN_MFA", async () =>
          challenge(
            await srpSignIn(ctx, pool, user.email, user.password),
            "SOFTWARE_TOKEN_MFA",
            "PASSWORD_VERIFIER answer",
          ),
        );
        await ctx.step("a wrong code is refused, the session stays usable", async () => {
          fails(
            await answer(ctx, pool, user, "SOFTWARE_TOKEN_MFA", asked.session, {
              SOFTWARE_TOKEN_MFA_CODE: otherCode(totpCode(secret, now(ctx))),
            }),
            "CodeMismatchException",
          );
        });
        await ctx.step("the authenticator's code signs in", async () => {
          tokens(
            await answer(ctx, pool, user, "SOFTWARE_TOKEN_MFA", asked.session, {
              SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, now(ctx)),
            }),
            "SOFTWARE_TOKEN_MFA answer",
          );
        });
      },
    );
  },
};

const mfaSetupAtSignIn: Scenario = {
  name: "mfa-setup-at-sign-in",
  description:
    "MFA required and no factor yet: MFA_SETUP, AssociateSoftwareToken and VerifySoftwareToken with the Session, then the MFA_SETUP answer signs in",
  async run(ctx) {
    await withScratchPool(
      ctx,
      { MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } },
      async (pool) => {
        const user = await ctx.step("make a confirmed user", () => confirmedUser(ctx, pool));
        const setup = await ctx.step("SRP sign-in answers MFA_SETUP", async () => {
          const c = challenge(
            await srpSignIn(ctx, pool, user.email, user.password),
            "MFA_SETUP",
            "PASSWORD_VERIFIER answer",
          );
          equal(c.parameters.MFAS_CAN_SETUP, '["SOFTWARE_TOKEN_MFA"]', "MFAS_CAN_SETUP");
          return c;
        });
        const associated = await ctx.step("AssociateSoftwareToken with the Session", async () => {
          const out = ok(
            await attempt(() => ctx.cognito.send(new AssociateSoftwareTokenCommand({ Session: setup.session }))),
            "AssociateSoftwareToken",
          );
          check(out.SecretCode && out.Session, "AssociateSoftwareToken answered no SecretCode or Session");
          return { secret: out.SecretCode, session: out.Session };
        });
        const verified = await ctx.step("VerifySoftwareToken with the Session", async () => {
          const out = ok(
            await attempt(() =>
              ctx.cognito.send(
                new VerifySoftwareTokenCommand({
                  Session: associated.session,
                  UserCode: totpCode(associated.secret, now(ctx)),
                }),
              ),
            ),
            "VerifySoftwareToken",
          );
          equal(out.Status, "SUCCESS", "Status");
          check(out.Session, "VerifySoftwareToken answered no Session");
          return out.Session;
        });
        await ctx.step("the MFA_SETUP answer signs in", async () => {
          tokens(await answer(ctx, pool, user, "MFA_SETUP", verified, {}), "MFA_SETUP answer");
        });
        await nextTotpStep(ctx);
        await ctx.step("the next sign-in asks for the authenticator", async () => {
          const asked = challenge(
            await srpSignIn(ctx, pool, user.email, user.password),
            "SOFTWARE_TOKEN_MFA",
            "PASSWORD_VERIFIER answer",
          );
          tokens(
            await answer(ctx, pool, user, "SOFTWARE_TOKEN_MFA", asked.session, {
              SOFTWARE_TOKEN_MFA_CODE: totpCode(associated.secret, now(ctx)),
            }),
            "SOFTWARE_TOKEN_MFA answer",
          );
        });
      },
    );
  },
};

/** SMS_MFA or EMAIL_OTP with a delivered code, after a password sign-in. */
function deliveredCodeScenario(factor: "SMS_MFA" | "EMAIL_OTP"): Scenario {
  const sms = factor === "SMS_MFA";
  const mfa: Omit<SetUserPoolMfaConfigRequest, "UserPoolId"> = sms
    ? {
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: {
          SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/cognito-sms", ExternalId: "scenarios" },
        },
      }
    : {
        MfaConfiguration: "OPTIONAL",
        EmailMfaConfiguration: { Message: "Your sign-in code is {####}", Subject: "Your sign-in code" },
      };
  return {
    name: sms ? "sms-mfa-login" : "email-otp-login",
    description: `${factor} turned on by AdminSetUserMFAPreference, the code read from the ${sms ? "SMS" : "email"} Cognito sends, a wrong code refused, the right one signs in`,
    async run(ctx) {
      await withScratchPool(ctx, mfa, async (pool) => {
        const user = await ctx.step("make a confirmed user", () =>
          confirmedUser(ctx, pool, sms ? { phone_number: "+15555550100", phone_number_verified: "true" } : {}),
        );
        await ctx.step(`AdminSetUserMFAPreference: ${factor} on`, async () => {
          const settings = sms
            ? { SMSMfaSettings: { Enabled: true, PreferredMfa: true } }
            : { EmailMfaSettings: { Enabled: true, PreferredMfa: true } };
          ok(
            await attempt(() =>
              ctx.cognito.send(
                new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: user.email, ...settings }),
              ),
            ),
            "AdminSetUserMFAPreference",
          );
        });
        const asked = await ctx.step(`SRP sign-in answers ${factor}`, async () => {
          const c = challenge(
            await srpSignIn(ctx, pool, user.email, user.password),
            factor,
            "PASSWORD_VERIFIER answer",
          );
          equal(c.parameters.CODE_DELIVERY_DELIVERY_MEDIUM, sms ? "SMS" : "EMAIL", "CODE_DELIVERY_DELIVERY_MEDIUM");
          check(
            c.parameters.CODE_DELIVERY_DESTINATION?.includes("*"),
            `CODE_DELIVERY_DESTINATION ${String(c.parameters.CODE_DELIVERY_DESTINATION)} is not masked`,
          );
          return c;
        });
        const code = await ctx.step("read the code", () =>
          ctx.codes.code({ poolId: pool.poolId, email: user.email, username: user.username, reason: "Authentication" }),
        );
        const field = sms ? "SMS_MFA_CODE" : "EMAIL_OTP_CODE";
        await ctx.step("a wrong code is refused", async () => {
          fails(
            await answer(ctx, pool, user, factor, asked.session, { [field]: otherCode(code) }),
            "CodeMismatchException",
          );
        });
        await ctx.step("the code signs in", async () => {
          tokens(await answer(ctx, pool, user, factor, asked.session, { [field]: code }), `${factor} answer`);
        });
      });
    },
  };
}

const smsMfaLogin = deliveredCodeScenario("SMS_MFA");
const emailOtpLogin = deliveredCodeScenario("EMAIL_OTP");

/** The SRP and MFA scenarios, in run order. */
export const srpMfaScenarios: readonly Scenario[] = [
  srpLogin,
  temporaryPasswordLogin,
  totpEnrolmentAndLogin,
  mfaSetupAtSignIn,
  smsMfaLogin,
  emailOtpLogin,
];
