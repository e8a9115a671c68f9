import { sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateRsaKey, loadRsaKey, PerPoolLoads, publicRsaJwk } from "./signing-keys.js";

describe("PerPoolLoads", () => {
  it("shares one load per pool, retries after a failed one, and forgets on request", async () => {
    let calls = 0;
    let fail = true;
    const loads = new PerPoolLoads(async (poolId: string) => {
      calls++;
      if (fail) throw new Error(`no ${poolId}`);
      return `${poolId}#${calls}`;
    });
    // A failed load is dropped, so the next request tries again.
    await expect(loads.get("a")).rejects.toThrow("no a");
    fail = false;
    const [x, y] = await Promise.all([loads.get("a"), loads.get("a")]);
    expect([x, y, calls]).toEqual(["a#2", "a#2", 2]);
    expect(await loads.get("b")).toBe("b#3");
    loads.forget("a");
    expect(await loads.get("a")).toBe("a#4");
    expect(await loads.get("b")).toBe("b#3");
    loads.forget();
    expect(await loads.get("b")).toBe("b#5");
  });
});

describe("RSA signing keys", () => {
  it("generates a key that loads for signing, with its public JWK under the algorithm given", async () => {
    const stored = await generateRsaKey("kid-1");
    expect(stored.kid).toBe("kid-1");
    const key = loadRsaKey(stored, "RS512", "header");
    expect(key.header).toBe("header");
    expect(key.publicJwk).toEqual({
      ...publicRsaJwk(stored, "RS512"),
      kid: "kid-1",
      alg: "RS512",
      kty: "RSA",
      use: "sig",
    });
    expect(key.publicJwk.n).toBe((stored.publicJwk as { n: string }).n);
    const signature = sign("sha512", Buffer.from("data"), key.privateKey);
    expect(verify("sha512", Buffer.from("data"), key.publicKey, signature)).toBe(true);
  }, 30_000);
});
