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
import { attr, withAttributes } from "./records.js";

/** Schema attribute names of the pool. */
function schemaOf(pool: StoredPool) {
  return new Map((pool.pool.SchemaAttributes ?? []).map((a) => [a.Name!, a]));
}

/**
 * Checks attributes a caller wants to write: each must exist in the schema, be writable (not
 * `sub`, not immutable once set unless `creating`), and fit its constraints.
 */
export function checkWritableAttributes(
  pool: StoredPool,
  attributes: readonly AttributeType[],
  opts: { creating: boolean; admin: boolean },
): void {
  const schema = schemaOf(pool);
  for (const a of attributes) {
    const name = a.Name ?? "";
    const def = schema.get(name);
    if (!def) throw errors.attributeNotInSchema();
    if (name === "sub") throw errors.immutableAttribute("sub");
    if (!opts.creating && def.Mutable === false) throw errors.immutableAttribute(name);
    if (def.DeveloperOnlyAttribute && !opts.admin) throw errors.developerOnlyAttribute(name);
    const value = a.Value ?? "";
    if (def.AttributeDataType === "Boolean" && value !== "true" && value !== "false") {
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
 * value. Values other users sign in with are refused (AliasExistsException).
 */
export async function applyAttributeUpdate(
  ctx: Pick<Services, "store"> & MessageContext,
  pool: StoredPool,
  user: UserRecord,
  attributes: readonly AttributeType[],
  options: Omit<MessageOptions, "source"> = {},
): Promise<void> {
  const updates: Record<string, string> = {};
  for (const a of attributes) updates[a.Name!] = a.Value ?? "";
  const required = new Set((pool.pool.SchemaAttributes ?? []).filter((a) => a.Required).map((a) => a.Name!));
  for (const [name, value] of Object.entries(updates)) {
    if (value === "" && required.has(name)) throw errors.requiredAttributesMissing([name]);
  }
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  const toVerify: string[] = [];
  for (const name of Object.keys(VERIFIABLE)) {
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
  for (const name of toVerify) {
    await issueCode(
      ctx,
      pool,
      user,
      `verify:${name}`,
      "VerifyUserAttribute",
      { medium: VERIFIABLE[name]!, attribute: name, value: updates[name]! },
      { ...options, source: "UpdateUserAttribute" },
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
      clientId: client?.client.ClientId,
      clientMetadata: opts.clientMetadata,
      drafts: opts.drafts,
    });
  // A code record that changed identity is one this update issued.
  const deliveries: Wire<CodeDeliveryDetailsType>[] = [];
  for (const [name, medium] of Object.entries(VERIFIABLE)) {
    const code = user.codes[`verify:${name}`];
    const value = attr(user, name);
    if (code && code !== codesBefore.get(name) && value)
      deliveries.push({ Destination: maskDestination(medium, value), DeliveryMedium: medium, AttributeName: name });
  }
  return deliveries;
}

/**
 * Checks names a caller wants to delete: each must be in the schema, mutable, not required
 * (Cognito's `Invalid attributes given, <name> is missing`), and not developer-only unless admin.
 */
export function checkDeletableAttributes(pool: StoredPool, names: readonly string[], opts: { admin: boolean }): void {
  const schema = schemaOf(pool);
  for (const name of names) {
    const def = schema.get(name);
    if (!def) throw errors.attributeNotInSchema();
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
    }
  }
  user.attributes = withAttributes(user.attributes, updates);
}
