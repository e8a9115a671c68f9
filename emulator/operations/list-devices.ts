import type { ListDevicesRequest, ListDevicesResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { devicesOf, deviceType, MAX_DEVICES_PAGE } from "../domain/devices.js";
import { paginate } from "../domain/paginate.js";
import { verifyAccessToken } from "../tokens/verify.js";
import { defineOperation } from "./types.js";

// The user's remembered devices, oldest first, Limit (default and most: 60) to a page.
export default defineOperation(
  "ListDevices",
  ["store", "clock", "keys"],
  async (input: ListDevicesRequest, ctx): Promise<Wire<ListDevicesResponse>> => {
    const { pool, user } = await verifyAccessToken(ctx, input.AccessToken!);
    const page = paginate(
      devicesOf(user, "remembered"),
      (d) => d.key,
      input.Limit || MAX_DEVICES_PAGE,
      input.PaginationToken,
    );
    return {
      Devices: page.items.map((d) => deviceType(pool, user, d)),
      ...(page.nextToken ? { PaginationToken: page.nextToken } : {}),
    };
  },
);
