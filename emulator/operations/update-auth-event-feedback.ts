import type {
  UpdateAuthEventFeedbackRequest,
  UpdateAuthEventFeedbackResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import {
  isFeedbackToken,
  requireAuthEvent,
  requireEventUser,
  requireThreatProtection,
  setAuthEventFeedback,
} from "../domain/auth-events.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

// The user's own verdict, from the links of a notification email: unauthenticated, so the
// FeedbackToken (an HMAC naming this user's event, domain/auth-events.ts) is what authorises it.
export default defineOperation(
  "UpdateAuthEventFeedback",
  ["store", "clock", "locks", "keys"],
  async (input: UpdateAuthEventFeedbackRequest, ctx): Promise<UpdateAuthEventFeedbackResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    requireThreatProtection(pool);
    const user = requireEventUser(ctx, pool, input.Username!);
    requireAuthEvent(user, input.EventId!);
    if (!(await isFeedbackToken(ctx, pool.id, user.sub, input.EventId!, input.FeedbackToken!))) {
      throw errors.invalidFeedbackToken();
    }
    await setAuthEventFeedback(ctx, pool, user, input.EventId!, input.FeedbackValue!, "User");
    return {};
  },
);
