import type {
  UpdateIdentityProviderRequest,
  UpdateIdentityProviderResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { withSamlDetails } from "../domain/federation/saml.js";
import {
  identityProviderType,
  isCognitoProviderName,
  poolWithIdentityProvider,
  requireIdentityProvider,
  updatedIdentityProvider,
} from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "UpdateIdentityProvider",
  ["store", "clock"],
  async (input: UpdateIdentityProviderRequest, ctx): Promise<Wire<UpdateIdentityProviderResponse>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const name = input.ProviderName!;
    if (isCognitoProviderName(name)) throw errors.cognitoProviderUnsupported(name);
    const current = requireIdentityProvider(pool, name);
    const updated = updatedIdentityProvider(pool, current, input, ctx.clock.now());
    // The provider's encryption certificate stays while it keeps EncryptedResponses.
    const provider = await withSamlDetails(updated, ctx.clock.now(), current);
    ctx.store.putPool(poolWithIdentityProvider(requirePool(ctx, input.UserPoolId!), provider));
    return { IdentityProvider: identityProviderType(provider) };
  },
);
