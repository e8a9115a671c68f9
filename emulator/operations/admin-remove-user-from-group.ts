import type { AdminRemoveUserFromGroupRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminRemoveUserFromGroup",
  (input: AdminRemoveUserFromGroupRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
    if (!found.groups.includes(name)) return {};
    const user = cloneUser(found);
    user.groups = user.groups.filter((g) => g !== name);
    ctx.store.putUser(user);
    return {};
  },
);
