// The import file's rules without a server: GetCSVHeader's columns, header checks, AWS's
// backslash-escaped commas, and what a row becomes.
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../config.js";
import { Store } from "../../store/store.js";
import type { PoolRecord } from "../../store/types.js";
import { standardSchema } from "../pools.js";
import { csvHeader, headerProblems, NO_AUTO_VERIFIED, unescapeCommas, userFromRow } from "./csv.js";

function pool(extra: Partial<PoolRecord["pool"]> = {}): PoolRecord {
  return {
    id: "us-east-1_csvtest",
    pool: { Id: "us-east-1_csvtest", SchemaAttributes: standardSchema(), AutoVerifiedAttributes: ["email"], ...extra },
    tags: {},
    mfa: { MfaConfiguration: "OFF" },
  };
}

function setup(extra: Partial<PoolRecord["pool"]> = {}) {
  const store = new Store();
  const record = pool(extra);
  store.putPool(record);
  const ctx = { store, config: resolveConfig({}) };
  const header = csvHeader(record);
  let n = 0;
  const row = (values: Record<string, string>) =>
    userFromRow(
      ctx,
      store.getPool(record.id)!,
      header,
      header.map((c) => values[c] ?? (c === "cognito:mfa_enabled" ? "false" : "")),
      1000,
      () => `id-${++n}`,
    );
  return { store, record, header, row };
}

describe("csvHeader and headerProblems", () => {
  it("are the schema less sub, then cognito:mfa_enabled and cognito:username; any order passes", () => {
    const { record, header } = setup();
    expect(header[0]).toBe("name");
    expect(header.slice(-2)).toEqual(["cognito:mfa_enabled", "cognito:username"]);
    expect(header).not.toContain("sub");
    expect(headerProblems(record, [...header].reverse())).toEqual([]);
  });

  it("name what is missing, unknown or repeated", () => {
    const { record, header } = setup();
    const problems = headerProblems(record, [...header.filter((c) => c !== "email"), "custom:nope", "name"]);
    expect(problems).toEqual([
      "missing columns email",
      'columns not in the user pool\'s schema "custom:nope"',
      'repeated columns "name"',
    ]);
  });
});

describe("unescapeCommas", () => {
  it("joins a field ending in a backslash with the next while the row is too long", () => {
    expect(unescapeCommas(["a\\", "b", "c"], 2)).toEqual(["a,b", "c"]);
    expect(unescapeCommas(["a\\", "b\\", "c", "d"], 2)).toEqual(["a,b,c", "d"]);
    // A row of the right length keeps a trailing backslash as it is.
    expect(unescapeCommas(["a\\", "b"], 2)).toEqual(["a\\", "b"]);
  });
});

describe("userFromRow", () => {
  it("makes a RESET_REQUIRED user with no password, booleans lower-cased", () => {
    const { row } = setup();
    const out = row({ "cognito:username": "ada", email: "ada@example.com", email_verified: "TRUE" });
    expect(out.kind).toBe("imported");
    if (out.kind !== "imported") return;
    expect(out.user).toMatchObject({ username: "ada", status: "RESET_REQUIRED", enabled: true, createdAt: 1000 });
    expect(out.user.password).toBeUndefined();
    expect(out.user.attributes).toEqual([
      { Name: "sub", Value: "id-1" },
      { Name: "email", Value: "ada@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
  });

  it("skips a user that exists, whatever the case of the name", () => {
    const { store, row } = setup();
    const first = row({ "cognito:username": "ada", email: "ada@example.com", email_verified: "true" });
    if (first.kind === "imported") store.putUser(first.user);
    expect(row({ "cognito:username": "ADA", email: "x@example.com", email_verified: "true" })).toEqual({
      kind: "skipped",
      reason: "The user already exists.",
    });
  });

  it("fails rows Cognito fails: no verified auto-verified attribute, a verified email missing, SMS MFA without a phone", () => {
    const { row } = setup();
    expect(row({ "cognito:username": "a", email: "a@example.com" })).toEqual({
      kind: "failed",
      reason: NO_AUTO_VERIFIED,
    });
    expect(row({ "cognito:username": "b", email_verified: "true", phone_number: "+15555550100" })).toMatchObject({
      kind: "failed",
    });
    expect(
      row({ "cognito:username": "c", email: "c@example.com", email_verified: "true", "cognito:mfa_enabled": "true" }),
    ).toEqual({ kind: "failed", reason: "cognito:mfa_enabled is true, but the row has no phone_number for SMS MFA." });
    expect(row({ "cognito:username": "d", email: "d@example.com", email_verified: "yes" }).kind).toBe("failed");
  });

  it("in an email-as-username pool, takes the email as the name and stores a UUID-like username", () => {
    const { row } = setup({ UsernameAttributes: ["email"] });
    const out = row({ "cognito:username": "ada@example.com", email_verified: "true" });
    expect(out.kind).toBe("imported");
    if (out.kind !== "imported") return;
    expect(out.user.username).toBe("id-1");
    expect(out.user.sub).toBe("id-1");
    expect(out.user.attributes).toContainEqual({ Name: "email", Value: "ada@example.com" });
    expect(row({ "cognito:username": "plainname", email_verified: "true" })).toMatchObject({ kind: "failed" });
  });

  it("fails a row missing a required attribute", () => {
    const schema = standardSchema().map((a) => (a.Name === "given_name" ? { ...a, Required: true } : a));
    const { row } = setup({ SchemaAttributes: schema });
    expect(row({ "cognito:username": "a", email: "a@example.com", email_verified: "true" }).kind).toBe("failed");
  });
});
