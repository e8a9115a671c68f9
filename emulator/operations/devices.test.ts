// Remembered devices through SDK v3: NewDeviceMetadata and the device_key claim, ConfirmDevice
// (always remembered, or on the user's prompt), the device operations and their admin twins, the
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER sign-in after USER_SRP_AUTH and USER_PASSWORD_AUTH
// with MFA skipped (or not) as the pool says, refresh tokens bound to the device, and what is
// refused: forged and replayed proofs, other users' and forgotten devices.
import {
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateDeviceStatusCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  ConfirmDeviceCommand,
  CreateUserPoolDomainCommand,
  type DeviceConfigurationType,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeviceSecret, deviceAnswer, newDeviceSecret, SrpClient, srpTimestamp } from "../../scenarios/srp.js";
import { claimsOf, createClient, createPool, createUser, inbox, PASSWORD } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
  t.twin.triggers.set(TOKENS, (e: unknown) => e);
  t.twin.triggers.set(POST, (e: unknown) => e);
});
afterAll(() => t.close());

const TOKENS = "arn:aws:lambda:us-east-1:123456789012:function:device-tokens";
const POST = "arn:aws:lambda:us-east-1:123456789012:function:device-post-auth";
const FLOWS = [
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
] as const;

interface Ids {
  poolId: string;
  clientId: string;
}

/** A pool with SMS MFA required and the given device tracking, a client, and users with phones. */
async function setup(device: DeviceConfigurationType | undefined, users: readonly string[] = ["ann"]): Promise<Ids> {
  const poolId = await createPool(t, {
    ...(device ? { DeviceConfiguration: device } : {}),
    LambdaConfig: { PreTokenGeneration: TOKENS, PostAuthentication: POST },
  });
  await t.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns" } },
    }),
  );
  for (const name of users) {
    await createUser(t, poolId, name, { attributes: { phone_number: "+15555550100", phone_number_verified: "true" } });
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: name,
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
  }
  const { clientId } = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
  return { poolId, clientId };
}

/** Answers SMS_MFA with the code from the inbox. */
async function answerSms(ids: Ids, username: string, started: InitiateAuthCommandOutput) {
  expect(started.ChallengeName).toBe("SMS_MFA");
  const code = (await inbox(t, ids.poolId, username)).filter((m) => m.reason === "Authentication").at(-1)!.code!;
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: ids.clientId,
      ChallengeName: "SMS_MFA",
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: code },
    }),
  );
}

function passwordAuth(ids: Ids, username: string, deviceKey?: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: ids.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
}

/** A first sign-in (password, SMS code) on a new device, and its ConfirmDevice. */
async function rememberNewDevice(ids: Ids, username = "ann", name = "test-device") {
  const signedIn = await answerSms(ids, username, await passwordAuth(ids, username));
  const result = signedIn.AuthenticationResult!;
  const meta = result.NewDeviceMetadata!;
  const device = newDeviceSecret(meta.DeviceKey!, meta.DeviceGroupKey!);
  const confirmed = await t.cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: result.AccessToken,
      DeviceKey: device.deviceKey,
      DeviceSecretVerifierConfig: device.verifierConfig,
      DeviceName: name,
    }),
  );
  return { device, result, confirmed };
}

/** DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER, from a response that asked for DEVICE_SRP_AUTH. */
async function deviceProof(
  ids: Ids,
  username: string,
  device: DeviceSecret,
  asked: { ChallengeName?: string | undefined; Session?: string | undefined },
  tamper: (r: Record<string, string>) => Record<string, string> = (r) => r,
) {
  expect(asked.ChallengeName).toBe("DEVICE_SRP_AUTH");
  const srp = new SrpClient(ids.poolId, { realm: device.groupKey });
  const verifier = await t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: ids.clientId,
      ChallengeName: "DEVICE_SRP_AUTH",
      Session: asked.Session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: srp.A },
    }),
  );
  expect(verifier.ChallengeName).toBe("DEVICE_PASSWORD_VERIFIER");
  expect(Object.keys(verifier.ChallengeParameters!).sort()).toEqual([
    "DEVICE_KEY",
    "SALT",
    "SECRET_BLOCK",
    "SRP_B",
    "USERNAME",
  ]);
  const request = {
    ClientId: ids.clientId,
    ChallengeName: "DEVICE_PASSWORD_VERIFIER" as const,
    Session: verifier.Session,
    ChallengeResponses: tamper(deviceAnswer(srp, device, username, verifier.ChallengeParameters!)),
  };
  return { request, send: () => t.cognito.send(new RespondToAuthChallengeCommand(request)) };
}

/** USER_SRP_AUTH's PASSWORD_VERIFIER answered with DEVICE_KEY. */
async function srpWithDevice(ids: Ids, username: string, deviceKey: string | undefined) {
  const srp = new SrpClient(ids.poolId);
  const started = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: ids.clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: srp.A, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
  const responses = {
    ...srp.answer(started.ChallengeParameters!, PASSWORD),
    ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}),
  };
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: ids.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: responses,
    }),
  );
}

function refresh(ids: Ids, token: string, deviceKey?: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: ids.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: token, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
}

const ALWAYS_SKIP_MFA = { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false };
const NOT_FOUND = { name: "ResourceNotFoundException", message: "Device does not exist." };

