import type { UpdateGroupRequest, UpdateGroupResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { groupType, requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import type { GroupRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "UpdateGroup",
  ["store", "clock"],
  (input: UpdateGroupRequest, ctx): Wire<UpdateGroupResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const current = requireGroup(ctx, pool.id, input.GroupName!);
    // Members left out keep their values; precedence changes show in tokens issued from now on.
    const record: GroupRecord = {
      poolId: pool.id,
      group: {
        ...current.group,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        ...(input.RoleArn !== undefined ? { RoleArn: input.RoleArn } : {}),
        ...(input.Precedence !== undefined ? { Precedence: input.Precedence } : {}),
        LastModifiedDate: ctx.clock.now() / 1000,
      },
    };
    ctx.store.putGroup(record);
    return { Group: groupType(record) };
  },
);
