// Remembered devices through Amplify JS v6 (`aws-amplify/auth`) in Node: after an MFA sign-in
// Amplify confirms the device it is handed (ConfirmDevice), `rememberDevice` remembers it,
// `fetchDevices` lists it, the next signIn proves it with device SRP and skips the code,
// `fetchAuthSession({ forceRefresh })` refreshes with its DEVICE_KEY, and after `forgetDevice`
// the code is asked for again. Amplify keeps one signed-in user per process, so every test signs
// out at its end.
import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import {
  confirmSignIn,
  fetchAuthSession,
  fetchDevices,
  forgetDevice,
  rememberDevice,
  signIn,
  signOut,
} from "aws-amplify/auth";
import { ConsoleLogger } from "aws-amplify/utils";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  ConsoleLogger.LOG_LEVEL = "ERROR";
  // Amplify names the device after `navigator.userAgent` (getDeviceName) and, without one, skips
  // ConfirmDevice silently: Node 20 has no `navigator`, so the test gives it a browser's.
  if (!("navigator" in globalThis)) {
    Object.defineProperty(globalThis, "navigator", {
      value: { userAgent: "Mozilla/5.0 (amplify-devices test)" },
      configurable: true,
    });
  }
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

/** A pool requiring SMS MFA whose devices are remembered on the user's prompt, a user, and Amplify configured. */
async function configure(username: string): Promise<Ids> {
  const poolId = await createPool(t, {
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  await t.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns" } },
    }),
  );
  await createUser(t, poolId, username, {
    attributes: { phone_number: "+15555550142", phone_number_verified: "true" },
  });
  await t.cognito.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId,
      Username: username,
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const { clientId } = await createClient(t, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: t.url } } });
  return { poolId, clientId };
}

/** signIn, answered with the SMS code from the inbox when Amplify asks for it. */
async function signInWithCode(ids: Ids, username: string): Promise<void> {
  const out = await signIn({ username, password: PASSWORD });
  expect(out.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_SMS_CODE");
  const code = (await inbox(t, ids.poolId, username)).filter((m) => m.reason === "Authentication").at(-1)!.code!;
  expect(await confirmSignIn({ challengeResponse: code })).toEqual({
    isSignedIn: true,
    nextStep: { signInStep: "DONE" },
  });
}

async function accessClaims(forceRefresh = false): Promise<Record<string, unknown>> {
  const session = await fetchAuthSession({ forceRefresh });
  return session.tokens!.accessToken.payload as Record<string, unknown>;
}

describe("Amplify v6 remembered devices", () => {
  it("rememberDevice skips MFA at the next signIn; forgetDevice asks for it again", async () => {
    const ids = await configure("rhea");
    await signInWithCode(ids, "rhea");
    // Confirmed by Amplify, not remembered yet (the pool leaves that to the user).
    expect(await fetchDevices()).toEqual([]);
    await rememberDevice();
    const devices = await fetchDevices();
    expect(devices).toHaveLength(1);
    const deviceKey = devices[0]!.id;
    expect(devices[0]!.attributes).toMatchObject({
      device_status: "valid",
      "dev:device_remembered_status": "remembered",
    });
    expect((await accessClaims()).device_key).toBe(deviceKey);
    await signOut();

    expect(await signIn({ username: "rhea", password: PASSWORD })).toEqual({
      isSignedIn: true,
      nextStep: { signInStep: "DONE" },
    });
    expect((await accessClaims()).device_key).toBe(deviceKey);
    // The refresh token is bound to the device; Amplify sends its DEVICE_KEY.
    expect((await accessClaims(true)).device_key).toBe(deviceKey);

    await forgetDevice();
    expect(await fetchDevices()).toEqual([]);
    await signOut();
    await signInWithCode(ids, "rhea");
  });

  it("drops a device forgotten behind its back and is asked for the code", async () => {
    const ids = await configure("sven");
    await signInWithCode(ids, "sven");
    await rememberDevice();
    await signOut();
    const listed = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "sven" }));
    await t.cognito.send(
      new AdminForgetDeviceCommand({
        UserPoolId: ids.poolId,
        Username: "sven",
        DeviceKey: listed.Devices![0]!.DeviceKey,
      }),
    );
    // PASSWORD_VERIFIER with the stale key answers `Device does not exist.`; Amplify clears its
    // device and answers the same challenge again without it.
    await signInWithCode(ids, "sven");
  });
});
