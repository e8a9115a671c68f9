import type {
  DescribeManagedLoginBrandingRequest,
  DescribeManagedLoginBrandingResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { brandingType, requireBranding } from "../domain/branding.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeManagedLoginBranding",
  ["store"],
  (input: DescribeManagedLoginBrandingRequest, ctx): Wire<DescribeManagedLoginBrandingResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const branding = requireBranding(pool, input.ManagedLoginBrandingId!);
    return { ManagedLoginBranding: brandingType(pool.id, branding, input.ReturnMergedResources === true) };
  },
);
