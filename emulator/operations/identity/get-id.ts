import type { GetIdInput, GetIdResponse } from "@aws-sdk/client-cognito-identity";
import { identityForLogins } from "../../domain/identity-pools/identities.js";
import { verifyLogins } from "../../domain/identity-pools/logins.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// AccountId is accepted and not needed: the emulator has one account (--account-id).
export default defineIdentityOperation(
  "GetId",
  ["store", "clock", "config", "keys", "identityKeys"],
  async (input: GetIdInput, ctx): Promise<GetIdResponse> => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    const verified = await verifyLogins(ctx, pool, input.Logins);
    // Read again after the awaits: the pool may have been changed or deleted meanwhile.
    const current = requireIdentityPool(ctx, pool.id);
    return { IdentityId: identityForLogins(ctx, current, verified).id };
  },
);
