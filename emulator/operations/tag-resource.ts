import type { TagResourceRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { poolByArn } from "../domain/tags.js";
import { defineOperation } from "./types.js";

export default defineOperation("TagResource", ["store"], (input: TagResourceRequest, ctx): Record<string, never> => {
  const record = poolByArn(ctx, input.ResourceArn!);
  const tags = { ...record.tags, ...input.Tags };
  if (Object.keys(tags).length > 50) throw errors.tooManyTags();
  ctx.store.putPool({ ...record, tags, pool: { ...record.pool, UserPoolTags: tags } });
  return {};
});
