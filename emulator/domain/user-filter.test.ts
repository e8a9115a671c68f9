import { describe, expect, it } from "vitest";
import type { UserRecord } from "../store/types.js";
import { parseUserFilter, userMatcher } from "./user-filter.js";

const user = (over: Partial<UserRecord> = {}): UserRecord => ({
  poolId: "us-east-1_test",
  username: "Alice",
  sub: "5d3c0b1e-0000-4000-8000-000000000001",
  attributes: [
    { Name: "sub", Value: "5d3c0b1e-0000-4000-8000-000000000001" },
    { Name: "email", Value: "Alice@Example.com" },
    { Name: "given_name", Value: "Alice" },
  ],
  status: "CONFIRMED",
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  codes: {},
  failedSignIns: 0,
  groups: [],
  mfa: { sms: false, totp: false, email: false },
  ...over,
});
const lower = (s: string) => s.toLowerCase();

describe("parseUserFilter", () => {
  it("reads exact and prefix filters with or without spaces, and quoted attribute names", () => {
    expect(parseUserFilter('email = "a@b.c"')).toEqual({ attribute: "email", operator: "=", value: "a@b.c" });
    expect(parseUserFilter('email="a@b.c"')).toEqual({ attribute: "email", operator: "=", value: "a@b.c" });
    expect(parseUserFilter('  given_name ^= "Al"  ')).toEqual({ attribute: "given_name", operator: "^=", value: "Al" });
    expect(parseUserFilter('"cognito:user_status" = "CONFIRMED"')).toEqual({
      attribute: "cognito:user_status",
      operator: "=",
      value: "CONFIRMED",
    });
    expect(parseUserFilter('name = "say \\"hi\\""')).toEqual({ attribute: "name", operator: "=", value: 'say "hi"' });
    expect(parseUserFilter('family_name = ""')).toEqual({ attribute: "family_name", operator: "=", value: "" });
  });

  it("treats an absent or blank filter as no filter", () => {
    expect(parseUserFilter(undefined)).toBeUndefined();
    expect(parseUserFilter("   ")).toBeUndefined();
  });

  it.each([
    "username = foo",
    "username=",
    'email != "x"',
    'email = "x',
    '= "x"',
    'email = "x" and name = "y"',
    "email",
    'email == "x"',
    "email = 'x'",
  ])("refuses %s with Cognito's parse error", (filter) => {
    expect(() => parseUserFilter(filter)).toThrow(
      expect.objectContaining({ type: "InvalidParameterException", message: "Error while parsing filter." }),
    );
  });

  it("refuses attributes Cognito cannot search", () => {
    expect(() => parseUserFilter('custom:tier = "gold"')).toThrow(
      expect.objectContaining({ type: "InvalidParameterException", message: "Invalid search attribute: custom:tier" }),
    );
    expect(() => parseUserFilter('locale = "en"')).toThrow(
      expect.objectContaining({ message: "Invalid search attribute: locale" }),
    );
  });
});

describe("userMatcher", () => {
  const match = (filter: string, u = user()) => userMatcher(parseUserFilter(filter)!, lower)(u);

  it("compares attribute values case-insensitively, exactly or by prefix", () => {
    expect(match('email = "alice@example.com"')).toBe(true);
    expect(match('email ^= "ALICE@"')).toBe(true);
    expect(match('email = "alice@example"')).toBe(false);
    expect(match('given_name ^= "bo"')).toBe(false);
  });

  it("never matches a user who lacks the attribute", () => {
    expect(match('family_name = ""')).toBe(false);
    expect(match('family_name ^= ""')).toBe(false);
  });

  it("matches status (case-sensitive Enabled/Disabled) and cognito:user_status (case-insensitive)", () => {
    expect(match('status = "Enabled"')).toBe(true);
    expect(match('status = "enabled"')).toBe(false);
    expect(match('status = "Disabled"', user({ enabled: false }))).toBe(true);
    expect(match('cognito:user_status = "confirmed"')).toBe(true);
    expect(match('cognito:user_status ^= "FORCE"', user({ status: "FORCE_CHANGE_PASSWORD" }))).toBe(true);
  });

  it("matches usernames by the pool's case rule", () => {
    expect(match('username = "alice"')).toBe(true);
    expect(userMatcher(parseUserFilter('username = "alice"')!, (s) => s)(user())).toBe(false);
  });
});
