import type { ListIdentityPoolsInput, ListIdentityPoolsResponse } from "@aws-sdk/client-cognito-identity";
import { paginate } from "../../domain/paginate.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "ListIdentityPools",
  ["store"],
  (input: ListIdentityPoolsInput, ctx): ListIdentityPoolsResponse => {
    const page = paginate([...ctx.store.listIdentityPools()], (p) => p.id, input.MaxResults!, input.NextToken);
    return {
      IdentityPools: page.items.map((p) => ({ IdentityPoolId: p.id, IdentityPoolName: p.name })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
