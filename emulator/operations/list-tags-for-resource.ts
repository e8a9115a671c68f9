import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { poolByArn } from "../domain/tags.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ListTagsForResource",
  ["store"],
  (input: ListTagsForResourceRequest, ctx): ListTagsForResourceResponse => ({
    Tags: { ...poolByArn(ctx, input.ResourceArn!).tags },
  }),
);
