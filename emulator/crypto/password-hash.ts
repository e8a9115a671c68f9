// Password hashes (scrypt, a salt per hash) and the SRP verifier stored with each password,
// computed on first need. Pure cryptography: no store, no clock. Why: docs/decisions/0003 and 0010.
import { createHmac, randomBytes, type ScryptOptions, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { passwordExponent, powG, type SrpVerifier } from "./srp.js";

/** scrypt parameters; N is the cost that dominates. */
export interface HashCost {
  N: number;
  r: number;
  p: number;
}

/** The default cost: N=2^10, r=8, p=1 (about 1-2 ms on one core here). */
const DEFAULT_HASH_COST: HashCost = Object.freeze({ N: 1024, r: 8, p: 1 });

function scrypt(password: string, salt: Buffer, cost: HashCost): Promise<Buffer> {
  const opts: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

// Process-random secrets: nothing cached here means anything outside this process.
const cacheKey = randomBytes(32);

/** The scrypt salt of every hash this process writes; each hash adds its own salt on top. */
const keySalt = randomBytes(16);

const keySaltText = keySalt.toString("base64");

/** scrypt keys by HMAC(cacheKey, cost, key salt, password): set or verified passwords only. */
const derived = new Map<string, Promise<Buffer>>();

/** Distinct (key salt, password) pairs remembered: about 200 bytes each. */
const DERIVED_KEY_LIMIT = 10_000;

function derivedId(password: string, salt: string, cost: HashCost): string {
  return createHmac("sha256", cacheKey)
    .update(`${cost.N}$${cost.r}$${cost.p}$${salt}\0`)
    .update(password)
    .digest("base64");
}

function remember(id: string, key: Promise<Buffer>): void {
  if (derived.size >= DERIVED_KEY_LIMIT) derived.delete(derived.keys().next().value!);
  derived.set(id, key);
  key.catch(() => derived.delete(id));
}

function mac(key: Buffer, salt: Buffer): Buffer {
  return createHmac("sha256", key).update(salt).digest();
}

/**
 * `scrypt-k$N$r$p$<key salt>$<salt>$<mac>` (base64 fields): the key is scrypt(password, key
 * salt), the stored value HMAC-SHA256(key, salt) with a fresh 16-byte salt per hash, so equal
 * passwords never store equal values. The cost travels with the hash, so it can change later.
 */
export async function hashPassword(password: string, cost: HashCost = DEFAULT_HASH_COST): Promise<string> {
  const normalized = password.normalize("NFKC");
  const id = derivedId(normalized, keySaltText, cost);
  let key = derived.get(id);
  if (!key) remember(id, (key = scrypt(normalized, keySalt, cost)));
  const salt = randomBytes(16);
  const value = mac(await key, salt);
  // join() makes one flat string; a template literal would keep a rope of ten pieces per user.
  return ["scrypt-k", cost.N, cost.r, cost.p, keySaltText, salt.toString("base64"), value.toString("base64")].join("$");
}

// Hashes in the first form, `scrypt$N$r$p$salt$hash` (a data directory written before
// scrypt-k): a successful check is remembered as HMAC(cacheKey, password) by stored hash.
const verified = new Map<string, Buffer>();

const VERIFIED_LIMIT = 200_000;

function tag(password: string): Buffer {
  return createHmac("sha256", cacheKey).update(password).digest();
}

async function verifyPlainScrypt(password: string, stored: string, parts: string[]): Promise<boolean> {
  const cached = verified.get(stored);
  if (cached) return timingSafeEqual(cached, tag(password));
  if (parts.length !== 6) return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64");
  const key = await scrypt(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  if (ok) {
    if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
    verified.set(stored, tag(password));
  }
  return ok;
}

/**
 * True when `password` matches `stored`. A password that some user of this process set or
 * signed in with costs one HMAC; any other pays the full scrypt, and is remembered only when
 * it turns out right, so guessing stays slow.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const normalized = password.normalize("NFKC");
  const parts = stored.split("$");
  if (parts[0] === "scrypt") return verifyPlainScrypt(normalized, stored, parts);
  if (parts[0] !== "scrypt-k" || parts.length !== 7) return false;
  const [, n, r, p, salt, perHash, value] = parts as [string, string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(value, "base64");
  const id = derivedId(normalized, salt, cost);
  const known = derived.get(id);
  const key = known ? await known : await scrypt(normalized, Buffer.from(salt, "base64"), cost);
  const actual = mac(key, Buffer.from(perHash, "base64"));
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok && !known) remember(id, Promise.resolve(key));
  return ok;
}

/** Where a deferred verifier keeps its x until first read (a symbol: no copy or JSON sees it). */
const PENDING = Symbol("pending SRP exponent");

type Deferred = SrpVerifier & { [PENDING]?: bigint };

function settle(srp: Deferred, verifier: string): string {
  delete srp[PENDING];
  Object.defineProperty(srp, "verifier", { value: verifier, writable: true, enumerable: true, configurable: true });
  return verifier;
}

// One accessor pair shared by every deferred verifier, so they all keep one hidden class
// (a closure per object would put each of them in dictionary mode: ~300 bytes more a user).
const DEFERRED: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Deferred) {
    return settle(this, powG(this[PENDING]!).toString(16));
  },
  set(this: Deferred, verifier: string) {
    settle(this, verifier);
  },
};

/**
 * The SRP-6a verifier of `password` (USER_SRP_AUTH) under a new random salt, with v = g^x mod N
 * computed on first read: that exponentiation costs about as much as the rest of a SignUp, and
 * most users of a test suite never sign in with SRP. Only x (a hash, never the password) waits
 * in memory; reading `verifier`, or copying or serialising the object (structuredClone,
 * JSON.stringify, a spread, a journal write), computes it once and keeps it as a plain property.
 */
export function deferredVerifier(
  poolId: string,
  userIdForSrp: string,
  password: string,
  salt: string = randomBytes(16).toString("hex"),
): SrpVerifier {
  const srp = { salt } as Deferred;
  Object.defineProperty(srp, "verifier", DEFERRED);
  Object.defineProperty(srp, PENDING, {
    value: passwordExponent(poolId, userIdForSrp, password, salt),
    writable: false,
    enumerable: false,
    configurable: true,
  });
  return srp;
}
