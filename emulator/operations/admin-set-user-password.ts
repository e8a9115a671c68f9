import type {
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { currentUser, requireUser } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminSetUserPassword",
  async (input: AdminSetUserPasswordRequest, ctx): Promise<AdminSetUserPasswordResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    checkPasswordPolicy(pool, input.Password!, "does not conform to policy");
    return ctx.locks.run(`${pool.id}/${found.sub}`, async () => {
      const now = ctx.clock.now();
      const days = pool.pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
      const password = await passwordRecord(
        ctx,
        found,
        input.Password!,
        input.Permanent ? undefined : now + days * 86_400_000,
      );
      // Read after the hash, so changes made while it ran (by operations without this lock) stay.
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      user.password = password;
      user.status = input.Permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
      user.failedSignIns = 0;
      delete user.lockedUntil;
      user.updatedAt = now;
      ctx.store.putUser(user);
      return {};
    });
  },
);
