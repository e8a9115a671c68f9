// Users as operations need them: finding one by any name Cognito accepts, checking attributes
// against the pool's schema, setting passwords, and issuing codes into the inbox.

import { createHash } from "node:crypto";
import type { AttributeType, CodeDeliveryDetailsType, UserType } from "@aws-sdk/client-cognito-identity-provider";
import type { OperationContext } from "../context.js";
import { CognitoError, errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { newCode } from "../services/ids.js";
import type { MessageReason } from "../services/inbox.js";
import type { CodePurpose, PasswordRecord, PoolRecord, UserRecord } from "../store/types.js";
import { deferredVerifier, hashPassword, passwordProblem } from "./passwords.js";

/** Context slice most user helpers need. */
export type Ctx = Pick<OperationContext, "store" | "clock" | "inbox" | "config" | "log">;

/** Value of one attribute of a user. */
export function attr(user: UserRecord, name: string): string | undefined {
  return user.attributes.find((a) => a.Name === name)?.Value;
}

/** A copy of the attributes with `updates` applied (an undefined value deletes). */
export function withAttributes(
  attributes: readonly AttributeType[],
  updates: Record<string, string | undefined>,
): AttributeType[] {
  const out = attributes.map((a) => ({ ...a }));
  for (const [name, value] of Object.entries(updates)) {
    const i = out.findIndex((a) => a.Name === name);
    if (value === undefined) {
      if (i !== -1) out.splice(i, 1);
    } else if (i === -1) out.push({ Name: name, Value: value });
    else out[i] = { Name: name, Value: value };
  }
  return out;
}

function usernameAttributes(pool: PoolRecord): string[] {
  return (pool.pool.UsernameAttributes ?? []) as string[];
}

/** True when the pool signs users in with email and/or phone number instead of a username. */
export function usesUsernameAttributes(pool: PoolRecord): boolean {
  return usernameAttributes(pool).length > 0;
}

/**
 * The user a sign-in name refers to: the username itself, else (email/phone as username) the
 * attribute value, else a verified alias (AliasAttributes), as Cognito resolves them.
 */
export function findUser(ctx: Pick<OperationContext, "store">, pool: PoolRecord, name: string): UserRecord | undefined {
  const direct = ctx.store.getUser(pool.id, name);
  if (direct) return direct;
  for (const a of usernameAttributes(pool)) {
    const found = ctx.store.findUsersByAttribute(pool.id, a as "email" | "phone_number", name);
    if (found.length > 0) return found[0];
  }
  for (const a of (pool.pool.AliasAttributes ?? []) as string[]) {
    const indexed = a === "phone_number" ? "phone_number" : a === "email" ? "email" : "preferred_username";
    const found = ctx.store.findUsersByAttribute(pool.id, indexed, name);
    // Email and phone aliases only count once verified; preferred_username always does.
    const usable = found.filter((u) => indexed === "preferred_username" || attr(u, `${indexed}_verified`) === "true");
    if (usable.length > 0) return usable[0];
  }
  return undefined;
}

/** Like findUser, but Cognito's UserNotFoundException when there is none. */
export function requireUser(ctx: Pick<OperationContext, "store">, pool: PoolRecord, name: string): UserRecord {
  const user = findUser(ctx, pool, name);
  if (!user) throw errors.userNotFound();
  return user;
}

/** Schema attribute names of the pool. */
function schemaOf(pool: PoolRecord) {
  return new Map((pool.pool.SchemaAttributes ?? []).map((a) => [a.Name!, a]));
}

/**
 * Checks attributes a caller wants to write: each must exist in the schema, be writable (not
 * `sub`, not immutable once set unless `creating`), and fit its constraints.
 */
export function checkWritableAttributes(
  pool: PoolRecord,
  attributes: readonly AttributeType[],
  opts: { creating: boolean; admin: boolean },
): void {
  const schema = schemaOf(pool);
  for (const a of attributes) {
    const name = a.Name ?? "";
    const def = schema.get(name);
    if (!def) throw errors.invalidParameter(`Attribute does not exist in the schema.`);
    if (name === "sub") throw errors.invalidParameter(`Cannot modify an immutable attribute: sub`);
    if (!opts.creating && def.Mutable === false)
      throw errors.invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (def.DeveloperOnlyAttribute && !opts.admin)
      throw errors.invalidParameter(`Cannot modify a developer-only attribute: ${name}`);
    const value = a.Value ?? "";
    if (def.AttributeDataType === "Boolean" && value !== "true" && value !== "false") {
      throw errors.invalidParameter(`${name} attribute should be a boolean value.`);
    }
    if (def.AttributeDataType === "Number" && value !== "" && !/^-?\d+(\.\d+)?$/.test(value)) {
      throw errors.invalidParameter(`${name} attribute should be a number.`);
    }
    const max = def.StringAttributeConstraints?.MaxLength;
    if (max !== undefined && value.length > Number(max))
      throw errors.invalidParameter(`${name} attribute must be at most ${max} characters long.`);
    if (name === "email" && value !== "" && !/^[^@\s]+@[^@\s]+$/.test(value))
      throw errors.invalidParameter("Invalid email address format.");
    if (name === "phone_number" && value !== "" && !/^\+\d{4,15}$/.test(value))
      throw errors.invalidParameter("Invalid phone number format.");
  }
}

/** Cognito's message for the first required attribute that has no value. */
export function checkRequiredAttributes(pool: PoolRecord, attributes: readonly AttributeType[]): void {
  const have = new Set(attributes.filter((a) => (a.Value ?? "") !== "").map((a) => a.Name));
  const missing = (pool.pool.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name !== "sub" && !have.has(a.Name))
    .map((a) => a.Name!);
  if (missing.length > 0) {
    throw errors.invalidParameter(`Invalid attributes given, ${missing.map((m) => `${m} is missing`).join(", ")}`);
  }
}

/** Throws InvalidPasswordException in the wording of the calling operation. */
export function checkPasswordPolicy(
  pool: PoolRecord,
  password: string,
  wording:
    | "did not conform with policy"
    | "does not conform to policy"
    | "with password policy" = "did not conform with policy",
): void {
  const problem = passwordProblem(password, pool.pool.Policies?.PasswordPolicy);
  if (!problem) return;
  // AdminCreateUser's TemporaryPassword: "Password did not conform with password policy: ...".
  const message =
    wording === "with password policy"
      ? `Password did not conform with password policy: ${problem}`
      : `Password ${wording}: ${problem}`;
  throw new CognitoError("InvalidPasswordException", message);
}

/**
 * A new password record for `password`: the scrypt hash for password flows and the SRP-6a
 * verifier for USER_SRP_AUTH (whose USER_ID_FOR_SRP is the username).
 */
export async function passwordRecord(
  ctx: Ctx,
  user: Pick<UserRecord, "poolId" | "username">,
  password: string,
  temporaryUntil?: number,
): Promise<PasswordRecord> {
  const hash = await hashPassword(password);
  return {
    hash,
    srp: deferredVerifier(user.poolId, user.username, password),
    setAt: ctx.clock.now(),
    ...(temporaryUntil !== undefined ? { temporaryUntil } : {}),
  };
}

/** Masks a destination as Cognito does: `t***@e***` for email, `+*******1234` for phones. */
export function maskDestination(medium: "EMAIL" | "SMS", value: string): string {
  if (medium === "SMS") return `+${"*".repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`;
  const [local = "", domain = ""] = value.split("@");
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

/**
 * Where Cognito would send a code: the verified or auto-verified email, else phone. Returns
 * undefined when the user has neither.
 */
export function deliveryFor(
  pool: PoolRecord,
  user: UserRecord,
  prefer?: "email" | "phone_number",
): { medium: "EMAIL" | "SMS"; attribute: string; value: string } | undefined {
  const email = attr(user, "email");
  const phone = attr(user, "phone_number");
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  const order: ("email" | "phone_number")[] = prefer
    ? [prefer]
    : auto.includes("phone_number") && !auto.includes("email")
      ? ["phone_number", "email"]
      : ["email", "phone_number"];
  for (const o of order) {
    if (o === "email" && email) return { medium: "EMAIL", attribute: "email", value: email };
    if (o === "phone_number" && phone) return { medium: "SMS", attribute: "phone_number", value: phone };
  }
  return undefined;
}

/** Lifetimes of codes: sign-up and attribute codes 24 h, reset codes 1 h. */
export const CODE_LIFETIME_MS: Record<"signUp" | "forgotPassword" | "verify" | "mfa", number> = {
  signUp: 24 * 3600_000,
  forgotPassword: 3600_000,
  verify: 24 * 3600_000,
  mfa: 3 * 60_000,
};

/**
 * Issues a fresh code for `purpose` onto the user (the caller stores the user), records the
 * message in the inbox, and answers the CodeDeliveryDetails Cognito would. Codes have six digits
 * unless `digits` says otherwise (EMAIL_OTP sign-in codes have eight).
 */
export function issueCode(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  reason: MessageReason,
  delivery: { medium: "EMAIL" | "SMS"; attribute: string; value: string },
  digits = 6,
): Wire<CodeDeliveryDetailsType> {
  const code = newCode(digits);
  const kind = purpose.startsWith("verify:") ? "verify" : (purpose as "signUp" | "forgotPassword" | "mfa");
  user.codes[purpose] = { code, expiresAt: ctx.clock.now() + CODE_LIFETIME_MS[kind], attempts: 0 };
  ctx.inbox.add({
    userPoolId: pool.id,
    username: user.username,
    destination: delivery.value,
    deliveryMedium: delivery.medium,
    attributeName: delivery.attribute,
    reason,
    code,
    createdAt: ctx.clock.now() / 1000,
  });
  return {
    Destination: maskDestination(delivery.medium, delivery.value),
    DeliveryMedium: delivery.medium,
    AttributeName: delivery.attribute,
  };
}

/** Wrong codes allowed before Cognito answers LimitExceededException. */
export const MAX_CODE_ATTEMPTS = 5;

/**
 * Checks a code the user typed. Consumes it on success; counts failures. Throws Cognito's
 * CodeMismatch / ExpiredCode / LimitExceeded errors. The caller must store the user afterwards.
 */
export function consumeCode(
  ctx: Pick<OperationContext, "clock">,
  user: UserRecord,
  purpose: CodePurpose,
  code: string,
): void {
  const record = user.codes[purpose];
  if (!record) throw errors.expiredCode();
  if (record.attempts >= MAX_CODE_ATTEMPTS) throw errors.limitExceeded();
  if (ctx.clock.now() > record.expiresAt) throw errors.expiredCode();
  if (record.code !== code) {
    record.attempts += 1;
    throw errors.codeMismatch();
  }
  delete user.codes[purpose];
}

/** The user as AdminCreateUser / ListUsers answer it. */
export function userType(user: UserRecord, attributesToGet?: readonly string[]): Wire<UserType> {
  const attributes = attributesToGet
    ? user.attributes.filter((a) => attributesToGet.includes(a.Name!))
    : user.attributes;
  return {
    Username: user.username,
    Attributes: attributes.map((a) => ({ ...a })),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** A deep copy to modify before `store.putUser` (records in the store are never mutated in place). */
export function cloneUser(user: UserRecord): UserRecord {
  return structuredClone(user);
}

/**
 * Before a new user is stored (SignUp, AdminCreateUser): the pool must still exist (it may have
 * been deleted while the password was hashed) and have room under `--max-users-per-pool`.
 * Called again right before the write, with no await between, so the limit is exact.
 */
export function checkRoomForUser(ctx: Pick<OperationContext, "store" | "config">, poolId: string): void {
  if (!ctx.store.getPool(poolId)) throw errors.userPoolNotFound(poolId);
  const max = ctx.config.maxUsersPerPool;
  if (ctx.store.countUsers(poolId) >= max) {
    throw new CognitoError(
      "LimitExceededException",
      `User pool ${poolId} has reached its limit of ${max} users (cognito-twin --max-users-per-pool).`,
    );
  }
}

/**
 * The user's record as it is now, for a write after an await or a lock wait: a copy read
 * earlier may be stale, and writing it back would undo other requests' changes or bring a
 * deleted user (or one of a deleted pool) back. UserNotFoundException when the user is gone.
 */
export function currentUser(ctx: Pick<OperationContext, "store">, poolId: string, sub: string): UserRecord {
  const user = ctx.store.getUserBySub(poolId, sub);
  if (!user) throw errors.userNotFound();
  return user;
}

/** Cognito's answer when a password reset has nowhere to send its code. */
export function noRecoveryDestination(): CognitoError {
  return errors.invalidParameter(
    "Cannot reset password for the user as there is no registered/verified email or phone_number",
  );
}

/** The recovery mechanisms of the pool in priority order (`verified_email`, `verified_phone_number`, `admin_only`). */
function recoveryMechanisms(pool: PoolRecord): string[] {
  const mechanisms = [...(pool.pool.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort(
    (a, b) => (a.Priority ?? 0) - (b.Priority ?? 0),
  );
  // Pools without a setting use Cognito's legacy rule: a verified phone first, then email.
  return mechanisms.length > 0 ? mechanisms.map((m) => m.Name!) : ["verified_phone_number", "verified_email"];
}

/**
 * Where a password-reset code goes (ForgotPassword, AdminResetUserPassword): the first
 * verified contact the pool's AccountRecoverySetting allows, or undefined when there is none.
 */
export function recoveryDelivery(
  pool: PoolRecord,
  user: UserRecord,
): { medium: "EMAIL" | "SMS"; attribute: string; value: string } | undefined {
  for (const mechanism of recoveryMechanisms(pool)) {
    if (mechanism === "verified_email") {
      const email = attr(user, "email");
      if (email && attr(user, "email_verified") === "true")
        return { medium: "EMAIL", attribute: "email", value: email };
    } else if (mechanism === "verified_phone_number") {
      const phone = attr(user, "phone_number");
      if (phone && attr(user, "phone_number_verified") === "true")
        return { medium: "SMS", attribute: "phone_number", value: phone };
    }
  }
  return undefined;
}

/**
 * A believable CodeDeliveryDetails for a name that matches no user, for clients with
 * PreventUserExistenceErrors ENABLED: the same name always gets the same answer, shaped like
 * the deliveries the pool really makes (`recovery` picks the medium as ForgotPassword would,
 * otherwise as sign-up codes go).
 */
export function simulatedDelivery(
  pool: PoolRecord,
  name: string,
  purpose: "recovery" | "signUp",
): Wire<CodeDeliveryDetailsType> {
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  let medium: "EMAIL" | "SMS";
  if (purpose === "recovery") {
    const first = recoveryMechanisms(pool).find((m) => m !== "admin_only");
    medium = first === "verified_phone_number" && !name.includes("@") ? "SMS" : "EMAIL";
  } else {
    medium = auto.includes("email") || !auto.includes("phone_number") ? "EMAIL" : "SMS";
  }
  if (name.includes("@") && medium === "EMAIL")
    return { Destination: maskDestination("EMAIL", name), DeliveryMedium: "EMAIL", AttributeName: "email" };
  if (/^\+\d{5,}$/.test(name) && medium === "SMS")
    return { Destination: maskDestination("SMS", name), DeliveryMedium: "SMS", AttributeName: "phone_number" };
  // Derive a fake destination from the name so repeated calls agree with each other.
  const digest = createHash("sha256").update(`${pool.id}/${name}`).digest();
  if (medium === "SMS") {
    const digits = [...digest.subarray(0, 4)].map((b) => String(b % 10)).join("");
    return { Destination: `+*******${digits}`, DeliveryMedium: "SMS", AttributeName: "phone_number" };
  }
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return {
    Destination: `${letters[digest[0]! % 26]}***@${letters[digest[1]! % 26]}***`,
    DeliveryMedium: "EMAIL",
    AttributeName: "email",
  };
}

/**
 * Refuses a password reset (ForgotPassword, AdminResetUserPassword) for a disabled user or one
 * who has not yet replaced an administrator's temporary password, as Cognito does.
 */
export function checkResettable(user: UserRecord): void {
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  if (user.status === "FORCE_CHANGE_PASSWORD")
    throw errors.notAuthorized("User password cannot be reset in the current state.");
}

/** Attributes that carry a `<name>_verified` flag. */
const VERIFIABLE = ["email", "phone_number"] as const;

/**
 * Refuses a value another user already signs in with: the username attribute itself (email or
 * phone as username), a verified email/phone alias, or a preferred_username alias.
 */
function checkAliasFree(
  ctx: Pick<OperationContext, "store">,
  pool: PoolRecord,
  user: UserRecord,
  name: string,
  value: string,
  verified: boolean,
): void {
  const usernameAttrs = (pool.pool.UsernameAttributes ?? []) as string[];
  const aliases = (pool.pool.AliasAttributes ?? []) as string[];
  if (name !== "email" && name !== "phone_number" && name !== "preferred_username") return;
  const isUsernameAttr = usernameAttrs.includes(name);
  if (!isUsernameAttr && !aliases.includes(name)) return;
  // An unverified email or phone alias cannot be signed in with, so it may be shared.
  if (!isUsernameAttr && name !== "preferred_username" && !verified) return;
  const others = ctx.store.findUsersByAttribute(pool.id, name, value).filter((u) => u.sub !== user.sub);
  const clash = others.some(
    (u) => isUsernameAttr || name === "preferred_username" || attr(u, `${name}_verified`) === "true",
  );
  if (clash) throw new CognitoError("AliasExistsException", `An account with the given ${name} already exists.`);
}

/**
 * Applies an attribute update to `user` (a clone the caller stores), as AdminUpdateUserAttributes
 * does: a changed email or phone number becomes unverified unless the same call sets its
 * `_verified` flag, and, when the pool auto-verifies it, a verification code goes to the new
 * value. Values other users sign in with are refused (AliasExistsException).
 */
export function applyAttributeUpdate(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  attributes: readonly AttributeType[],
): void {
  const updates: Record<string, string> = {};
  for (const a of attributes) updates[a.Name!] = a.Value ?? "";
  const required = new Set((pool.pool.SchemaAttributes ?? []).filter((a) => a.Required).map((a) => a.Name!));
  for (const [name, value] of Object.entries(updates)) {
    if (value === "" && required.has(name))
      throw errors.invalidParameter(`Invalid attributes given, ${name} is missing`);
  }
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  const toVerify: (typeof VERIFIABLE)[number][] = [];
  for (const name of VERIFIABLE) {
    const next = updates[name];
    const flag = `${name}_verified`;
    const changed = next !== undefined && next !== attr(user, name);
    if (changed && updates[flag] === undefined) {
      updates[flag] = "false";
      if (auto.includes(name) && next !== "") toVerify.push(name);
    }
    const value = next ?? attr(user, name);
    if (value !== undefined && value !== "" && (changed || updates[flag] === "true")) {
      checkAliasFree(ctx, pool, user, name, value, (updates[flag] ?? attr(user, flag)) === "true");
    }
  }
  if (updates.preferred_username !== undefined && updates.preferred_username !== "")
    checkAliasFree(ctx, pool, user, "preferred_username", updates.preferred_username, true);
  user.attributes = withAttributes(user.attributes, updates);
  user.updatedAt = ctx.clock.now();
  for (const name of toVerify) {
    issueCode(ctx, pool, user, `verify:${name}`, "VerifyUserAttribute", {
      medium: name === "email" ? "EMAIL" : "SMS",
      attribute: name,
      value: updates[name]!,
    });
  }
}

/**
 * Checks names a caller wants to delete: each must be in the schema, mutable, not required
 * (Cognito's `Invalid attributes given, <name> is missing`), and not developer-only unless admin.
 */
export function checkDeletableAttributes(pool: PoolRecord, names: readonly string[], opts: { admin: boolean }): void {
  const schema = schemaOf(pool);
  for (const name of names) {
    const def = schema.get(name);
    if (!def) throw errors.invalidParameter(`Attribute does not exist in the schema.`);
    if (name === "sub" || def.Mutable === false)
      throw errors.invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (def.DeveloperOnlyAttribute && !opts.admin)
      throw errors.invalidParameter(`Cannot modify a developer-only attribute: ${name}`);
    if (def.Required) throw errors.invalidParameter(`Invalid attributes given, ${name} is missing`);
  }
}

/**
 * Removes attributes from `user` (a clone the caller stores). An email or phone number takes
 * its `_verified` flag and any pending verification code with it.
 */
export function removeAttributes(user: UserRecord, names: readonly string[]): void {
  const updates: Record<string, undefined> = {};
  for (const name of names) {
    updates[name] = undefined;
    if (name === "email" || name === "phone_number") {
      updates[`${name}_verified`] = undefined;
      delete user.codes[`verify:${name}`];
    }
  }
  user.attributes = withAttributes(user.attributes, updates);
}
