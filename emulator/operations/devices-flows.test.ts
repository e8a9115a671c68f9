// Remembered devices in the flows beyond USER_SRP_AUTH and USER_PASSWORD_AUTH, and the caller's
// address: last_ip_used from the connection (absent in-process), a sign-in that must set MFA up
// (MFA_SETUP) ending in tokens and a new device, CUSTOM_AUTH with DEVICE_KEY (SDK v3, and
// amazon-cognito-identity-js with SRP first) asking for the device once define lets the user in,
// and USER_AUTH's password factors passing DEVICE_KEY on.
import {
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AssociateSoftwareTokenCommand,
  type AuthenticationResultType,
  ConfirmDeviceCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from "amazon-cognito-identity-js";
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeviceSecret, deviceAnswer, newDeviceSecret, SrpClient } from "../../scenarios/srp.js";
import { claimsOf, createClient, createPool, createUser, PASSWORD } from "../../test-support/auth-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";
import { totpCode } from "../crypto/totp.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
  t.twin.triggers.set(DEFINE, define);
  t.twin.triggers.set(CREATE, (e: CreateAuthChallengeTriggerEvent) => {
    e.response.publicChallengeParameters = { hint: "the code" };
    e.response.privateChallengeParameters = { code: CODE };
    return e;
  });
  t.twin.triggers.set(VERIFY, (e: VerifyAuthChallengeResponseTriggerEvent) => {
    e.response.answerCorrect = e.request.challengeAnswer === e.request.privateChallengeParameters.code;
    return e;
  });
});
afterAll(() => t.close());

const DEFINE = "arn:aws:lambda:us-east-1:123456789012:function:devices-define";
const CREATE = "arn:aws:lambda:us-east-1:123456789012:function:devices-create";
const VERIFY = "arn:aws:lambda:us-east-1:123456789012:function:devices-verify";
const CODE = "424242";
const NOT_FOUND = { name: "ResourceNotFoundException", message: "Device does not exist." };
const ALWAYS = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false };

/** SRP first when the client starts with it, then one custom challenge, then tokens. */
function define(e: DefineAuthChallengeTriggerEvent) {
  const last = e.request.session.at(-1);
  e.response.failAuthentication = false;
  e.response.issueTokens = false;
  if (last?.challengeName === "SRP_A") e.response.challengeName = "PASSWORD_VERIFIER";
  else if (last?.challengeName === "CUSTOM_CHALLENGE") {
    e.response.issueTokens = last.challengeResult;
    e.response.failAuthentication = !last.challengeResult;
  } else e.response.challengeName = "CUSTOM_CHALLENGE";
  return e;
}

interface Ids {
  poolId: string;
  clientId: string;
}

/** A pool that tracks devices (no MFA unless set later), a client, and the user "ann". */
async function setup(flows: string[], extra: Record<string, unknown> = {}): Promise<Ids> {
  const poolId = await createPool(t, {
    DeviceConfiguration: ALWAYS,
    LambdaConfig: { DefineAuthChallenge: DEFINE, CreateAuthChallenge: CREATE, VerifyAuthChallengeResponse: VERIFY },
    ...extra,
  });
  await createUser(t, poolId, "ann");
  const { clientId } = await createClient(t, poolId, {
    ExplicitAuthFlows: [...flows, "ALLOW_REFRESH_TOKEN_AUTH"] as never,
  });
  return { poolId, clientId };
}

function passwordAuth(ids: Ids, deviceKey?: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: ids.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ann", PASSWORD, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
}

/** ConfirmDevice for the device a sign-in was handed; the client's secret for it. */
async function confirm(result: AuthenticationResultType): Promise<DeviceSecret> {
  const meta = result.NewDeviceMetadata!;
  const device = newDeviceSecret(meta.DeviceKey!, meta.DeviceGroupKey!);
  await t.cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: result.AccessToken,
      DeviceKey: device.deviceKey,
      DeviceSecretVerifierConfig: device.verifierConfig,
    }),
  );
  return device;
}

/** Answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; the tokens. */
async function proveDevice(ids: Ids, device: DeviceSecret, asked: { ChallengeName?: string; Session?: string }) {
  expect(asked.ChallengeName).toBe("DEVICE_SRP_AUTH");
  const srp = new SrpClient(ids.poolId, { realm: device.groupKey });
  const verifier = await t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: ids.clientId,
      ChallengeName: "DEVICE_SRP_AUTH",
      Session: asked.Session,
      ChallengeResponses: { USERNAME: "ann", DEVICE_KEY: device.deviceKey, SRP_A: srp.A },
    }),
  );
  const done = await t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: ids.clientId,
      ChallengeName: "DEVICE_PASSWORD_VERIFIER",
      Session: verifier.Session,
      ChallengeResponses: deviceAnswer(srp, device, "ann", verifier.ChallengeParameters!),
    }),
  );
  const result = done.AuthenticationResult!;
  expect(result.NewDeviceMetadata).toBeUndefined();
  expect(claimsOf(result.AccessToken!).device_key).toBe(device.deviceKey);
  return result;
}

