// A user record's attributes and its wire form.
import type { AttributeType, UserType } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../../core/wire.js";
import type { StoredUser, UserRecord } from "../../store/types.js";

/** Value of one attribute of a user. */
export function attr(user: Pick<StoredUser, "attributes">, name: string): string | undefined {
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

/** The user as AdminCreateUser / ListUsers answer it. */
export function userType(user: StoredUser, attributesToGet?: readonly string[]): Wire<UserType> {
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

/**
 * A deep copy, the one way to a mutable user from a stored (read-only) one: records in the store
 * are never changed in place. Changes to a stored user go through updateUser (update.ts), which
 * copies with this; other callers use a copy as scratch and never store it.
 */
export function cloneUser(user: StoredUser): UserRecord {
  return structuredClone(user) as UserRecord;
}
