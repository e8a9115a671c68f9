import { createLocalJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signRs256 } from "../crypto/jws.js";
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

  it("with shared keys, signs every pool with the same two pairs under kids of each pool's own", async () => {
    const store = new Store();
    const keys = new KeyService(store, { shared: true });
    store.putPool(pool("us-east-1_SharedA"));
    store.putPool(pool("us-east-1_SharedB"));
    const [a, b] = await Promise.all([keys.keysFor("us-east-1_SharedA"), keys.keysFor("us-east-1_SharedB")]);
    expect(new Set([a.access.kid, a.id.kid, b.access.kid, b.id.kid]).size).toBe(4);
    expect(a.access.publicJwk.n).toBe(b.access.publicJwk.n);
    expect(a.id.publicJwk.n).toBe(b.id.publicJwk.n);
    expect(a.access.publicJwk.n).not.toBe(a.id.publicJwk.n);
    // A token of pool A verifies with A's JWKS and not with B's: B lists no key under A's kid.
    const token = await signRs256(a.access.header, { sub: "u", exp: 4_000_000_000 }, a.access.privateKey);
    await expect(jwtVerify(token, createLocalJWKSet(await keys.jwks("us-east-1_SharedA")))).resolves.toBeDefined();
    await expect(jwtVerify(token, createLocalJWKSet(await keys.jwks("us-east-1_SharedB")))).rejects.toBeInstanceOf(
      joseErrors.JWKSNoMatchingKey,
    );
    expect(store.getPool("us-east-1_SharedB")?.keys?.id.kid).toBe(b.id.kid);
  }, 30_000);
});
