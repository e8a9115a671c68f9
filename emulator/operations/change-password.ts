import type { ChangePasswordRequest, ChangePasswordResponse } from "@aws-sdk/client-cognito-identity-provider";
import { type CognitoError, errors } from "../core/errors.js";
import { verifyPassword } from "../crypto/password-hash.js";
import { countWrongPassword, isLockedOut } from "../domain/auth.js";
import { notePasswordChange } from "../domain/auth-events.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { countRequest } from "../domain/users/request-limits.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Sessions survive a password change, as in Cognito: signing other devices out is the app's
// call (GlobalSignOut). See docs/decisions/0009-token-revocation.md.
export default defineOperation(
  "ChangePassword",
  ["store", "clock", "locks", "keys"],
  async (input: ChangePasswordRequest, ctx): Promise<ChangePasswordResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    // One unit of work: no other change to the user comes between the check of the previous
    // password and the write of the new one.
    const wrongPassword = await updateUser<CognitoError | undefined>(
      ctx,
      pool,
      found,
      async (user) => {
        // At most five per hour (request-limits.ts), and the previous password is guessed against
        // the same lockout as sign-in's (docs/decisions/0014-brute-force-limits.md).
        countRequest(ctx, user, "changePassword");
        if (user.password) {
          if (input.PreviousPassword === undefined) throw errors.missingParameter("PreviousPassword");
          const now = ctx.clock.now();
          if (isLockedOut(user, now)) throw errors.passwordAttemptsExceeded();
          if (!(await verifyPassword(input.PreviousPassword, user.password.hash))) {
            // The count is written, and the error thrown after.
            return countWrongPassword(user, now) ? errors.passwordAttemptsExceeded() : errors.incorrectCredentials();
          }
        }
        checkPasswordPolicy(pool, input.ProposedPassword!, "does not conform to policy");
        // Threat protection's PasswordChange event; a blocked compromised password is not set.
        const blocked = notePasswordChange(ctx, pool, user, input.ProposedPassword!);
        if (blocked) return blocked;
        user.password = await passwordRecord(ctx, user, input.ProposedPassword!);
        user.updatedAt = ctx.clock.now();
        return undefined;
      },
      // A wrong previous password (or a refused new one) is not a modification Cognito shows; a
      // new password is (above).
      { touch: false },
    );
    if (wrongPassword) throw wrongPassword;
    return {};
  },
);
