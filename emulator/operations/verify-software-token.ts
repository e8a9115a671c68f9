import type {
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { countWrongAnswer } from "../domain/auth.js";
import { advanceSetup, matchTotp, poolAllowsTotp, setupSession } from "../domain/mfa.js";
import { updateUser } from "../domain/users/update.js";
import type { UserRecord } from "../store/types.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

/** Makes `secret` the user's verified authenticator; `step` is spent (no second sign-in with it). */
function verified(user: UserRecord, secret: string, step: number, deviceName: string | undefined): void {
  user.mfa.totpSecret = secret;
  user.mfa.totpLastStep = step;
  if (deviceName) user.mfa.totpDeviceName = deviceName;
  else delete user.mfa.totpDeviceName;
  delete user.mfa.pendingTotpSecret;
}

// Checks the first code of a newly associated authenticator (RFC 6238, one step of skew). With
// an AccessToken the authenticator becomes verified, and SetUserMFAPreference can then turn TOTP
// on; with the Session of an MFA_SETUP challenge it also answers the Session that completes the
// challenge. A wrong code is EnableSoftwareTokenMFAException and may be retried (with a Session,
// up to the session's limit of wrong answers: docs/decisions/0014-brute-force-limits.md).
export default defineOperation(
  "VerifySoftwareToken",
  ["store", "clock", "locks", "keys"],
  async (input: VerifySoftwareTokenRequest, ctx): Promise<Wire<VerifySoftwareTokenResponse>> => {
    if (input.AccessToken !== undefined && input.Session !== undefined) throw errors.accessTokenAndSession();
    const code = input.UserCode!;
    if (input.Session !== undefined) {
      const s = setupSession(ctx, input.Session, ["associated"]);
      if (!poolAllowsTotp(s.pool)) throw errors.totpNotEnabled();
      const secret = s.record.data.secret!;
      const step = matchTotp(ctx, secret, code);
      // A wrong code counts towards the setup session's limit of wrong answers.
      if (step === undefined) throw countWrongAnswer(ctx, s.record.session, errors.enableTotpMismatch());
      await updateUser(ctx, s.pool, s.user, (user) => verified(user, secret, step, input.FriendlyDeviceName));
      return { Status: "SUCCESS", Session: advanceSetup(ctx, s, { stage: "verified" }) };
    }
    if (input.AccessToken === undefined) throw errors.missingAccessTokenOrSession();
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken);
    if (!poolAllowsTotp(pool)) throw errors.totpNotEnabled();
    await updateUser(ctx, pool, found, (user) => {
      const secret = user.mfa.pendingTotpSecret;
      if (!secret) throw errors.totpNotFound();
      const step = matchTotp(ctx, secret, code);
      if (step === undefined) throw errors.enableTotpMismatch();
      verified(user, secret, step, input.FriendlyDeviceName);
    });
    return { Status: "SUCCESS" };
  },
);
