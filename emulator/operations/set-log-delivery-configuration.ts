import type {
  SetLogDeliveryConfigurationRequest,
  SetLogDeliveryConfigurationResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { checkLogConfigurations, logDeliveryNotice, poolWithLogDelivery } from "../domain/log-delivery.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "SetLogDeliveryConfiguration",
  ["store", "log"],
  (input: SetLogDeliveryConfigurationRequest, ctx): Wire<SetLogDeliveryConfigurationResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const configs = checkLogConfigurations(pool, input.LogConfigurations ?? []);
    ctx.store.putPool(poolWithLogDelivery(pool, configs));
    // Not a silent stub: the log says what Cognito would now export, and that nothing is sent.
    ctx.log.info(logDeliveryNotice(pool.id, configs));
    return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: configs } };
  },
);
