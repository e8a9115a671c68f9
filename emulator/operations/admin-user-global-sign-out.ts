import type {
  AdminUserGlobalSignOutRequest,
  AdminUserGlobalSignOutResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { revokeAllSessions } from "../domain/sessions.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminUserGlobalSignOut",
  ["store"],
  (input: AdminUserGlobalSignOutRequest, ctx): AdminUserGlobalSignOutResponse => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    revokeAllSessions(ctx, pool.id, user.sub);
    return {};
  },
);
