import type { ForgetDeviceRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import { forgetDevice } from "../domain/devices.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// Any confirmed device of the user; the refresh tokens of sign-ins bound to it stop working.
export default defineOperation(
  "ForgetDevice",
  ["store", "clock", "keys", "locks"],
  async (input: ForgetDeviceRequest, ctx): Promise<Record<string, never>> => {
    if (!input.AccessToken) throw errors.missingParameter("AccessToken");
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken);
    await forgetDevice(ctx, pool, user, input.DeviceKey!);
    return {};
  },
);
