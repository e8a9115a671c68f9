import type { AdminEnableUserRequest, AdminEnableUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminEnableUser",
  ["store", "clock", "locks"],
  async (input: AdminEnableUserRequest, ctx): Promise<AdminEnableUserResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    await updateUser(ctx, pool, found, (user) => {
      if (user.enabled) return unchanged();
      user.enabled = true;
    });
    return {};
  },
);
