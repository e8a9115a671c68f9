import type {
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminSetUserPassword",
  ["store", "clock", "locks"],
  async (input: AdminSetUserPasswordRequest, ctx): Promise<AdminSetUserPasswordResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    checkPasswordPolicy(pool, input.Password!, "does not conform to policy");
    await updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        const now = ctx.clock.now();
        const days = pool.pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
        user.password = await passwordRecord(
          ctx,
          user,
          input.Password!,
          input.Permanent ? undefined : now + days * 86_400_000,
        );
        user.status = input.Permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
        user.failedSignIns = 0;
        delete user.lockedUntil;
        // Modified when the call began, as the temporary password's validity counts from then.
        user.updatedAt = now;
      },
      { touch: false },
    );
    return {};
  },
);
