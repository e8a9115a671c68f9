// DEVICE_PASSWORD_VERIFIER: the second half of a remembered device's proof, signed as
// amazon-cognito-identity-js's CognitoUser.getDeviceResponse and Amplify's handleDeviceSRPAuth sign
// it (HMAC over DeviceGroupKey || DeviceKey || SECRET_BLOCK || TIMESTAMP). A right proof signs the
// user in bound to the device, with TokenGeneration_AuthenticateDevice for the pre token
// generation trigger and no NewDeviceMetadata.
import { timingSafeEqual } from "node:crypto";
import { errors } from "../../core/errors.js";
import { isTimestampFresh, parseTimestamp, verifyDeviceClaim } from "../../crypto/srp.js";
import type { StoredUser } from "../../store/types.js";
import { findDevice } from "../devices.js";
import { finishSignIn } from "../flows.js";
import { updateUser } from "../users/update.js";
import { type ChallengeAnswer, type ChallengeResult, challengeUser, pendingChallenge } from "./common.js";

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw errors.missingParameter(name);
  return value;
}

function sameText(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * DEVICE_PASSWORD_VERIFIER: USERNAME, DEVICE_KEY, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP and
 * PASSWORD_CLAIM_SIGNATURE with DEVICE_SRP_AUTH's Session. The session is single use whatever
 * the outcome, so a proof cannot be replayed or guessed at twice. A proof that fails (signature,
 * another secret block, a stale timestamp) is `Incorrect username or password.`; it is not a
 * password, so it does not count towards the user's lockout. The device must still be the one
 * whose verifier the exchange used (not forgotten, not confirmed again meanwhile).
 */
export async function devicePasswordVerifier(a: ChallengeAnswer): Promise<ChallengeResult> {
  const { ctx, pool, client, responses } = a;
  const record = pendingChallenge(a, "DEVICE_PASSWORD_VERIFIER");
  const found = challengeUser(a, record.username);
  const key = required(responses, "DEVICE_KEY");
  const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = required(responses, "TIMESTAMP");
  if (!parseTimestamp(timestamp)) throw errors.invalidSrpTimestamp();
  ctx.store.deleteChallenge(record.session);
  if (key !== record.data.deviceKey) throw errors.deviceNotFound();
  const named = findDevice(found, key);
  if (!named || named.srp.verifier !== record.data.verifier) throw errors.deviceNotFound();
  const fresh = isTimestampFresh(timestamp, ctx.clock.now()) || isTimestampFresh(timestamp, Date.now());
  const proved =
    fresh &&
    sameText(secretBlock, record.data.secretBlock) &&
    verifyDeviceClaim({
      deviceGroupKey: named.groupKey,
      deviceKey: key,
      A: record.data.A!,
      B: record.data.B!,
      b: record.data.b!,
      verifier: record.data.verifier!,
      secretBlock,
      timestamp,
      signature,
    });
  if (!proved) throw errors.incorrectCredentials();

  // The device's last sign-in and address, as one unit of work on the user (not a modification
  // of the user Cognito shows).
  const outcome = await updateUser<StoredUser>(
    ctx,
    pool,
    found,
    (user) => {
      if (!user.enabled) throw errors.userDisabled();
      const device = user.devices?.find((d) => d.key === key);
      if (!device || device.srp.verifier !== record.data.verifier) throw errors.deviceNotFound();
      device.lastAuthenticatedAt = ctx.clock.now();
      if (ctx.sourceIp !== undefined) device.lastIp = ctx.sourceIp;
      return user;
    },
    { touch: false },
  );
  const device = findDevice(outcome, key)!;
  const end = { source: "TokenGeneration_AuthenticateDevice" as const, clientMetadata: a.clientMetadata, device };
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, pool, client, outcome, end) };
}
