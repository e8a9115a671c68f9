import type {
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { checkSecretHash, hidesUsers } from "../domain/auth.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { postConfirmation } from "../domain/triggers/post-confirmation.js";
import { consumeCode } from "../domain/users/codes.js";
import { findUser } from "../domain/users/lookup.js";
import { checkPasswordPolicy, passwordRecord } from "../domain/users/passwords.js";
import { countRequest } from "../domain/users/request-limits.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ConfirmForgotPassword",
  ["store", "clock", "locks", "triggers"],
  async (input: ConfirmForgotPasswordRequest, ctx): Promise<ConfirmForgotPasswordResponse> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const typed = input.Username!;
    const found = findUser(ctx, pool, typed);
    checkSecretHash(client, input.SecretHash, [typed, found?.username]);
    checkPasswordPolicy(pool, input.Password!, "does not conform to policy");
    if (!found) throw hidesUsers(client) ? errors.codeMismatch() : errors.usernameClientNotFound();
    const wrongCode = await updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        // Counted with ForgotPassword, so that new codes do not buy unlimited guesses (request-limits.ts).
        countRequest(ctx, user, "forgotPassword");
        // Hash first, then check the code: a wrong one is answered only after the hash.
        const password = await passwordRecord(ctx, user, input.Password!);
        try {
          consumeCode(ctx, user, "forgotPassword", input.ConfirmationCode!);
        } catch (e) {
          // A wrong code counts towards the attempt limit: the count is written, then the error thrown.
          return e;
        }
        user.password = password;
        // The code reached a verified email or phone, which is proof enough to confirm the account
        // (UNCONFIRMED) or end an administrator's reset (RESET_REQUIRED).
        user.status = "CONFIRMED";
        user.failedSignIns = 0;
        delete user.lockedUntil;
        user.updatedAt = ctx.clock.now();
        return undefined;
      },
      { touch: false, gone: () => (hidesUsers(client) ? errors.codeMismatch() : errors.usernameClientNotFound()) },
    );
    if (wrongCode !== undefined) throw wrongCode;
    // After the write, with the user's lock released (the function may call the API about this
    // user). When it fails the new password stays and the call answers its error.
    const reset = ctx.store.getUserBySub(pool.id, found.sub);
    if (reset)
      await postConfirmation(ctx, pool, reset, {
        source: "PostConfirmation_ConfirmForgotPassword",
        clientId: client.client.ClientId,
        clientMetadata: input.ClientMetadata,
      });
    return {};
  },
);
