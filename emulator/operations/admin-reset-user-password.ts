import type {
  AdminResetUserPasswordRequest,
  AdminResetUserPasswordResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { issueCode } from "../domain/users/codes.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { checkResettable, noRecoveryDestination, recoveryDelivery } from "../domain/users/recovery.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminResetUserPassword",
  (input: AdminResetUserPasswordRequest, ctx): AdminResetUserPasswordResponse => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    checkResettable(found);
    const delivery = recoveryDelivery(pool, found);
    if (!delivery) throw noRecoveryDestination();
    const user = cloneUser(found);
    // The old password stays stored but no longer signs in (PasswordResetRequiredException) until
    // ConfirmForgotPassword sets a new one with this code.
    user.status = "RESET_REQUIRED";
    issueCode(ctx, pool, user, "forgotPassword", "AdminResetUserPassword", delivery);
    user.updatedAt = ctx.clock.now();
    ctx.store.putUser(user);
    return {};
  },
);
