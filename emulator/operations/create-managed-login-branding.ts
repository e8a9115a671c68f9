import type {
  CreateManagedLoginBrandingRequest,
  CreateManagedLoginBrandingResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { brandingOfClient, brandingType, checkAssets, checkSettings, poolWithBranding } from "../domain/branding.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { newUuid } from "../services/ids.js";
import type { ManagedLoginBrandingRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "CreateManagedLoginBranding",
  ["store", "clock"],
  (input: CreateManagedLoginBrandingRequest, ctx): Wire<CreateManagedLoginBrandingResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const clientId = input.ClientId!;
    requireClient(ctx, clientId, pool.id);
    const defaults = input.UseCognitoProvidedValues === true;
    if (defaults && (input.Settings !== undefined || (input.Assets?.length ?? 0) > 0))
      throw errors.brandingDefaultsWithValues();
    if (brandingOfClient(pool, clientId)) throw errors.managedLoginBrandingExists(clientId);
    const settings = input.Settings === undefined ? {} : checkSettings(input.Settings);
    const assets = checkAssets(input.Assets);
    const now = ctx.clock.now();
    const record: ManagedLoginBrandingRecord = {
      id: newUuid(),
      clientId,
      useCognitoProvidedValues: defaults,
      settings,
      assets,
      createdAt: now,
      updatedAt: now,
    };
    ctx.store.putPool(poolWithBranding(pool, record));
    return { ManagedLoginBranding: brandingType(pool.id, record, false) };
  },
);
