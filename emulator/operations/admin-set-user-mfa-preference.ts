import type {
  AdminSetUserMFAPreferenceRequest,
  AdminSetUserMFAPreferenceResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { applyMfaPreference } from "../domain/mfa.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminSetUserMFAPreference",
  ["store", "clock", "locks"],
  async (input: AdminSetUserMFAPreferenceRequest, ctx): Promise<AdminSetUserMFAPreferenceResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    await updateUser(ctx, pool, found, (user) => applyMfaPreference(user, input, pool));
    return {};
  },
);
