import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { requirePool } from "../domain/pools.js";
import { postConfirmation } from "../domain/triggers/post-confirmation.js";
import { requireUser } from "../domain/users/lookup.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminConfirmSignUp",
  ["store", "clock", "locks", "triggers"],
  async (input: AdminConfirmSignUpRequest, ctx): Promise<AdminConfirmSignUpResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    await updateUser(ctx, pool, found, (user) => {
      if (user.status !== "UNCONFIRMED") throw errors.cannotConfirm(user.status);
      user.status = "CONFIRMED";
      // Unlike ConfirmSignUp, no code proves the email or phone, so neither becomes verified.
      delete user.codes.signUp;
    });
    // As after ConfirmSignUp: once written and unlocked; a failure leaves the user confirmed.
    const confirmed = ctx.store.getUserBySub(pool.id, found.sub);
    if (confirmed)
      await postConfirmation(ctx, pool, confirmed, {
        source: "PostConfirmation_ConfirmSignUp",
        clientId: undefined,
        clientMetadata: input.ClientMetadata,
      });
    return {};
  },
);
