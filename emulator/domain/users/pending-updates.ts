// Changes of email and phone_number that wait for verification: a pool whose
// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate lists the attribute keeps
// the user's verified value in effect (shown, signed in with, messaged) while the new value waits
// on the user record (`pendingAttributes`) until VerifyUserAttribute, or an admin update that
// sets its `_verified` flag, confirms it (docs/decisions/0029-attribute-updates-and-seed.md).
import type { UserPoolType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { DeepReadonly, StoredPool, StoredUser, UserRecord } from "../../store/types.js";
import { attr } from "./records.js";

/** The attributes the pool keeps at their verified value until a new value is verified. */
function keptAttributes(pool: DeepReadonly<Wire<UserPoolType>>): readonly string[] {
  return (pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []) as readonly string[];
}

/**
 * Refuses, as CreateUserPool and UpdateUserPool do, a pool that keeps an attribute's original
 * value without verifying the new one automatically: the new value could never be confirmed.
 */
export function checkAttributeUpdateSettings(pool: DeepReadonly<Wire<UserPoolType>>): void {
  const auto = (pool.AutoVerifiedAttributes ?? []) as readonly string[];
  if (keptAttributes(pool).some((name) => !auto.includes(name))) throw errors.verifyBeforeUpdateNotAutoVerified();
}

/**
 * True when a change of `name` must wait for verification: the pool lists the attribute and the
 * user has a verified value of it now. A value that is absent or unverified signs nobody in and
 * is not kept: a new one replaces it at once, unverified.
 */
export function keepsOriginalValue(pool: StoredPool, user: StoredUser, name: string): boolean {
  if (!keptAttributes(pool.pool).includes(name)) return false;
  const current = attr(user, name);
  return current !== undefined && current !== "" && attr(user, `${name}_verified`) === "true";
}

/** The value of `name` waiting for verification, if any. */
export function pendingValue(user: Pick<StoredUser, "pendingAttributes">, name: string): string | undefined {
  return user.pendingAttributes?.[name];
}

/** Sets (or, with undefined, drops) the value of `name` waiting on `user`, a copy the caller writes. */
export function setPendingValue(user: UserRecord, name: string, value: string | undefined): void {
  const pending = { ...user.pendingAttributes };
  if (value === undefined) delete pending[name];
  else pending[name] = value;
  if (Object.keys(pending).length > 0) user.pendingAttributes = pending;
  else delete user.pendingAttributes;
}
