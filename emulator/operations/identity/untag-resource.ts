import type { UntagResourceInput } from "@aws-sdk/client-cognito-identity";
import { clonePool, identityPoolByArn } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "UntagResource",
  ["store", "config"],
  (input: UntagResourceInput, ctx): Record<string, never> => {
    const pool = clonePool(identityPoolByArn(ctx, input.ResourceArn!));
    const tags = { ...(pool.tags ?? {}) };
    for (const key of input.TagKeys!) delete tags[key];
    ctx.store.putIdentityPool({ ...pool, tags });
    return {};
  },
);
