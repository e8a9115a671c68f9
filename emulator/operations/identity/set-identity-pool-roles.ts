import type { SetIdentityPoolRolesInput } from "@aws-sdk/client-cognito-identity";
import { clonePool, requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { checkRoleMappings } from "../../domain/identity-pools/roles.js";
import { defineIdentityOperation } from "./types.js";

// Roles and RoleMappings replace what the pool had (RoleMappings absent: none).
export default defineIdentityOperation(
  "SetIdentityPoolRoles",
  ["store"],
  (input: SetIdentityPoolRolesInput, ctx): Record<string, never> => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    const mappings = input.RoleMappings ?? {};
    checkRoleMappings(pool, mappings);
    const { roles: _roles, roleMappings: _mappings, ...rest } = clonePool(pool);
    ctx.store.putIdentityPool({
      ...rest,
      roles: { ...input.Roles },
      ...(Object.keys(mappings).length > 0 ? { roleMappings: structuredClone(mappings) } : {}),
    });
    return {};
  },
);
