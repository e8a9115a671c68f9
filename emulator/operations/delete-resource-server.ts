import type { DeleteResourceServerRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { poolWithoutResourceServer, requireResourceServer } from "../domain/resource-servers.js";
import { defineOperation } from "./types.js";

// App clients keep the deleted server's scopes in AllowedOAuthScopes, but they are no longer
// granted (resolveScopes in domain/oauth-config.ts).
export default defineOperation(
  "DeleteResourceServer",
  ["store"],
  (input: DeleteResourceServerRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const identifier = requireResourceServer(pool, input.Identifier!).identifier;
    ctx.store.putPool(poolWithoutResourceServer(pool, identifier));
    return {};
  },
);
