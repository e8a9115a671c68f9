import type {
  DescribeManagedLoginBrandingByClientRequest,
  DescribeManagedLoginBrandingByClientResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { brandingOfClient, brandingType } from "../domain/branding.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeManagedLoginBrandingByClient",
  ["store"],
  (input: DescribeManagedLoginBrandingByClientRequest, ctx): Wire<DescribeManagedLoginBrandingByClientResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    requireClient(ctx, input.ClientId!, pool.id);
    const branding = brandingOfClient(pool, input.ClientId!);
    if (!branding) throw errors.managedLoginBrandingNotFound();
    return { ManagedLoginBranding: brandingType(pool.id, branding, input.ReturnMergedResources === true) };
  },
);
