import type {
  SetUserMFAPreferenceRequest,
  SetUserMFAPreferenceResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { applyMfaPreference } from "../domain/mfa.js";
import { currentUser } from "../domain/users/lookup.js";
import { cloneUser } from "../domain/users/records.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SetUserMFAPreference",
  async (input: SetUserMFAPreferenceRequest, ctx): Promise<SetUserMFAPreferenceResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    await ctx.locks.run(`${pool.id}/${found.sub}`, () => {
      const user = cloneUser(currentUser(ctx, pool.id, found.sub));
      applyMfaPreference(user, input);
      user.updatedAt = ctx.clock.now();
      ctx.store.putUser(user);
    });
    return {};
  },
);
