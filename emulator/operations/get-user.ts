import type { GetUserRequest, GetUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import { mfaSettings } from "../domain/mfa.js";
import { mfaOptions } from "../domain/user-settings.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetUser",
  ["store", "clock", "keys"],
  async (input: GetUserRequest, ctx): Promise<GetUserResponse> => {
    const { user } = await verifyAccessToken(ctx, input.AccessToken!);
    return {
      Username: user.username,
      UserAttributes: user.attributes.map((a) => ({ ...a })),
      ...mfaOptions(user),
      ...mfaSettings(user),
    };
  },
);
