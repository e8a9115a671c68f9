// Local verification of Cognito access tokens: signature against the pool's JWKS (fetched once
// and cached by jose), then issuer, token_use, client_id and expiry. No call to Cognito per
// request; the price is that a token revoked by GlobalSignOut stays valid here until it expires.

import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import {
  createRemoteJWKSet,
  customFetch,
  type FetchImplementation,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from "jose";

/** What the verifier needs to know about the pool and app client. */
export interface VerifierConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The emulator's URL: keys come from it instead of AWS. */
  readonly endpoint?: string;
  /** Expected `iss`; default is AWS's form, which the emulator also uses unless run with `--issuer local`. */
  readonly issuer?: string;
  /** Where the keys are; default derived from endpoint or region. */
  readonly jwksUrl?: string;
}

/** The pool's JWKS URL: the emulator's `/<poolId>/.well-known/jwks.json`, or AWS's. */
export function jwksUrlFor(cfg: VerifierConfig): string {
  if (cfg.jwksUrl) return cfg.jwksUrl;
  if (cfg.endpoint) return `${cfg.endpoint.replace(/\/+$/, "")}/${cfg.userPoolId}/.well-known/jwks.json`;
  return `https://cognito-idp.${cfg.region}.amazonaws.com/${cfg.userPoolId}/.well-known/jwks.json`;
}

/** The `iss` tokens of the pool carry: `https://cognito-idp.<region>.amazonaws.com/<poolId>` unless overridden. */
export function expectedIssuer(cfg: VerifierConfig): string {
  return cfg.issuer ?? `https://cognito-idp.${cfg.region}.amazonaws.com/${cfg.userPoolId}`;
}

/** Claims of a verified Cognito access token. */
interface AccessClaims extends JWTPayload {
  readonly sub: string;
  readonly iss: string;
  readonly exp: number;
  readonly token_use: "access";
  readonly client_id: string;
  readonly username: string;
  readonly scope?: string;
  readonly "cognito:groups"?: string[];
}

/** Why a token was refused. `unavailable`: the keys could not be fetched (not the token's fault). */
type VerifyFailure = { readonly code: "invalid_token" | "unavailable"; readonly message: string };

/** Result of verifying one token. */
type VerifyResult =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly error: VerifyFailure };

/** Verifies access tokens of one pool and app client. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifyResult>;
}

/** Knobs mostly for tests: a clock (the emulator's can be moved), a fetch, cache times. */
export interface VerifierOptions {
  /** Current time in epoch ms (default Date.now). */
  readonly now?: () => number;
  /** How the JWKS is fetched (default global fetch). */
  readonly fetch?: FetchImplementation;
  /** Keys are refetched after this long (default 10 minutes, jose's default). */
  readonly cacheMaxAgeMs?: number;
  /** An unknown `kid` triggers at most one refetch per this interval (default 30 s). */
  readonly cooldownMs?: number;
}

/**
 * A verifier with the JWKS cached in memory: the first request fetches it, later ones do not
 * (unless a token names a key the cache lacks, after the cooldown).
 *
 * @example
 * const verifier = createAccessTokenVerifier({ region, userPoolId, clientId, endpoint: "http://127.0.0.1:9229" });
 * const r = await verifier.verify(token);
 */
export function createAccessTokenVerifier(cfg: VerifierConfig, options: VerifierOptions = {}): AccessTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(jwksUrlFor(cfg)), {
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
  const issuer = expectedIssuer(cfg);
  const now = options.now ?? (() => Date.now());
  return {
    async verify(token) {
      if (token.split(".").length !== 3) return invalid("The access token is not a JWT");
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer,
          algorithms: ["RS256"],
          requiredClaims: ["exp", "iat", "sub"],
          currentDate: new Date(now()),
        }));
      } catch (e) {
        return { ok: false, error: describe(e) };
      }
      if (payload.token_use !== "access")
        return invalid(`The token is not an access token (token_use ${JSON.stringify(payload.token_use ?? null)})`);
      if (payload.client_id !== cfg.clientId) return invalid("The token was issued to another app client");
      if (typeof payload.username !== "string") return invalid("The token has no username claim");
      const groups = payload["cognito:groups"];
      if (groups !== undefined && !(Array.isArray(groups) && groups.every((g) => typeof g === "string")))
        return invalid("The token's cognito:groups claim is malformed");
      return { ok: true, claims: payload as AccessClaims };
    },
  };
}

