import type {
  DescribeRiskConfigurationRequest,
  DescribeRiskConfigurationResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requireThreatProtection, riskConfigurationType } from "../domain/auth-events.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

// A client's own risk configuration, else the pool's, which it inherits: that one is answered
// without a ClientId, so a caller can tell the two apart (docs/decisions/0025).
export default defineOperation(
  "DescribeRiskConfiguration",
  ["store"],
  (input: DescribeRiskConfigurationRequest, ctx): Wire<DescribeRiskConfigurationResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const clientId = input.ClientId;
    if (clientId !== undefined) requireClient(ctx, clientId, pool.id);
    requireThreatProtection(pool);
    const clients = pool.risk?.clients;
    if (clientId !== undefined && clients && Object.hasOwn(clients, clientId)) {
      return { RiskConfiguration: riskConfigurationType(pool.id, clientId, clients[clientId]) };
    }
    return { RiskConfiguration: riskConfigurationType(pool.id, undefined, pool.risk?.pool) };
  },
);
