import type { ChangePasswordRequest, ChangePasswordResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { verifyPassword } from "../crypto/password-hash.js";
import { currentUser } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { cloneUser } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Sessions survive a password change, as in Cognito: signing other devices out is the app's
// call (GlobalSignOut). See docs/decisions/0009-token-revocation.md.
export default defineOperation(
  "ChangePassword",
  async (input: ChangePasswordRequest, ctx): Promise<ChangePasswordResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    return ctx.locks.run(`${pool.id}/${found.sub}`, async () => {
      const before = currentUser(ctx, pool.id, found.sub);
      if (before.password) {
        if (input.PreviousPassword === undefined)
          throw errors.invalidParameter("Missing required parameter PreviousPassword");
        if (!(await verifyPassword(input.PreviousPassword, before.password.hash))) throw errors.incorrectCredentials();
      }
      checkPasswordPolicy(pool, input.ProposedPassword!, "does not conform to policy");
      const password = await passwordRecord(ctx, before, input.ProposedPassword!);
      // Re-read after the awaits: operations that take no lock (group membership, admin
      // attribute updates, deletion) may have changed the user meanwhile. Passwords only change
      // under this lock, so the check above still holds.
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      user.password = password;
      user.updatedAt = ctx.clock.now();
      ctx.store.putUser(user);
      return {};
    });
  },
);
