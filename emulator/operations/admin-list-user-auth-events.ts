import type {
  AdminListUserAuthEventsRequest,
  AdminListUserAuthEventsResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { authEventType, requireEventUser, requireThreatProtection } from "../domain/auth-events.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

/** Events a page holds when MaxResults is 0 or left out (AWS: "Returns 60 events"). */
const DEFAULT_PAGE = 60;

// The user's threat protection events, newest first (domain/auth-events.ts). A pool without
// threat protection has none to list: UserPoolAddOnNotEnabledException, checked before the user.
export default defineOperation(
  "AdminListUserAuthEvents",
  ["store"],
  (input: AdminListUserAuthEventsRequest, ctx): Wire<AdminListUserAuthEventsResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    requireThreatProtection(pool);
    const user = requireEventUser(ctx, pool, input.Username!);
    const page = paginate(user.authEvents ?? [], (e) => e.eventId, input.MaxResults || DEFAULT_PAGE, input.NextToken);
    return {
      AuthEvents: page.items.map(authEventType),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
