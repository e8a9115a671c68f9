// The import file's rules, as AWS's developer guide states them ("Creating the user import CSV
// file"): the header is GetCSVHeader's columns in any order, one user a row, booleans as
// true/false, a comma inside a value escaped with a backslash. A row becomes a user record or a
// reason it is skipped or failed; nothing here writes (run.ts does).
import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../../context.js";
import { CognitoError } from "../../core/errors.js";
import type { StoredPool, UserRecord } from "../../store/types.js";
import { checkRequiredAttributes, checkWritableAttributes } from "../users/attributes.js";
import { findUser, usesUsernameAttributes } from "../users/lookup.js";

/** The two columns every import file has besides the pool's attributes. */
const USERNAME = "cognito:username";
const MFA_ENABLED = "cognito:mfa_enabled";

/** AWS's wording for a row whose auto-verified attributes are none of them true. */
export const NO_AUTO_VERIFIED =
  "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).";

/**
 * GetCSVHeader's columns: the pool's schema attributes in schema order (custom ones included),
 * less `sub`, then `cognito:mfa_enabled` and `cognito:username`, as AWS's sample shows.
 */
export function csvHeader(pool: StoredPool): string[] {
  const names = (pool.pool.SchemaAttributes ?? []).map((a) => a.Name!).filter((n) => n !== "sub" && n !== "identities");
  return [...names, MFA_ENABLED, USERNAME];
}

/** Why a header is not the pool's: the columns missing, unknown or repeated (empty when it is fine). */
export function headerProblems(pool: StoredPool, header: readonly string[]): string[] {
  const expected = new Set(csvHeader(pool));
  const seen = new Set<string>();
  const repeated: string[] = [];
  const unknown: string[] = [];
  for (const column of header) {
    if (seen.has(column)) repeated.push(column);
    seen.add(column);
    if (!expected.has(column)) unknown.push(column);
  }
  const missing = [...expected].filter((c) => !seen.has(c));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing columns ${missing.join(", ")}`);
  if (unknown.length > 0) problems.push(`columns not in the user pool's schema ${unknown.map(shown).join(", ")}`);
  if (repeated.length > 0) problems.push(`repeated columns ${repeated.map(shown).join(", ")}`);
  return problems;
}

function shown(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return JSON.stringify(short);
}

/**
 * A row's fields with AWS's escape undone: `a\,b` was split by the parser at the comma, so a
 * field ending in a backslash is joined with the next, while the row has more fields than the
 * header. Quoted fields (`"a,b"`, standard CSV) need no escape.
 */
export function unescapeCommas(fields: readonly string[], columns: number): string[] {
  const out = [...fields];
  for (let i = 0; i < out.length - 1 && out.length > columns; ) {
    if (out[i]!.endsWith("\\")) out.splice(i, 2, `${out[i]!.slice(0, -1)},${out[i + 1]!}`);
    else i += 1;
  }
  return out;
}

/** What became of one row. */
export type RowOutcome =
  | { kind: "imported"; user: UserRecord }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; reason: string };

/** `true`/`false` in any case (Cognito parses `True`), else the value as it is (the schema check refuses it). */
function normaliseBoolean(value: string): string {
  const lower = value.toLowerCase();
  return lower === "true" || lower === "false" ? lower : value;
}

/**
 * The user a data row describes, in RESET_REQUIRED with no password, or why the row is skipped
 * (the user exists: AWS's "[SKIPPED] ... The user already exists.") or failed.
 */
export function userFromRow(
  ctx: Pick<Services, "store" | "config">,
  pool: StoredPool,
  header: readonly string[],
  row: readonly string[],
  now: number,
  newId: () => string,
): RowOutcome {
  const fields = unescapeCommas(row, header.length);
  if (fields.length !== header.length)
    return {
      kind: "failed",
      reason: `The row has ${fields.length} values, but the header has ${header.length} columns.`,
    };
  let typed = "";
  let mfa = "";
  const attributes: AttributeType[] = [];
  for (let i = 0; i < header.length; i++) {
    const column = header[i]!;
    const value = fields[i]!;
    if (column === USERNAME) typed = value;
    else if (column === MFA_ENABLED) mfa = value.toLowerCase();
    else if (value !== "")
      attributes.push({
        Name: column,
        Value: column === "email_verified" || column === "phone_number_verified" ? normaliseBoolean(value) : value,
      });
  }
  if (typed === "") return { kind: "failed", reason: "The cognito:username value is missing." };
  if (typed.length > 128 || /\s/.test(typed))
    return { kind: "failed", reason: "The cognito:username value is not a valid username." };
  if (mfa !== "true" && mfa !== "false")
    return { kind: "failed", reason: "The cognito:mfa_enabled value must be true or false." };
  const value = (name: string) => attributes.find((a) => a.Name === name)?.Value;

  let username = typed;
  if (usesUsernameAttributes(pool)) {
    const allowed = (pool.pool.UsernameAttributes ?? []) as string[];
    const attribute =
      allowed.includes("email") && typed.includes("@")
        ? "email"
        : allowed.includes("phone_number") && /^\+\d+$/.test(typed)
          ? "phone_number"
          : undefined;
    if (!attribute)
      return {
        kind: "failed",
        reason: `The cognito:username value must be ${allowed.includes("email") ? "an email address" : "a phone number"}, the user pool's username attribute.`,
      };
    if (value(attribute) === undefined) attributes.push({ Name: attribute, Value: typed });
    else if (value(attribute) !== typed)
      return { kind: "failed", reason: `The cognito:username value and the ${attribute} value differ.` };
    username = newId();
  }
  if (findUser(ctx, pool, typed)) return { kind: "skipped", reason: "The user already exists." };

  try {
    checkWritableAttributes(pool, attributes, { creating: true, admin: true });
    checkRequiredAttributes(pool, attributes);
  } catch (e) {
    if (e instanceof CognitoError) return { kind: "failed", reason: e.message };
    throw e;
  }
  const autoVerified = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  if (!autoVerified.some((a) => value(`${a}_verified`) === "true")) return { kind: "failed", reason: NO_AUTO_VERIFIED };
  for (const a of ["email", "phone_number"])
    if (value(`${a}_verified`) === "true" && value(a) === undefined)
      return { kind: "failed", reason: `${a}_verified is true, but the row has no ${a}.` };
  if (mfa === "true" && value("phone_number") === undefined)
    return { kind: "failed", reason: "cognito:mfa_enabled is true, but the row has no phone_number for SMS MFA." };
  // Verified aliases must stay unique, as for every other way a user gets them.
  for (const alias of (pool.pool.AliasAttributes ?? []) as string[]) {
    const aliasValue = value(alias);
    if (aliasValue === undefined || (alias !== "preferred_username" && value(`${alias}_verified`) !== "true")) continue;
    const holders = ctx.store.findUsersByAttribute(pool.id, alias as "email", aliasValue);
    const taken = holders.some(
      (u) =>
        alias === "preferred_username" ||
        u.attributes.some((a) => a.Name === `${alias}_verified` && a.Value === "true"),
    );
    if (taken) return { kind: "failed", reason: `An account with the given ${alias} already exists.` };
  }

  const sub = usesUsernameAttributes(pool) ? username : newId();
  return {
    kind: "imported",
    user: {
      poolId: pool.id,
      username,
      sub,
      attributes: [{ Name: "sub", Value: sub }, ...attributes],
      status: "RESET_REQUIRED",
      enabled: true,
      createdAt: now,
      updatedAt: now,
      codes: {},
      failedSignIns: 0,
      groups: [],
      mfa: { sms: mfa === "true", totp: false, email: false },
    },
  };
}
