// Server side of Cognito's SRP-6a (USER_SRP_AUTH), byte-compatible with amazon-cognito-identity-js
// and every client derived from it. Pure functions over node:crypto: no store, no errors, no clock.
// Every modular exponentiation runs in OpenSSL through DiffieHellman (about 8x faster than BigInt
// square-and-multiply at 3072 bits); see docs/decisions/0004-srp-implementation.md.
import {
  type BinaryLike,
  createDiffieHellman,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

/** The RFC 5054 3072-bit group prime. */
export const N: bigint = BigInt(`0x${N_HEX}`);
/** The group generator. */
export const g = 2n;

const N_BYTES = Buffer.from(N_HEX, "hex");
const G_BYTES = Buffer.from([2]);
// HKDF-Expand appends the block counter 0x01 itself.
const INFO = Buffer.from("Caldera Derived Key", "utf8");
const HEX = /^[0-9a-fA-F]+$/;

/**
 * The even-length, two's-complement hex of a non-negative integer, as Java's
 * `BigInteger.toByteArray()` and the Cognito clients' `padHex` give it: `00` is prepended when
 * the top bit is set, so every value hashes as a positive number.
 */
export function padHex(n: bigint): string {
  if (n < 0n) throw new RangeError("padHex: negative values never occur on the server side");
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return hex;
}

/** H: SHA-256 over the bytes a hex string encodes, as lowercase hex. */
function hashHex(hex: string): string {
  return createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
}

/** The multiplier k = H(padHex(N) || padHex(g)). */
export const k: bigint = BigInt(`0x${hashHex(padHex(N) + padHex(g))}`);

/** A hex string (any case, no prefix, odd length allowed) as an integer; undefined when not hex. */
function parseHex(hex: string): bigint | undefined {
  return HEX.test(hex) ? BigInt(`0x${hex}`) : undefined;
}

function toBytes(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex");
}

function fromBytes(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString("hex")}`);
}

/**
 * base^exponent mod N, in OpenSSL: DiffieHellman's `computeSecret` is exactly modPow over N
 * with the private key as the exponent. OpenSSL refuses bases of 0, 1 and N-1 (weak public
 * keys), so those, whose powers are trivial, are answered here.
 */
export function modPowN(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) throw new RangeError("modPowN: negative exponent");
  const b = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (b === 0n || b === 1n) return b;
  if (b === N - 1n) return exponent % 2n === 0n ? 1n : b;
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(toBytes(exponent));
  return fromBytes(dh.computeSecret(toBytes(b)));
}

/** g^exponent mod N, in OpenSSL (`generateKeys` with a chosen private key). */
export function powG(exponent: bigint): bigint {
  if (exponent < 0n) throw new RangeError("powG: negative exponent");
  if (exponent === 0n) return 1n;
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(toBytes(exponent));
  return fromBytes(dh.generateKeys());
}

/**
 * The pool name SRP mixes into x and the signature: what follows the `_` of the pool id
 * (`us-east-1_AbC123` -> `AbC123`). Clients take `poolId.split("_")[1]`, so this does too.
 */
export function poolNameOf(poolId: string): string {
  return poolId.split("_")[1] ?? "";
}

/**
 * x = H(padHex(salt) || SHA256(poolName || userIdForSrp || ":" || password)). The salt is
 * re-read as an integer before padding because that is what clients hash: a salt starting
 * with `00` or with its top bit set hashes in its canonical form, not as sent.
 */
export function passwordExponent(poolId: string, userIdForSrp: string, password: string, saltHex: string): bigint {
  const salt = parseHex(saltHex);
  if (salt === undefined) throw new RangeError("salt is not hex");
  const inner = createHash("sha256")
    .update(`${poolNameOf(poolId)}${userIdForSrp}:${password}`, "utf8")
    .digest("hex");
  return BigInt(`0x${hashHex(padHex(salt) + inner)}`);
}

/** What the server keeps instead of the password: the salt and v = g^x (both hex). */
export interface SrpVerifier {
  salt: string;
  verifier: string;
}

/**
 * The verifier of `password` for `userIdForSrp` in the pool, under a new salt of 16 random bytes
 * (or the salt given, hex).
 */
export function createVerifier(
  poolId: string,
  userIdForSrp: string,
  password: string,
  salt: string = randomBytes(16).toString("hex"),
): SrpVerifier {
  return { salt, verifier: powG(passwordExponent(poolId, userIdForSrp, password, salt)).toString(16) };
}

/** The server's half of one exchange: the secret b and the public B, both hex. */
export interface SrpChallenge {
  b: string;
  B: string;
}

/** Picks a random 256-bit b and answers B = (k*v + g^b) mod N, never 0 mod N. */
export function startChallenge(verifierHex: string): SrpChallenge {
  const v = parseHex(verifierHex);
  if (v === undefined) throw new RangeError("verifier is not hex");
  for (;;) {
    const b = fromBytes(randomBytes(32));
    if (b === 0n) continue;
    const B = (k * v + powG(b)) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** True when SRP_A is usable: hex, and not 0 mod N (a client sending A = 0 or N forces S = 0). */
export function isValidA(aHex: string): boolean {
  const A = parseHex(aHex);
  return A !== undefined && A % N !== 0n;
}

/**
 * K = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), 16 bytes:
 * PRK = HMAC(padHex(u), padHex(S)); K = HMAC(PRK, info || 0x01)[0..16].
 */
export function sessionKey(S: bigint, u: bigint): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(padHex(S), "hex"), Buffer.from(padHex(u), "hex"), INFO, 16));
}

/** u = H(padHex(A) || padHex(B)). */
export function scramble(A: bigint, B: bigint): bigint {
  return BigInt(`0x${hashHex(padHex(A) + padHex(B))}`);
}

/** Base64(HMAC-SHA256(K, poolName || userIdForSrp || secret block bytes || timestamp)). */
export function claimSignature(
  key: Buffer,
  poolId: string,
  userIdForSrp: string,
  secretBlock: string,
  timestamp: string,
): string {
  return signatureOver(key, poolNameOf(poolId), userIdForSrp, secretBlock, timestamp);
}

/**
 * Base64(HMAC-SHA256(K, realm || identity || secret block bytes || timestamp)): the user's proof
 * with (pool name, USER_ID_FOR_SRP), a device's with (DeviceGroupKey, DeviceKey), as
 * amazon-cognito-identity-js's CognitoUser.getDeviceResponse signs it.
 */
function signatureOver(key: Buffer, realm: string, identity: string, secretBlock: string, timestamp: string): string {
  return createHmac("sha256", key)
    .update(Buffer.from(realm, "utf8"))
    .update(Buffer.from(identity, "utf8"))
    .update(Buffer.from(secretBlock, "base64"))
    .update(Buffer.from(timestamp, "utf8"))
    .digest("base64");
}

/** The server's view of one exchange's shared secret. */
export interface SharedSecret {
  u: bigint;
  S: bigint;
  /** The 16-byte HMAC key K. */
  key: Buffer;
}

/**
 * u, S = (A * v^u)^b mod N and K, from hex A, B, b and verifier. Undefined when a value is not
 * hex, or fails SRP-6a's safety checks: A = 0 mod N (S would be 0, so anyone could derive K
 * without the password) and u = 0.
 */
export function serverSharedSecret(input: {
  A: string;
  B: string;
  b: string;
  verifier: string;
}): SharedSecret | undefined {
  const A = parseHex(input.A);
  const B = parseHex(input.B);
  const b = parseHex(input.b);
  const v = parseHex(input.verifier);
  if (A === undefined || B === undefined || b === undefined || v === undefined) return undefined;
  if (A % N === 0n) return undefined;
  const u = scramble(A, B);
  if (u === 0n) return undefined;
  const S = modPowN((A * modPowN(v, u)) % N, b);
  return { u, S, key: sessionKey(S, u) };
}

/** Everything needed to check a PASSWORD_VERIFIER answer. Hex for numbers, base64 for blocks. */
export interface PasswordClaim {
  poolId: string;
  userIdForSrp: string;
  /** SRP_A from InitiateAuth. */
  A: string;
  /** The B and b of `startChallenge` for this exchange. */
  B: string;
  b: string;
  /** The user's stored verifier. */
  verifier: string;
  /** PASSWORD_CLAIM_SECRET_BLOCK as the client sent it. */
  secretBlock: string;
  /** TIMESTAMP as the client sent it. */
  timestamp: string;
  /** PASSWORD_CLAIM_SIGNATURE. */
  signature: string;
}

/**
 * True when the client proved knowledge of the password: S = (A * v^u)^b mod N, K from S and u,
 * and the signature over the canonical form of the timestamp compared in constant time. A
 * timestamp that is not in canonical form (zero-padded day, wrong weekday) therefore fails, as
 * on Cognito. Freshness of the timestamp is the caller's check (`isTimestampFresh`); so is making
 * sure the secret block is one this server issued for this B.
 */
export function verifyClaim(claim: PasswordClaim): boolean {
  const when = parseTimestamp(claim.timestamp);
  if (!when) return false;
  const shared = serverSharedSecret(claim);
  if (!shared) return false;
  const expected = Buffer.from(
    claimSignature(shared.key, claim.poolId, claim.userIdForSrp, claim.secretBlock, formatTimestamp(when)),
    "base64",
  );
  const given = Buffer.from(claim.signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A device's verifier as amazon-cognito-identity-js's AuthenticationHelper.generateHashDevice
 * makes it (the client side; the server only stores it): x = H(padHex(salt) ||
 * SHA256(groupKey || deviceKey || ":" || password)), v = g^x, both hex.
 */
export function createDeviceVerifier(
  groupKey: string,
  deviceKey: string,
  password: string,
  salt: string = randomBytes(16).toString("hex"),
): SrpVerifier {
  const saltInt = parseHex(salt);
  if (saltInt === undefined) throw new RangeError("salt is not hex");
  const inner = createHash("sha256").update(`${groupKey}${deviceKey}:${password}`, "utf8").digest("hex");
  return { salt, verifier: powG(BigInt(`0x${hashHex(padHex(saltInt) + inner)}`)).toString(16) };
}

/** A DEVICE_PASSWORD_VERIFIER answer: a PasswordClaim whose realm and identity are the device's. */
export interface DeviceClaim extends Omit<PasswordClaim, "poolId" | "userIdForSrp"> {
  /** NewDeviceMetadata's DeviceGroupKey (the device SRP's pool name). */
  deviceGroupKey: string;
  /** The DeviceKey (the device SRP's user). */
  deviceKey: string;
}

/**
 * True when the client proved knowledge of the device's secret, as verifyClaim checks a
 * password: the same SRP-6a over the device's verifier, signed over DeviceGroupKey || DeviceKey.
 */
export function verifyDeviceClaim(claim: DeviceClaim): boolean {
  const when = parseTimestamp(claim.timestamp);
  if (!when) return false;
  const shared = serverSharedSecret(claim);
  if (!shared) return false;
  const expected = Buffer.from(
    signatureOver(shared.key, claim.deviceGroupKey, claim.deviceKey, claim.secretBlock, formatTimestamp(when)),
    "base64",
  );
  const given = Buffer.from(claim.signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** An opaque SECRET_BLOCK: random bytes, base64. The caller keys the exchange's state by it. */
export function newSecretBlock(bytes = 128): string {
  return randomBytes(bytes).toString("base64");
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const TIMESTAMP_SHAPE = /^([A-Za-z]{3}) ([A-Za-z]{3}) (\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2}) (UTC|GMT) (\d{4})$/;

/** How far a client's TIMESTAMP may be from the server clock, either way. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

const two = (n: number): string => String(n).padStart(2, "0");

/** `ddd MMM D HH:mm:ss UTC YYYY` in UTC, day not zero-padded: `Wed Apr 5 22:42:34 UTC 2017`. */
export function formatTimestamp(date: Date): string {
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * Reads a TIMESTAMP the way Cognito's `EEE MMM d HH:mm:ss z yyyy` parser does: English names
 * (any case), one- or two-digit fields, UTC or GMT, out-of-range fields rolled over and the
 * weekday not cross-checked. Undefined when it cannot be read at all (Cognito then answers
 * InvalidParameterException). Whether it was in canonical form is what the signature decides.
 */
export function parseTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP_SHAPE.exec(text);
  if (!m) return undefined;
  const [, day, mon, d, hh, mm, ss, , yyyy] = m;
  if (!WEEKDAYS.some((w) => w.toLowerCase() === day!.toLowerCase())) return undefined;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === mon!.toLowerCase());
  if (month < 0) return undefined;
  const date = new Date(Date.UTC(Number(yyyy), month, Number(d), Number(hh), Number(mm), Number(ss)));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** True when `timestamp` reads and lies within `toleranceMs` of `nowMs`, before or after. */
export function isTimestampFresh(timestamp: string, nowMs: number, toleranceMs = TIMESTAMP_TOLERANCE_MS): boolean {
  const when = parseTimestamp(timestamp);
  return when !== undefined && Math.abs(when.getTime() - nowMs) <= toleranceMs;
}

function derive(serverSecret: BinaryLike, purpose: string, poolId: string, username: string): Buffer {
  return createHmac("sha256", serverSecret)
    .update(`cognito-twin/srp-simulated/${purpose}\0${poolId}\0${username}`, "utf8")
    .digest();
}

/**
 * The salt of a user who does not exist: deterministic in (pool, name, server secret), so asking
 * twice shows the same SALT, as for a real user. Pass the name as the pool would normalise it.
 */
export function simulatedSalt(poolId: string, username: string, serverSecret: BinaryLike): string {
  return derive(serverSecret, "salt", poolId, username).subarray(0, 16).toString("hex");
}

/** A verifier for a user who does not exist: g^x for a secret, stable x, so B looks like any other B. */
export function simulatedVerifier(poolId: string, username: string, serverSecret: BinaryLike): string {
  return powG(fromBytes(derive(serverSecret, "verifier", poolId, username))).toString(16);
}

/**
 * A stable UUID-shaped USER_ID_FOR_SRP for a user who does not exist, for pools whose usernames
 * are generated UUIDs (email or phone as username); other pools echo the name given.
 */
export function simulatedUserIdForSrp(poolId: string, username: string, serverSecret: BinaryLike): string {
  const h = derive(serverSecret, "user-id", poolId, username).subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
