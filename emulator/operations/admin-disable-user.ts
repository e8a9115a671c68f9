import type { AdminDisableUserRequest, AdminDisableUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { revokeAllSessions } from "../domain/sessions.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation("AdminDisableUser", (input: AdminDisableUserRequest, ctx): AdminDisableUserResponse => {
  const pool = requirePool(ctx, input.UserPoolId!);
  const found = requireUser(ctx, pool, input.Username!);
  if (found.enabled) {
    const user = cloneUser(found);
    user.enabled = false;
    user.updatedAt = ctx.clock.now();
    ctx.store.putUser(user);
  }
  // Cognito revokes the user's tokens: enabling the user again does not bring them back
  // (docs/decisions/0007-resets-and-disabled-users.md).
  revokeAllSessions(ctx, pool.id, found.sub);
  return {};
});
