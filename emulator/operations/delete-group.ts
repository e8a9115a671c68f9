import type { DeleteGroupRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation("DeleteGroup", (input: DeleteGroupRequest, ctx): Record<string, never> => {
  const pool = requirePool(ctx, input.UserPoolId!);
  const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
  // Members leave the group first, so no user record names a group that no longer exists.
  for (const member of ctx.store.usersInGroup(pool.id, name)) {
    const user = cloneUser(member);
    user.groups = user.groups.filter((g) => g !== name);
    ctx.store.putUser(user);
  }
  ctx.store.deleteGroup(pool.id, name);
  return {};
});
