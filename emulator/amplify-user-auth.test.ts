// Choice-based sign-in through Amplify JS v6 (`aws-amplify/auth`) in Node: `signIn` with
// `authFlowType: 'USER_AUTH'` and `preferredChallenge: 'EMAIL_OTP'` then `confirmSignIn` with the
// emailed code; the SELECT_CHALLENGE path (CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION) answered
// with EMAIL_OTP, PASSWORD and PASSWORD_SRP; and a passwordless `signUp`. Amplify keeps one
// signed-in user per process, so every test signs out at its end.
import { Amplify } from "aws-amplify";
import { autoSignIn, confirmSignIn, confirmSignUp, getCurrentUser, signIn, signOut, signUp } from "aws-amplify/auth";
import { ConsoleLogger } from "aws-amplify/utils";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  ConsoleLogger.LOG_LEVEL = "ERROR";
  t = await startTwin();
});
afterEach(async () => {
  await signOut().catch(() => undefined);
});
afterAll(() => t.close());

/** Email through SES, which EMAIL_OTP as a first factor needs. */
const SES = {
  EmailSendingAccount: "DEVELOPER",
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
  From: "no-reply@example.com",
} as const;

/** A pool allowing PASSWORD and EMAIL_OTP, a USER_AUTH client, a user, and Amplify configured. */
async function configure(username: string): Promise<string> {
  const poolId = await createPool(t, {
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
    EmailConfiguration: SES,
  });
  const { clientId } = await createClient(t, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  await createUser(t, poolId, username);
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: t.url } } });
  return poolId;
}

async function lastCode(poolId: string, username?: string): Promise<string> {
  return (await inbox(t, poolId, username)).at(-1)!.code!;
}

describe("Amplify v6 signIn with USER_AUTH", () => {
  it("preferredChallenge EMAIL_OTP: CONFIRM_SIGN_IN_WITH_EMAIL_CODE, then confirmSignIn with the code", async () => {
    const poolId = await configure("ema");
    const out = await signIn({
      username: "ema",
      options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" },
    });
    expect(out).toEqual({
      isSignedIn: false,
      nextStep: {
        signInStep: "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        codeDeliveryDetails: { deliveryMedium: "EMAIL", destination: "e***@e***" },
      },
    });
    const done = await confirmSignIn({ challengeResponse: await lastCode(poolId, "ema") });
    expect(done).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
    expect((await getCurrentUser()).username).toBe("ema");
  });

  it("a wrong code: CodeMismatchException, and the right one still signs in", async () => {
    const poolId = await configure("wes");
    await signIn({ username: "wes", options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" } });
    const code = await lastCode(poolId, "wes");
    await expect(confirmSignIn({ challengeResponse: "00000000" })).rejects.toMatchObject({
      name: "CodeMismatchException",
    });
    expect((await confirmSignIn({ challengeResponse: code })).isSignedIn).toBe(true);
  });

  it("no preference: CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION, EMAIL_OTP chosen, the code signs in", async () => {
    const poolId = await configure("sel");
    const out = await signIn({ username: "sel", options: { authFlowType: "USER_AUTH" } });
    expect(out.nextStep).toEqual({
      signInStep: "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
      availableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"],
    });
    const chosen = await confirmSignIn({ challengeResponse: "EMAIL_OTP" });
    expect(chosen.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    expect((await confirmSignIn({ challengeResponse: await lastCode(poolId, "sel") })).isSignedIn).toBe(true);
  });

  it.each(["PASSWORD", "PASSWORD_SRP"])("no preference, %s chosen: the password signs in", async (factor) => {
    await configure(`pw${factor.length}`);
    await signIn({ username: `pw${factor.length}`, options: { authFlowType: "USER_AUTH" } });
    const chosen = await confirmSignIn({ challengeResponse: factor });
    expect(chosen.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_PASSWORD");
    expect(await confirmSignIn({ challengeResponse: PASSWORD })).toEqual({
      isSignedIn: true,
      nextStep: { signInStep: "DONE" },
    });
  });

  it("signUp without a password, confirmSignUp, then signIn with an emailed code", async () => {
    const poolId = await configure("someone");
    const up = await signUp({ username: "pia", options: { userAttributes: { email: "pia@example.com" } } });
    expect(up.nextStep.signUpStep).toBe("CONFIRM_SIGN_UP");
    await confirmSignUp({ username: "pia", confirmationCode: await lastCode(poolId) });
    await signIn({ username: "pia", options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" } });
    expect((await confirmSignIn({ challengeResponse: await lastCode(poolId) })).isSignedIn).toBe(true);
  });

  it("autoSignIn after a passwordless signUp: confirmSignUp's session signs the user in with no second code", async () => {
    const poolId = await configure("nobody-yet");
    const up = await signUp({
      username: "max",
      options: { userAttributes: { email: "max@example.com" }, autoSignIn: { authFlowType: "USER_AUTH" } },
    });
    expect(up.nextStep.signUpStep).toBe("CONFIRM_SIGN_UP");
    const confirmed = await confirmSignUp({ username: "max", confirmationCode: await lastCode(poolId) });
    expect(confirmed.nextStep.signUpStep).toBe("COMPLETE_AUTO_SIGN_IN");
    const before = (await inbox(t, poolId)).length;
    expect(await autoSignIn()).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
    expect((await getCurrentUser()).signInDetails?.authFlowType).toBe("USER_AUTH");
    expect(await inbox(t, poolId)).toHaveLength(before);
  });
});
