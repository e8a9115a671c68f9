import type {
  DescribeUserPoolClientRequest,
  DescribeUserPoolClientResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeUserPoolClient",
  (input: DescribeUserPoolClientRequest, ctx): Wire<DescribeUserPoolClientResponse> => {
    requirePool(ctx, input.UserPoolId!);
    return { UserPoolClient: requireClient(ctx, input.ClientId!, input.UserPoolId!).client };
  },
);
