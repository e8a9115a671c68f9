import type { CreateGroupRequest, CreateGroupResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { groupType } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import type { GroupRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "CreateGroup",
  ["store", "clock"],
  (input: CreateGroupRequest, ctx): Wire<CreateGroupResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const name = input.GroupName!;
    if (ctx.store.getGroup(pool.id, name)) throw errors.groupExists(name);
    const now = ctx.clock.now() / 1000;
    const record: GroupRecord = {
      poolId: pool.id,
      group: {
        GroupName: name,
        UserPoolId: pool.id,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        ...(input.RoleArn !== undefined ? { RoleArn: input.RoleArn } : {}),
        ...(input.Precedence !== undefined ? { Precedence: input.Precedence } : {}),
        LastModifiedDate: now,
        CreationDate: now,
      },
    };
    ctx.store.putGroup(record);
    return { Group: groupType(record) };
  },
);
