// Groups as operations need them: lookups with Cognito's errors and the wire shape.
import type { GroupType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { StoredGroup } from "../store/types.js";

/** The group, or Cognito's ResourceNotFoundException `Group not found.` */
export function requireGroup(ctx: Pick<Services, "store">, poolId: string, name: string): StoredGroup {
  const group = ctx.store.getGroup(poolId, name);
  if (!group) throw errors.groupNotFound();
  return group;
}

/** The group as GetGroup, ListGroups and AdminListGroupsForUser answer it. */
export function groupType(record: StoredGroup): Wire<GroupType> {
  return { ...record.group };
}

/** Groups in name order, the order the list operations page them in. */
export function byGroupName(a: StoredGroup, b: StoredGroup): number {
  const x = a.group.GroupName!;
  const y = b.group.GroupName!;
  return x < y ? -1 : x > y ? 1 : 0;
}
