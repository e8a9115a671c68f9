import type {
  AdminUpdateDeviceStatusRequest,
  AdminUpdateDeviceStatusResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { setDeviceStatus } from "../domain/devices.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AdminUpdateDeviceStatus",
  ["store", "clock", "locks"],
  async (input: AdminUpdateDeviceStatusRequest, ctx): Promise<AdminUpdateDeviceStatusResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    await setDeviceStatus(ctx, pool, user, input.DeviceKey!, input.DeviceRememberedStatus);
    return {};
  },
);
