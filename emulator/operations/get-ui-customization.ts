import type { GetUICustomizationRequest, GetUICustomizationResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { ALL_CLIENTS, effectiveUICustomization, uiCustomizationType } from "../domain/ui-customization.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetUICustomization",
  ["store", "config"],
  (input: GetUICustomizationRequest, ctx): Wire<GetUICustomizationResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const clientId = input.ClientId === undefined || input.ClientId === ALL_CLIENTS ? undefined : input.ClientId;
    if (clientId !== undefined) requireClient(ctx, clientId, pool.id);
    // The client's own, else the pool's; with neither, Cognito answers an empty customisation.
    const found = effectiveUICustomization(pool, clientId);
    if (!found) return { UICustomization: { UserPoolId: pool.id, ClientId: input.ClientId ?? ALL_CLIENTS } };
    return {
      UICustomization: uiCustomizationType(pool.id, found.key, found.record, ctx.config.publicUrl ?? ctx.baseUrl),
    };
  },
);
