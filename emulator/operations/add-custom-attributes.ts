import type { AddCustomAttributesRequest } from "@aws-sdk/client-cognito-identity-provider";
import { mergeSchema, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AddCustomAttributes",
  ["store", "clock"],
  (input: AddCustomAttributesRequest, ctx): Record<string, never> => {
    const record = requirePool(ctx, input.UserPoolId!);
    const schema = mergeSchema(record.pool.SchemaAttributes ?? [], input.CustomAttributes, { customOnly: true });
    ctx.store.putPool({
      ...record,
      pool: { ...record.pool, SchemaAttributes: schema, LastModifiedDate: ctx.clock.now() / 1000 },
    });
    return {};
  },
);
