import type { SetUserSettingsRequest, SetUserSettingsResponse } from "@aws-sdk/client-cognito-identity-provider";
import { applyUserSettings } from "../domain/user-settings.js";
import { updateUser } from "../domain/users/update.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SetUserSettings",
  ["store", "clock", "locks", "keys"],
  async (input: SetUserSettingsRequest, ctx): Promise<SetUserSettingsResponse> => {
    const { pool, user: found } = await verifyAccessToken(ctx, input.AccessToken!);
    await updateUser(ctx, pool, found, (user) => applyUserSettings(user, input.MFAOptions!));
    return {};
  },
);
