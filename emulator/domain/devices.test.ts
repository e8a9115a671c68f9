// The device rules on their own: when a pool tracks devices, what a new device looks like, when a
// device skips MFA, what ConfirmDevice's verifier must be, the refresh binding, the wire shape,
// and the device SRP proof (emulator/crypto/srp.ts) against an independent client (scenarios/srp.ts).
import { describe, expect, it } from "vitest";
import { deviceAnswer, newDeviceSecret, SrpClient } from "../../scenarios/srp.js";
import { createDeviceVerifier, newSecretBlock, startChallenge, verifyDeviceClaim } from "../crypto/srp.js";
import type { StoredPool, StoredSession, StoredUser } from "../store/types.js";
import {
  checkRefreshDevice,
  devicesOf,
  deviceType,
  deviceVerifier,
  newDevice,
  type StoredDevice,
  skipsMfa,
  tracksDevices,
} from "./devices.js";

const POOL_ID = "eu-west-1_Abc123";
const poolWith = (DeviceConfiguration?: object): StoredPool =>
  ({
    id: POOL_ID,
    pool: {
      Id: POOL_ID,
      Arn: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${POOL_ID}`,
      ...(DeviceConfiguration ? { DeviceConfiguration } : {}),
    },
  }) as unknown as StoredPool;

const device = (over: Partial<StoredDevice> = {}): StoredDevice => ({
  key: "eu-west-1_11111111-2222-4333-8444-555555555555",
  groupKey: "-AbCdEfGhI",
  srp: { salt: "ab", verifier: "cd" },
  remembered: true,
  createdAt: 1_700_000_000_123,
  updatedAt: 1_700_000_100_456,
  lastAuthenticatedAt: 1_700_000_200_789,
  ...over,
});
const userWith = (devices: StoredDevice[]): StoredUser =>
  ({ poolId: POOL_ID, username: "kim", sub: "s", devices }) as unknown as StoredUser;

describe("device tracking", () => {
  it("is on with any DeviceConfiguration, both flags false included", () => {
    expect(tracksDevices(poolWith())).toBe(false);
    expect(tracksDevices(poolWith({}))).toBe(true);
    expect(
      tracksDevices(poolWith({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false })),
    ).toBe(true);
  });

  it("hands out <region>_<uuid> keys and a group key each", () => {
    const a = newDevice(poolWith({}));
    const b = newDevice(poolWith({}));
    expect(a.key).toMatch(/^eu-west-1_[0-9a-f-]{36}$/);
    expect(a.key.length).toBeLessThanOrEqual(55);
    expect(a.groupKey).toMatch(/^-[A-Za-z0-9]{9}$/);
    expect(a.confirmed).toBe(false);
    expect(b.key).not.toBe(a.key);
  });

  it("skips MFA only for a remembered device in a pool that lets devices stand in for it", () => {
    const skipping = poolWith({ ChallengeRequiredOnNewDevice: true });
    expect(skipsMfa(skipping, device())).toBe(true);
    expect(skipsMfa(skipping, device({ remembered: false }))).toBe(false);
    expect(skipsMfa(skipping, undefined)).toBe(false);
    expect(skipsMfa(poolWith({ ChallengeRequiredOnNewDevice: false }), device())).toBe(false);
  });
});

describe("ConfirmDevice's DeviceSecretVerifierConfig", () => {
  const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
  it("reads base64 of the salt and verifier bytes as hex", () => {
    expect(deviceVerifier({ Salt: b64("00a1b2"), PasswordVerifier: b64("0fff") })).toEqual({
      salt: "00a1b2",
      verifier: "0fff",
    });
  });

  it("refuses what is missing, not base64, empty, or a verifier of 0 mod N", () => {
    expect(() => deviceVerifier(undefined)).toThrow("Missing required parameter DeviceSecretVerifierConfig");
    for (const config of [
      { Salt: b64("aa") },
      { PasswordVerifier: b64("aa") },
      { Salt: "***", PasswordVerifier: b64("aa") },
      { Salt: b64("aa"), PasswordVerifier: b64("00") },
      { Salt: "", PasswordVerifier: b64("aa") },
    ]) {
      expect(() => deviceVerifier(config), JSON.stringify(config)).toThrow(/DeviceSecretVerifierConfig must hold/);
    }
  });
});

describe("refresh tokens bound to a device", () => {
  const d = device();
  const session = (bound?: StoredSession["device"]) => ({ device: bound }) as unknown as StoredSession;
  it("need the device's key, and the device while it was confirmed", () => {
    const user = userWith([d]);
    expect(() => checkRefreshDevice(user, session(), undefined)).not.toThrow();
    expect(() => checkRefreshDevice(user, session(), "anything")).not.toThrow();
    const bound = { key: d.key, groupKey: d.groupKey, confirmed: true };
    expect(() => checkRefreshDevice(user, session(bound), d.key)).not.toThrow();
    expect(() => checkRefreshDevice(user, session(bound), undefined)).toThrow("Invalid Refresh Token.");
    expect(() => checkRefreshDevice(user, session(bound), "eu-west-1_other")).toThrow("Invalid Refresh Token.");
    expect(() => checkRefreshDevice(userWith([]), session(bound), d.key)).toThrow("Invalid Refresh Token.");
    // A device handed out and never confirmed: no refresh until ConfirmDevice (ADR 0019).
    expect(() => checkRefreshDevice(userWith([]), session({ ...bound, confirmed: false }), d.key)).toThrow(
      "Invalid Refresh Token.",
    );
    expect(() => checkRefreshDevice(user, session({ ...bound, confirmed: false }), d.key)).not.toThrow();
  });
});

describe("the wire shape", () => {
  it("lists Cognito's attributes in its order and the dates as epoch seconds", () => {
    const shown = deviceType(poolWith({}), userWith([]), device({ name: "laptop", lastIp: "192.0.2.1" }));
    expect(shown).toEqual({
      DeviceKey: device().key,
      DeviceAttributes: [
        { Name: "device_status", Value: "valid" },
        { Name: "device_name", Value: "laptop" },
        {
          Name: "dev:device_arn",
          Value: `arn:aws:cognito-idp:eu-west-1:123456789012:owner/kim.${POOL_ID}/device/${device().key}`,
        },
        { Name: "dev:device_owner", Value: `kim.${POOL_ID}` },
        { Name: "last_ip_used", Value: "192.0.2.1" },
        { Name: "dev:device_remembered_status", Value: "remembered" },
      ],
      DeviceCreateDate: 1_700_000_000.123,
      DeviceLastModifiedDate: 1_700_000_100.456,
      DeviceLastAuthenticatedDate: 1_700_000_200,
    });
  });

  it("orders devices oldest first and filters the remembered", () => {
    const older = device({ key: "eu-west-1_b", createdAt: 1, remembered: false });
    const newer = device({ key: "eu-west-1_a", createdAt: 2 });
    const user = userWith([newer, older]);
    expect(devicesOf(user, "all").map((d) => d.key)).toEqual(["eu-west-1_b", "eu-west-1_a"]);
    expect(devicesOf(user, "remembered").map((d) => d.key)).toEqual(["eu-west-1_a"]);
  });
});

describe("the device SRP proof", () => {
  const key = "us-east-1_0a1b2c3d-0000-4000-8000-000000000001";
  const groupKey = "-Gr0upKey9";

  function exchange() {
    const secret = newDeviceSecret(key, groupKey);
    const salt = Buffer.from(secret.verifierConfig.Salt, "base64").toString("hex");
    const verifier = Buffer.from(secret.verifierConfig.PasswordVerifier, "base64").toString("hex");
    const client = new SrpClient("us-east-1_Pool", { realm: groupKey });
    const { b, B } = startChallenge(verifier);
    const secretBlock = newSecretBlock();
    const answer = deviceAnswer(client, secret, "kim", { SRP_B: B, SALT: salt, SECRET_BLOCK: secretBlock });
    const claim = {
      deviceGroupKey: groupKey,
      deviceKey: key,
      A: client.A,
      B,
      b,
      verifier,
      secretBlock,
      timestamp: answer.TIMESTAMP!,
      signature: answer.PASSWORD_CLAIM_SIGNATURE!,
    };
    return { secret, salt, verifier, claim };
  }

  it("the server's verifier for a device matches the client's generateHashDevice", () => {
    const { secret, salt, verifier } = exchange();
    expect(BigInt(`0x${createDeviceVerifier(groupKey, key, secret.password, salt).verifier}`)).toBe(
      BigInt(`0x${verifier}`),
    );
  });

  it("accepts the device's own proof and nothing else", () => {
    const { claim } = exchange();
    expect(verifyDeviceClaim(claim)).toBe(true);
    expect(verifyDeviceClaim({ ...claim, deviceKey: `${key}x` })).toBe(false);
    expect(verifyDeviceClaim({ ...claim, deviceGroupKey: "-Other0000" })).toBe(false);
    expect(verifyDeviceClaim({ ...claim, secretBlock: newSecretBlock() })).toBe(false);
    expect(verifyDeviceClaim({ ...claim, signature: Buffer.alloc(32).toString("base64") })).toBe(false);
    expect(verifyDeviceClaim({ ...claim, timestamp: "not a time" })).toBe(false);
    expect(verifyDeviceClaim({ ...claim, A: "0" })).toBe(false);
    // Another exchange's proof (replayed against a new B) fails.
    expect(verifyDeviceClaim({ ...exchange().claim, signature: claim.signature })).toBe(false);
  });
});
