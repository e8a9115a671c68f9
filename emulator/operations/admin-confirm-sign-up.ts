import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminConfirmSignUp",
  (input: AdminConfirmSignUpRequest, ctx): AdminConfirmSignUpResponse => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    if (found.status !== "UNCONFIRMED")
      throw errors.notAuthorized(`User cannot be confirmed. Current status is ${found.status}`);
    const user = cloneUser(found);
    user.status = "CONFIRMED";
    // Unlike ConfirmSignUp, no code proves the email or phone, so neither becomes verified.
    delete user.codes.signUp;
    user.updatedAt = ctx.clock.now();
    ctx.store.putUser(user);
    return {};
  },
);
