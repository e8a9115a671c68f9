// ListUsers' Filter: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), on the
// few attributes Cognito can search. Parsing is strict so that a filter the real service would
// refuse is refused here too, with the same messages.
import { errors } from "../core/errors.js";
import type { StoredUser } from "../store/types.js";
import { attr } from "./users/records.js";

/** Attributes ListUsers can filter on (custom attributes cannot be searched). */
const SEARCHABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
]);

/** A parsed filter. */
export interface UserFilter {
  attribute: string;
  operator: "=" | "^=";
  value: string;
}

/**
 * Parses a Filter string; undefined for an absent or blank filter (which lists everyone).
 * Throws InvalidParameterException `Error while parsing filter.` for bad syntax and
 * `Invalid search attribute: <name>` for an attribute Cognito cannot search.
 *
 * @example
 * parseUserFilter('email ^= "ali"') // { attribute: "email", operator: "^=", value: "ali" }
 */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  let i = 0;
  const skipSpace = () => {
    while (i < filter.length && /\s/.test(filter[i]!)) i++;
  };
  const quoted = (): string => {
    // The opening quote is at filter[i]; a backslash escapes the next character.
    i++;
    let out = "";
    while (i < filter.length && filter[i] !== '"') {
      if (filter[i] === "\\") {
        i++;
        if (i >= filter.length) throw errors.filterParseError();
      }
      out += filter[i];
      i++;
    }
    if (i >= filter.length) throw errors.filterParseError();
    i++;
    return out;
  };

  skipSpace();
  let attribute: string;
  if (filter[i] === '"') {
    attribute = quoted();
  } else {
    const start = i;
    while (i < filter.length && /[\w:.-]/.test(filter[i]!)) i++;
    attribute = filter.slice(start, i);
  }
  if (attribute === "") throw errors.filterParseError();
  skipSpace();
  let operator: UserFilter["operator"];
  if (filter.startsWith("^=", i)) {
    operator = "^=";
    i += 2;
  } else if (filter[i] === "=") {
    operator = "=";
    i += 1;
  } else {
    throw errors.filterParseError();
  }
  skipSpace();
  if (filter[i] !== '"') throw errors.filterParseError();
  const value = quoted();
  skipSpace();
  if (i !== filter.length) throw errors.filterParseError();
  if (!SEARCHABLE_ATTRIBUTES.has(attribute)) throw errors.invalidSearchAttribute(attribute);
  return { attribute, operator, value };
}

/**
 * The value of a searchable attribute of a user, normalised for comparison: usernames follow the
 * pool's case rule (`usernameKey`), `status` (Enabled/Disabled) is case-sensitive, and the rest
 * compare case-insensitively.
 */
function searchableValue(
  user: StoredUser,
  attribute: string,
  usernameKey: (name: string) => string,
): string | undefined {
  switch (attribute) {
    case "username":
      return usernameKey(user.username);
    case "status":
      return user.enabled ? "Enabled" : "Disabled";
    case "cognito:user_status":
      return user.status.toLowerCase();
    default:
      return attr(user, attribute)?.toLowerCase();
  }
}

/** The filter's value normalised the way searchableValue normalises the user's. */
function normalisedFilterValue(filter: UserFilter, usernameKey: (name: string) => string): string {
  if (filter.attribute === "username") return usernameKey(filter.value);
  if (filter.attribute === "status") return filter.value;
  return filter.value.toLowerCase();
}

/** A predicate for the users a filter selects. */
export function userMatcher(filter: UserFilter, usernameKey: (name: string) => string): (user: StoredUser) => boolean {
  const wanted = normalisedFilterValue(filter, usernameKey);
  return (user) => {
    const value = searchableValue(user, filter.attribute, usernameKey);
    if (value === undefined) return false;
    return filter.operator === "=" ? value === wanted : value.startsWith(wanted);
  };
}