describe("device tracking off", () => {
  it("hands out no device and puts no device_key in tokens", async () => {
    const ids = await setup(undefined);
    const result = (await answerSms(ids, "ann", await passwordAuth(ids, "ann"))).AuthenticationResult!;
    expect(result.NewDeviceMetadata).toBeUndefined();
    expect(claimsOf(result.AccessToken!)).not.toHaveProperty("device_key");
    // A DEVICE_KEY a client still holds from when the pool tracked devices is ignored.
    const again = await answerSms(
      ids,
      "ann",
      await passwordAuth(ids, "ann", "us-east-1_00000000-0000-4000-8000-000000000000"),
    );
    expect(again.AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe("a remembered device", () => {
  let ids: Ids;
  let device: DeviceSecret;
  let first: AuthenticationResultType;
  beforeAll(async () => {
    ids = await setup(ALWAYS_SKIP_MFA, ["ann", "bob"]);
    const before = t.twin.triggers.invocations.length;
    const made = await rememberNewDevice(ids);
    device = made.device;
    first = made.result;
    expect(made.confirmed.UserConfirmationNecessary).toBe(false);
    const post = t.twin.triggers.invocations.slice(before).find((i) => i.triggerSource.startsWith("PostAuth"));
    expect((post!.event as { request: { newDeviceUsed: boolean } }).request.newDeviceUsed).toBe(true);
  });

  it("is handed out as NewDeviceMetadata and named in the access token", () => {
    expect(device.deviceKey).toMatch(/^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(device.groupKey).toMatch(/^-[A-Za-z0-9]{9}$/);
    const claims = claimsOf(first.AccessToken!);
    expect(Object.keys(claims).slice(0, 2)).toEqual(["sub", "device_key"]);
    expect(claims.device_key).toBe(device.deviceKey);
  });

  it("is shown by GetDevice, ListDevices and the admin calls with Cognito's attributes", async () => {
    const got = await t.cognito.send(
      new GetDeviceCommand({ AccessToken: first.AccessToken, DeviceKey: device.deviceKey }),
    );
    expect(got.Device!.DeviceKey).toBe(device.deviceKey);
    expect(got.Device!.DeviceAttributes!.map((a) => a.Name)).toEqual([
      "device_status",
      "device_name",
      "dev:device_arn",
      "dev:device_owner",
      "last_ip_used",
      "dev:device_remembered_status",
    ]);
    const attrs = Object.fromEntries(got.Device!.DeviceAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({
      device_status: "valid",
      device_name: "test-device",
      "dev:device_owner": `ann.${ids.poolId}`,
      "dev:device_arn": `arn:aws:cognito-idp:us-east-1:${attrs["dev:device_arn"]!.split(":")[4]}:owner/ann.${ids.poolId}/device/${device.deviceKey}`,
      // The connection's address, as Cognito records the caller's IP.
      last_ip_used: "127.0.0.1",
      "dev:device_remembered_status": "remembered",
    });
    expect(got.Device!.DeviceCreateDate).toBeInstanceOf(Date);
    expect(got.Device!.DeviceLastAuthenticatedDate).toBeInstanceOf(Date);
    const listed = await t.cognito.send(new ListDevicesCommand({ AccessToken: first.AccessToken }));
    expect(listed.Devices!.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
    expect(listed.PaginationToken).toBeUndefined();
    const admin = await t.cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: device.deviceKey }),
    );
    expect(admin.Device).toEqual(got.Device);
    const adminList = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(adminList.Devices).toEqual(listed.Devices);
  });

  it("signs in after USER_SRP_AUTH with the device's SRP, skipping MFA, without a new device", async () => {
    const invocations = t.twin.triggers.invocations.length;
    const asked = await srpWithDevice(ids, "ann", device.deviceKey);
    expect(asked.ChallengeParameters).toEqual({ USERNAME: "ann" });
    const done = await (await deviceProof(ids, "ann", device, asked)).send();
    const result = done.AuthenticationResult!;
    expect(result.NewDeviceMetadata).toBeUndefined();
    expect(claimsOf(result.AccessToken!).device_key).toBe(device.deviceKey);
    const calls = t.twin.triggers.invocations.slice(invocations);
    expect(calls.map((i) => i.triggerSource)).toEqual([
      "PostAuthentication_Authentication",
      "TokenGeneration_AuthenticateDevice",
    ]);
    expect((calls[0]!.event as { request: { newDeviceUsed: boolean } }).request.newDeviceUsed).toBe(false);
  });

  it("signs in after USER_PASSWORD_AUTH with DEVICE_KEY the same way", async () => {
    const asked = await passwordAuth(ids, "ann", device.deviceKey);
    const done = await (await deviceProof(ids, "ann", device, asked)).send();
    expect(done.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
  });

  it("signs in through AdminInitiateAuth and AdminRespondToAuthChallenge the same way", async () => {
    const asked = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: ids.poolId,
        ClientId: ids.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ann", PASSWORD, DEVICE_KEY: device.deviceKey },
      }),
    );
    expect(asked.ChallengeName).toBe("DEVICE_SRP_AUTH");
    const srp = new SrpClient(ids.poolId, { realm: device.groupKey });
    const admin = (
      ChallengeName: "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER",
      Session: string | undefined,
      ChallengeResponses: Record<string, string>,
    ) =>
      t.cognito.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: ids.poolId,
          ClientId: ids.clientId,
          ChallengeName,
          Session,
          ChallengeResponses,
        }),
      );
    const verifier = await admin("DEVICE_SRP_AUTH", asked.Session, {
      USERNAME: "ann",
      DEVICE_KEY: device.deviceKey,
      SRP_A: srp.A,
    });
    const done = await admin(
      "DEVICE_PASSWORD_VERIFIER",
      verifier.Session,
      deviceAnswer(srp, device, "ann", verifier.ChallengeParameters!),
    );
    expect(claimsOf(done.AuthenticationResult!.AccessToken!).device_key).toBe(device.deviceKey);
  });

  it("binds refresh tokens to the device", async () => {
    await expect(refresh(ids, first.RefreshToken!)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    await expect(
      refresh(ids, first.RefreshToken!, "us-east-1_00000000-0000-4000-8000-000000000000"),
    ).rejects.toMatchObject({ message: "Invalid Refresh Token." });
    const refreshed = await refresh(ids, first.RefreshToken!, device.deviceKey);
    expect(claimsOf(refreshed.AuthenticationResult!.AccessToken!).device_key).toBe(device.deviceKey);
    const viaNew = await t.cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: ids.clientId,
        RefreshToken: first.RefreshToken,
        DeviceKey: device.deviceKey,
      }),
    );
    expect(viaNew.AuthenticationResult?.AccessToken).toBeDefined();
    await expect(
      t.cognito.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: ids.clientId, RefreshToken: first.RefreshToken }),
      ),
    ).rejects.toMatchObject({ message: "Invalid Refresh Token." });
  });

  it("refuses a forged proof, and a replayed one, with no tokens", async () => {
    const forged = await deviceProof(ids, "ann", device, await passwordAuth(ids, "ann", device.deviceKey), (r) => ({
      ...r,
      PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 1).toString("base64"),
    }));
    await expect(forged.send()).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    const good = await deviceProof(ids, "ann", device, await passwordAuth(ids, "ann", device.deviceKey));
    expect((await good.send()).AuthenticationResult).toBeDefined();
    await expect(good.send()).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
    // A proof made with another device's secret (same key, wrong password) fails too.
    const wrongSecret = { ...device, password: "not-the-device-password" };
    const wrong = await deviceProof(ids, "ann", wrongSecret, await passwordAuth(ids, "ann", device.deviceKey));
    await expect(wrong.send()).rejects.toMatchObject({ message: "Incorrect username or password." });
  });

  it("refuses another user's device key, an unknown one and a malformed one", async () => {
    await expect(passwordAuth(ids, "bob", device.deviceKey)).rejects.toMatchObject(NOT_FOUND);
    await expect(srpWithDevice(ids, "bob", device.deviceKey)).rejects.toMatchObject(NOT_FOUND);
    await expect(passwordAuth(ids, "ann", "us-east-1_00000000-0000-4000-8000-000000000000")).rejects.toMatchObject(
      NOT_FOUND,
    );
    await expect(
      t.cognito.send(new GetDeviceCommand({ AccessToken: first.AccessToken, DeviceKey: "not a key" })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      t.cognito.send(
        new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "bob", DeviceKey: device.deviceKey }),
      ),
    ).rejects.toMatchObject(NOT_FOUND);
  });

  it("needs an access token for GetDevice and ForgetDevice (optional in the model)", async () => {
    for (const command of [
      new GetDeviceCommand({ DeviceKey: device.deviceKey }),
      new ForgetDeviceCommand({ DeviceKey: device.deviceKey }),
    ]) {
      await expect(t.cognito.send(command as GetDeviceCommand)).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: "Missing required parameter AccessToken",
      });
    }
  });

  it("answers a DEVICE_SRP_AUTH for another device key with Device does not exist", async () => {
    const asked = await passwordAuth(ids, "ann", device.deviceKey);
    const srp = new SrpClient(ids.poolId, { realm: device.groupKey });
    await expect(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: ids.clientId,
          ChallengeName: "DEVICE_SRP_AUTH",
          Session: asked.Session,
          ChallengeResponses: {
            USERNAME: "ann",
            DEVICE_KEY: "us-east-1_00000000-0000-4000-8000-000000000000",
            SRP_A: srp.A,
          },
        }),
      ),
    ).rejects.toMatchObject(NOT_FOUND);
  });

  it("keeps devices through a global sign-out", async () => {
    await t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    const listed = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(listed.Devices!.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
    const done = await (await deviceProof(ids, "ann", device, await passwordAuth(ids, "ann", device.deviceKey))).send();
    expect(done.AuthenticationResult).toBeDefined();
  });
});

