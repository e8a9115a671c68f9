import type { DeleteTermsRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { poolWithoutTerms, requireTerms } from "../domain/terms.js";
import { defineOperation } from "./types.js";

export default defineOperation("DeleteTerms", ["store"], (input: DeleteTermsRequest, ctx): Record<string, never> => {
  const pool = requirePool(ctx, input.UserPoolId!);
  const terms = requireTerms(pool, input.TermsId!);
  ctx.store.putPool(poolWithoutTerms(pool, terms.termsId));
  return {};
});
