import type { DescribeTermsRequest, DescribeTermsResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { requireTerms, termsType } from "../domain/terms.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeTerms",
  ["store"],
  (input: DescribeTermsRequest, ctx): Wire<DescribeTermsResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    return { Terms: termsType(pool.id, requireTerms(pool, input.TermsId!)) };
  },
);
