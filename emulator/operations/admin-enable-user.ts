import type { AdminEnableUserRequest, AdminEnableUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation("AdminEnableUser", (input: AdminEnableUserRequest, ctx): AdminEnableUserResponse => {
  const pool = requirePool(ctx, input.UserPoolId!);
  const found = requireUser(ctx, pool, input.Username!);
  if (found.enabled) return {};
  const user = cloneUser(found);
  user.enabled = true;
  user.updatedAt = ctx.clock.now();
  ctx.store.putUser(user);
  return {};
});
