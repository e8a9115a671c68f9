import type { AdminAddUserToGroupRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminAddUserToGroup",
  ["store", "clock", "locks"],
  async (input: AdminAddUserToGroupRequest, ctx): Promise<Record<string, never>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
    await updateUser(
      ctx,
      pool,
      found,
      (user) => {
        // Adding a member twice is not an error, and changes nothing.
        if (user.groups.includes(name)) return unchanged();
        // The group may have been deleted while this waited for the user.
        requireGroup(ctx, pool.id, name);
        user.groups = [...user.groups, name];
      },
      // Membership does not change the user's UserLastModifiedDate.
      { touch: false },
    );
    return {};
  },
);
