import type { ListGroupsRequest, ListGroupsResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { byGroupName, groupType } from "../domain/groups.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation("ListGroups", ["store"], (input: ListGroupsRequest, ctx): Wire<ListGroupsResponse> => {
  const pool = requirePool(ctx, input.UserPoolId!);
  const all = ctx.store.listGroups(pool.id).sort(byGroupName);
  const page = paginate(all, (g) => g.group.GroupName!, input.Limit || 60, input.NextToken);
  return { Groups: page.items.map(groupType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});
