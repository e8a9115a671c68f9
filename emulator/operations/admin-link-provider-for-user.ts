import type { AdminLinkProviderForUserRequest } from "@aws-sdk/client-cognito-identity-provider";
import { linkProviderForUser } from "../domain/federation/users.js";
import { requireIdentityProvider } from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminLinkProviderForUser",
  ["store", "clock", "locks"],
  async (input: AdminLinkProviderForUserRequest, ctx): Promise<Record<string, never>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    await linkProviderForUser(ctx, pool, input.DestinationUser, input.SourceUser, (name) =>
      requireIdentityProvider(pool, name),
    );
    return {};
  },
);
