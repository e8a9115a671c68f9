// Groups as operations need them: lookups with Cognito's errors and the wire shape.
import type { GroupType } from "@aws-sdk/client-cognito-identity-provider";
import type { OperationContext } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { GroupRecord } from "../store/types.js";

/** The group, or Cognito's ResourceNotFoundException `Group not found.` */
export function requireGroup(ctx: Pick<OperationContext, "store">, poolId: string, name: string): GroupRecord {
  const group = ctx.store.getGroup(poolId, name);
  if (!group) throw errors.resourceNotFound("Group not found.");
  return group;
}

/** The group as GetGroup, ListGroups and AdminListGroupsForUser answer it. */
export function groupType(record: GroupRecord): Wire<GroupType> {
  return { ...record.group };
}

/** Groups in name order, the order the list operations page them in. */
export function byGroupName(a: GroupRecord, b: GroupRecord): number {
  const x = a.group.GroupName!;
  const y = b.group.GroupName!;
  return x < y ? -1 : x > y ? 1 : 0;
}
