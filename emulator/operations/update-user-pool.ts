import type {
  UpdateUserPoolRequest,
  UpdateUserPoolResponse,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { checkThreatProtectionTier } from "../domain/auth-events.js";
import { requirePool } from "../domain/pools.js";
import { checkLambdaConfigTier } from "../domain/triggers/lambda-config.js";
import { checkSignInPolicy } from "../domain/user-auth.js";
import { checkAttributeUpdateSettings } from "../domain/users/pending-updates.js";
import type { StoredPool } from "../store/types.js";
import { poolSettings } from "./create-user-pool.js";
import { defineOperation } from "./types.js";

/** The pool settings UpdateUserPool replaces (UserPoolTier aside, see below). */
const UPDATABLE = [
  "Policies",
  "DeletionProtection",
  "LambdaConfig",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "UserPoolTags",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
] as const satisfies readonly (keyof UserPoolType)[];

// As AWS documents it, settings the request leaves out return to their defaults ("with the
// exception of UserPoolTier"): UpdateUserPool is a replace of the updatable settings, not a
// patch. Optional settings that have no default (DeviceConfiguration, messages, tags...) are
// dropped. Schema, username attributes, aliases, the ARN and the id never change.
export default defineOperation(
  "UpdateUserPool",
  ["store", "clock"],
  (input: UpdateUserPoolRequest, ctx): UpdateUserPoolResponse => {
    const record = requirePool(ctx, input.UserPoolId!);
    const { UserPoolId: _id, PoolName, ...settings } = input;
    // A shallow copy whose own settings can be dropped (what it shares with the record stays read-only).
    const kept: { -readonly [K in keyof StoredPool["pool"]]: StoredPool["pool"][K] } = { ...record.pool };
    for (const key of UPDATABLE) delete kept[key];
    const pool: StoredPool["pool"] = {
      ...kept,
      ...poolSettings(settings),
      UserPoolTier: input.UserPoolTier ?? record.pool.UserPoolTier ?? "ESSENTIALS",
      Name: PoolName ?? record.pool.Name,
      LastModifiedDate: ctx.clock.now() / 1000,
    };
    // The sign-in policy against the (possibly new) plan and email and SMS settings.
    checkSignInPolicy(pool);
    checkAttributeUpdateSettings(pool);
    // Pre token generation V2_0/V3_0 against the (possibly new) plan.
    checkLambdaConfigTier(pool);
    // Threat protection (UserPoolAddOns) against the (possibly new) plan.
    checkThreatProtectionTier(pool);
    ctx.store.putPool({
      ...record,
      pool,
      // ListTagsForResource and DescribeUserPool show the same tags.
      tags: { ...pool.UserPoolTags },
      mfa: { ...record.mfa, MfaConfiguration: pool.MfaConfiguration ?? "OFF" },
    });
    return {};
  },
);
