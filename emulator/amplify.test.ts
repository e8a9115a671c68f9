// Amplify JS v6 (`aws-amplify/auth`) in Node, pointed at the emulator with
// `Auth.Cognito.userPoolEndpoint`: its default USER_SRP_AUTH sign-in, a temporary password, TOTP
// set up after sign-in and during sign-in (MFA required), and email codes. Amplify keeps one
// signed-in user per process, so every test signs out at its end.
import {
  AdminCreateUserCommand,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigRequest,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import {
  confirmSignIn,
  fetchAuthSession,
  fetchMFAPreference,
  getCurrentUser,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from "aws-amplify/auth";
import { ConsoleLogger } from "aws-amplify/utils";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { totpCode } from "./crypto/totp.js";

let t: TestTwin;
beforeAll(async () => {
  // Amplify warns on every configure that the endpoint is a custom one; that is the point here.
  ConsoleLogger.LOG_LEVEL = "ERROR";
  t = await startTwin();
});
afterEach(async () => {
  await signOut().catch(() => undefined);
});
afterAll(() => t.close());

interface Ids {
  poolId: string;
  clientId: string;
}

/** A pool (with the MFA configuration given) and an SRP client, and Amplify configured for them. */
async function configure(mfa?: Omit<SetUserPoolMfaConfigRequest, "UserPoolId">): Promise<Ids> {
  const poolId = await createPool(t);
  if (mfa) await t.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  const { clientId } = await createClient(t, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: t.url } } });
  return { poolId, clientId };
}

const now = () => t.twin.services.clock.now();

async function verifiedAccessToken(ids: Ids): Promise<Record<string, unknown>> {
  const session = await fetchAuthSession();
  const token = session.tokens!.accessToken.toString();
  const jwks = createRemoteJWKSet(new URL(`${t.url}/${ids.poolId}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: `https://cognito-idp.us-east-1.amazonaws.com/${ids.poolId}`,
    currentDate: new Date(now()),
  });
  return payload;
}

describe("Amplify v6 signIn (USER_SRP_AUTH)", () => {
  it("signs in with the right password; the tokens verify against the JWKS", async () => {
    const ids = await configure();
    await createUser(t, ids.poolId, "amy");
    const out = await signIn({ username: "amy", password: PASSWORD });
    expect(out).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
    expect((await getCurrentUser()).signInDetails).toMatchObject({ loginId: "amy", authFlowType: "USER_SRP_AUTH" });
    expect(await verifiedAccessToken(ids)).toMatchObject({
      username: "amy",
      client_id: ids.clientId,
      token_use: "access",
    });
  });

  it("fails with NotAuthorizedException for a wrong password", async () => {
    const ids = await configure();
    await createUser(t, ids.poolId, "ben");
    await expect(signIn({ username: "ben", password: "Wrong-Passw0rd!" })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("a temporary password: CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED, then confirmSignIn with the new one", async () => {
    const ids = await configure();
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: ids.poolId,
        Username: "cleo",
        TemporaryPassword: "Temp-Passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    const out = await signIn({ username: "cleo", password: "Temp-Passw0rd!" });
    expect(out.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED");
    const done = await confirmSignIn({ challengeResponse: "Cleos-New-Passw0rd!" });
    expect(done.isSignedIn).toBe(true);
    expect((await verifiedAccessToken(ids)).username).toBe("cleo");
  });
});

describe("Amplify v6 with TOTP", () => {
  it("setUpTOTP, verifyTOTPSetup and updateMFAPreference, then CONFIRM_SIGN_IN_WITH_TOTP_CODE", async () => {
    const ids = await configure({ MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createUser(t, ids.poolId, "dave");
    await signIn({ username: "dave", password: PASSWORD });
    const details = await setUpTOTP();
    expect(details.getSetupUri("cognito-twin").toString()).toContain(`secret=${details.sharedSecret}`);
    await verifyTOTPSetup({ code: totpCode(details.sharedSecret, now()) });
    await updateMFAPreference({ totp: "PREFERRED" });
    expect(await fetchMFAPreference()).toEqual({ enabled: ["TOTP"], preferred: "TOTP" });
    await signOut();

    t.twin.services.clock.advance(30);
    const out = await signIn({ username: "dave", password: PASSWORD });
    expect(out.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    await expect(
      confirmSignIn({ challengeResponse: totpCode(details.sharedSecret, now() + 600_000) }),
    ).rejects.toMatchObject({ name: "CodeMismatchException" });
    const done = await confirmSignIn({ challengeResponse: totpCode(details.sharedSecret, now()) });
    expect(done.isSignedIn).toBe(true);
    expect((await verifiedAccessToken(ids)).username).toBe("dave");
  });

  it("MFA required: CONTINUE_SIGN_IN_WITH_TOTP_SETUP, answered with the first code", async () => {
    const ids = await configure({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createUser(t, ids.poolId, "erin");
    const out = await signIn({ username: "erin", password: PASSWORD });
    expect(out.nextStep.signInStep).toBe("CONTINUE_SIGN_IN_WITH_TOTP_SETUP");
    if (out.nextStep.signInStep !== "CONTINUE_SIGN_IN_WITH_TOTP_SETUP") return;
    const secret = out.nextStep.totpSetupDetails.sharedSecret;
    const done = await confirmSignIn({ challengeResponse: totpCode(secret, now()) });
    expect(done.isSignedIn).toBe(true);
    expect((await verifiedAccessToken(ids)).username).toBe("erin");
  });
});

describe("Amplify v6 with email codes", () => {
  it("CONFIRM_SIGN_IN_WITH_EMAIL_CODE with the code from the inbox", async () => {
    const ids = await configure({
      MfaConfiguration: "OPTIONAL",
      EmailMfaConfiguration: { Message: "Code {####}", Subject: "Code" },
    });
    await createUser(t, ids.poolId, "fay");
    await signIn({ username: "fay", password: PASSWORD });
    await updateMFAPreference({ email: "PREFERRED" });
    await signOut();
    const out = await signIn({ username: "fay", password: PASSWORD });
    expect(out.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    const code = (await inbox(t, ids.poolId, "fay")).filter((m) => m.reason === "Authentication").at(-1)!.code!;
    const done = await confirmSignIn({ challengeResponse: code });
    expect(done.isSignedIn).toBe(true);
  });
});
