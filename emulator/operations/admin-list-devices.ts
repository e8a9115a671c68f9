import type { AdminListDevicesRequest, AdminListDevicesResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { devicesOf, deviceType, MAX_DEVICES_PAGE } from "../domain/devices.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { requireUser } from "../domain/users/lookup.js";
import { defineOperation } from "./types.js";

// Every confirmed device of the user, remembered or not, oldest first.
export default defineOperation(
  "AdminListDevices",
  ["store"],
  (input: AdminListDevicesRequest, ctx): Wire<AdminListDevicesResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const user = requireUser(ctx, pool, input.Username!);
    const page = paginate(devicesOf(user, "all"), (d) => d.key, input.Limit || MAX_DEVICES_PAGE, input.PaginationToken);
    return {
      Devices: page.items.map((d) => deviceType(pool, user, d)),
      ...(page.nextToken ? { PaginationToken: page.nextToken } : {}),
    };
  },
);
