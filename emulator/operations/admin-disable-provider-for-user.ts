import type { AdminDisableProviderForUserRequest } from "@aws-sdk/client-cognito-identity-provider";
import { disableProviderForUser } from "../domain/federation/users.js";
import { requireIdentityProvider } from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminDisableProviderForUser",
  ["store", "clock", "locks"],
  async (input: AdminDisableProviderForUserRequest, ctx): Promise<Record<string, never>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    await disableProviderForUser(ctx, pool, input.User, (name) => requireIdentityProvider(pool, name));
    return {};
  },
);
