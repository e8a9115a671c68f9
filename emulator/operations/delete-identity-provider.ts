import type { DeleteIdentityProviderRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import {
  isCognitoProviderName,
  poolWithoutIdentityProvider,
  requireIdentityProvider,
} from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

// The provider leaves the SupportedIdentityProviders of the pool's app clients with it, so that
// a client never lists a provider the pool lacks (docs/decisions/0018). Users it created stay.
export default defineOperation(
  "DeleteIdentityProvider",
  ["store"],
  (input: DeleteIdentityProviderRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const name = input.ProviderName!;
    if (isCognitoProviderName(name)) throw errors.cognitoProviderUnsupported(name);
    requireIdentityProvider(pool, name);
    ctx.store.putPool(poolWithoutIdentityProvider(pool, name));
    for (const client of ctx.store.listClients(pool.id)) {
      const listed = client.client.SupportedIdentityProviders ?? [];
      if (!listed.includes(name)) continue;
      ctx.store.putClient({
        ...client,
        client: { ...client.client, SupportedIdentityProviders: listed.filter((p) => p !== name) },
      });
    }
    return {};
  },
);
