import type {
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse,
  UserPoolClientType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkClientOAuth } from "../domain/oauth-config.js";
import { normaliseAuthFlow, requirePool } from "../domain/pools.js";
import { newClientId, newClientSecret } from "../services/ids.js";
import type { ClientRecord } from "../store/types.js";
import { UNIT_SECONDS } from "../tokens/lifetimes.js";
import { defineOperation } from "./types.js";

/** CreateUserPoolClient plus the seed-only `ClientId` and `ClientSecret` for fixed ids. */
export type CreateUserPoolClientInput = CreateUserPoolClientRequest & { ClientId?: string; ClientSecret?: string };

const DEFAULT_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

/**
 * The client settings Cognito fills in when they are left out (also what UpdateUserPoolClient
 * resets omitted settings to).
 */
export function clientSettings(
  input: Omit<CreateUserPoolClientRequest, "UserPoolId" | "ClientName" | "GenerateSecret">,
): Partial<Wire<UserPoolClientType>> {
  const units = {
    AccessToken: input.TokenValidityUnits?.AccessToken ?? "minutes",
    IdToken: input.TokenValidityUnits?.IdToken ?? "minutes",
    RefreshToken: input.TokenValidityUnits?.RefreshToken ?? "days",
  };
  const access =
    input.AccessTokenValidity ?? (units.AccessToken === "minutes" ? 60 : 3600 / UNIT_SECONDS[units.AccessToken]);
  const id = input.IdTokenValidity ?? (units.IdToken === "minutes" ? 60 : 3600 / UNIT_SECONDS[units.IdToken]);
  const refresh = input.RefreshTokenValidity ?? 30 * (86400 / UNIT_SECONDS[units.RefreshToken]);
  checkRange("Access Token", access * UNIT_SECONDS[units.AccessToken], 300, 86400, "5 minutes and 1 day");
  checkRange("ID Token", id * UNIT_SECONDS[units.IdToken], 300, 86400, "5 minutes and 1 day");
  checkRange("Refresh Token", refresh * UNIT_SECONDS[units.RefreshToken], 3600, 315360000, "60 minutes and 10 years");
  const flows = input.ExplicitAuthFlows?.length
    ? [...new Set(input.ExplicitAuthFlows.map(normaliseAuthFlow))]
    : DEFAULT_FLOWS;
  if (input.ExplicitAuthFlows?.length && !flows.includes("ALLOW_REFRESH_TOKEN_AUTH"))
    flows.push("ALLOW_REFRESH_TOKEN_AUTH");
  // Only legacy names (no ALLOW_ one): SRP sign-in stays on, as it was before the ALLOW_ names,
  // unless CUSTOM_AUTH_FLOW_ONLY says otherwise (AWS-verified moto tests: docs/decisions/0030).
  if (
    input.ExplicitAuthFlows?.length &&
    input.ExplicitAuthFlows.every((f) => !f.startsWith("ALLOW_")) &&
    !input.ExplicitAuthFlows.includes("CUSTOM_AUTH_FLOW_ONLY") &&
    !flows.includes("ALLOW_USER_SRP_AUTH")
  )
    flows.push("ALLOW_USER_SRP_AUTH");
  return {
    RefreshTokenValidity: refresh,
    AccessTokenValidity: access,
    IdTokenValidity: id,
    TokenValidityUnits: units,
    ...(input.ReadAttributes ? { ReadAttributes: input.ReadAttributes } : {}),
    ...(input.WriteAttributes ? { WriteAttributes: input.WriteAttributes } : {}),
    ExplicitAuthFlows: flows as UserPoolClientType["ExplicitAuthFlows"],
    ...(input.SupportedIdentityProviders ? { SupportedIdentityProviders: input.SupportedIdentityProviders } : {}),
    ...(input.CallbackURLs ? { CallbackURLs: input.CallbackURLs } : {}),
    ...(input.LogoutURLs ? { LogoutURLs: input.LogoutURLs } : {}),
    ...(input.DefaultRedirectURI ? { DefaultRedirectURI: input.DefaultRedirectURI } : {}),
    ...(input.AllowedOAuthFlows ? { AllowedOAuthFlows: input.AllowedOAuthFlows } : {}),
    ...(input.AllowedOAuthScopes ? { AllowedOAuthScopes: input.AllowedOAuthScopes } : {}),
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient ?? false,
    ...(input.AnalyticsConfiguration ? { AnalyticsConfiguration: input.AnalyticsConfiguration } : {}),
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? "LEGACY",
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
    ...(input.RefreshTokenRotation ? { RefreshTokenRotation: input.RefreshTokenRotation } : {}),
  };
}

function checkRange(what: string, seconds: number, min: number, max: number, words: string): void {
  if (seconds < min || seconds > max) throw errors.tokenValidityOutOfRange(what, words);
}

/** Creates the client record; shared with the seed loader. */
export function createClient(input: CreateUserPoolClientInput, ctx: Pick<Services, "store" | "clock">): ClientRecord {
  const pool = requirePool(ctx, input.UserPoolId!);
  const clientId = input.ClientId ?? newClientId();
  if (ctx.store.getClient(clientId)) throw errors.clientExists(clientId);
  const now = ctx.clock.now() / 1000;
  const { UserPoolId, ClientName, GenerateSecret, ClientId: _c, ClientSecret, ...settings } = input;
  const secret = ClientSecret ?? (GenerateSecret ? newClientSecret() : undefined);
  checkClientOAuth(pool, settings, secret !== undefined);
  const record: ClientRecord = {
    poolId: UserPoolId!,
    client: {
      UserPoolId,
      ClientName,
      ClientId: clientId,
      ...(secret !== undefined ? { ClientSecret: secret } : {}),
      LastModifiedDate: now,
      CreationDate: now,
      ...clientSettings(settings),
    },
  };
  ctx.store.putClient(record);
  return record;
}

export default defineOperation(
  "CreateUserPoolClient",
  ["store", "clock"],
  (input: CreateUserPoolClientInput, ctx): Wire<CreateUserPoolClientResponse> => {
    const { ClientId: _id, ClientSecret: _secret, ...cognitoInput } = input;
    return { UserPoolClient: createClient(cognitoInput, ctx).client };
  },
);