function attribute(device: { DeviceAttributes?: { Name?: string; Value?: string }[] }, name: string) {
  return device.DeviceAttributes?.find((a) => a.Name === name)?.Value;
}

describe("last_ip_used", () => {
  it("is the connection's address over HTTP, and absent in-process", async () => {
    const ids = await setup(["ALLOW_USER_PASSWORD_AUTH"]);
    const device = await confirm((await passwordAuth(ids)).AuthenticationResult!);
    const got = await t.cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: device.deviceKey }),
    );
    expect(attribute(got.Device!, "last_ip_used")).toBe("127.0.0.1");
    // The device sign-in records it again.
    await proveDevice(ids, device, await passwordAuth(ids, device.deviceKey));
    const after = await t.cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: device.deviceKey }),
    );
    expect(attribute(after.Device!, "last_ip_used")).toBe("127.0.0.1");

    // app.request() has no connection: the device is stored without an address.
    const signedIn = await call(t.twin, "InitiateAuth", {
      ClientId: ids.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ann", PASSWORD },
    });
    const result = (signedIn.body as { AuthenticationResult: AuthenticationResultType }).AuthenticationResult;
    const meta = result.NewDeviceMetadata!;
    const secret = newDeviceSecret(meta.DeviceKey!, meta.DeviceGroupKey!);
    const confirmed = await call(t.twin, "ConfirmDevice", {
      AccessToken: result.AccessToken,
      DeviceKey: secret.deviceKey,
      DeviceSecretVerifierConfig: secret.verifierConfig,
    });
    expect(confirmed.status).toBe(200);
    const inProcess = await t.cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: secret.deviceKey }),
    );
    expect(inProcess.Device!.DeviceAttributes!.map((a) => a.Name)).not.toContain("last_ip_used");
  });
});

describe("MFA_SETUP with a device", () => {
  it("ends with tokens and a new device after the authenticator is set up, as the clients expect", async () => {
    const ids = await setup(["ALLOW_USER_PASSWORD_AUTH"]);
    const device = await confirm((await passwordAuth(ids)).AuthenticationResult!);
    // MFA becomes required; ann has no factor yet and must set up an authenticator.
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: ids.poolId,
        MfaConfiguration: "ON",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const started = await passwordAuth(ids, device.deviceKey);
    expect(started.ChallengeName).toBe("MFA_SETUP");
    const associated = await t.cognito.send(new AssociateSoftwareTokenCommand({ Session: started.Session }));
    const verified = await t.cognito.send(
      new VerifySoftwareTokenCommand({
        Session: associated.Session,
        UserCode: totpCode(associated.SecretCode!, t.twin.services.clock.now()),
      }),
    );
    const answered = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: ids.clientId,
        ChallengeName: "MFA_SETUP",
        Session: verified.Session,
        ChallengeResponses: { USERNAME: "ann" },
      }),
    );
    // identity-js and Amplify take tokens straight after this answer: no device proof here.
    expect(answered.ChallengeName).toBeUndefined();
    const fresh = answered.AuthenticationResult!.NewDeviceMetadata!;
    expect(fresh.DeviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    expect(fresh.DeviceKey).not.toBe(device.deviceKey);
    const listed = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(listed.Devices).toHaveLength(1);
  });
});