describe("remembering and forgetting", () => {
  it("asks for MFA, then the device, when the device is not remembered", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const { device, result } = await rememberNewDevice(ids);
    await t.cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: result.AccessToken,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "not_remembered",
      }),
    );
    // The user's own calls see remembered devices only; the admin calls see every one.
    await expect(
      t.cognito.send(new GetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey })),
    ).rejects.toMatchObject(NOT_FOUND);
    expect((await t.cognito.send(new ListDevicesCommand({ AccessToken: result.AccessToken }))).Devices).toEqual([]);
    const admin = await t.cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: device.deviceKey }),
    );
    expect(admin.Device!.DeviceAttributes).toContainEqual({
      Name: "dev:device_remembered_status",
      Value: "not_remembered",
    });

    const afterCode = await answerSms(ids, "ann", await passwordAuth(ids, "ann", device.deviceKey));
    expect((await (await deviceProof(ids, "ann", device, afterCode)).send()).AuthenticationResult).toBeDefined();

    await t.cognito.send(
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: ids.poolId,
        Username: "ann",
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "remembered",
      }),
    );
    const skipped = await passwordAuth(ids, "ann", device.deviceKey);
    expect(skipped.ChallengeName).toBe("DEVICE_SRP_AUTH");
  });

  it("asks for MFA on a remembered device when the pool does not let devices skip it", async () => {
    const ids = await setup({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false });
    const { device } = await rememberNewDevice(ids);
    const afterCode = await answerSms(ids, "ann", await passwordAuth(ids, "ann", device.deviceKey));
    expect(afterCode.ChallengeName).toBe("DEVICE_SRP_AUTH");
  });

  it("remembers on the user's prompt only (DeviceOnlyRememberedOnUserPrompt)", async () => {
    const ids = await setup({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const { device, result, confirmed } = await rememberNewDevice(ids);
    expect(confirmed.UserConfirmationNecessary).toBe(true);
    const listed = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(listed.Devices![0]!.DeviceAttributes).toContainEqual({
      Name: "dev:device_remembered_status",
      Value: "not_remembered",
    });
    expect((await passwordAuth(ids, "ann", device.deviceKey)).ChallengeName).toBe("SMS_MFA");
    await t.cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: result.AccessToken,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "remembered",
      }),
    );
    expect((await passwordAuth(ids, "ann", device.deviceKey)).ChallengeName).toBe("DEVICE_SRP_AUTH");
  });

  it("forgets a device: MFA again, its key refused, its refresh tokens dead", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const { device, result } = await rememberNewDevice(ids);
    await t.cognito.send(new ForgetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey }));
    await expect(passwordAuth(ids, "ann", device.deviceKey)).rejects.toMatchObject(NOT_FOUND);
    expect((await passwordAuth(ids, "ann")).ChallengeName).toBe("SMS_MFA");
    await expect(refresh(ids, result.RefreshToken!, device.deviceKey)).rejects.toMatchObject({
      message: "Invalid Refresh Token.",
    });
    await expect(
      t.cognito.send(new ForgetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey })),
    ).rejects.toMatchObject(NOT_FOUND);
    await expect(
      t.cognito.send(
        new UpdateDeviceStatusCommand({
          AccessToken: result.AccessToken,
          DeviceKey: device.deviceKey,
          DeviceRememberedStatus: "remembered",
        }),
      ),
    ).rejects.toMatchObject(NOT_FOUND);
    const second = await rememberNewDevice(ids);
    await t.cognito.send(
      new AdminForgetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: second.device.deviceKey }),
    );
    expect(
      (await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }))).Devices,
    ).toEqual([]);
  });
});

