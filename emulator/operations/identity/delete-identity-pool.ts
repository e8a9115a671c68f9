import type { DeleteIdentityPoolInput } from "@aws-sdk/client-cognito-identity";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// Its identities go with it; credentials already issued simply expire.
export default defineIdentityOperation(
  "DeleteIdentityPool",
  ["store", "identityKeys"],
  (input: DeleteIdentityPoolInput, ctx): Record<string, never> => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    ctx.store.deleteIdentityPool(pool.id);
    ctx.identityKeys.forget(pool.id);
    return {};
  },
);
