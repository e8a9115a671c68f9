import type {
  AdminResetUserPasswordRequest,
  AdminResetUserPasswordResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { requirePool } from "../domain/pools.js";
import { issueCode, MessageDrafts } from "../domain/users/codes.js";
import { requireUser } from "../domain/users/lookup.js";
import { checkResettable, recoveryDelivery } from "../domain/users/recovery.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminResetUserPassword",
  ["store", "clock", "locks", "inbox", "triggers"],
  async (input: AdminResetUserPasswordRequest, ctx): Promise<AdminResetUserPasswordResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    // The code's message is composed before the user's lock is taken (MessageDrafts).
    const drafts = new MessageDrafts();
    await updateUser(
      ctx,
      pool,
      found,
      async (user) => {
        checkResettable(user);
        const delivery = recoveryDelivery(pool, user);
        if (!delivery) throw errors.noRecoveryDestination();
        // The old password stays stored but no longer signs in (PasswordResetRequiredException) until
        // ConfirmForgotPassword sets a new one with this code.
        user.status = "RESET_REQUIRED";
        await issueCode(ctx, pool, user, "forgotPassword", "AdminResetUserPassword", delivery, {
          clientMetadata: input.ClientMetadata,
          drafts,
        });
      },
      { draftMessages: drafts },
    );
    return {};
  },
);