describe("ConfirmDevice", () => {
  it("confirms only the sign-in's own new device, once, with a usable verifier", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const signedIn = (await answerSms(ids, "ann", await passwordAuth(ids, "ann"))).AuthenticationResult!;
    const meta = signedIn.NewDeviceMetadata!;
    const secret = newDeviceSecret(meta.DeviceKey!, meta.DeviceGroupKey!);
    const confirm = (input: Partial<{ DeviceKey: string; Salt: string; PasswordVerifier: string }>) =>
      t.cognito.send(
        new ConfirmDeviceCommand({
          AccessToken: signedIn.AccessToken,
          DeviceKey: input.DeviceKey ?? secret.deviceKey,
          DeviceSecretVerifierConfig: {
            Salt: input.Salt ?? secret.verifierConfig.Salt,
            PasswordVerifier: input.PasswordVerifier ?? secret.verifierConfig.PasswordVerifier,
          },
        }),
      );
    await expect(confirm({ DeviceKey: "us-east-1_00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject(
      NOT_FOUND,
    );
    await expect(confirm({ PasswordVerifier: "AA==" })).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(confirm({ Salt: "not base64!" })).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      t.cognito.send(new ConfirmDeviceCommand({ AccessToken: signedIn.AccessToken, DeviceKey: secret.deviceKey })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      t.cognito.send(new ConfirmDeviceCommand({ AccessToken: "not-a-token", DeviceKey: secret.deviceKey })),
    ).rejects.toMatchObject({ name: "NotAuthorizedException" });
    expect((await confirm({})).UserConfirmationNecessary).toBe(false);
    await expect(confirm({})).rejects.toMatchObject({ name: "DeviceKeyExistsException" });
    // A device with no name shows no device_name.
    const got = await t.cognito.send(
      new GetDeviceCommand({ AccessToken: signedIn.AccessToken, DeviceKey: secret.deviceKey }),
    );
    expect(got.Device!.DeviceAttributes!.map((a) => a.Name)).not.toContain("device_name");
  });

  it("pages ListDevices and AdminListDevices by Limit", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const keys: string[] = [];
    let token = "";
    for (let i = 0; i < 3; i += 1) {
      const made = await rememberNewDevice(ids, "ann", `device-${i}`);
      keys.push(made.device.deviceKey);
      token = made.result.AccessToken!;
    }
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = await t.cognito.send(
        new ListDevicesCommand({ AccessToken: token, Limit: 2, PaginationToken: next }),
      );
      expect(page.Devices!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Devices!.map((d) => d.DeviceKey!));
      next = page.PaginationToken;
    } while (next);
    expect(seen).toEqual(keys);
    const first = await t.cognito.send(
      new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann", Limit: 1 }),
    );
    expect(first.Devices!.map((d) => d.DeviceKey)).toEqual([keys[0]]);
    const rest = await t.cognito.send(
      new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann", PaginationToken: first.PaginationToken }),
    );
    expect(rest.Devices!.map((d) => d.DeviceKey)).toEqual(keys.slice(1));
    await expect(
      t.cognito.send(new ListDevicesCommand({ AccessToken: token, PaginationToken: "bogus" })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });
});

describe("devices in the state", () => {
  it("go out with the user in GET /_twin/state, come back through POST, and go with the user", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const { device } = await rememberNewDevice(ids);
    const exported = await (await fetch(`${t.url}/_twin/state`)).json();
    const reset = await fetch(`${t.url}/_twin/state`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(exported),
    });
    expect(reset.status).toBe(200);
    // The imported device still signs in with its SRP secret.
    const done = await (await deviceProof(ids, "ann", device, await passwordAuth(ids, "ann", device.deviceKey))).send();
    expect(claimsOf(done.AuthenticationResult!.AccessToken!).device_key).toBe(device.deviceKey);

    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    await createUser(t, ids.poolId, "ann", { attributes: { phone_number: "+15555550100" } });
    expect(
      (await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }))).Devices,
    ).toEqual([]);
  });
});

