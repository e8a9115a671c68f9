// Pool and client lookups and the defaults real Cognito fills in, shared by operations.
import type { SchemaAttributeType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { StoredClient, StoredPool } from "../store/types.js";

/** The pool, or Cognito's ResourceNotFoundException. */
export function requirePool(ctx: Pick<Services, "store">, poolId: string): StoredPool {
  const pool = ctx.store.getPool(poolId);
  if (!pool) throw errors.userPoolNotFound(poolId);
  return pool;
}

/** The client of that pool, or Cognito's ResourceNotFoundException. */
export function requireClient(ctx: Pick<Services, "store">, clientId: string, poolId?: string): StoredClient {
  const client = ctx.store.getClient(clientId);
  if (!client || (poolId !== undefined && client.poolId !== poolId)) throw errors.clientNotFound(clientId);
  return client;
}

/** The pool's ARN. */
export function poolArn(region: string, accountId: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}

const text = (name: string, min = "0", max = "2048", required = false, mutable = true): Wire<SchemaAttributeType> => ({
  Name: name,
  AttributeDataType: "String",
  DeveloperOnlyAttribute: false,
  Mutable: mutable,
  Required: required,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});
const bool = (name: string): Wire<SchemaAttributeType> => ({
  Name: name,
  AttributeDataType: "Boolean",
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

/** The standard attributes every pool has, in the order DescribeUserPool lists them. */
export function standardSchema(): Wire<SchemaAttributeType>[] {
  return [
    text("sub", "1", "2048", true, false),
    text("name"),
    text("given_name"),
    text("family_name"),
    text("middle_name"),
    text("nickname"),
    text("preferred_username"),
    text("profile"),
    text("picture"),
    text("website"),
    text("email"),
    bool("email_verified"),
    text("gender"),
    text("birthdate", "10", "10"),
    text("zoneinfo"),
    text("locale"),
    text("phone_number"),
    bool("phone_number_verified"),
    text("address"),
    {
      Name: "updated_at",
      AttributeDataType: "Number",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      NumberAttributeConstraints: { MinValue: "0" },
    },
  ];
}

/** Auth flow names as the client stores them, legacy names mapped to their ALLOW_ form. */
export function normaliseAuthFlow(flow: string): string {
  switch (flow) {
    case "ADMIN_NO_SRP_AUTH":
      return "ALLOW_ADMIN_USER_PASSWORD_AUTH";
    case "USER_PASSWORD_AUTH":
      return "ALLOW_USER_PASSWORD_AUTH";
    case "CUSTOM_AUTH_FLOW_ONLY":
      return "ALLOW_CUSTOM_AUTH";
    default:
      return flow;
  }
}
