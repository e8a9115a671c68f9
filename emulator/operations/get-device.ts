import type { GetDeviceRequest, GetDeviceResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { deviceType, requireDevice } from "../domain/devices.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// The user sees their remembered devices only: a device confirmed but not remembered is
// `Device does not exist.` here, as AWS's own SDK tests expect (AdminGetDevice shows it).
export default defineOperation(
  "GetDevice",
  ["store", "clock", "keys"],
  async (input: GetDeviceRequest, ctx): Promise<Wire<GetDeviceResponse>> => {
    if (!input.AccessToken) throw errors.missingParameter("AccessToken");
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken);
    const device = requireDevice(user, input.DeviceKey!);
    if (!device.remembered) throw errors.deviceNotFound();
    return { Device: deviceType(pool, user, device) };
  },
);
