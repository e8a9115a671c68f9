import type { DeleteGroupRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DeleteGroup",
  ["store", "clock", "locks"],
  async (input: DeleteGroupRequest, ctx): Promise<Record<string, never>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
    // Members leave the group first, so no user record names a group that no longer exists: one
    // at a time, each under their own lock, until none is left (a request may add one meanwhile).
    // The group goes with no await after the last check.
    let members = ctx.store.usersInGroup(pool.id, name);
    while (members.length > 0) {
      for (const member of members) {
        await updateUser(
          ctx,
          pool,
          member,
          (user) => {
            user.groups = user.groups.filter((g) => g !== name);
          },
          // Membership does not change UserLastModifiedDate; a member deleted meanwhile has left.
          { touch: false, gone: () => unchanged() },
        );
      }
      members = ctx.store.usersInGroup(pool.id, name);
    }
    ctx.store.deleteGroup(pool.id, name);
    return {};
  },
);
