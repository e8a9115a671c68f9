import { describe, expect, it } from "vitest";
import { cloneUser } from "../domain/users/records.js";
import { Store } from "./store.js";
import type { PoolRecord, UserRecord } from "./types.js";

const POOL = "us-east-1_attridx";
const pool = { id: POOL, pool: { Id: POOL }, tags: {}, mfa: { MfaConfiguration: "OFF" } } as unknown as PoolRecord;
const user = (username: string, email: string | undefined, phone?: string): UserRecord => ({
  poolId: POOL,
  username,
  sub: `sub-${username}`,
  attributes: [
    ...(email !== undefined ? [{ Name: "email", Value: email }] : []),
    ...(phone !== undefined ? [{ Name: "phone_number", Value: phone }] : []),
  ],
  status: "CONFIRMED",
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  codes: {},
  failedSignIns: 0,
  groups: [],
  mfa: { sms: false, totp: false, email: false },
});
const byEmail = (store: Store, email: string) =>
  store
    .findUsersByAttribute(POOL, "email", email)
    .map((u) => u.username)
    .sort();

describe("the attribute index", () => {
  it("finds one user, several users sharing a value, and none", () => {
    const store = new Store();
    store.putPool(pool);
    store.putUser(user("amy", "shared@example.com"));
    expect(byEmail(store, "shared@example.com")).toEqual(["amy"]);
    store.putUser(user("ben", "Shared@Example.com"));
    store.putUser(user("cal", "shared@example.com"));
    // Emails match case-insensitively; phone numbers exactly.
    expect(byEmail(store, "SHARED@example.com")).toEqual(["amy", "ben", "cal"]);
    expect(byEmail(store, "nobody@example.com")).toEqual([]);
    expect(store.findUsersByAttribute("us-east-1_other", "email", "shared@example.com")).toEqual([]);
  });

  it("follows replacements and deletes down to one user and to none", () => {
    const store = new Store();
    store.putPool(pool);
    store.putUser(user("amy", "a@example.com", "+15550001"));
    store.putUser(user("ben", "a@example.com"));
    store.putUser(user("amy", "b@example.com", "+15550001"));
    expect(byEmail(store, "a@example.com")).toEqual(["ben"]);
    expect(byEmail(store, "b@example.com")).toEqual(["amy"]);
    // The replacement is what the index answers, not the record it replaced.
    expect(store.findUsersByAttribute(POOL, "email", "b@example.com")[0]).toBe(store.getUser(POOL, "amy"));
    store.putUser(user("cal", "b@example.com"));
    store.deleteUser(store.getUser(POOL, "amy")!);
    expect(byEmail(store, "b@example.com")).toEqual(["cal"]);
    expect(store.findUsersByAttribute(POOL, "phone_number", "+15550001")).toEqual([]);
    store.deleteUser(store.getUser(POOL, "cal")!);
    store.deleteUser(store.getUser(POOL, "ben")!);
    expect(byEmail(store, "a@example.com")).toEqual([]);
    expect(byEmail(store, "b@example.com")).toEqual([]);
  });

  it("stores a user again under the same value without listing it twice", () => {
    const store = new Store();
    store.putPool(pool);
    const amy = user("amy", "a@example.com");
    store.putUser(amy);
    store.putUser({ ...amy, updatedAt: 1 });
    store.putUser(user("ben", "a@example.com"));
    store.putUser({ ...cloneUser(store.getUser(POOL, "ben")!), updatedAt: 2 });
    expect(byEmail(store, "a@example.com")).toEqual(["amy", "ben"]);
  });
});
