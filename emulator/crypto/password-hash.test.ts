import { createHmac, randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deferredVerifier, hashPassword, verifyPassword } from "./password-hash.js";
import { createVerifier } from "./srp.js";

describe("hashPassword / verifyPassword", () => {
  it("stores scrypt$N$r$p$salt$key with its cost and its own salt, never the password", async () => {
    const stored = await hashPassword("Correct-Horse-1");
    expect(stored).toMatch(/^scrypt\$256\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(stored).not.toContain("Correct-Horse-1");
    const [, , , , salt, key] = stored.split("$");
    const expected = scryptSync("Correct-Horse-1", Buffer.from(salt!, "base64"), 32, { N: 256, r: 8, p: 1 });
    expect(key).toBe(expected.toString("base64"));
  });

  it("accepts the password and refuses others", async () => {
    const stored = await hashPassword("Correct-Horse-1");
    expect(await verifyPassword("Correct-Horse-1", stored)).toBe(true);
    expect(await verifyPassword("Correct-Horse-2", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("gives every hash its own scrypt salt, even for one password (no salt shared in a process)", async () => {
    const a = await hashPassword("Shared-Passw0rd!");
    const b = await hashPassword("Shared-Passw0rd!");
    const c = await hashPassword("Other-Passw0rd!");
    expect(a).not.toBe(b);
    const salts = [a, b, c].map((h) => h.split("$")[4]);
    expect(new Set(salts).size).toBe(3);
    expect(a.split("$")[5]).not.toBe(b.split("$")[5]);
    expect(await verifyPassword("Shared-Passw0rd!", a)).toBe(true);
    expect(await verifyPassword("Shared-Passw0rd!", b)).toBe(true);
  });

  it("does not let one user's password open another user's hash", async () => {
    const alice = await hashPassword("Alice-Passw0rd!");
    await hashPassword("Bob-Passw0rd!");
    expect(await verifyPassword("Bob-Passw0rd!", alice)).toBe(false);
  });

  it("refuses a wrong password again after a right one was remembered", async () => {
    const stored = await hashPassword("Remembered-1");
    expect(await verifyPassword("Remembered-1", stored)).toBe(true);
    expect(await verifyPassword("Remembered-2", stored)).toBe(false);
    expect(await verifyPassword("Remembered-1", stored)).toBe(true);
  });

  it("still verifies the scrypt-k form written before (a data directory), and never writes it", async () => {
    // scrypt-k$N$r$p$keySalt$perHash$HMAC(scrypt(password, keySalt), perHash).
    const password = "From-Disk-1";
    const keySalt = randomBytes(16);
    const salt = randomBytes(16);
    const key = scryptSync(password, keySalt, 32, { N: 1024, r: 8, p: 1 });
    const value = createHmac("sha256", key).update(salt).digest();
    const stored = [
      "scrypt-k",
      1024,
      8,
      1,
      keySalt.toString("base64"),
      salt.toString("base64"),
      value.toString("base64"),
    ].join("$");
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword("From-Disk-2", stored)).toBe(false);
    expect(await verifyPassword(password, stored)).toBe(true);
    expect((await hashPassword(password)).startsWith("scrypt$")).toBe(true);
  });

  it("still verifies the first form, scrypt$N$r$p$salt$hash", async () => {
    const salt = randomBytes(16);
    const hash = scryptSync("Old-Form-1", salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
    expect(await verifyPassword("Old-Form-1", stored)).toBe(true);
    expect(await verifyPassword("Old-Form-2", stored)).toBe(false);
    expect(await verifyPassword("Old-Form-1", stored)).toBe(true);
  });

  it("keeps the cost in the hash, so a different cost still verifies", async () => {
    const stored = await hashPassword("Cheap-Cost-1", { N: 16, r: 1, p: 1 });
    expect(stored.startsWith("scrypt$16$1$1$")).toBe(true);
    expect(await verifyPassword("Cheap-Cost-1", stored)).toBe(true);
    expect(await verifyPassword("Cheap-Cost-2", stored)).toBe(false);
  });

  it("matches the same password typed in another Unicode form (NFKC)", async () => {
    const stored = await hashPassword("Ｐａｓｓ-word-1");
    expect(await verifyPassword("Pass-word-1", stored)).toBe(true);
  });

  it("refuses malformed stored values", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
    expect(await verifyPassword("x", "scrypt-k$1024$8$1$only-five")).toBe(false);
  });

  it("refuses a stored hash whose cost scrypt cannot or should not run, without throwing", async () => {
    const salt = randomBytes(16).toString("base64");
    const key = Buffer.alloc(32).toString("base64");
    for (const cost of ["3$8$1", "abc$8$1", `${2 ** 24}$8$1`, "1024$0$1", "1024$8$1000", `${2 ** 20}$32$1`])
      await expect(verifyPassword("x", `scrypt$${cost}$${salt}$${key}`)).resolves.toBe(false);
  });
});

describe("deferredVerifier", () => {
  const pool = "us-east-1_AbCdEfGhI";

  it("computes the same verifier as createVerifier, on first read", () => {
    const salt = "0badc0ffee0badc0ffee0badc0ffee01";
    const lazy = deferredVerifier(pool, "alice", "Passw0rd!", salt);
    expect(lazy.salt).toBe(salt);
    expect(lazy.verifier).toBe(createVerifier(pool, "alice", "Passw0rd!", salt).verifier);
    expect(Object.getOwnPropertyDescriptor(lazy, "verifier")).toMatchObject({
      value: lazy.verifier,
      writable: true,
      enumerable: true,
    });
  });

  it("draws a fresh salt per call", () => {
    expect(deferredVerifier(pool, "alice", "Passw0rd!").salt).not.toBe(
      deferredVerifier(pool, "alice", "Passw0rd!").salt,
    );
  });

  it("appears complete to JSON, structuredClone and spreads", () => {
    const salt = "11".repeat(16);
    const expected = createVerifier(pool, "bob", "Passw0rd!", salt);
    expect(JSON.parse(JSON.stringify({ srp: deferredVerifier(pool, "bob", "Passw0rd!", salt) }))).toEqual({
      srp: expected,
    });
    expect(structuredClone(deferredVerifier(pool, "bob", "Passw0rd!", salt))).toEqual(expected);
    expect({ ...deferredVerifier(pool, "bob", "Passw0rd!", salt) }).toEqual(expected);
  });

  it("can be overwritten like a plain property", () => {
    const lazy = deferredVerifier(pool, "carol", "Passw0rd!");
    lazy.verifier = "abc";
    expect(lazy.verifier).toBe("abc");
    expect(JSON.stringify(lazy)).toContain('"verifier":"abc"');
  });
});
