import type { ListTagsForResourceInput, ListTagsForResourceResponse } from "@aws-sdk/client-cognito-identity";
import { identityPoolByArn } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "ListTagsForResource",
  ["store", "config"],
  (input: ListTagsForResourceInput, ctx): ListTagsForResourceResponse => ({
    Tags: { ...(identityPoolByArn(ctx, input.ResourceArn!).tags ?? {}) },
  }),
);
