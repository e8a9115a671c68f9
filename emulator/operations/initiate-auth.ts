import type { InitiateAuthRequest, InitiateAuthResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requireFlow } from "../domain/auth.js";
import { customAuthFlow } from "../domain/challenges/custom-challenge.js";
import { srpFlow } from "../domain/challenges/srp.js";
import { passwordFlow, refreshFlow } from "../domain/flows.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { userAuthFlow } from "../domain/user-auth.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "InitiateAuth",
  ["store", "clock", "locks", "inbox", "keys", "config", "triggers"],
  async (input: InitiateAuthRequest, ctx): Promise<Wire<InitiateAuthResponse>> => {
    const client = requireClient(ctx, input.ClientId!);
    const pool = requirePool(ctx, client.poolId);
    const params = { ...input.AuthParameters };
    switch (input.AuthFlow) {
      case "USER_PASSWORD_AUTH":
        requireFlow(client, "ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH");
        return passwordFlow(ctx, pool, client, params, input.ClientMetadata);
      case "USER_SRP_AUTH":
        requireFlow(client, "ALLOW_USER_SRP_AUTH", "USER_SRP_AUTH");
        return srpFlow(ctx, pool, client, params, input.ClientMetadata);
      case "CUSTOM_AUTH":
        requireFlow(client, "ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH");
        return customAuthFlow(ctx, pool, client, params, input.ClientMetadata);
      case "USER_AUTH":
        requireFlow(client, "ALLOW_USER_AUTH", "USER_AUTH");
        return userAuthFlow(ctx, pool, client, params, input.ClientMetadata, input.Session);
      case "REFRESH_TOKEN_AUTH":
      case "REFRESH_TOKEN":
        requireFlow(client, "ALLOW_REFRESH_TOKEN_AUTH", input.AuthFlow);
        return refreshFlow(ctx, pool, client, params, input.AuthFlow);
      case "ADMIN_NO_SRP_AUTH":
      case "ADMIN_USER_PASSWORD_AUTH":
        throw errors.authFlowNotSupported();
      default:
        throw errors.flowNotImplemented(String(input.AuthFlow));
    }
  },
);
