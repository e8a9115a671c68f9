import type { SetUICustomizationRequest, SetUICustomizationResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requireClient, requirePool } from "../domain/pools.js";
import {
  ALL_CLIENTS,
  poolWithUICustomization,
  uiCustomizationOf,
  uiCustomizationRecord,
  uiCustomizationType,
} from "../domain/ui-customization.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SetUICustomization",
  ["store", "clock", "config"],
  (input: SetUICustomizationRequest, ctx): Wire<SetUICustomizationResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    // No ClientId: the pool's default, as ALL.
    const key = input.ClientId ?? ALL_CLIENTS;
    if (key !== ALL_CLIENTS) requireClient(ctx, key, pool.id);
    // "To use this API, your user pool must have a domain associated with it."
    if ((pool.domains ?? []).length === 0) throw errors.uiCustomizationNeedsDomain();
    // The protocol hands blobs over as the base64 the wire carries. CSS and image are set together.
    const image = input.ImageFile as unknown as string | undefined;
    const record = uiCustomizationRecord(input.CSS, image, uiCustomizationOf(pool, key), ctx.clock.now());
    ctx.store.putPool(poolWithUICustomization(pool, key, record));
    return { UICustomization: uiCustomizationType(pool.id, key, record, ctx.config.publicUrl ?? ctx.baseUrl) };
  },
);
