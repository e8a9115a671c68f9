// Password hashes (scrypt, a random salt per hash) and the SRP verifier stored with each
// password, computed on first need. Pure cryptography: no store, no clock. Why: docs/decisions/0003
// and 0010.
import { createHmac, randomBytes, type ScryptOptions, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { passwordExponent, powG, type SrpVerifier } from "./srp.js";

/** scrypt parameters; N is the cost that dominates. */
export interface HashCost {
  N: number;
  r: number;
  p: number;
}

/**
 * The default cost: N=2^8, r=8, p=1 (about 0.8 ms on one core here, 256 KiB of memory). Lowered
 * from 2^10 once every hash got its own salt (docs/decisions/0003-password-hashing.md).
 */
const DEFAULT_HASH_COST: HashCost = Object.freeze({ N: 256, r: 8, p: 1 });

/**
 * Costs a stored hash may ask for: N a power of two up to 2^20, r up to 32, p up to 16, and at
 * most 256 MiB of scrypt memory. A hash from an imported state document asking for more would
 * otherwise stall or exhaust the process on every sign-in; it simply does not verify.
 */
function usableCost(cost: HashCost): boolean {
  const { N, r, p } = cost;
  return (
    Number.isInteger(N) &&
    N >= 2 &&
    N <= 2 ** 20 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16 &&
    128 * N * r <= 256 * 1024 * 1024
  );
}

function scrypt(password: string, salt: Buffer, cost: HashCost): Promise<Buffer> {
  const opts: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

// A process-random secret: nothing cached here means anything outside this process.
const cacheKey = randomBytes(32);

/**
 * (stored hash, password) pairs known to match, as HMAC(cacheKey, hash, password): the password
 * a hash was just made from, or one that verified against it. A repeat sign-in costs one HMAC;
 * any other password, right or wrong, pays the full scrypt of that hash's own salt, so guessing
 * stays slow. Nothing is shared between hashes: every hash has its own salt.
 */
const verified = new Set<string>();

/** Pairs remembered, oldest dropped first: about 80 bytes each. */
const VERIFIED_LIMIT = 200_000;

function pairId(stored: string, password: string): string {
  return createHmac("sha256", cacheKey).update(stored).update("\0").update(password).digest("base64").slice(0, 22);
}

function remember(stored: string, password: string): void {
  if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.values().next().value!);
  verified.add(pairId(stored, password));
}

/**
 * `scrypt$N$r$p$<salt>$<key>` (base64 fields): key = scrypt(password, salt) with a fresh 16-byte
 * salt per hash, so equal passwords never store equal values and every guess against a stolen
 * hash costs one scrypt for that hash alone. The cost travels with the hash, so it can change
 * later. (Hashes written before as `scrypt-k$...` still verify; none are written any more.)
 */
export async function hashPassword(password: string, cost: HashCost = DEFAULT_HASH_COST): Promise<string> {
  const normalized = password.normalize("NFKC");
  const salt = randomBytes(16);
  const key = await scrypt(normalized, salt, cost);
  // join() makes one flat string; a template literal would keep a rope of pieces per user.
  const stored = ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
  remember(stored, normalized);
  return stored;
}

/** The scrypt key a stored hash compares with, and the salt and cost to derive it. */
interface Parsed {
  cost: HashCost;
  salt: Buffer;
  /** scrypt(password, salt) must equal this... */
  expected: Buffer;
  /** ...after this HMAC, for the older `scrypt-k` form (HMAC-SHA256(key, perHash)). */
  perHash?: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const parts = stored.split("$");
  const cost = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  // `scrypt$N$r$p$salt$key`: the form written now, and the first one.
  if (parts[0] === "scrypt" && parts.length === 6)
    return { cost, salt: Buffer.from(parts[4]!, "base64"), expected: Buffer.from(parts[5]!, "base64") };
  // `scrypt-k$N$r$p$keySalt$perHash$mac`: written before (ADR 0010), its key salt shared by every
  // hash of the process that wrote it. Read, never written.
  if (parts[0] === "scrypt-k" && parts.length === 7)
    return {
      cost,
      salt: Buffer.from(parts[4]!, "base64"),
      perHash: Buffer.from(parts[5]!, "base64"),
      expected: Buffer.from(parts[6]!, "base64"),
    };
  return undefined;
}

/**
 * True when `password` matches `stored`. A pair this process hashed or verified costs one HMAC;
 * anything else pays the full scrypt of the hash, and is remembered only when it turns out right.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const normalized = password.normalize("NFKC");
  if (verified.has(pairId(stored, normalized))) return true;
  const parsed = parse(stored);
  if (!parsed || !usableCost(parsed.cost) || parsed.salt.length === 0) return false;
  const key = await scrypt(normalized, parsed.salt, parsed.cost);
  const actual = parsed.perHash ? createHmac("sha256", key).update(parsed.perHash).digest() : key;
  const ok = actual.length === parsed.expected.length && timingSafeEqual(actual, parsed.expected);
  if (ok) remember(stored, normalized);
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
