import type {
  GetPrincipalTagAttributeMapInput,
  GetPrincipalTagAttributeMapResponse,
} from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { isPoolProvider, requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "GetPrincipalTagAttributeMap",
  ["store"],
  (input: GetPrincipalTagAttributeMapInput, ctx): GetPrincipalTagAttributeMapResponse => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    const provider = input.IdentityProviderName!;
    if (!isPoolProvider(pool, provider)) throw identityErrors.roleMappingProviderUnknown(provider);
    const map = pool.principalTagMaps?.[provider];
    return {
      IdentityPoolId: pool.id,
      IdentityProviderName: provider,
      UseDefaults: map?.useDefaults ?? false,
      PrincipalTags: { ...(map?.tags ?? {}) },
    };
  },
);