function customStart(ids: Ids, deviceKey?: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: ids.clientId,
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: { USERNAME: "ann", ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
}

function customAnswer(ids: Ids, session: string | undefined, deviceKey?: string, answer = CODE) {
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: ids.clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: "ann", ANSWER: answer, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
}

describe("CUSTOM_AUTH with a device", () => {
  it("hands out a device, then asks for its proof once define issues tokens", async () => {
    const ids = await setup(["ALLOW_CUSTOM_AUTH"]);
    const first = await customStart(ids);
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    const device = await confirm((await customAnswer(ids, first.Session)).AuthenticationResult!);

    const next = await customStart(ids, device.deviceKey);
    expect(next.ChallengeName).toBe("CUSTOM_CHALLENGE");
    const asked = await customAnswer(ids, next.Session, device.deviceKey);
    expect(asked.AuthenticationResult).toBeUndefined();
    const result = await proveDevice(ids, device, asked as { ChallengeName?: string; Session?: string });
    expect(result.RefreshToken).toBeDefined();

    // Named in InitiateAuth only (identity-js sends it there too): the proof still follows.
    const keyFirst = await customStart(ids, device.deviceKey);
    await proveDevice(ids, device, (await customAnswer(ids, keyFirst.Session)) as { Session?: string });
    // A wrong answer still fails, device or not.
    const wrong = await customStart(ids, device.deviceKey);
    await expect(customAnswer(ids, wrong.Session, device.deviceKey, "000000")).rejects.toMatchObject({
      name: "NotAuthorizedException",
    });
  });

  it("refuses an unknown DEVICE_KEY before the challenge is used up, as Amplify's retry expects", async () => {
    const ids = await setup(["ALLOW_CUSTOM_AUTH"]);
    const unknown = `${ids.poolId.split("_")[0]}_00000000-0000-4000-8000-000000000000`;
    await expect(customStart(ids, unknown)).rejects.toMatchObject(NOT_FOUND);
    const started = await customStart(ids);
    await expect(customAnswer(ids, started.Session, unknown)).rejects.toMatchObject(NOT_FOUND);
    // The same session answered again without the key: tokens and a new device.
    const retried = await customAnswer(ids, started.Session);
    expect(retried.AuthenticationResult?.NewDeviceMetadata?.DeviceKey).toMatch(/^us-east-1_/);
  });
});

/** One browser's storage for amazon-cognito-identity-js (device key, group key, password). */
class Storage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

/** identity-js's CUSTOM_AUTH with SRP first: the password, the custom challenge, then (on a known device) device SRP. */
function identityJsCustomSignIn(ids: Ids, storage: Storage): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({
    UserPoolId: ids.poolId,
    ClientId: ids.clientId,
    endpoint: `${t.url}/`,
    Storage: storage,
  });
  const user = new CognitoUser({ Username: "ann", Pool: pool, Storage: storage });
  user.setAuthenticationFlowType("CUSTOM_AUTH");
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession) => resolve(session),
      onFailure: reject,
      customChallenge: () => user.sendCustomChallengeAnswer(CODE, callbacks),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: "ann", Password: PASSWORD }), callbacks);
  });
}

describe("amazon-cognito-identity-js CUSTOM_AUTH with a remembered device", () => {
  it("confirms the device it is handed, then proves it after the custom challenge", async () => {
    const ids = await setup(["ALLOW_CUSTOM_AUTH"]);
    const storage = new Storage();
    const first = await identityJsCustomSignIn(ids, storage);
    const listed = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(listed.Devices).toHaveLength(1);
    const key = listed.Devices![0]!.DeviceKey;
    expect(claimsOf(first.getAccessToken().getJwtToken()).device_key).toBe(key);

    const second = await identityJsCustomSignIn(ids, storage);
    expect(claimsOf(second.getAccessToken().getJwtToken()).device_key).toBe(key);
    const again = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(again.Devices).toHaveLength(1);
    expect(again.Devices![0]!.DeviceLastAuthenticatedDate!.getTime()).toBeGreaterThanOrEqual(
      listed.Devices![0]!.DeviceLastAuthenticatedDate!.getTime(),
    );
  });
});

describe("USER_AUTH with a device", () => {
  it("passes DEVICE_KEY on from PREFERRED_CHALLENGE PASSWORD and from a SELECT_CHALLENGE answer", async () => {
    const ids = await setup(["ALLOW_USER_AUTH"]);
    const initiate = (params: Record<string, string>) =>
      t.cognito.send(
        new InitiateAuthCommand({ ClientId: ids.clientId, AuthFlow: "USER_AUTH", AuthParameters: params }),
      );
    const first = await initiate({ USERNAME: "ann", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
    const device = await confirm(first.AuthenticationResult!);

    const preferred = await initiate({
      USERNAME: "ann",
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
      DEVICE_KEY: device.deviceKey,
    });
    await proveDevice(ids, device, preferred as { ChallengeName?: string; Session?: string });

    const select = await initiate({ USERNAME: "ann" });
    expect(select.ChallengeName).toBe("SELECT_CHALLENGE");
    const answered = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: ids.clientId,
        ChallengeName: "SELECT_CHALLENGE",
        Session: select.Session,
        ChallengeResponses: { USERNAME: "ann", ANSWER: "PASSWORD", PASSWORD, DEVICE_KEY: device.deviceKey },
      }),
    );
    await proveDevice(ids, device, answered as { ChallengeName?: string; Session?: string });

    // An unknown key is refused once the password is proved.
    await expect(
      initiate({ USERNAME: "ann", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD, DEVICE_KEY: "us-east-1_nope" }),
    ).rejects.toMatchObject(NOT_FOUND);
  });
});
