import type {
  CreateIdentityProviderRequest,
  CreateIdentityProviderResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { withSamlDetails } from "../domain/federation/saml.js";
import { identityProviderType, newIdentityProvider, poolWithIdentityProvider } from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "CreateIdentityProvider",
  ["store", "clock"],
  async (input: CreateIdentityProviderRequest, ctx): Promise<Wire<CreateIdentityProviderResponse>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const provider = await withSamlDetails(newIdentityProvider(pool, input, ctx.clock.now()), ctx.clock.now());
    ctx.store.putPool(poolWithIdentityProvider(requirePool(ctx, input.UserPoolId!), provider));
    return { IdentityProvider: identityProviderType(provider) };
  },
);
