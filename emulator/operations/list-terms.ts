import type { ListTermsRequest, ListTermsResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { listTerms, termsDescription } from "../domain/terms.js";
import { defineOperation } from "./types.js";

/** Page size when MaxResults is left out: the model's maximum. */
const DEFAULT_PAGE = 60;

export default defineOperation("ListTerms", ["store"], (input: ListTermsRequest, ctx): Wire<ListTermsResponse> => {
  const pool = requirePool(ctx, input.UserPoolId!);
  // The model's NextToken may be empty (min 0): an empty one starts from the beginning.
  const page = paginate(
    listTerms(pool),
    (t) => t.termsId,
    input.MaxResults ?? DEFAULT_PAGE,
    input.NextToken || undefined,
  );
  return {
    Terms: page.items.map(termsDescription),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
});
