import type { AdminRemoveUserFromGroupRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { unchanged, updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminRemoveUserFromGroup",
  ["store", "clock", "locks"],
  async (input: AdminRemoveUserFromGroupRequest, ctx): Promise<Record<string, never>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    const name = requireGroup(ctx, pool.id, input.GroupName!).group.GroupName!;
    await updateUser(
      ctx,
      pool,
      found,
      (user) => {
        if (!user.groups.includes(name)) return unchanged();
        user.groups = user.groups.filter((g) => g !== name);
      },
      // Membership does not change the user's UserLastModifiedDate.
      { touch: false },
    );
    return {};
  },
);
