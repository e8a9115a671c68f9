import type { AddCustomAttributesRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { requirePool } from "../domain/pools.js";
import { mergeSchema } from "../domain/schema.js";
import { importInProgress } from "../domain/user-import/jobs.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AddCustomAttributes",
  ["store", "clock"],
  (input: AddCustomAttributesRequest, ctx): Record<string, never> => {
    const record = requirePool(ctx, input.UserPoolId!);
    // The schema must not change under a running import's rows (docs/user-import.md).
    if (importInProgress(ctx.store, record.id)) throw errors.userImportInProgress();
    const schema = mergeSchema(record.pool.SchemaAttributes ?? [], input.CustomAttributes, { customOnly: true });
    ctx.store.putPool({
      ...record,
      pool: { ...record.pool, SchemaAttributes: schema, LastModifiedDate: ctx.clock.now() / 1000 },
    });
    return {};
  },
);
