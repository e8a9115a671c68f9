// The pool as a WebAuthn relying party: whether passkeys are on, which RP ID and user
// verification apply, and which origins may speak for that RP ID. Sources and guesses:
// docs/decisions/0021-passkeys.md.
import { errors } from "../../core/errors.js";
import type { DeepReadonly, StoredPool, UserRecord } from "../../store/types.js";
import { domainHostname, domainOfKind, poolRegion } from "../domains.js";

/** The relying party a pool's passkeys belong to. */
export interface RelyingParty {
  /** The RP ID: a host name (`auth.example.com`, `localhost`). */
  id: string;
  userVerification: "required" | "preferred";
}

/** How long a registration or sign-in ceremony may take (the options' `timeout`), milliseconds. */
export const CEREMONY_TIMEOUT_MS = 180_000;

/** The passkeys a user may have (Cognito's quota). */
export const MAX_CREDENTIALS_PER_USER = 20;

/** The COSE algorithms Cognito asks for: ES256 and RS256. */
export const SUPPORTED_ALGORITHMS = [-7, -257] as const;

/** One DNS label, as in a host name. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * True when the pool offers passkeys: WEB_AUTHN among its sign-in policy's first factors, on a
 * feature plan that has them (Essentials or Plus, not Lite).
 */
export function webAuthnEnabled(pool: StoredPool): boolean {
  if (pool.pool.UserPoolTier === "LITE") return false;
  const factors = pool.pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
  return factors.includes("WEB_AUTHN");
}

/** Throws WebAuthnNotEnabledException unless the pool offers passkeys. */
export function requireWebAuthn(pool: StoredPool): void {
  if (!webAuthnEnabled(pool)) throw errors.webAuthnNotEnabled();
}

/**
 * The pool's relying party: WebAuthnConfiguration's RelyingPartyId, else the pool's custom
 * domain, else its prefix domain (`<prefix>.auth.<region>.amazoncognito.com`); without any,
 * WebAuthnConfigurationMissingException. User verification is `preferred` unless set, and
 * `required` in a pool whose passkeys may serve as MFA (passkeysMayBeMfa), whose authenticators
 * must verify the user in every registration and sign-in.
 */
export function relyingParty(pool: StoredPool): RelyingParty {
  const config = pool.mfa.WebAuthnConfiguration;
  const domain = domainOfKind(pool, true) ?? domainOfKind(pool, false);
  const id = config?.RelyingPartyId ?? (domain ? domainHostname(domain, poolRegion(pool)) : undefined);
  if (!id) throw errors.webAuthnConfigurationMissing();
  const required = config?.UserVerification === "required" || passkeysMayBeMfa(pool);
  return { id, userVerification: required ? "required" : "preferred" };
}

/**
 * True when the pool lets a passkey stand for MFA: WebAuthnConfiguration's FactorConfiguration
 * MULTI_FACTOR_WITH_USER_VERIFICATION ("passkey authentication with user verification satisfies
 * MFA requirements"). Users turn it on for themselves (WebAuthnMfaSettings; passkeyIsMfa).
 */
export function passkeysMayBeMfa(pool: StoredPool): boolean {
  return pool.mfa.WebAuthnConfiguration?.FactorConfiguration === "MULTI_FACTOR_WITH_USER_VERIFICATION";
}

/**
 * True when this user's passkey sign-in satisfies MFA: the pool allows it (passkeysMayBeMfa) and
 * the user turned passkey MFA on (WebAuthnMfaSettings Enabled). USER_AUTH then offers WEB_AUTHN
 * even where the pool requires MFA, and a passkey sign-in, which must have verified the user,
 * ends with tokens (docs/decisions/0021-passkeys.md).
 */
export function passkeyIsMfa(pool: StoredPool, user: DeepReadonly<UserRecord>): boolean {
  return passkeysMayBeMfa(pool) && user.mfa.webAuthn === true;
}

/**
 * Checks a RelyingPartyId for SetUserPoolMfaConfig: a host name of DNS labels (`localhost` is
 * one), as browsers take an RP ID; an IP address or a URL is refused.
 */
export function checkRelyingPartyId(rpId: string): void {
  const labels = rpId.split(".");
  const ip = /^[0-9.]+$/.test(rpId);
  if (ip || rpId !== rpId.toLowerCase() || !labels.every((l) => LABEL.test(l))) {
    throw errors.relyingPartyIdInvalid(rpId);
  }
}

/**
 * True when `origin` (clientDataJSON's) may speak for `rpId`: https on the RP ID or one of its
 * subdomains, as the WebAuthn specification scopes an RP ID, and plain http only on localhost,
 * which browsers treat as a secure context.
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  const inScope = host === rpId || host.endsWith(`.${rpId}`);
  if (!inScope) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (host === "localhost" || host.endsWith(".localhost"));
}
