import type { AdminAddUserToGroupRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminAddUserToGroup",
  (input: AdminAddUserToGroupRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
    // Adding a member twice is not an error, and changes nothing.
    if (found.groups.includes(name)) return {};
    const user = cloneUser(found);
    user.groups = [...user.groups, name];
    ctx.store.putUser(user);
    return {};
  },
);
