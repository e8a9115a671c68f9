import type { AdminGetDeviceRequest, AdminGetDeviceResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { deviceType, requireDevice } from "../domain/devices.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

// Any confirmed device of the user, remembered or not.
export default defineOperation(
  "AdminGetDevice",
  ["store"],
  (input: AdminGetDeviceRequest, ctx): Wire<AdminGetDeviceResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    return { Device: deviceType(pool, user, requireDevice(user, input.DeviceKey!)) };
  },
);
