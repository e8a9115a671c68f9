import type { IdentityPool } from "@aws-sdk/client-cognito-identity";
import { clonePool, identityPoolType, requireIdentityPool, settingsRecord } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// Replaces the settings as given (an absent optional setting is cleared, as Cognito's update
// does); the roles, role mappings, principal tag maps, signing key and, unless given, the tags stay.
export default defineIdentityOperation("UpdateIdentityPool", ["store"], (input: IdentityPool, ctx): IdentityPool => {
  const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
  const kept = clonePool(pool);
  const record = {
    id: pool.id,
    createdAt: pool.createdAt,
    ...(kept.roles ? { roles: kept.roles } : {}),
    ...(kept.roleMappings ? { roleMappings: kept.roleMappings } : {}),
    ...(kept.principalTagMaps ? { principalTagMaps: kept.principalTagMaps } : {}),
    ...(kept.key ? { key: kept.key } : {}),
    ...(kept.tags ? { tags: kept.tags } : {}),
    ...settingsRecord(input, pool),
  };
  ctx.store.putIdentityPool(record);
  return identityPoolType(record);
});
