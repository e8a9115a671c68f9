import type { AdminDeleteUserRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminDeleteUser",
  ["store"],
  (input: AdminDeleteUserRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    // The store drops the user's sign-in sessions with it, so its tokens stop working.
    ctx.store.deleteUser(user);
    return {};
  },
);
