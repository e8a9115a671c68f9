// DEVICE_SRP_AUTH: the first half of a remembered device's proof. After the password (and MFA
// unless the device skips it), a sign-in that named a confirmed device is asked for it; the
// client answers with SRP_A over the device's secret, and the answer is the device's SALT, SRP_B
// and a SECRET_BLOCK for DEVICE_PASSWORD_VERIFIER (device-password-verifier.ts). The math is the
// user's SRP (emulator/crypto/srp.ts) over the verifier ConfirmDevice stored.
import { errors } from "../../core/errors.js";
import { isValidA, newSecretBlock, startChallenge } from "../../crypto/srp.js";
import { openChallenge } from "../auth.js";
import { requireDevice } from "../devices.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw errors.missingParameter(name);
  return value;
}

/**
 * DEVICE_SRP_AUTH: USERNAME, DEVICE_KEY (the device the sign-in named) and SRP_A in; the
 * DEVICE_PASSWORD_VERIFIER challenge out, under a new Session (the clients answer with it). A
 * DEVICE_KEY other than the one the sign-in named, or a device forgotten since, is `Device does
 * not exist.`; the session stays for a corrected answer until it expires.
 */
export async function deviceSrpAuth(a: ChallengeAnswer): Promise<ChallengeResult> {
  const { ctx, pool, client, responses } = a;
  const record = pendingChallenge(a, "DEVICE_SRP_AUTH");
  const user = challengeUser(a, record.username);
  const key = required(responses, "DEVICE_KEY");
  const srpA = required(responses, "SRP_A");
  if (key !== record.data.deviceKey) throw errors.deviceNotFound();
  const device = requireDevice(user, key);
  if (!isValidA(srpA)) throw errors.invalidSrpA();
  const { b, B } = startChallenge(device.srp.verifier);
  const secretBlock = newSecretBlock();
  ctx.store.deleteChallenge(record.session);
  const next = openChallenge(ctx, pool, client, user, "DEVICE_PASSWORD_VERIFIER", {
    deviceKey: key,
    A: srpA,
    B,
    b,
    verifier: device.srp.verifier,
    secretBlock,
  });
  return {
    ChallengeName: "DEVICE_PASSWORD_VERIFIER",
    Session: next.session,
    ChallengeParameters: {
      DEVICE_KEY: key,
      SALT: device.srp.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: user.username,
    },
  };
}
