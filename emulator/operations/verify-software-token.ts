import type {
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoError, errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { advanceSetup, matchTotp, poolAllowsTotp, setupSession, totpNotEnabled } from "../domain/mfa.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import type { UserRecord } from "../store/types.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

const mismatch = () =>
  new CognitoError("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA");

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
// challenge. A wrong code is EnableSoftwareTokenMFAException and may be retried.
export default defineOperation(
  "VerifySoftwareToken",
  async (input: VerifySoftwareTokenRequest, ctx): Promise<Wire<VerifySoftwareTokenResponse>> => {
    if (input.AccessToken !== undefined && input.Session !== undefined)
      throw errors.invalidParameter("Provide either AccessToken or Session, not both.");
    const code = input.UserCode!;
    if (input.Session !== undefined) {
      const s = setupSession(ctx, input.Session, ["associated"]);
      if (!poolAllowsTotp(s.pool)) throw totpNotEnabled();
      const secret = s.record.data.secret!;
      const step = matchTotp(ctx, secret, code);
      if (step === undefined) throw mismatch();
      await ctx.locks.run(`${s.pool.id}/${s.user.sub}`, () => {
        const user = cloneUser(currentUser(ctx, s.pool.id, s.user.sub));
        verified(user, secret, step, input.FriendlyDeviceName);
        user.updatedAt = ctx.clock.now();
        ctx.store.putUser(user);
      });
      return { Status: "SUCCESS", Session: advanceSetup(ctx, s, { stage: "verified" }) };
    }
    if (input.AccessToken === undefined)
      throw errors.invalidParameter("Missing required parameter AccessToken or Session");
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken);
    if (!poolAllowsTotp(pool)) throw totpNotEnabled();
    await ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      const secret = user.mfa.pendingTotpSecret;
      if (!secret)
        throw new CognitoError("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user.");
      const step = matchTotp(ctx, secret, code);
      if (step === undefined) throw mismatch();
      verified(user, secret, step, input.FriendlyDeviceName);
      user.updatedAt = ctx.clock.now();
      ctx.store.putUser(user);
    });
    return { Status: "SUCCESS" };
  },
);
