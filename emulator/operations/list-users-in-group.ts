import type { ListUsersInGroupRequest, ListUsersInGroupResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requireGroup } from "../domain/groups.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { userType } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ListUsersInGroup",
  ["store"],
  (input: ListUsersInGroupRequest, ctx): Wire<ListUsersInGroupResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
    // The store's member index finds them without reading every user; username order keeps
    // pages stable while members come and go.
    const keyOf = (u: { username: string }) => ctx.store.usernameKey(pool.id, u.username);
    const members = ctx.store
      .usersInGroup(pool.id, name)
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    const page = paginate(members, keyOf, input.Limit || 60, input.NextToken);
    return { Users: page.items.map((u) => userType(u)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  },
);
