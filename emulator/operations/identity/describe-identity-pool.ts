import type { DescribeIdentityPoolInput, IdentityPool } from "@aws-sdk/client-cognito-identity";
import { identityPoolType, requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "DescribeIdentityPool",
  ["store"],
  (input: DescribeIdentityPoolInput, ctx): IdentityPool =>
    identityPoolType(requireIdentityPool(ctx, input.IdentityPoolId!)),
);
