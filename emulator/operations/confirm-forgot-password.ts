import type {
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { consumeCode } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ConfirmForgotPassword",
  async (input: ConfirmForgotPasswordRequest, ctx): Promise<ConfirmForgotPasswordResponse> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    const found = findUser(ctx, pool, typed);
    checkSecretHash(client, input.SecretHash, [typed, found?.username]);
    checkPasswordPolicy(pool, input.Password!, "does not conform to policy");
    if (!found) throw hidesUsers(client) ? errors.codeMismatch() : errors.userNotFound();
    return ctx.locks.run(`${pool.id}/${found.sub}`, async () => {
      // Hash first: the check of the code and the write below then happen without an await between
      // them, so no other request can change the user in the middle.
      const password = await passwordRecord(ctx, found, input.Password!);
      const current = ctx.store.getUserBySub(pool.id, found.sub);
      if (!current) throw hidesUsers(client) ? errors.codeMismatch() : errors.userNotFound();
      const user = cloneUser(current);
      try {
        consumeCode(ctx, user, "forgotPassword", input.ConfirmationCode!);
      } catch (e) {
        // A wrong code counts towards the attempt limit, so the count must be kept.
        ctx.store.putUser(user);
        throw e;
      }
      user.password = password;
      // The code reached a verified email or phone, which is proof enough to confirm the account
      // (UNCONFIRMED) or end an administrator's reset (RESET_REQUIRED).
      user.status = "CONFIRMED";
      user.failedSignIns = 0;
      delete user.lockedUntil;
      user.updatedAt = ctx.clock.now();
      ctx.store.putUser(user);
      return {};
    });
  },
);
