import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { describePool } from "./create-user-pool.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeUserPool",
  (input: DescribeUserPoolRequest, ctx): Wire<DescribeUserPoolResponse> => ({
    UserPool: describePool(requirePool(ctx, input.UserPoolId!), ctx),
  }),
);
