import type { AdminForgetDeviceRequest } from "@aws-sdk/client-cognito-identity-provider";
import { forgetDevice } from "../domain/devices.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminForgetDevice",
  ["store", "clock", "locks"],
  async (input: AdminForgetDeviceRequest, ctx): Promise<Record<string, never>> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    await forgetDevice(ctx, pool, user, input.DeviceKey!);
    return {};
  },
);
