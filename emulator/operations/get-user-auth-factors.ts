import type { GetUserAuthFactorsRequest, GetUserAuthFactorsResponse } from "@aws-sdk/client-cognito-identity-provider";
import { mfaSettings } from "../domain/mfa.js";
import { configuredAuthFactors } from "../domain/user-auth.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// The signed-in user's sign-in options: their MFA settings (as GetUser shows them) and the first
// factors choice-based sign-in (USER_AUTH) offers them (docs/passwordless.md).
export default defineOperation(
  "GetUserAuthFactors",
  ["store", "clock", "keys"],
  async (input: GetUserAuthFactorsRequest, ctx): Promise<GetUserAuthFactorsResponse> => {
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
    return {
      Username: user.username,
      ...mfaSettings(user),
      ConfiguredUserAuthFactors: configuredAuthFactors(pool, user),
    };
  },
);
