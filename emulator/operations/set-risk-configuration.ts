import type {
  SetRiskConfigurationRequest,
  SetRiskConfigurationResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import {
  checkRiskExceptions,
  poolWithRiskConfiguration,
  requireThreatProtection,
  riskConfigurationType,
} from "../domain/auth-events.js";
import { requireClient, requirePool } from "../domain/pools.js";
import type { RiskConfigurationRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

// The pool's risk configuration, or one client's (which then replaces the pool's for that
// client). Nothing but the ids resets it: the pool to the defaults, a client to the pool's.
export default defineOperation(
  "SetRiskConfiguration",
  ["store", "clock"],
  (input: SetRiskConfigurationRequest, ctx): Wire<SetRiskConfigurationResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const clientId = input.ClientId;
    if (clientId !== undefined) requireClient(ctx, clientId, pool.id);
    requireThreatProtection(pool);
    const { CompromisedCredentialsRiskConfiguration, AccountTakeoverRiskConfiguration, RiskExceptionConfiguration } =
      input;
    checkRiskExceptions(RiskExceptionConfiguration);
    const actions = AccountTakeoverRiskConfiguration?.Actions;
    const notifies = [actions?.LowAction, actions?.MediumAction, actions?.HighAction].some((a) => a?.Notify === true);
    if (notifies && !AccountTakeoverRiskConfiguration?.NotifyConfiguration) throw errors.notifyConfigurationMissing();
    const given =
      CompromisedCredentialsRiskConfiguration || AccountTakeoverRiskConfiguration || RiskExceptionConfiguration;
    const config: RiskConfigurationRecord | undefined = given
      ? {
          ...(CompromisedCredentialsRiskConfiguration ? { CompromisedCredentialsRiskConfiguration } : {}),
          ...(AccountTakeoverRiskConfiguration ? { AccountTakeoverRiskConfiguration } : {}),
          ...(RiskExceptionConfiguration ? { RiskExceptionConfiguration } : {}),
          LastModifiedDate: ctx.clock.now() / 1000,
        }
      : undefined;
    ctx.store.putPool(poolWithRiskConfiguration(pool, clientId, config));
    return { RiskConfiguration: riskConfigurationType(pool.id, clientId, config) };
  },
);
