import type { TagResourceInput } from "@aws-sdk/client-cognito-identity";
import { clonePool, identityPoolByArn } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "TagResource",
  ["store", "config"],
  (input: TagResourceInput, ctx): Record<string, never> => {
    const pool = clonePool(identityPoolByArn(ctx, input.ResourceArn!));
    ctx.store.putIdentityPool({ ...pool, tags: { ...(pool.tags ?? {}), ...input.Tags } });
    return {};
  },
);
