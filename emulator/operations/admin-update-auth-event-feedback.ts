import type {
  AdminUpdateAuthEventFeedbackRequest,
  AdminUpdateAuthEventFeedbackResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  requireAuthEvent,
  requireEventUser,
  requireThreatProtection,
  setAuthEventFeedback,
} from "../domain/auth-events.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

// An administrator's verdict on an event (EventFeedback, Provider `Admin`).
export default defineOperation(
  "AdminUpdateAuthEventFeedback",
  ["store", "clock", "locks"],
  async (input: AdminUpdateAuthEventFeedbackRequest, ctx): Promise<AdminUpdateAuthEventFeedbackResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    requireThreatProtection(pool);
    const user = requireEventUser(ctx, pool, input.Username!);
    requireAuthEvent(user, input.EventId!);
    await setAuthEventFeedback(ctx, pool, user, input.EventId!, input.FeedbackValue!, "Admin");
    return {};
  },
);
