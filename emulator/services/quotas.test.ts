import { describe, expect, it } from "vitest";
import { DEFAULT_QUOTAS, parseQuotaSpec, QUOTA_CATEGORIES, QUOTA_CATEGORY_OF } from "../core/quotas.js";
import { OPERATION_NAMES } from "../model/index.js";
import { QuotaLimiter } from "./quotas.js";

const T0 = Date.UTC(2026, 0, 1);

/** How many of `n` calls at `now` pass. */
function passes(q: QuotaLimiter, op: Parameters<QuotaLimiter["take"]>[0], n: number, now: number, pool?: string) {
  let passed = 0;
  for (let i = 0; i < n; i++) if (q.take(op, "us-east-1", pool, now) === undefined) passed++;
  return passed;
}

describe("the quota categories", () => {
  it("every operation of the API counts in a category", () => {
    expect(OPERATION_NAMES.filter((op) => QUOTA_CATEGORY_OF[op] === undefined)).toEqual([]);
  });

  it("AWS's default rates (the quotas page)", () => {
    expect(DEFAULT_QUOTAS.UserAuthentication).toBe(120);
    expect(DEFAULT_QUOTAS.UserCreation).toBe(50);
    expect(DEFAULT_QUOTAS.UserList).toBe(30);
    expect(QUOTA_CATEGORIES).toHaveLength(15);
  });

  it("--quotas text: aws, overrides, and what it refuses", () => {
    expect(parseQuotaSpec("aws")).toEqual({});
    expect(parseQuotaSpec("aws, UserAuthentication=5,UserCreation=2")).toEqual({
      UserAuthentication: 5,
      UserCreation: 2,
    });
    expect(() => parseQuotaSpec("UserLogin=5")).toThrow(/UserLogin is not a quota category/);
    expect(() => parseQuotaSpec("UserAuthentication=0")).toThrow(/from 1 to 100000/);
    expect(() => parseQuotaSpec("UserAuthentication")).toThrow(/whole number/);
    expect(() => parseQuotaSpec("UserAuthentication=2.5")).toThrow(/whole number/);
  });
});

describe("QuotaLimiter", () => {
  it("lets a category's rate through in a second and refuses the rest, on the given clock", () => {
    const q = new QuotaLimiter({ UserCreation: 3 });
    expect(passes(q, "SignUp", 5, T0)).toBe(3);
    expect(q.take("AdminCreateUser", "us-east-1", undefined, T0 + 999)).toEqual({
      category: "UserCreation",
      scope: "region",
    });
    // The second after the first calls, they no longer count.
    expect(passes(q, "ConfirmSignUp", 3, T0 + 1000)).toBe(3);
    expect(q.refused()).toEqual({ UserCreation: 3 });
  });

  it("a sliding second: calls spread over the second still count together", () => {
    const q = new QuotaLimiter({ UserRead: 2 });
    expect(passes(q, "GetUser", 1, T0)).toBe(1);
    expect(passes(q, "GetUser", 1, T0 + 600)).toBe(1);
    expect(passes(q, "GetUser", 1, T0 + 900)).toBe(0);
    expect(passes(q, "GetUser", 1, T0 + 1000)).toBe(1); // the first call left the window
  });

  it("categories are counted apart, and Regions apart", () => {
    const q = new QuotaLimiter({ UserCreation: 1, UserRead: 1 });
    expect(q.take("SignUp", "us-east-1", undefined, T0)).toBeUndefined();
    expect(q.take("GetUser", "us-east-1", undefined, T0)).toBeUndefined();
    expect(q.take("SignUp", "eu-west-1", undefined, T0)).toBeUndefined();
    expect(q.take("SignUp", "us-east-1", undefined, T0)?.category).toBe("UserCreation");
  });

  it("all pools of a Region share the category's quota (AWS counts per account and Region)", () => {
    const q = new QuotaLimiter({ UserCreation: 2 });
    expect(passes(q, "SignUp", 1, T0, "us-east-1_A")).toBe(1);
    expect(passes(q, "SignUp", 1, T0, "us-east-1_B")).toBe(1);
    expect(passes(q, "SignUp", 1, T0, "us-east-1_C")).toBe(0);
  });

  it("RespondToAuthChallenge: three times UserAuthentication apart, the excess counts towards it", () => {
    const q = new QuotaLimiter({ UserAuthentication: 2 });
    expect(passes(q, "RespondToAuthChallenge", 6, T0)).toBe(6);
    expect(passes(q, "InitiateAuth", 1, T0)).toBe(1);
    // The challenge quota is used up: the next challenge takes UserAuthentication's last place.
    expect(passes(q, "AdminRespondToAuthChallenge", 1, T0)).toBe(1);
    expect(passes(q, "InitiateAuth", 1, T0)).toBe(0);
    expect(passes(q, "RespondToAuthChallenge", 1, T0)).toBe(0);
  });

  it("pool resource and client operations: at most 5 per second per operation and pool", () => {
    const q = new QuotaLimiter();
    expect(passes(q, "DescribeUserPoolClient", 7, T0, "us-east-1_A")).toBe(5);
    expect(q.take("DescribeUserPoolClient", "us-east-1", "us-east-1_A", T0)).toEqual({
      category: "UserPoolClientRead",
      scope: "pool",
    });
    expect(passes(q, "DescribeUserPoolClient", 5, T0, "us-east-1_B")).toBe(5);
    // Another operation of the category has its own 5, within the category's 15.
    expect(passes(q, "ListUserPoolClients", 5, T0, "us-east-1_A")).toBe(5);
  });

  it("a clock moved back does not keep the future's calls counted", () => {
    const q = new QuotaLimiter({ UserList: 1 });
    expect(passes(q, "ListUsers", 1, T0 + 10_000)).toBe(1);
    expect(passes(q, "ListUsers", 1, T0)).toBe(1);
  });

  it("clear forgets what was counted", () => {
    const q = new QuotaLimiter({ UserList: 1 });
    passes(q, "ListUsers", 2, T0);
    q.clear();
    expect(passes(q, "ListUsers", 1, T0)).toBe(1);
    expect(q.refused()).toEqual({});
  });
});
