import type { UpdateDeviceStatusRequest, UpdateDeviceStatusResponse } from "@aws-sdk/client-cognito-identity-provider";
import { setDeviceStatus } from "../domain/devices.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Any confirmed device of the user, remembered or not (GetDevice and ListDevices show only
// remembered ones).
export default defineOperation(
  "UpdateDeviceStatus",
  ["store", "clock", "keys", "locks"],
  async (input: UpdateDeviceStatusRequest, ctx): Promise<UpdateDeviceStatusResponse> => {
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
    await setDeviceStatus(ctx, pool, user, input.DeviceKey!, input.DeviceRememberedStatus);
    return {};
  },
);