function invalid(message: string): VerifyResult {
  return { ok: false, error: { code: "invalid_token", message } };
}

function describe(e: unknown): VerifyFailure {
  if (e instanceof joseErrors.JWTExpired) return { code: "invalid_token", message: "The access token expired" };
  if (e instanceof joseErrors.JWTClaimValidationFailed)
    return { code: "invalid_token", message: `The token's ${e.claim} claim is not valid for this pool` };
  if (e instanceof joseErrors.JWSSignatureVerificationFailed)
    return { code: "invalid_token", message: "The token's signature does not verify" };
  if (e instanceof joseErrors.JWKSNoMatchingKey)
    return { code: "invalid_token", message: "The token was signed by a key this pool does not publish" };
  if (e instanceof joseErrors.JOSEAlgNotAllowed)
    return { code: "invalid_token", message: "The token's algorithm is not RS256" };
  if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid)
    return { code: "unavailable", message: "The pool's signing keys could not be fetched" };
  if (e instanceof joseErrors.JOSEError) {
    // A JWKS answered with a non-200 status surfaces as a plain JOSEError.
    if (e.code === "ERR_JOSE_GENERIC" && /response|status/i.test(e.message))
      return { code: "unavailable", message: "The pool's signing keys could not be fetched" };
    return { code: "invalid_token", message: "The access token is malformed" };
  }
  // fetch itself failed (connection refused, DNS): the keys are unreachable.
  return { code: "unavailable", message: "The pool's signing keys could not be fetched" };
}

/** Hono variables set by the middleware for the handlers behind it. */
export type AuthEnv = { Variables: { claims: AccessClaims; accessToken: string } };

/** Options of one protected route. */
export interface RequireAuthOptions {
  /** A Cognito group the user must be in (`cognito:groups`), else 403. */
  readonly group?: string;
}

/** Builds `requireAuth(...)` for a verifier and the session cookie's name. */
export function createRequireAuth(verifier: AccessTokenVerifier, settings: { cookieName: string; realm?: string }) {
  const realm = settings.realm ?? "cognito-twin-client";
  /**
   * Middleware for a protected route: the token from `Authorization: Bearer` or the session
   * cookie, verified locally; the claims land in `c.get("claims")`.
   *
   * @example
   * app.get("/admin", requireAuth({ group: "admin" }), (c) => c.json(c.get("claims")));
   */
  return function requireAuth(options: RequireAuthOptions = {}): MiddlewareHandler<AuthEnv> {
    return async (c, next) => {
      const found = tokenFrom(c, settings.cookieName);
      if (found.kind === "malformed")
        return challenge(c, 400, realm, "invalid_request", "The Authorization header must be 'Bearer <token>'");
      if (found.kind === "none") return challenge(c, 401, realm, undefined, "Authentication required");
      const result = await verifier.verify(found.token);
      if (!result.ok) {
        if (result.error.code === "unavailable")
          return c.json({ error: { type: "unavailable", message: result.error.message } }, 503);
        return challenge(c, 401, realm, "invalid_token", result.error.message);
      }
      if (options.group !== undefined && !(result.claims["cognito:groups"] ?? []).includes(options.group)) {
        return challenge(c, 403, realm, "insufficient_scope", `Requires membership of the group ${options.group}`);
      }
      c.set("claims", result.claims);
      c.set("accessToken", found.token);
      await next();
    };
  };
}

/** Where the request's token is, if anywhere. A header wins over the cookie. */
export function tokenFrom(
  c: Context,
  cookieName: string,
): { kind: "token"; token: string } | { kind: "none" } | { kind: "malformed" } {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    return m ? { kind: "token", token: m[1]! } : { kind: "malformed" };
  }
  const cookie = getCookie(c, cookieName);
  return cookie ? { kind: "token", token: cookie } : { kind: "none" };
}

// RFC 6750 section 3: the error goes in WWW-Authenticate too; quotes and backslashes cannot.
function challenge(c: Context, status: 400 | 401 | 403, realm: string, error: string | undefined, message: string) {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`, `error_description="${message.replace(/["\\]/g, "'")}"`);
  c.header("WWW-Authenticate", `Bearer ${parts.join(", ")}`);
  return c.json({ error: { type: error ?? "unauthorized", message } }, status);
}
