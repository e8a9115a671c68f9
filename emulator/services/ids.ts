// Identifiers in the formats real Cognito uses.
import { randomBytes, randomInt, randomUUID } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function pick(alphabet: string, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** `<region>_<9 alphanumerics>`, like `us-west-2_RQGq6wSNI`. */
export function newUserPoolId(region: string): string {
  return `${region}_${pick(ALNUM, 9)}`;
}

/** 26 lowercase alphanumerics. */
export function newClientId(): string {
  return pick(LOWER_ALNUM, 26);
}

/** 52 characters, as real client secrets usually have. */
export function newClientSecret(): string {
  return pick(LOWER_ALNUM, 52);
}

/** A UUID for `sub`, `jti`, request ids. */
export function newUuid(): string {
  return randomUUID();
}

/** Six digits (or `digits`), zero-padded. */
export function newCode(digits = 6): string {
  return String(randomInt(10 ** digits)).padStart(digits, "0");
}

/** Opaque base64url token material (refresh tokens, sessions). */
export function newOpaque(bytes = 48): string {
  return randomBytes(bytes).toString("base64url");
}
