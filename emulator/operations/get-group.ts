import type { GetGroupRequest, GetGroupResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { groupType, requireGroup } from "../domain/groups.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation("GetGroup", ["store"], (input: GetGroupRequest, ctx): Wire<GetGroupResponse> => {
  const pool = requirePool(ctx, input.UserPoolId!);
  return { Group: groupType(requireGroup(ctx, pool.id, input.GroupName!)) };
});
