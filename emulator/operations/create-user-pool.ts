import type {
  CreateUserPoolRequest,
  CreateUserPoolResponse,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { RequestFacts, Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { checkThreatProtectionTier } from "../domain/auth-events.js";
import { poolArn, standardSchema } from "../domain/pools.js";
import { mergeSchema, verificationMessages } from "../domain/schema.js";
import { checkLambdaConfigTier, lambdaConfig } from "../domain/triggers/lambda-config.js";
import { checkSignInPolicy } from "../domain/user-auth.js";
import { checkAttributeUpdateSettings } from "../domain/users/pending-updates.js";
import { newUserPoolId } from "../services/ids.js";
import type { DeepReadonly, PoolRecord, StoredPool } from "../store/types.js";
import { defineOperation } from "./types.js";

/** CreateUserPool, plus `Id` for seeds that need fixed ids (not part of Cognito's input). */
export type CreateUserPoolInput = CreateUserPoolRequest & { Id?: string };

/**
 * The settings UpdateUserPool may change, as Cognito fills them when the caller leaves them out
 * (captured from real CreateUserPool answers).
 */
export function poolSettings(input: Omit<CreateUserPoolRequest, "PoolName">): Partial<Wire<UserPoolType>> {
  return {
    Policies: {
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
        ...input.Policies?.PasswordPolicy,
      },
      ...(input.Policies?.SignInPolicy ? { SignInPolicy: input.Policies.SignInPolicy } : {}),
    },
    DeletionProtection: input.DeletionProtection ?? "INACTIVE",
    // Checked and completed as Cognito does (domain/triggers/lambda-config.ts).
    LambdaConfig: lambdaConfig(input.LambdaConfig),
    AutoVerifiedAttributes: input.AutoVerifiedAttributes ?? [],
    // The legacy message fields and VerificationMessageTemplate describe one message (domain/schema.ts).
    ...verificationMessages(input),
    ...(input.SmsAuthenticationMessage !== undefined
      ? { SmsAuthenticationMessage: input.SmsAuthenticationMessage }
      : {}),
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: [],
      ...input.UserAttributeUpdateSettings,
    },
    MfaConfiguration: input.MfaConfiguration ?? "OFF",
    ...(input.DeviceConfiguration ? { DeviceConfiguration: input.DeviceConfiguration } : {}),
    EmailConfiguration: { EmailSendingAccount: "COGNITO_DEFAULT", ...input.EmailConfiguration },
    ...(input.SmsConfiguration ? { SmsConfiguration: input.SmsConfiguration } : {}),
    UserPoolTags: { ...input.UserPoolTags },
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: 7,
      ...input.AdminCreateUserConfig,
    },
    ...(input.UserPoolAddOns ? { UserPoolAddOns: input.UserPoolAddOns } : {}),
    AccountRecoverySetting: input.AccountRecoverySetting ?? {
      RecoveryMechanisms: [
        { Priority: 1, Name: "verified_email" },
        { Priority: 2, Name: "verified_phone_number" },
      ],
    },
    UserPoolTier: input.UserPoolTier ?? "ESSENTIALS",
  };
}

/** Creates the pool record; shared with the seed loader. */
export function createPool(
  input: CreateUserPoolInput,
  ctx: Pick<Services, "store" | "clock" | "keys" | "config" | "log"> & Pick<RequestFacts, "region">,
): PoolRecord {
  if (input.UsernameAttributes?.length && input.AliasAttributes?.length) {
    throw errors.aliasAndUsernameAttributes();
  }
  const region = input.Id ? (input.Id.split("_")[0] ?? ctx.region) : ctx.region;
  const id = input.Id ?? newUserPoolId(region);
  if (ctx.store.getPool(id)) throw errors.userPoolExists(id);
  const now = ctx.clock.now() / 1000;
  const pool: Wire<UserPoolType> = {
    Id: id,
    Name: input.PoolName,
    ...poolSettings(input),
    LastModifiedDate: now,
    CreationDate: now,
    SchemaAttributes: mergeSchema(standardSchema(), input.Schema),
    ...(input.UsernameAttributes ? { UsernameAttributes: input.UsernameAttributes } : {}),
    ...(input.AliasAttributes ? { AliasAttributes: input.AliasAttributes } : {}),
    EstimatedNumberOfUsers: 0,
    UsernameConfiguration: { CaseSensitive: false, ...input.UsernameConfiguration },
    Arn: poolArn(region, ctx.config.accountId, id),
  };
  // The sign-in policy against the plan and the email and SMS settings beside it.
  checkSignInPolicy(pool);
  checkAttributeUpdateSettings(pool);
  checkLambdaConfigTier(pool);
  checkThreatProtectionTier(pool);
  const record: PoolRecord = {
    id,
    pool,
    tags: { ...input.UserPoolTags },
    mfa: { MfaConfiguration: pool.MfaConfiguration ?? "OFF" },
  };
  ctx.store.putPool(record);
  // Key generation (two RSA-2048 pairs) runs on the thread pool now, so the pool's first
  // sign-in usually finds its keys ready instead of waiting for them.
  ctx.keys.keysFor(id).catch(() => undefined);
  ctx.log.debug(`[pool] created ${id} (${input.PoolName})`);
  return record;
}

export default defineOperation(
  "CreateUserPool",
  ["store", "clock", "keys", "config", "log"],
  (input: CreateUserPoolInput, ctx): DeepReadonly<Wire<CreateUserPoolResponse>> => {
    // `Id` is a seed-only extension; over the API Cognito always chooses the id.
    const { Id: _ignored, ...cognitoInput } = input;
    return { UserPool: describePool(createPool(cognitoInput, ctx), ctx) };
  },
);

/** The pool as DescribeUserPool answers it, with the live user count (sharing the stored record's parts). */
export function describePool(record: StoredPool, ctx: Pick<Services, "store">): DeepReadonly<Wire<UserPoolType>> {
  return { ...record.pool, EstimatedNumberOfUsers: ctx.store.countUsers(record.id) };
}
