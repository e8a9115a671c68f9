import type {
  AdminSetUserSettingsRequest,
  AdminSetUserSettingsResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { applyUserSettings } from "../domain/user-settings.js";
import { requireUser } from "../domain/users/lookup.js";
import { updateUser } from "../domain/users/update.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminSetUserSettings",
  ["store", "clock", "locks"],
  async (input: AdminSetUserSettingsRequest, ctx): Promise<AdminSetUserSettingsResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const found = requireUser(ctx, pool, input.Username!);
    await updateUser(ctx, pool, found, (user) => applyUserSettings(user, input.MFAOptions!));
    return {};
  },
);
