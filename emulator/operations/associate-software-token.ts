import type {
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { newTotpSecret } from "../crypto/totp.js";
import { advanceSetup, poolAllowsTotp, setupSession, totpNotEnabled } from "../domain/mfa.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// A new authenticator secret, for a signed-in user (AccessToken: kept on the user until
// VerifySoftwareToken) or during sign-in (the Session of an MFA_SETUP challenge: kept in the next
// Session, which the answer carries). A user's verified authenticator keeps working until a new
// one is verified.
export default defineOperation(
  "AssociateSoftwareToken",
  async (input: AssociateSoftwareTokenRequest, ctx): Promise<Wire<AssociateSoftwareTokenResponse>> => {
    if (input.AccessToken !== undefined && input.Session !== undefined)
      throw errors.invalidParameter("Provide either AccessToken or Session, not both.");
    if (input.Session !== undefined) {
      const s = setupSession(ctx, input.Session, ["setup", "associated"]);
      if (!poolAllowsTotp(s.pool)) throw totpNotEnabled();
      const secret = newTotpSecret();
      return { SecretCode: secret, Session: advanceSetup(ctx, s, { stage: "associated", secret }) };
    }
    if (input.AccessToken === undefined)
      throw errors.invalidParameter("Missing required parameter AccessToken or Session");
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken);
    if (!poolAllowsTotp(pool)) throw totpNotEnabled();
    const secret = newTotpSecret();
    await ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      user.mfa.pendingTotpSecret = secret;
      ctx.store.putUser(user);
    });
    return { SecretCode: secret };
  },
);
