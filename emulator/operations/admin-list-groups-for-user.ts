import type {
  AdminListGroupsForUserRequest,
  AdminListGroupsForUserResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { byGroupName, groupType } from "../domain/groups.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import type { GroupRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminListGroupsForUser",
  ["store"],
  (input: AdminListGroupsForUserRequest, ctx): Wire<AdminListGroupsForUserResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    const groups = user.groups
      .map((name) => ctx.store.getGroup(pool.id, name))
      .filter((g): g is GroupRecord => g !== undefined)
      .sort(byGroupName);
    const page = paginate(groups, (g) => g.group.GroupName!, input.Limit || 60, input.NextToken);
    return { Groups: page.items.map(groupType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  },
);
