import { describe, expect, it } from "vitest";
import { Store } from "./store.js";
import type { PoolRecord, UserRecord } from "./types.js";

const POOL = "us-east-1_groupidx";
const pool = {
  id: POOL,
  pool: { Id: POOL, UsernameConfiguration: { CaseSensitive: false } },
  tags: {},
  mfa: { MfaConfiguration: "OFF" },
} as unknown as PoolRecord;
const user = (username: string, groups: string[]): UserRecord => ({
  poolId: POOL,
  username,
  sub: `sub-${username}`,
  attributes: [],
  status: "CONFIRMED",
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  codes: {},
  failedSignIns: 0,
  groups,
  mfa: { sms: false, totp: false, email: false },
});
const members = (store: Store, group: string) =>
  store
    .usersInGroup(POOL, group)
    .map((u) => u.username)
    .sort();

describe("the group member index", () => {
  it("follows users' groups through puts, replacements and deletes", () => {
    const store = new Store();
    store.putPool(pool);
    store.putUser(user("Amy", ["a", "b"]));
    store.putUser(user("ben", ["a"]));
    expect(members(store, "a")).toEqual(["Amy", "ben"]);
    expect(members(store, "b")).toEqual(["Amy"]);
    store.putUser(user("Amy", ["b"]));
    expect(members(store, "a")).toEqual(["ben"]);
    // The replacement is what the index answers, not the record it replaced.
    expect(store.usersInGroup(POOL, "b")[0]!.groups).toEqual(["b"]);
    store.deleteUser(store.getUser(POOL, "ben")!);
    expect(members(store, "a")).toEqual([]);
    expect(members(store, "nope")).toEqual([]);
    expect(store.usersInGroup("us-east-1_other", "a")).toEqual([]);
  });

  it("is rebuilt when a store is restored from another's entries", () => {
    const source = new Store();
    source.putPool(pool);
    source.putUser(user("cat", ["x"]));
    source.putUser(user("dan", ["x", "y"]));
    const copy = new Store();
    copy.restore(
      [...source.entries()].map((e) => ({ op: "put" as const, table: e.table, value: structuredClone(e.value) })),
    );
    expect(members(copy, "x")).toEqual(["cat", "dan"]);
    expect(members(copy, "y")).toEqual(["dan"]);
  });
});