// Bad input the audit of issue 16 found untested, and refresh before ConfirmDevice (ADR 0019).
describe("more bad input towards devices", () => {
  /** DEVICE_SRP_AUTH answered: the DEVICE_PASSWORD_VERIFIER challenge, and the SRP client behind it. */
  async function deviceVerifierChallenge(ids: Ids, device: DeviceSecret) {
    const asked = await passwordAuth(ids, "ann", device.deviceKey);
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
    return { srp, session: verifier.Session!, params: verifier.ChallengeParameters! };
  }

  function answerVerifier(ids: Ids, session: string, responses: Record<string, string>) {
    return t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: ids.clientId,
        ChallengeName: "DEVICE_PASSWORD_VERIFIER",
        Session: session,
        ChallengeResponses: responses,
      }),
    );
  }

  const WRONG = { name: "NotAuthorizedException", message: "Incorrect username or password." };

  it("refuses a device key of another pool: at sign-in, in the device calls and at refresh", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const other = await setup(ALWAYS_SKIP_MFA);
    const { result } = await rememberNewDevice(ids);
    const { device: foreign } = await rememberNewDevice(other);
    await expect(passwordAuth(ids, "ann", foreign.deviceKey)).rejects.toMatchObject(NOT_FOUND);
    await expect(srpWithDevice(ids, "ann", foreign.deviceKey)).rejects.toMatchObject(NOT_FOUND);
    await expect(
      t.cognito.send(new GetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: foreign.deviceKey })),
    ).rejects.toMatchObject(NOT_FOUND);
    await expect(
      t.cognito.send(
        new AdminGetDeviceCommand({ UserPoolId: ids.poolId, Username: "ann", DeviceKey: foreign.deviceKey }),
      ),
    ).rejects.toMatchObject(NOT_FOUND);
    await expect(refresh(ids, result.RefreshToken!, foreign.deviceKey)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    // The other pool's device is untouched.
    const theirs = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: other.poolId, Username: "ann" }));
    expect(theirs.Devices!.map((d) => d.DeviceKey)).toEqual([foreign.deviceKey]);
  });

  it("refuses a device proof with a stale TIMESTAMP, with no tokens", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const { device } = await rememberNewDevice(ids);
    const stale = await deviceVerifierChallenge(ids, device);
    const tenMinutesAgo = srpTimestamp(Date.now() - 10 * 60_000);
    await expect(
      answerVerifier(ids, stale.session, deviceAnswer(stale.srp, device, "ann", stale.params, tenMinutesAgo)),
    ).rejects.toMatchObject(WRONG);
    // The same device proves itself with a current timestamp.
    const fresh = await deviceVerifierChallenge(ids, device);
    const done = await answerVerifier(ids, fresh.session, deviceAnswer(fresh.srp, device, "ann", fresh.params));
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("refuses a device proof signed over another exchange's SECRET_BLOCK, with no tokens", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const { device } = await rememberNewDevice(ids);
    const first = await deviceVerifierChallenge(ids, device);
    const second = await deviceVerifierChallenge(ids, device);
    expect(second.params.SECRET_BLOCK).not.toBe(first.params.SECRET_BLOCK);
    // Signed over the second exchange's secret block, sent in the first exchange's session.
    const mixed = deviceAnswer(first.srp, device, "ann", {
      ...first.params,
      SECRET_BLOCK: second.params.SECRET_BLOCK!,
    });
    await expect(answerVerifier(ids, first.session, mixed)).rejects.toMatchObject(WRONG);
    // And the second exchange's own answer, with the first one's secret block swapped in.
    const swapped = {
      ...deviceAnswer(second.srp, device, "ann", second.params),
      PASSWORD_CLAIM_SECRET_BLOCK: first.params.SECRET_BLOCK!,
    };
    await expect(answerVerifier(ids, second.session, swapped)).rejects.toMatchObject(WRONG);
  });

  it("GlobalSignOut revokes the refresh tokens and keeps the devices, which still skip MFA", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const { device } = await rememberNewDevice(ids);
    const signedIn = await (
      await deviceProof(ids, "ann", device, await passwordAuth(ids, "ann", device.deviceKey))
    ).send();
    const tokens = signedIn.AuthenticationResult!;
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expect(refresh(ids, tokens.RefreshToken!, device.deviceKey)).rejects.toMatchObject({
      name: "NotAuthorizedException",
    });
    await expect(
      t.cognito.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: ids.clientId,
          RefreshToken: tokens.RefreshToken,
          DeviceKey: device.deviceKey,
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException" });
    await expect(t.cognito.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    const listed = await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "ann" }));
    expect(listed.Devices!.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
    // The next sign-in on the remembered device asks for no SMS code.
    const again = await (
      await deviceProof(ids, "ann", device, await passwordAuth(ids, "ann", device.deviceKey))
    ).send();
    expect(again.ChallengeName).toBeUndefined();
    const mine = await t.cognito.send(new ListDevicesCommand({ AccessToken: again.AuthenticationResult!.AccessToken }));
    expect(mine.Devices!.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
  });

  it("refuses to refresh with a device handed out and never confirmed, until ConfirmDevice", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const signedIn = (await answerSms(ids, "ann", await passwordAuth(ids, "ann"))).AuthenticationResult!;
    const meta = signedIn.NewDeviceMetadata!;
    const invalid = { name: "NotAuthorizedException", message: "Invalid Refresh Token." };
    await expect(refresh(ids, signedIn.RefreshToken!, meta.DeviceKey)).rejects.toMatchObject(invalid);
    await expect(refresh(ids, signedIn.RefreshToken!)).rejects.toMatchObject(invalid);
    await expect(
      t.cognito.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: ids.clientId,
          RefreshToken: signedIn.RefreshToken,
          DeviceKey: meta.DeviceKey,
        }),
      ),
    ).rejects.toMatchObject(invalid);
    const device = newDeviceSecret(meta.DeviceKey!, meta.DeviceGroupKey!);
    await t.cognito.send(
      new ConfirmDeviceCommand({
        AccessToken: signedIn.AccessToken,
        DeviceKey: device.deviceKey,
        DeviceSecretVerifierConfig: device.verifierConfig,
      }),
    );
    const refreshed = await refresh(ids, signedIn.RefreshToken!, meta.DeviceKey);
    expect(claimsOf(refreshed.AuthenticationResult!.AccessToken!).device_key).toBe(meta.DeviceKey);
  });

  it("binds the token endpoint's refresh_token grant to the confirmed device (device_key) too", async () => {
    const ids = await setup(ALWAYS_SKIP_MFA);
    const prefix = `devices-${ids.poolId.split("_")[1]!.toLowerCase()}`;
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: ids.poolId, Domain: prefix }));
    const grant = (refreshToken: string, deviceKey?: string) =>
      fetch(`${t.url}/_domain/${prefix}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: ids.clientId,
          refresh_token: refreshToken,
          ...(deviceKey ? { device_key: deviceKey } : {}),
        }).toString(),
      });
    const signedIn = (await answerSms(ids, "ann", await passwordAuth(ids, "ann"))).AuthenticationResult!;
    const meta = signedIn.NewDeviceMetadata!;
    const before = await grant(signedIn.RefreshToken!, meta.DeviceKey);
    expect(before.status).toBe(400);
    expect(await before.json()).toMatchObject({ error: "invalid_grant" });
    const device = newDeviceSecret(meta.DeviceKey!, meta.DeviceGroupKey!);
    await t.cognito.send(
      new ConfirmDeviceCommand({
        AccessToken: signedIn.AccessToken,
        DeviceKey: device.deviceKey,
        DeviceSecretVerifierConfig: device.verifierConfig,
      }),
    );
    const without = await grant(signedIn.RefreshToken!);
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({ error: "invalid_grant" });
    const withKey = await grant(signedIn.RefreshToken!, meta.DeviceKey);
    expect(withKey.status).toBe(200);
    const body = (await withKey.json()) as { access_token: string };
    expect(claimsOf(body.access_token).device_key).toBe(meta.DeviceKey);
  });
});
