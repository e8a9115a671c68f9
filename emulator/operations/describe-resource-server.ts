import type {
  DescribeResourceServerRequest,
  DescribeResourceServerResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { requireResourceServer, resourceServerType } from "../domain/resource-servers.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeResourceServer",
  ["store"],
  (input: DescribeResourceServerRequest, ctx): Wire<DescribeResourceServerResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    return { ResourceServer: resourceServerType(pool.id, requireResourceServer(pool, input.Identifier!)) };
  },
);
