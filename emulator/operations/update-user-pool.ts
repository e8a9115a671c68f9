import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from "@aws-sdk/client-cognito-identity-provider";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";
import { poolSettings } from "./create-user-pool.js";

// Like real Cognito, settings the request leaves out return to their defaults: UpdateUserPool
// is a replace of the updatable settings, not a patch. Schema, username attributes, aliases
// and the id never change.
export default defineOperation("UpdateUserPool", (input: UpdateUserPoolRequest, ctx): UpdateUserPoolResponse => {
  const record = requirePool(ctx, input.UserPoolId!);
  const { UserPoolId: _id, PoolName, ...settings } = input;
  const pool = {
    ...record.pool,
    ...poolSettings(settings),
    Name: PoolName ?? record.pool.Name,
    LastModifiedDate: ctx.clock.now() / 1000,
  };
  if (!input.SmsVerificationMessage) delete pool.SmsVerificationMessage;
  if (!input.EmailVerificationMessage) delete pool.EmailVerificationMessage;
  if (!input.EmailVerificationSubject) delete pool.EmailVerificationSubject;
  if (!input.SmsAuthenticationMessage) delete pool.SmsAuthenticationMessage;
  ctx.store.putPool({
    ...record,
    pool,
    tags: input.UserPoolTags ? { ...input.UserPoolTags } : record.tags,
    mfa: { ...record.mfa, MfaConfiguration: pool.MfaConfiguration ?? "OFF" },
  });
  return {};
});
