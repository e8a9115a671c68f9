// Passwordless sign-in (choice-based, USER_AUTH): a scratch pool with the seed guide's settings
// that allows EMAIL_OTP as a first factor (email through SES, which email codes need) and a
// client allowing USER_AUTH. The user asks to sign in without a preference, is offered the
// available challenges, chooses EMAIL_OTP, reads the emailed code, sees a wrong code refused and
// signs in with the right one (no password, no MFA after it). The pool is deleted at the end.
import {
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { check, equal, fails, ok } from "./expect.js";
import { attempt } from "./helpers.js";
import { seedGuidePool } from "./seed-pool.js";
import { confirmedUser, tokens, withOwnPool } from "./srp-mfa.js";
import type { Scenario } from "./types.js";

/** Email through Amazon SES: a pool needs it before it allows EMAIL_OTP as a first factor. */
const SES = {
  EmailSendingAccount: "DEVELOPER",
  SourceArn: "arn:aws:ses:us-east-1:000000000000:identity/no-reply@scenarios.example",
  From: "no-reply@scenarios.example",
} as const;

function otherCode(code: string): string {
  return String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");
}

const emailedCodeSignIn: Scenario = {
  name: "sign-in-with-emailed-code",
  description:
    "USER_AUTH with no password: SELECT_CHALLENGE offers EMAIL_OTP, the code read from the email, a wrong code refused, the right one signs in",
  run: (ctx) =>
    withOwnPool(
      ctx,
      { MfaConfiguration: "OFF" },
      async (pool) => {
        const clientId = await ctx.step("make a client allowing USER_AUTH", async () => {
          const made = await attempt(() =>
            ctx.cognito.send(
              new CreateUserPoolClientCommand({
                UserPoolId: pool.poolId,
                ClientName: "scenarios-passwordless",
                ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
              }),
            ),
          );
          return ok(made, "CreateUserPoolClient").UserPoolClient!.ClientId!;
        });
        const user = await ctx.step("make a confirmed user with a verified email", () => confirmedUser(ctx, pool));
        const select = await ctx.step("InitiateAuth USER_AUTH: SELECT_CHALLENGE lists EMAIL_OTP", async () => {
          const started = await attempt(() =>
            ctx.cognito.send(
              new InitiateAuthCommand({
                ClientId: clientId,
                AuthFlow: "USER_AUTH",
                AuthParameters: { USERNAME: user.email },
              }),
            ),
          );
          if (!started.ok && /USER_AUTH flow is not supported/.test(started.error.message))
            ctx.skip(`the target does not serve USER_AUTH: ${started.error.message}`);
          const out = ok(started, "InitiateAuth USER_AUTH");
          equal(out.ChallengeName, "SELECT_CHALLENGE", "InitiateAuth ChallengeName");
          check(
            out.AvailableChallenges?.includes("EMAIL_OTP"),
            `AvailableChallenges ${JSON.stringify(out.AvailableChallenges)} has no EMAIL_OTP`,
          );
          return out.Session!;
        });
        const emailed = await ctx.step("choose EMAIL_OTP: the code is emailed", async () => {
          const out = ok(
            await attempt(() =>
              ctx.cognito.send(
                new RespondToAuthChallengeCommand({
                  ClientId: clientId,
                  ChallengeName: "SELECT_CHALLENGE",
                  Session: select,
                  ChallengeResponses: { USERNAME: user.email, ANSWER: "EMAIL_OTP" },
                }),
              ),
            ),
            "SELECT_CHALLENGE answer",
          );
          equal(out.ChallengeName, "EMAIL_OTP", "SELECT_CHALLENGE answer ChallengeName");
          equal(out.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, "EMAIL", "CODE_DELIVERY_DELIVERY_MEDIUM");
          check(
            out.ChallengeParameters?.CODE_DELIVERY_DESTINATION?.includes("*"),
            `CODE_DELIVERY_DESTINATION ${String(out.ChallengeParameters?.CODE_DELIVERY_DESTINATION)} is not masked`,
          );
          return out.Session!;
        });
        const code = await ctx.step("read the code", () =>
          ctx.codes.code({ poolId: pool.poolId, email: user.email, username: user.username, reason: "Authentication" }),
        );
        const answer = (value: string) =>
          attempt(() =>
            ctx.cognito.send(
              new RespondToAuthChallengeCommand({
                ClientId: clientId,
                ChallengeName: "EMAIL_OTP",
                Session: emailed,
                ChallengeResponses: { USERNAME: user.email, EMAIL_OTP_CODE: value },
              }),
            ),
          );
        await ctx.step("a wrong code is refused", async () => {
          fails(await answer(otherCode(code)), "CodeMismatchException");
        });
        await ctx.step("the code signs in (no password, no MFA): GetUser with the tokens", async () => {
          const access = tokens(await answer(code), "EMAIL_OTP answer");
          ok(await attempt(() => ctx.cognito.send(new GetUserCommand({ AccessToken: access }))), "GetUser");
        });
      },
      {
        Policies: {
          ...seedGuidePool("passwordless").Policies,
          SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] },
        },
        EmailConfiguration: SES,
      },
    ),
};

/** The passwordless scenarios. */
export const passwordlessScenarios: readonly Scenario[] = [emailedCodeSignIn];
