import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { confirmDevice } from "../domain/devices.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// The device is the one the access token's sign-in was handed in NewDeviceMetadata
// (docs/decisions/0019-remembered-devices.md).
export default defineOperation(
  "ConfirmDevice",
  ["store", "clock", "keys", "locks"],
  async (input: ConfirmDeviceRequest, ctx): Promise<Wire<ConfirmDeviceResponse>> => {
    const { pool, user, session } = await verifyAccessToken(ctx, input.AccessToken!);
    return confirmDevice(ctx, pool, user, session, {
      key: input.DeviceKey!,
      config: input.DeviceSecretVerifierConfig,
      name: input.DeviceName,
    });
  },
);
