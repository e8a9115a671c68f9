// A remembered device in Amplify JS v6's custom sign-in (`authFlowType: CUSTOM_WITHOUT_SRP`), in
// Node: Amplify confirms the device it is handed after the custom challenge, names it with
// DEVICE_KEY in InitiateAuth and in the challenge answer next time, and proves it with device
// SRP once define lets the user in (handleCustomChallenge's DEVICE_SRP_AUTH branch). A device
// forgotten behind its back is `Device does not exist.`, on which Amplify drops it and starts again.
import { AdminForgetDeviceCommand, AdminListDevicesCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import { confirmSignIn, fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import { ConsoleLogger } from "aws-amplify/utils";
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

const DEFINE = "arn:aws:lambda:us-east-1:123456789012:function:amplify-custom-define";
const CREATE = "arn:aws:lambda:us-east-1:123456789012:function:amplify-custom-create";
const VERIFY = "arn:aws:lambda:us-east-1:123456789012:function:amplify-custom-verify";
const CODE = "135790";

let t: TestTwin;
beforeAll(async () => {
  ConsoleLogger.LOG_LEVEL = "ERROR";
  // Amplify names the device after navigator.userAgent and skips ConfirmDevice without one.
  if (!("navigator" in globalThis)) {
    Object.defineProperty(globalThis, "navigator", {
      value: { userAgent: "Mozilla/5.0 (amplify-custom-devices test)" },
      configurable: true,
    });
  }
  t = await startTwin();
  t.twin.triggers.set(DEFINE, (e: DefineAuthChallengeTriggerEvent) => {
    const last = e.request.session.at(-1);
    e.response.issueTokens = last?.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult;
    e.response.failAuthentication = last?.challengeName === "CUSTOM_CHALLENGE" && !last.challengeResult;
    if (!last) e.response.challengeName = "CUSTOM_CHALLENGE";
    return e;
  });
  t.twin.triggers.set(CREATE, (e: CreateAuthChallengeTriggerEvent) => {
    e.response.publicChallengeParameters = { hint: "code" };
    e.response.privateChallengeParameters = { code: CODE };
    return e;
  });
  t.twin.triggers.set(VERIFY, (e: VerifyAuthChallengeResponseTriggerEvent) => {
    e.response.answerCorrect = e.request.challengeAnswer === e.request.privateChallengeParameters.code;
    return e;
  });
});
afterAll(async () => {
  await signOut().catch(() => undefined);
  await t.close();
});

async function customSignIn(): Promise<string> {
  const started = await signIn({ username: "cleo", options: { authFlowType: "CUSTOM_WITHOUT_SRP" } });
  expect(started.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE");
  expect(await confirmSignIn({ challengeResponse: CODE })).toEqual({
    isSignedIn: true,
    nextStep: { signInStep: "DONE" },
  });
  const session = await fetchAuthSession();
  return session.tokens!.accessToken.payload.device_key as string;
}

describe("Amplify v6 custom sign-in with a remembered device", () => {
  it("proves the device after the custom challenge, and recovers from a forgotten one", async () => {
    const poolId = await createPool(t, {
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
      LambdaConfig: { DefineAuthChallenge: DEFINE, CreateAuthChallenge: CREATE, VerifyAuthChallengeResponse: VERIFY },
    });
    await createUser(t, poolId, "cleo");
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: t.url } },
    });
    const devices = async () =>
      (await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "cleo" }))).Devices ?? [];

    const first = await customSignIn();
    expect((await devices()).map((d) => d.DeviceKey)).toEqual([first]);
    await signOut();

    // The same device, proved: no second device is handed out.
    expect(await customSignIn()).toBe(first);
    expect(await devices()).toHaveLength(1);
    await signOut();

    await t.cognito.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: "cleo", DeviceKey: first }));
    const renewed = await customSignIn();
    expect(renewed).not.toBe(first);
    expect((await devices()).map((d) => d.DeviceKey)).toEqual([renewed]);
    await signOut();
  });
});
