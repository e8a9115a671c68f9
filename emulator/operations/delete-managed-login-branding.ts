import type { DeleteManagedLoginBrandingRequest } from "@aws-sdk/client-cognito-identity-provider";
import { poolWithoutBranding, requireBranding } from "../domain/branding.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DeleteManagedLoginBranding",
  ["store"],
  (input: DeleteManagedLoginBrandingRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    requireBranding(pool, input.ManagedLoginBrandingId!);
    ctx.store.putPool(poolWithoutBranding(pool, input.ManagedLoginBrandingId!));
    return {};
  },
);
