// The attribute rules: what a pool's schema and an app client let a caller write, required
// attributes, aliases that must stay unique, and applying an update (with verification codes).
import type { AttributeType, CodeDeliveryDetailsType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { StoredClient, StoredPool, StoredUser, UserRecord } from "../../store/types.js";
import {
  issueCode,
  type MessageContext,
  type MessageDrafts,
  type MessageOptions,
  maskDestination,
  VERIFIABLE,
} from "./codes.js";
import { keepsOriginalValue, pendingValue, setPendingValue } from "./pending-updates.js";
import { attr, withAttributes } from "./records.js";

/** Schema attribute names of the pool. */
function schemaOf(pool: StoredPool) {
  return new Map((pool.pool.SchemaAttributes ?? []).map((a) => [a.Name!, a]));
}

/**
 * Checks attributes a caller wants to write: each must exist in the schema (every unknown name
 * is listed, in SignUp's wording when `signUp`), be writable (not `sub`, not immutable once set
 * unless `creating`), and fit its constraints. Boolean values are read case-insensitively.
 */
export function checkWritableAttributes(
  pool: StoredPool,
  attributes: readonly AttributeType[],
  opts: { creating: boolean; admin: boolean; signUp?: boolean },
): void {
  const schema = schemaOf(pool);
  const unknown = attributes.map((a) => a.Name ?? "").filter((n) => !schema.has(n));
  if (unknown.length > 0) throw errors.attributesNotInSchema(unknown, opts.signUp ? "signUp" : "update");
  for (const a of attributes) {
    const name = a.Name ?? "";
    const def = schema.get(name)!;
    if (name === "sub") throw errors.immutableAttribute("sub");
    if (!opts.creating && def.Mutable === false) throw errors.immutableAttribute(name);
    if (def.DeveloperOnlyAttribute && !opts.admin) throw errors.developerOnlyAttribute(name);
    const value = a.Value ?? "";
    if (def.AttributeDataType === "Boolean" && !/^(true|false)$/i.test(value)) {
      throw errors.attributeNotBoolean(name);
    }
    if (def.AttributeDataType === "Number" && value !== "" && !/^-?\d+(\.\d+)?$/.test(value)) {
      throw errors.attributeNotNumber(name);
    }
    const max = def.StringAttributeConstraints?.MaxLength;
    if (max !== undefined && value.length > Number(max)) throw errors.attributeTooLong(name, max);
    if (name === "email" && value !== "" && !/^[^@\s]+@[^@\s]+$/.test(value)) throw errors.invalidEmailFormat();
    if (name === "phone_number" && value !== "" && !/^\+\d{4,15}$/.test(value)) throw errors.invalidPhoneNumberFormat();
  }
}

/**
 * The attributes with the values of the schema's Boolean attributes (email_verified,
 * phone_number_verified, custom Booleans) in lower case: Cognito takes "True" as "true", and
 * everything that reads a flag compares it with "true".
 */
export function normaliseBooleans<T extends AttributeType>(pool: StoredPool, attributes: readonly T[]): T[] {
  const schema = schemaOf(pool);
  return attributes.map((a) =>
    schema.get(a.Name ?? "")?.AttributeDataType === "Boolean" && a.Value !== undefined
      ? { ...a, Value: a.Value.toLowerCase() }
      : a,
  );
}

/** Cognito's message for the first required attribute that has no value. */
export function checkRequiredAttributes(pool: StoredPool, attributes: readonly AttributeType[]): void {
  const have = new Set(attributes.filter((a) => (a.Value ?? "") !== "").map((a) => a.Name));
  const missing = (pool.pool.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name !== "sub" && !have.has(a.Name))
    .map((a) => a.Name!);
  if (missing.length > 0) {
    throw errors.requiredAttributesMissing(missing);
  }
}

/** Refuses attributes the app client may not write (WriteAttributes, when the client lists them). */
export function checkClientWriteAttributes(client: StoredClient | undefined, names: readonly string[]): void {
  const allowed = client?.client.WriteAttributes;
  if (!allowed) return;
  if (names.some((n) => !allowed.includes(n))) throw errors.unauthorizedAttributeWrite();
}

/**
 * Refuses a value another user already signs in with: the username attribute itself (email or
 * phone as username), a verified email/phone alias, or a preferred_username alias.
 */
function checkAliasFree(
  ctx: Pick<Services, "store">,
  pool: StoredPool,
  user: StoredUser,
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
  if (clash) throw errors.aliasExists(name);
}

/**
 * Applies an attribute update to `user` (the copy updateUser writes), as AdminUpdateUserAttributes
 * does: a changed email or phone number becomes unverified unless the same call sets its
 * `_verified` flag, and, when the pool auto-verifies it, a verification code goes to the new
 * value. Values other users sign in with are refused (AliasExistsException). Where the pool
 * keeps the original value until the new one is verified (AttributesRequireVerificationBeforeUpdate)
 * and the user's value is verified, the new value waits instead (pending-updates.ts), unless an
 * admin call sets the `_verified` flag to true, which also confirms a value already waiting.
 */
export async function applyAttributeUpdate(
  ctx: Pick<Services, "store"> & MessageContext,
  pool: StoredPool,
  user: UserRecord,
  attributes: readonly AttributeType[],
  options: Omit<MessageOptions, "source"> & { admin?: boolean } = {},
): Promise<void> {
  const { admin = true, ...messageOptions } = options;
  const updates: Record<string, string> = {};
  for (const a of normaliseBooleans(pool, attributes)) updates[a.Name!] = a.Value ?? "";
  const required = new Set((pool.pool.SchemaAttributes ?? []).filter((a) => a.Required).map((a) => a.Name!));
  for (const [name, value] of Object.entries(updates)) {
    if (value === "" && required.has(name)) throw errors.requiredAttributesMissing([name]);
  }
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  const toVerify: { name: string; value: string }[] = [];
  const pending = new Map<string, string | undefined>();
  for (const name of Object.keys(VERIFIABLE)) {
    const next = updates[name];
    const flag = `${name}_verified`;
    const changed = next !== undefined && next !== attr(user, name);
    const waiting = pendingValue(user, name);
    // A new value replaces the one waiting; the current value again cancels it, and its code.
    if (next !== undefined && waiting !== undefined) {
      pending.set(name, undefined);
      if (!changed) delete user.codes[`verify:${name}`];
    }
    const adminVerifies = admin && updates[flag] === "true";
    if (changed && next !== "" && !adminVerifies && keepsOriginalValue(pool, user, name)) {
      // The verified value stays in effect; the new one waits for its code (sent even where the
      // pool no longer auto-verifies: CreateUserPool and UpdateUserPool require that it does).
      delete updates[name];
      pending.set(name, next);
      checkAliasFree(ctx, pool, user, name, next, false);
      toVerify.push({ name, value: next });
      continue;
    }
    if (next === undefined && adminVerifies && waiting !== undefined) {
      // An admin setting the flag verifies the value waiting, as VerifyUserAttribute would.
      updates[name] = waiting;
      pending.set(name, undefined);
      checkAliasFree(ctx, pool, user, name, waiting, true);
      continue;
    }
    if (changed && updates[flag] === undefined) {
      updates[flag] = "false";
      if (auto.includes(name) && next !== "") toVerify.push({ name, value: next });
    }
    const value = next ?? attr(user, name);
    if (value !== undefined && value !== "" && (changed || updates[flag] === "true")) {
      checkAliasFree(ctx, pool, user, name, value, (updates[flag] ?? attr(user, flag)) === "true");
    }
  }
  if (updates.preferred_username !== undefined && updates.preferred_username !== "")
    checkAliasFree(ctx, pool, user, "preferred_username", updates.preferred_username, true);
  user.attributes = withAttributes(user.attributes, updates);
  for (const [name, value] of pending) setPendingValue(user, name, value);
  for (const { name, value } of toVerify) {
    await issueCode(
      ctx,
      pool,
      user,
      `verify:${name}`,
      "VerifyUserAttribute",
      { medium: VERIFIABLE[name]!, attribute: name, value },
      { ...messageOptions, source: "UpdateUserAttribute" },
    );
  }
}

/**
 * Applies a user's own attribute update to `user` (the copy updateUser writes): blank values
 * delete, other values go through the same rules as AdminUpdateUserAttributes (a new email or
 * phone number becomes unverified, auto-verified ones get a code, values other users sign in
 * with are refused). Answers the delivery details of the codes sent.
 */
export async function updateUserAttributes(
  ctx: Pick<Services, "store"> & MessageContext,
  pool: StoredPool,
  client: StoredClient | undefined,
  user: UserRecord,
  attributes: readonly AttributeType[],
  opts: {
    admin: boolean;
    clientMetadata?: Readonly<Record<string, string>> | undefined;
    drafts?: MessageDrafts | undefined;
  },
): Promise<Wire<CodeDeliveryDetailsType>[]> {
  if (!opts.admin)
    checkClientWriteAttributes(
      client,
      attributes.map((a) => a.Name ?? ""),
    );
  const writes = attributes.filter((a) => (a.Value ?? "") !== "");
  const deletes = attributes.filter((a) => (a.Value ?? "") === "").map((a) => a.Name!);
  checkWritableAttributes(pool, writes, { creating: false, admin: opts.admin });
  checkDeletableAttributes(pool, deletes, opts);
  const codesBefore = new Map(Object.keys(VERIFIABLE).map((n) => [n, user.codes[`verify:${n}`]]));
  if (deletes.length > 0) removeAttributes(user, deletes);
  if (writes.length > 0)
    await applyAttributeUpdate(ctx, pool, user, writes, {
      admin: opts.admin,
      clientId: client?.client.ClientId,
      clientMetadata: opts.clientMetadata,
      drafts: opts.drafts,
    });
  // A code record that changed identity is one this update issued.
  const deliveries: Wire<CodeDeliveryDetailsType>[] = [];
  for (const [name, medium] of Object.entries(VERIFIABLE)) {
    const code = user.codes[`verify:${name}`];
    // A value waiting for verification is where its code went.
    const value = pendingValue(user, name) ?? attr(user, name);
    if (code && code !== codesBefore.get(name) && value)
      deliveries.push({ Destination: maskDestination(medium, value), DeliveryMedium: medium, AttributeName: name });
  }
  return deliveries;
}

/**
 * Marks `name` verified on `user` (the copy updateUser writes) once its code was right
 * (VerifyUserAttribute): a value waiting for verification takes effect first, unless another
 * user signs in with it by now (AliasExistsException).
 */
export function markAttributeVerified(
  ctx: Pick<Services, "store">,
  pool: StoredPool,
  user: UserRecord,
  name: string,
): void {
  const waiting = pendingValue(user, name);
  if (waiting !== undefined) checkAliasFree(ctx, pool, user, name, waiting, true);
  user.attributes = withAttributes(user.attributes, {
    ...(waiting !== undefined ? { [name]: waiting } : {}),
    [`${name}_verified`]: "true",
  });
  setPendingValue(user, name, undefined);
}

/**
 * Checks names a caller wants to delete: each must be in the schema, mutable, not required
 * (Cognito's `Invalid attributes given, <name> is missing`), and not developer-only unless admin.
 */
export function checkDeletableAttributes(pool: StoredPool, names: readonly string[], opts: { admin: boolean }): void {
  const schema = schemaOf(pool);
  const unknown = names.filter((n) => !schema.has(n));
  if (unknown.length > 0) throw errors.attributesNotInSchema(unknown, "update");
  for (const name of names) {
    const def = schema.get(name)!;
    if (name === "sub" || def.Mutable === false) throw errors.immutableAttribute(name);
    if (def.DeveloperOnlyAttribute && !opts.admin) throw errors.developerOnlyAttribute(name);
    if (def.Required) throw errors.requiredAttributesMissing([name]);
  }
}

/**
 * Removes attributes from `user` (the copy updateUser writes). An email or phone number takes
 * its `_verified` flag and any pending verification code with it.
 */
export function removeAttributes(user: UserRecord, names: readonly string[]): void {
  const updates: Record<string, undefined> = {};
  for (const name of names) {
    updates[name] = undefined;
    if (name === "email" || name === "phone_number") {
      updates[`${name}_verified`] = undefined;
      delete user.codes[`verify:${name}`];
      setPendingValue(user, name, undefined);
    }
  }
  user.attributes = withAttributes(user.attributes, updates);
}
