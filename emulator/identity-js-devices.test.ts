// Remembered devices through the real amazon-cognito-identity-js in Node: the library confirms
// the device it is handed after an MFA sign-in (its own generateHashDevice and ConfirmDevice),
// signs in next time with DEVICE_KEY and its device SRP (getDeviceResponse) without an MFA code,
// refreshes with the device key, and after forgetDevice is asked for MFA again. A device
// forgotten behind its back makes it drop the key and sign in without it (its retry sends
// `DEVICE_KEY: null`, taken as no key), as it does on Cognito.
import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimsOf, createClient, createPool, createUser, inbox, PASSWORD } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

/** One browser's storage: the library keeps the device key, group key and password there. */
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

interface Ids {
  poolId: string;
  clientId: string;
}

/** A pool that requires SMS MFA and tracks devices, and a user with a phone and SMS MFA on. */
async function setup(opts: { optIn?: boolean } = {}): Promise<Ids> {
  const poolId = await createPool(t, {
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: opts.optIn === true },
  });
  await t.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns" } },
    }),
  );
  await createUser(t, poolId, "dana", { attributes: { phone_number: "+15555550123", phone_number_verified: "true" } });
  await t.cognito.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId,
      Username: "dana",
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const { clientId } = await createClient(t, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { poolId, clientId };
}

function userOf(ids: Ids, storage: Storage): CognitoUser {
  const pool = new CognitoUserPool({
    UserPoolId: ids.poolId,
    ClientId: ids.clientId,
    endpoint: `${t.url}/`,
    Storage: storage,
  });
  return new CognitoUser({ Username: "dana", Pool: pool, Storage: storage });
}

type Outcome =
  | { kind: "success"; session: CognitoUserSession; confirmationNecessary?: boolean }
  | { kind: "mfaRequired" };

function callbacks(resolve: (o: Outcome) => void, reject: (e: unknown) => void) {
  return {
    onSuccess: (session: CognitoUserSession, confirmationNecessary?: boolean) =>
      resolve({ kind: "success", session, ...(confirmationNecessary !== undefined ? { confirmationNecessary } : {}) }),
    onFailure: reject,
    mfaRequired: () => resolve({ kind: "mfaRequired" }),
  };
}

function authenticate(user: CognitoUser): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(
      new AuthenticationDetails({ Username: "dana", Password: PASSWORD }),
      callbacks(resolve, reject),
    ),
  );
}

async function sendCode(ids: Ids, user: CognitoUser): Promise<Outcome> {
  const code = (await inbox(t, ids.poolId, "dana")).filter((m) => m.reason === "Authentication").at(-1)!.code!;
  return new Promise((resolve, reject) => user.sendMFACode(code, callbacks(resolve, reject)));
}

const done = (fn: (cb: { onSuccess: () => void; onFailure: (e: unknown) => void }) => void) =>
  new Promise<void>((resolve, reject) => fn({ onSuccess: () => resolve(), onFailure: reject }));

async function devicesOf(ids: Ids) {
  return (
    (await t.cognito.send(new AdminListDevicesCommand({ UserPoolId: ids.poolId, Username: "dana" }))).Devices ?? []
  );
}

