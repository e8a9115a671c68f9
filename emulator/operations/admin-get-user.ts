import type { AdminGetUserRequest, AdminGetUserResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { mfaSettings } from "../domain/mfa.js";
import { requirePool } from "../domain/pools.js";
import { mfaOptions } from "../domain/user-settings.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminGetUser",
  ["store"],
  (input: AdminGetUserRequest, ctx): Wire<AdminGetUserResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    return {
      Username: user.username,
      UserAttributes: user.attributes.map((a) => ({ ...a })),
      UserCreateDate: user.createdAt / 1000,
      UserLastModifiedDate: user.updatedAt / 1000,
      Enabled: user.enabled,
      UserStatus: user.status,
      ...mfaOptions(user),
      ...mfaSettings(user),
    };
  },
);
