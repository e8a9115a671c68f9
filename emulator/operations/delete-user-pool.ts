import type { DeleteUserPoolRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DeleteUserPool",
  ["store", "keys"],
  (input: DeleteUserPoolRequest, ctx): Record<string, never> => {
    const record = requirePool(ctx, input.UserPoolId!);
    if (record.pool.DeletionProtection === "ACTIVE") {
      throw errors.deletionProtectionActive();
    }
    // As AWS's DeleteUserPool example answers: the domains go first (DeleteUserPoolDomain).
    if (record.domains?.length) throw errors.poolDeletionBlockedByDomain();
    ctx.store.deletePool(record.id);
    ctx.keys.forget(record.id);
    return {};
  },
);
