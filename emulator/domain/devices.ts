// Remembered devices (Cognito's device tracking): when a pool has a DeviceConfiguration, every
// sign-in that did not authenticate a device is handed a new device key (NewDeviceMetadata) and
// bound to it; ConfirmDevice stores the device's SRP verifier on the user; a later sign-in that
// names the device proves it with DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER, and a remembered
// device skips MFA where the pool allows it. What Cognito does not publish is in
// docs/decisions/0019-remembered-devices.md.
import { randomBytes } from "node:crypto";
import type { DeviceSecretVerifierConfigType, DeviceType } from "@aws-sdk/client-cognito-identity-provider";
import type { RequestFacts, Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { isValidA } from "../crypto/srp.js";
import { newUuid } from "../services/ids.js";
import type {
  DeepReadonly,
  DeviceRecord,
  SessionRecord,
  StoredClient,
  StoredPool,
  StoredSession,
  StoredUser,
} from "../store/types.js";
import { openChallenge } from "./auth.js";
import { updateUser } from "./users/update.js";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A device as the store hands it out (read-only). */
export type StoredDevice = DeepReadonly<DeviceRecord>;

/** The device a sign-in session is bound to. */
export type SessionDevice = NonNullable<SessionRecord["device"]>;

/**
 * True when the pool tracks devices: any DeviceConfiguration turns tracking on (AWS: "When you
 * provide a value for any property of DeviceConfiguration, you activate the device remembering").
 */
export function tracksDevices(pool: StoredPool): boolean {
  return pool.pool.DeviceConfiguration !== undefined && pool.pool.DeviceConfiguration !== null;
}

/**
 * A new device for NewDeviceMetadata: DeviceKey `<region>_<uuid>` (the region of the pool's id),
 * and a DeviceGroupKey of its own (its shape is not documented; the emulator's is `-` and nine
 * letters and digits, as captured responses look).
 */
export function newDevice(pool: StoredPool): SessionDevice {
  const region = pool.id.split("_")[0]!;
  const alnum = [...randomBytes(9)].map((b) => ALNUM[b % ALNUM.length]).join("");
  return { key: `${region}_${newUuid()}`, groupKey: `-${alnum}`, confirmed: false };
}

/** The user's confirmed device with this key, if any. */
export function findDevice(user: StoredUser, key: string): StoredDevice | undefined {
  return user.devices?.find((d) => d.key === key);
}

/** The user's confirmed device with this key, or Cognito's `Device does not exist.` */
export function requireDevice(user: StoredUser, key: string): StoredDevice {
  const device = findDevice(user, key);
  if (!device) throw errors.deviceNotFound();
  return device;
}

/**
 * The device a sign-in names with DEVICE_KEY, in a pool that tracks devices: one of the user's
 * confirmed devices, else `Device does not exist.` (a forgotten device, another user's or pool's,
 * an unknown or never confirmed key). Undefined when no key is given or the pool tracks no
 * devices (a key a client still holds from when it did is ignored).
 */
export function deviceForSignIn(
  pool: StoredPool,
  user: StoredUser,
  given: string | undefined,
): StoredDevice | undefined {
  if (!given || !tracksDevices(pool)) return undefined;
  return requireDevice(user, given);
}

/**
 * True when signing in on `device` skips MFA: the device is remembered and the pool lets
 * remembered devices stand in for the second factor (ChallengeRequiredOnNewDevice, the console's
 * "Allow users to bypass MFA for trusted devices"). A device confirmed but not remembered, or
 * none, still answers MFA.
 */
export function skipsMfa(pool: StoredPool, device: StoredDevice | undefined): boolean {
  return device?.remembered === true && pool.pool.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true;
}

/**
 * Opens DEVICE_SRP_AUTH for a device the sign-in named: the client answers with SRP_A over the
 * device's secret (challenges/device-srp.ts).
 */
export function deviceSrpChallenge(
  ctx: Pick<Services, "store" | "clock">,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  device: StoredDevice,
) {
  const ch = openChallenge(ctx, pool, client, user, "DEVICE_SRP_AUTH", { deviceKey: device.key });
  return {
    ChallengeName: "DEVICE_SRP_AUTH" as const,
    Session: ch.session,
    ChallengeParameters: { USERNAME: user.username },
  };
}

/**
 * A refresh of a session bound to a device needs that DEVICE_KEY (AuthParameters of
 * REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken's DeviceKey) of a confirmed device: without it,
 * with another, before ConfirmDevice (a key handed out and never confirmed), or once the device
 * is forgotten, `Invalid Refresh Token.` as Cognito answers ("You must provide the confirmed
 * device key"; docs/decisions/0019-remembered-devices.md).
 */
export function checkRefreshDevice(user: StoredUser, session: StoredSession, given: string | undefined): void {
  const bound = session.device;
  if (!bound) return;
  if (given !== bound.key) throw errors.invalidRefreshToken();
  if (!findDevice(user, bound.key)) throw errors.invalidRefreshToken();
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function base64ToHex(value: string | undefined): string | undefined {
  if (value === undefined || !BASE64.test(value)) return undefined;
  const hex = Buffer.from(value, "base64").toString("hex");
  return hex === "" ? undefined : hex;
}

/**
 * ConfirmDevice's DeviceSecretVerifierConfig as the device's salt and verifier (hex): the clients
 * send base64 of the padded hex bytes (AuthenticationHelper.generateHashDevice). A verifier of 0
 * mod N would let anyone answer, so it is refused with the rest that is not a verifier.
 */
export function deviceVerifier(config: Wire<DeviceSecretVerifierConfigType> | undefined): DeviceRecord["srp"] {
  if (!config) throw errors.missingParameter("DeviceSecretVerifierConfig");
  const salt = base64ToHex(config.Salt);
  const verifier = base64ToHex(config.PasswordVerifier);
  if (!salt || !verifier || !isValidA(verifier)) throw errors.invalidDeviceVerifier();
  return { salt, verifier };
}

/** `arn:aws:cognito-idp:<region>:<account>` of the pool, from its ARN. */
function arnPrefix(pool: StoredPool): string {
  const parts = (pool.pool.Arn ?? "").split(":");
  return parts.slice(0, 5).join(":");
}

/**
 * A device as GetDevice, ListDevices and their admin twins answer it: the attributes in the
 * order Cognito lists them (device_status, device_name, dev:device_arn, dev:device_owner,
 * last_ip_used, dev:device_remembered_status), the dates as epoch seconds (the last sign-in to
 * the second, as Cognito shows it).
 */
export function deviceType(pool: StoredPool, user: StoredUser, device: StoredDevice): Wire<DeviceType> {
  const owner = `${user.username}.${pool.id}`;
  const attributes = [
    { Name: "device_status", Value: "valid" },
    ...(device.name !== undefined ? [{ Name: "device_name", Value: device.name }] : []),
    { Name: "dev:device_arn", Value: `${arnPrefix(pool)}:owner/${owner}/device/${device.key}` },
    { Name: "dev:device_owner", Value: owner },
    ...(device.lastIp !== undefined ? [{ Name: "last_ip_used", Value: device.lastIp }] : []),
    { Name: "dev:device_remembered_status", Value: device.remembered ? "remembered" : "not_remembered" },
  ];
  return {
    DeviceKey: device.key,
    DeviceAttributes: attributes,
    DeviceCreateDate: device.createdAt / 1000,
    DeviceLastModifiedDate: device.updatedAt / 1000,
    DeviceLastAuthenticatedDate: Math.floor(device.lastAuthenticatedAt / 1000),
  };
}

/** The most devices one ListDevices / AdminListDevices page holds (the model's Limit maximum). */
export const MAX_DEVICES_PAGE = 60;

/** The user's confirmed devices, oldest first (the order ListDevices pages them in). */
export function devicesOf(user: StoredUser, only: "all" | "remembered"): StoredDevice[] {
  const all = [...(user.devices ?? [])].sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
  return only === "all" ? all : all.filter((d) => d.remembered);
}

/**
 * Changes one of the user's devices as one unit of work on the user (UpdateDeviceStatus, and
 * forgetting it with `change` answering "forget"): `Device does not exist.` when the user has no
 * such device (by then). A device change is not a modification of the user Cognito shows.
 */
async function changeDevice(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: StoredPool,
  user: StoredUser,
  key: string,
  change: (device: DeviceRecord) => "forget" | undefined,
): Promise<void> {
  await updateUser(
    ctx,
    pool,
    user,
    (next) => {
      const index = next.devices?.findIndex((d) => d.key === key) ?? -1;
      if (index < 0) throw errors.deviceNotFound();
      const devices = next.devices!;
      if (change(devices[index]!) === "forget") devices.splice(index, 1);
      else devices[index]!.updatedAt = ctx.clock.now();
      if (devices.length === 0) delete next.devices;
      return undefined;
    },
    { touch: false },
  );
}

/** Sets a device remembered or not (UpdateDeviceStatus, AdminUpdateDeviceStatus). */
export function setDeviceStatus(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: StoredPool,
  user: StoredUser,
  key: string,
  status: string | undefined,
): Promise<void> {
  // Without a status the device is left as it is (the model makes DeviceRememberedStatus optional).
  return changeDevice(ctx, pool, user, key, (device) => {
    if (status !== undefined) device.remembered = status === "remembered";
    return undefined;
  });
}

/** Forgets a device (ForgetDevice, AdminForgetDevice): its sign-ins' refresh tokens stop working. */
export function forgetDevice(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: StoredPool,
  user: StoredUser,
  key: string,
): Promise<void> {
  return changeDevice(ctx, pool, user, key, () => "forget");
}

/**
 * ConfirmDevice: stores the device the access token's sign-in was handed (NewDeviceMetadata)
 * with its SRP verifier, remembered at once unless the pool leaves that to the user
 * (DeviceOnlyRememberedOnUserPrompt), and answers whether the app must ask. A key that is not
 * the sign-in's new device is `Device does not exist.`, or DeviceKeyExistsException for one
 * already confirmed.
 */
export async function confirmDevice(
  ctx: Pick<Services, "store" | "clock" | "locks"> & Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  user: StoredUser,
  session: StoredSession,
  input: { key: string; config: Wire<DeviceSecretVerifierConfigType> | undefined; name: string | undefined },
): Promise<{ UserConfirmationNecessary: boolean }> {
  const pending = session.device;
  if (findDevice(user, input.key) || (pending?.key === input.key && pending.confirmed)) throw errors.deviceKeyExists();
  if (!pending || pending.key !== input.key) throw errors.deviceNotFound();
  const srp = deviceVerifier(input.config);
  const remembered = pool.pool.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt !== true;
  await updateUser(
    ctx,
    pool,
    user,
    (next) => {
      if (next.devices?.some((d) => d.key === input.key)) throw errors.deviceKeyExists();
      const now = ctx.clock.now();
      const device: DeviceRecord = {
        key: pending.key,
        groupKey: pending.groupKey,
        srp,
        ...(input.name !== undefined ? { name: input.name } : {}),
        remembered,
        ...(ctx.sourceIp !== undefined ? { lastIp: ctx.sourceIp } : {}),
        createdAt: now,
        updatedAt: now,
        lastAuthenticatedAt: now,
      };
      next.devices = [...(next.devices ?? []), device];
      return undefined;
    },
    { touch: false },
  );
  // The sign-in is now bound to a confirmed device: forgetting it ends the session's refreshes.
  const current = ctx.store.getSession(session.originJti);
  if (current?.device?.key === input.key)
    ctx.store.putSession({ ...current, device: { ...current.device, confirmed: true } });
  return { UserConfirmationNecessary: !remembered };
}
