import type {
  AdminSetUserMFAPreferenceRequest,
  AdminSetUserMFAPreferenceResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { applyMfaPreference } from "../domain/mfa.js";
import { requirePool } from "../domain/pools.js";
import { currentUser, requireUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminSetUserMFAPreference",
  async (input: AdminSetUserMFAPreferenceRequest, ctx): Promise<AdminSetUserMFAPreferenceResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    await ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      applyMfaPreference(user, input);
      user.updatedAt = ctx.clock.now();
      ctx.store.putUser(user);
    });
    return {};
  },
);
