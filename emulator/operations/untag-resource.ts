import type { UntagResourceRequest } from "@aws-sdk/client-cognito-identity-provider";
import { poolByArn } from "../domain/tags.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "UntagResource",
  ["store"],
  (input: UntagResourceRequest, ctx): Record<string, never> => {
    const record = poolByArn(ctx, input.ResourceArn!);
    const tags = { ...record.tags };
    for (const key of input.TagKeys ?? []) delete tags[key];
    ctx.store.putPool({ ...record, tags, pool: { ...record.pool, UserPoolTags: tags } });
    return {};
  },
);
