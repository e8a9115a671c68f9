// Passwords at rest: salted scrypt, never the password. The cost is low by password-storage
// standards because every SignUp pays it (docs/decisions/0003-password-hashing.md); sign-ins
// of a password already verified once skip it through an in-memory HMAC cache.
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt parameters; N is the cost that dominates. */
export interface HashCost {
  N: number;
  r: number;
  p: number;
}

/** The default cost: N=2^10, r=8, p=1 (about 1-2 ms on one core here). */
export const DEFAULT_HASH_COST: HashCost = Object.freeze({ N: 1024, r: 8, p: 1 });

function scrypt(password: string, salt: Buffer, cost: HashCost): Promise<Buffer> {
  const opts: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize("NFKC"), salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: the cost travels with the hash, so it can change later. */
export async function hashPassword(password: string, cost: HashCost = DEFAULT_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

// A process-random key: cached verifications are worthless outside this process.
const cacheKey = randomBytes(32);
const verified = new Map<string, Buffer>();
const CACHE_LIMIT = 200_000;

function tag(password: string): Buffer {
  return createHmac("sha256", cacheKey).update(password).digest();
}

/** True when `password` matches `stored`. Successful checks are cached per stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const cached = verified.get(stored);
  if (cached) return timingSafeEqual(cached, tag(password));
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64");
  const key = await scrypt(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  if (ok) {
    if (verified.size >= CACHE_LIMIT) verified.delete(verified.keys().next().value!);
    verified.set(stored, tag(password));
  }
  return ok;
}

/** Symbols Cognito counts as special characters (a space inside the password counts too). */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

/** A pool's password policy, as far as checking a password needs it. */
export interface PasswordPolicyLike {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

/**
 * The first rule the password breaks, in Cognito's words ("Password not long enough", ...),
 * or undefined when it conforms.
 */
export function passwordProblem(password: string, policy: PasswordPolicyLike | undefined): string | undefined {
  const p = policy ?? {};
  if ([...password].length < (p.MinimumLength ?? 8)) return "Password not long enough";
  if (p.RequireUppercase && !/\p{Lu}/u.test(password)) return "Password must have uppercase characters";
  if (p.RequireLowercase && !/\p{Ll}/u.test(password)) return "Password must have lowercase characters";
  if (p.RequireNumbers && !/[0-9]/.test(password)) return "Password must have numeric characters";
  if (p.RequireSymbols && ![...password].some((ch) => SYMBOLS.has(ch))) return "Password must have symbol characters";
  return undefined;
}
