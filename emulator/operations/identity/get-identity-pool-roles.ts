import type { GetIdentityPoolRolesInput, GetIdentityPoolRolesResponse } from "@aws-sdk/client-cognito-identity";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "GetIdentityPoolRoles",
  ["store"],
  (input: GetIdentityPoolRolesInput, ctx): GetIdentityPoolRolesResponse => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    return {
      IdentityPoolId: pool.id,
      Roles: { ...(pool.roles ?? {}) },
      ...(pool.roleMappings ? { RoleMappings: structuredClone(pool.roleMappings) as never } : {}),
    };
  },
);
