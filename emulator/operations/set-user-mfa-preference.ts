import type {
  SetUserMFAPreferenceRequest,
  SetUserMFAPreferenceResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { applyMfaPreference } from "../domain/mfa.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SetUserMFAPreference",
  ["store", "clock", "locks", "keys"],
  async (input: SetUserMFAPreferenceRequest, ctx): Promise<SetUserMFAPreferenceResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    await updateUser(ctx, pool, found, (user) => applyMfaPreference(user, input, pool));
    return {};
  },
);
