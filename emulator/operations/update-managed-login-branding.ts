import type {
  UpdateManagedLoginBrandingRequest,
  UpdateManagedLoginBrandingResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import {
  brandingType,
  checkAssets,
  checkSettings,
  mergeAssets,
  mergeSettings,
  poolWithBranding,
  requireBranding,
} from "../domain/branding.js";
import { requirePool } from "../domain/pools.js";
import type { ManagedLoginBrandingRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "UpdateManagedLoginBranding",
  ["store", "clock"],
  (input: UpdateManagedLoginBrandingRequest, ctx): Wire<UpdateManagedLoginBrandingResponse> => {
    // The model leaves both ids optional; Cognito cannot update a style it is not told of.
    if (input.UserPoolId === undefined) throw errors.missingParameter("UserPoolId");
    if (input.ManagedLoginBrandingId === undefined) throw errors.missingParameter("ManagedLoginBrandingId");
    const pool = requirePool(ctx, input.UserPoolId);
    const old = requireBranding(pool, input.ManagedLoginBrandingId);
    const defaults = input.UseCognitoProvidedValues === true;
    if (defaults && (input.Settings !== undefined || (input.Assets?.length ?? 0) > 0))
      throw errors.brandingDefaultsWithValues();
    let record: ManagedLoginBrandingRecord;
    if (defaults) {
      // Back to Cognito's style: the customised values and images go.
      record = { ...old, useCognitoProvidedValues: true, settings: {}, assets: [], updatedAt: ctx.clock.now() };
    } else {
      // Cognito keeps what a request leaves out: Settings merge into the old, assets replace theirs.
      const given = input.Settings === undefined ? {} : checkSettings(input.Settings);
      record = {
        ...old,
        useCognitoProvidedValues: false,
        settings: mergeSettings(old.settings, given) as Record<string, unknown>,
        assets: mergeAssets(old.assets, checkAssets(input.Assets)),
        updatedAt: ctx.clock.now(),
      };
    }
    ctx.store.putPool(poolWithBranding(pool, record));
    return { ManagedLoginBranding: brandingType(pool.id, record, false) };
  },
);
