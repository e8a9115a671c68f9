import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import type { DeepReadonly } from "../store/types.js";
import { describePool } from "./create-user-pool.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeUserPool",
  ["store"],
  (input: DescribeUserPoolRequest, ctx): DeepReadonly<Wire<DescribeUserPoolResponse>> => ({
    UserPool: describePool(requirePool(ctx, input.UserPoolId!), ctx),
  }),
);
