// A user changing their own attributes: UpdateUserAttributes, DeleteUserAttributes and the
// verification of email and phone numbers, on top of the attribute rules in users.ts that the
// admin operations share.
import type { AttributeType, CodeDeliveryDetailsType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/types.js";
import {
  applyAttributeUpdate,
  attr,
  type Ctx,
  checkDeletableAttributes,
  checkWritableAttributes,
  issueCode,
  maskDestination,
  removeAttributes,
} from "./users.js";

/** Attributes that can be verified with a code, and how the code travels. */
export const VERIFIABLE: Readonly<Record<string, "EMAIL" | "SMS">> = { email: "EMAIL", phone_number: "SMS" };

/** Refuses attributes the app client may not write (WriteAttributes, when the client lists them). */
export function checkClientWriteAttributes(client: ClientRecord | undefined, names: readonly string[]): void {
  const allowed = client?.client.WriteAttributes;
  if (!allowed) return;
  if (names.some((n) => !allowed.includes(n)))
    throw errors.notAuthorized("A client attempted to write unauthorized attribute");
}

/**
 * Applies a user's own attribute update to `user` (a clone the caller stores): blank values
 * delete, other values go through the same rules as AdminUpdateUserAttributes (a new email or
 * phone number becomes unverified, auto-verified ones get a code, values other users sign in
 * with are refused). Answers the delivery details of the codes sent.
 */
export function updateUserAttributes(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord | undefined,
  user: UserRecord,
  attributes: readonly AttributeType[],
  opts: { admin: boolean },
): Wire<CodeDeliveryDetailsType>[] {
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
  if (writes.length > 0) applyAttributeUpdate(ctx, pool, user, writes);
  user.updatedAt = ctx.clock.now();
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

/** Sends a code for verifying an email or phone number the user has (onto `user`, which the caller stores). */
export function sendVerificationCode(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  name: string,
): Wire<CodeDeliveryDetailsType> {
  const medium = VERIFIABLE[name];
  if (!medium) throw errors.invalidParameter(`Verification is not supported for attribute ${name}.`);
  const value = attr(user, name);
  if (value === undefined || value === "")
    throw errors.invalidParameter(`User does not have a value for the attribute: ${name}`);
  return issueCode(ctx, pool, user, `verify:${name}`, "VerifyUserAttribute", { medium, attribute: name, value });
}
