// Masks secrets in request and answer bodies before the debug request log keeps them
// (http/request-logging.ts). The API model marks the shapes that carry secrets `sensitive`
// (passwords, tokens, sessions, secret hashes, TOTP secrets and codes, AuthParameters,
// ChallengeResponses), so API bodies are masked by walking them along their model shapes.
// The model misses some (ConfirmationCodeType, the SRP values in ChallengeParameters, the
// client secrets in ProviderDetails), and forms and query strings have no model: there, a key
// whose name says secret is masked (SECRET_NAME). See docs/decisions/0033-request-log.md.
import type { ShapeDef } from "../model/index.js";

/** What a masked value reads as. */
export const MASK = "***";

/**
 * How deep a body is copied; below, a value reads as {@link TOO_DEEP}. The model's shapes nest a
 * few levels, and a body of a million `[` must not overflow the stack of the debug log.
 */
const MAX_DEPTH = 32;

/** What a value nested deeper than MAX_DEPTH reads as. */
export const TOO_DEEP = "[nested too deep to log]";

/**
 * Sensitive shapes shown anyway: who is calling, with which client and which attribute values,
 * is what a developer reads the debug log for, and none of them lets anyone sign in.
 */
const SHOWN_SHAPES: ReadonlySet<string> = new Set(["UsernameType", "ClientIdType", "AttributeValueType"]);

/** Keys of a sensitive map (AuthParameters, ChallengeResponses) that name, not prove, an identity. */
const SHOWN_KEYS: ReadonlySet<string> = new Set(["USERNAME", "DEVICE_KEY", "PREFERRED_CHALLENGE", "TIMESTAMP"]);

/**
 * A key whose string value is a secret wherever it appears: passwords, codes, tokens, sessions,
 * client secrets and secret hashes, SRP's A, B, salt, secret block and verifiers, PKCE verifiers,
 * custom challenge answers, passkey assertions and SAML responses. Matched case-insensitively
 * against member names (`ConfirmationCode`), map keys (`SRP_B`) and form fields (`password`).
 */
const SECRET_NAME =
  /passw|pwd|secret|token|session|code$|^answer$|srp_a$|srp_b$|^salt$|verifier|^credential$|samlresponse/i;

/** Names that say what kind a thing is (`TokenType`, `token_type`: "Bearer"), never a secret. */
const KIND_NAME = /type$/i;

/** True when a key's name alone says its string value is a secret. */
function isSecretName(key: string): boolean {
  return SECRET_NAME.test(key) && !KIND_NAME.test(key);
}

function masked(value: unknown): unknown {
  // An empty string gives nothing away, and seeing it is empty helps.
  return value === "" ? "" : MASK;
}

/**
 * A copy of `value` (a body shaped as `shapeName` of the model's `shapes`) with every secret
 * replaced by {@link MASK}; values the model does not describe are masked by name.
 */
export function maskByShape(
  value: unknown,
  shapeName: string | undefined,
  shapes: Record<string, ShapeDef>,
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH) return TOO_DEEP;
  const shape = shapeName === undefined ? undefined : shapes[shapeName];
  if (!shape || shape.document) return maskByName(value, undefined, depth);
  if (value === null || value === undefined || value instanceof Date) return value;
  if (shape.sensitive && !SHOWN_SHAPES.has(shapeName!)) {
    if (shape.type === "map" && isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = SHOWN_KEYS.has(key) ? value[key] : masked(value[key]);
      return out;
    }
    return masked(value);
  }
  switch (shape.type) {
    case "structure": {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const member = shape.members?.[key];
        out[key] = member
          ? maskMember(key, value[key], member.shape, shapes, depth + 1)
          : maskByName(value[key], key, depth + 1);
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((v) => maskByShape(v, shape.member?.shape, shapes, depth + 1)) : value;
    case "map": {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value))
        out[key] = maskMember(key, value[key], shape.value?.shape, shapes, depth + 1);
      return out;
    }
    default:
      return value;
  }
}

/** A member or map entry: its shape decides, and a secret-sounding name masks a free-text string. */
function maskMember(
  key: string,
  value: unknown,
  shapeName: string | undefined,
  shapes: Record<string, ShapeDef>,
  depth: number,
) {
  const shape = shapeName === undefined ? undefined : shapes[shapeName];
  // An enum (TimeUnitsType under TokenValidityUnits.AccessToken) never holds a secret.
  if (typeof value === "string" && shape && !shape.enum && !SHOWN_SHAPES.has(shapeName!) && isSecretName(key))
    return masked(value);
  return maskByShape(value, shapeName, shapes, depth);
}

/**
 * A copy of `value` with the strings under secret-sounding keys masked, at any depth: for bodies
 * without a model (forms, query strings, the OAuth endpoints' JSON). `key` names `value` itself.
 */
export function maskByName(value: unknown, key?: string, depth = 0): unknown {
  if (typeof value === "string") return key !== undefined && isSecretName(key) ? masked(value) : value;
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => maskByName(v, key, depth + 1));
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) out[k] = maskByName(record[k], k, depth + 1);
  return out;
}

/**
 * A URL or path with the query and fragment parameters under secret-sounding names masked
 * (`/callback?code=***&state=x`, an implicit grant's `#id_token=***`).
 */
export function maskUrl(url: string): string {
  return url.replace(/([?&#])([^=&#]*)=([^&#]*)/g, (all, sep: string, name: string, val: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replaceAll("+", " "));
    } catch {
      // A malformed escape: judge the name as it was sent.
    }
    return isSecretName(decoded) && val !== "" ? `${sep}${name}=${MASK}` : all;
  });
}

/** A plain object to walk (a Date is a timestamp the answer renders, not a record). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
