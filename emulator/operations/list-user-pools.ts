import type { ListUserPoolsRequest, ListUserPoolsResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { paginate } from "../domain/paginate.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ListUserPools",
  ["store"],
  (input: ListUserPoolsRequest, ctx): Wire<ListUserPoolsResponse> => {
    const pools = [...ctx.store.listPools()];
    const page = paginate(pools, (p) => p.id, input.MaxResults!, input.NextToken);
    return {
      UserPools: page.items.map((p) => ({
        Id: p.id,
        Name: p.pool.Name,
        LambdaConfig: p.pool.LambdaConfig ?? {},
        LastModifiedDate: p.pool.LastModifiedDate,
        CreationDate: p.pool.CreationDate,
      })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
