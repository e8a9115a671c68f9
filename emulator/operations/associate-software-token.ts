import type {
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { newTotpSecret } from "../crypto/totp.js";
import { advanceSetup, poolAllowsTotp, setupSession } from "../domain/mfa.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// A new authenticator secret, for a signed-in user (AccessToken: kept on the user until
// VerifySoftwareToken) or during sign-in (the Session of an MFA_SETUP challenge: kept in the next
// Session, which the answer carries). A user's verified authenticator keeps working until a new
// one is verified.
export default defineOperation(
  "AssociateSoftwareToken",
  ["store", "clock", "locks", "keys"],
  async (input: AssociateSoftwareTokenRequest, ctx): Promise<Wire<AssociateSoftwareTokenResponse>> => {
    if (input.AccessToken !== undefined && input.Session !== undefined) throw errors.accessTokenAndSession();
    if (input.Session !== undefined) {
      const s = setupSession(ctx, input.Session, ["setup", "associated"]);
      if (!poolAllowsTotp(s.pool)) throw errors.totpNotEnabled();
      const secret = newTotpSecret();
      return { SecretCode: secret, Session: advanceSetup(ctx, s, { stage: "associated", secret }) };
    }
    if (input.AccessToken === undefined) throw errors.missingAccessTokenOrSession();
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken);
    if (!poolAllowsTotp(pool)) throw errors.totpNotEnabled();
    const secret = newTotpSecret();
    // Not a modification Cognito shows until VerifySoftwareToken verifies the authenticator.
    await updateUser(
      ctx,
      pool,
      found,
      (user) => {
        user.mfa.pendingTotpSecret = secret;
      },
      { touch: false },
    );
    return { SecretCode: secret };
  },
);
