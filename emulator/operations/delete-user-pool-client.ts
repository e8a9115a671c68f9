import type { DeleteUserPoolClientRequest } from "@aws-sdk/client-cognito-identity-provider";
import { poolWithoutClientRisk } from "../domain/auth-events.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { poolWithoutClientTerms } from "../domain/terms.js";
import { poolWithoutClientBranding } from "../domain/ui-customization.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DeleteUserPoolClient",
  ["store"],
  (input: DeleteUserPoolClientRequest, ctx): Record<string, never> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    requireClient(ctx, input.ClientId!, input.UserPoolId!);
    ctx.store.deleteClient(input.ClientId!);
    // The client's terms documents go with it.
    const withoutTerms = poolWithoutClientTerms(pool, input.ClientId!);
    // ...and so do its branding style and classic customisation.
    const withoutBranding = poolWithoutClientBranding(withoutTerms, input.ClientId!);
    // ...and its own risk configuration (domain/auth-events.ts).
    const cleaned = poolWithoutClientRisk(withoutBranding, input.ClientId!);
    if (cleaned !== pool) ctx.store.putPool(cleaned);
    return {};
  },
);
