import type {
  SetPrincipalTagAttributeMapInput,
  SetPrincipalTagAttributeMapResponse,
} from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { clonePool, isPoolProvider, requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// The map is used: credentials issued on that provider's logins carry the tags
// (GET /_twin/identity-credentials shows them).
export default defineIdentityOperation(
  "SetPrincipalTagAttributeMap",
  ["store"],
  (input: SetPrincipalTagAttributeMapInput, ctx): SetPrincipalTagAttributeMapResponse => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    const provider = input.IdentityProviderName!;
    if (!isPoolProvider(pool, provider)) throw identityErrors.roleMappingProviderUnknown(provider);
    const map = { useDefaults: input.UseDefaults === true, tags: { ...(input.PrincipalTags ?? {}) } };
    const record = clonePool(pool);
    ctx.store.putIdentityPool({ ...record, principalTagMaps: { ...(record.principalTagMaps ?? {}), [provider]: map } });
    return {
      IdentityPoolId: pool.id,
      IdentityProviderName: provider,
      UseDefaults: map.useDefaults,
      PrincipalTags: map.tags,
    };
  },
);