describe("amazon-cognito-identity-js remembered devices", () => {
  it("remembers the device after MFA, then signs in with device SRP and no code", async () => {
    const ids = await setup();
    const storage = new Storage();
    const first = userOf(ids, storage);
    expect(await authenticate(first)).toEqual({ kind: "mfaRequired" });
    const signedIn = await sendCode(ids, first);
    expect(signedIn.kind).toBe("success");
    // The library confirmed the device it was handed (ConfirmDevice with its own verifier).
    const [device] = await devicesOf(ids);
    expect(device?.DeviceAttributes).toContainEqual({ Name: "dev:device_remembered_status", Value: "remembered" });

    const next = await authenticate(userOf(ids, storage));
    expect(next.kind).toBe("success");
    const access = claimsOf((next as { session: CognitoUserSession }).session.getAccessToken().getJwtToken());
    expect(access.device_key).toBe(device!.DeviceKey);
    expect(await devicesOf(ids)).toHaveLength(1);

    // Refresh sends DEVICE_KEY, which the device-bound refresh token needs.
    const again = userOf(ids, storage);
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.refreshSession((next as { session: CognitoUserSession }).session.getRefreshToken(), (err, s) =>
        err ? reject(err) : resolve(s as CognitoUserSession),
      ),
    );
    expect(claimsOf(refreshed.getAccessToken().getJwtToken()).device_key).toBe(device!.DeviceKey);
  });

  it("forget the device: the next sign-in asks for MFA again", async () => {
    const ids = await setup();
    const storage = new Storage();
    const user = userOf(ids, storage);
    await authenticate(user);
    await sendCode(ids, user);
    expect(await devicesOf(ids)).toHaveLength(1);
    await done((cb) => user.forgetDevice(cb));
    expect(await devicesOf(ids)).toEqual([]);
    expect(await authenticate(userOf(ids, storage))).toEqual({ kind: "mfaRequired" });
  });

  it("is told a device forgotten behind its back does not exist", async () => {
    const ids = await setup();
    const storage = new Storage();
    const user = userOf(ids, storage);
    await authenticate(user);
    await sendCode(ids, user);
    const [device] = await devicesOf(ids);
    await t.cognito.send(
      new AdminForgetDeviceCommand({ UserPoolId: ids.poolId, Username: "dana", DeviceKey: device!.DeviceKey }),
    );
    // PASSWORD_VERIFIER with the stale DEVICE_KEY answers `Device does not exist.` and leaves the
    // exchange open; the library then drops its device and answers again with `DEVICE_KEY: null`,
    // which Cognito takes as no device key: the password is proved and MFA is asked for, as for
    // a device never seen (Amplify v6 omits the key instead; amplify-devices.test.ts).
    expect(await authenticate(userOf(ids, storage))).toEqual({ kind: "mfaRequired" });
    expect(await storage.getItem(`CognitoIdentityServiceProvider.${ids.clientId}.dana.deviceKey`)).toBeNull();
    // And the next sign-in too.
    expect(await authenticate(userOf(ids, storage))).toEqual({ kind: "mfaRequired" });
  });

  it("refreshes in a pool that tracks no devices, sending DEVICE_KEY null as a browser's storage makes it", async () => {
    // refreshSession reads the device key from storage and sends it whatever it is: localStorage
    // answers null for a key never set, so every refresh without a device carries DEVICE_KEY null.
    const poolId = await createPool(t);
    await createUser(t, poolId, "dana");
    const { clientId } = await createClient(t, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    const storage = new Storage();
    const user = userOf({ poolId, clientId }, storage);
    const signedIn = await authenticate(user);
    expect(signedIn.kind).toBe("success");
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      userOf({ poolId, clientId }, storage).refreshSession(
        (signedIn as { session: CognitoUserSession }).session.getRefreshToken(),
        (err, s) => (err ? reject(err) : resolve(s as CognitoUserSession)),
      ),
    );
    expect(claimsOf(refreshed.getAccessToken().getJwtToken()).username).toBe("dana");
  });

  it("with DeviceOnlyRememberedOnUserPrompt, remembers only after setDeviceStatusRemembered", async () => {
    const ids = await setup({ optIn: true });
    const storage = new Storage();
    const user = userOf(ids, storage);
    await authenticate(user);
    const signedIn = await sendCode(ids, user);
    expect(signedIn).toMatchObject({ kind: "success", confirmationNecessary: true });
    // Confirmed, not remembered: MFA first, then the device's proof.
    expect(await authenticate(userOf(ids, storage))).toEqual({ kind: "mfaRequired" });
    await done((cb) => user.setDeviceStatusRemembered(cb));
    expect((await authenticate(userOf(ids, storage))).kind).toBe("success");
  });
});
