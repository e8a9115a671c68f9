import type { DeleteUserPoolRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation("DeleteUserPool", (input: DeleteUserPoolRequest, ctx): Record<string, never> => {
  const record = requirePool(ctx, input.UserPoolId!);
  if (record.pool.DeletionProtection === "ACTIVE") {
    throw errors.invalidParameter(
      "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
    );
  }
  ctx.store.deletePool(record.id);
  ctx.keys.forget(record.id);
  return {};
});
