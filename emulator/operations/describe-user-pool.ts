import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import type { Wire } from "../store/types.js";
import { describePool } from "./create-user-pool.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeUserPool",
  (input: DescribeUserPoolRequest, ctx): Wire<DescribeUserPoolResponse> => ({
    UserPool: describePool(requirePool(ctx, input.UserPoolId!), ctx),
  }),
);
