// RFC 6238 TOTP as authenticator apps compute it for Cognito's SOFTWARE_TOKEN_MFA: HMAC-SHA1,
// 30-second steps, 6 digits, base32 shared secret. Pure functions over node:crypto; the caller
// supplies the time, so the emulator's adjustable clock drives it.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Step length and code length; the defaults are the only ones Cognito uses. */
export interface TotpOptions {
  digits?: number;
  stepSeconds?: number;
}

/** RFC 4648 base32, upper case, no padding (AssociateSoftwareToken's SecretCode alphabet). */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (either case, `=` padding and spaces ignored); undefined on a foreign character. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const i = BASE32.indexOf(ch);
    if (i < 0) return undefined;
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new shared secret: 20 random bytes (RFC 4226's recommended 160 bits), base32, 32 characters. */
export function newTotpSecret(bytes = 20): string {
  return base32Encode(randomBytes(bytes));
}

/** RFC 4226 HOTP: dynamic truncation of HMAC-SHA1(key, 8-byte big-endian counter). */
export function hotp(key: Uint8Array, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The step number (T) that `timeMs` falls in. */
export function totpStep(timeMs: number, stepSeconds = 30): number {
  return Math.floor(timeMs / 1000 / stepSeconds);
}

function keyOf(secret: string): Buffer {
  const key = base32Decode(secret);
  if (!key || key.length === 0) throw new RangeError("TOTP secret is not base32");
  return key;
}

/** The code an authenticator shows at `timeMs` for a base32 `secret`. */
export function totpCode(secret: string, timeMs: number, options: TotpOptions = {}): string {
  return hotp(keyOf(secret), totpStep(timeMs, options.stepSeconds), options.digits);
}

/**
 * Checks `code` against the steps from `window` before to `window` after the one `timeMs` falls
 * in (clock skew between phone and server). Returns the matched step so the caller can refuse a
 * second use of the same step, or undefined when nothing matches. Every candidate is compared,
 * in constant time, so the answer's timing does not reveal which step matched.
 */
export function verifyTotp(
  secret: string,
  code: string,
  timeMs: number,
  window = 1,
  options: TotpOptions = {},
): number | undefined {
  const digits = options.digits ?? 6;
  if (code.length !== digits || !/^\d+$/.test(code)) return undefined;
  const key = base32Decode(secret);
  if (!key || key.length === 0) return undefined;
  const now = totpStep(timeMs, options.stepSeconds);
  const given = Buffer.from(code, "utf8");
  let matched: number | undefined;
  // Current step first, then outwards, so an exact-time code wins over a colliding neighbour.
  const steps = [now];
  for (let d = 1; d <= window; d++) steps.push(now - d, now + d);
  for (const step of steps) {
    if (step < 0) continue;
    const ok = timingSafeEqual(given, Buffer.from(hotp(key, step, digits), "utf8"));
    if (ok && matched === undefined) matched = step;
  }
  return matched;
}
