import { describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import type { PoolRecord } from "../store/types.js";
import { KeyService } from "./keys.js";

const pool = (id: string) =>
  ({ id, pool: { Id: id }, tags: {}, mfa: { MfaConfiguration: "OFF" } }) as unknown as PoolRecord;

describe("KeyService", () => {
  it("gives every pool its own access and id keys, also when they come from the spares", async () => {
    const store = new Store();
    const keys = new KeyService(store);
    const ids = ["us-east-1_KeysA", "us-east-1_KeysB", "us-east-1_KeysC"];
    for (const id of ids) store.putPool(pool(id));
    const kids: string[] = [];
    // One after another, so the second and third pools take keys made ahead for them.
    for (const id of ids) {
      const k = await keys.keysFor(id);
      kids.push(k.access.kid, k.id.kid);
      expect(k.access.publicJwk.n).not.toBe(k.id.publicJwk.n);
    }
    expect(new Set(kids).size).toBe(6);
  }, 30_000);

  it("stores the keys with the pool, so they survive forgetting the cache", async () => {
    const store = new Store();
    const keys = new KeyService(store);
    store.putPool(pool("us-east-1_KeysD"));
    const first = await keys.keysFor("us-east-1_KeysD");
    expect(store.getPool("us-east-1_KeysD")?.keys?.access.kid).toBe(first.access.kid);
    keys.forget();
    const again = await keys.keysFor("us-east-1_KeysD");
    expect([again.access.kid, again.id.kid]).toEqual([first.access.kid, first.id.kid]);
    expect(again.access.header).toBe(
      Buffer.from(JSON.stringify({ kid: first.access.kid, alg: "RS256" })).toString("base64url"),
    );
  }, 30_000);
});
