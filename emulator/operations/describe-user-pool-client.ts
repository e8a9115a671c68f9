import type {
  DescribeUserPoolClientRequest,
  DescribeUserPoolClientResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requireClient, requirePool } from "../domain/pools.js";
import type { DeepReadonly } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeUserPoolClient",
  ["store"],
  (input: DescribeUserPoolClientRequest, ctx): DeepReadonly<Wire<DescribeUserPoolClientResponse>> => {
    requirePool(ctx, input.UserPoolId!);
    return { UserPoolClient: requireClient(ctx, input.ClientId!, input.UserPoolId!).client };
  },
);
