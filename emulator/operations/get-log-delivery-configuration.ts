import type {
  GetLogDeliveryConfigurationRequest,
  GetLogDeliveryConfigurationResponse,
  LogConfigurationType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetLogDeliveryConfiguration",
  ["store"],
  (input: GetLogDeliveryConfigurationRequest, ctx): Wire<GetLogDeliveryConfigurationResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    // A pool never configured answers an empty list (docs/decisions/0026).
    const configs = (pool.logDelivery ?? []).map((c) => structuredClone(c) as Wire<LogConfigurationType>);
    return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: configs } };
  },
);
