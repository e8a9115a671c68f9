import type { AdminDisableUserRequest, AdminDisableUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { revokeAllSessions } from "../domain/sessions.js";
import { requireUser } from "../domain/users/lookup.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminDisableUser",
  ["store", "clock", "locks"],
  async (input: AdminDisableUserRequest, ctx): Promise<AdminDisableUserResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    await updateUser(ctx, pool, found, (user) => {
      if (!user.enabled) return unchanged();
      user.enabled = false;
    });
    // Cognito revokes the user's tokens: enabling the user again does not bring them back
    // (docs/decisions/0007-resets-and-disabled-users.md).
    revokeAllSessions(ctx, pool.id, found.sub);
    return {};
  },
);
