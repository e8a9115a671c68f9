// The console's token decoder: what a pasted token says (header, claims) and whether this emulator
// would accept it: RS256 signature against the issuing pool's own keys (the JWKS it serves),
// issuer, token_use against the key that signed it, expiry and issue time on the emulator's
// clock, and the session behind it (signed out, revoked). It only reads: a pool that never
// signed a token has no keys, and none are made for it here.

import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import type { Services } from "../../context.js";
import type { StoredPool, StoredSession } from "../../store/types.js";
import { issuerFor } from "../../tokens/issuer.js";

/** The longest token the decoder reads (Cognito's are 1-4 kB; the body limit caps the form anyway). */
export const MAX_TOKEN_CHARS = 16_384;

/** One check and its outcome. */
interface TokenCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the decoder found. */
export interface TokenReport {
  /** `valid`: every check passed; `invalid`: one failed; `unreadable`: not a JWT this emulator could have issued. */
  readonly verdict: "valid" | "invalid" | "unreadable";
  /** One sentence for the verdict. */
  readonly summary: string;
  readonly header?: ProtectedHeaderParameters;
  readonly claims?: JWTPayload;
  readonly checks: TokenCheck[];
  readonly poolId?: string;
  /** The token's expiry (epoch ms) and the emulator's clock when it was checked. */
  readonly expiresAt?: number;
  readonly checkedAt: number;
  /** For a refresh token: the session it belongs to, when this emulator issued it. */
  readonly session?: StoredSession;
}

/** Which of a pool's keys signs which token_use. */
function keyFor(
  pool: StoredPool,
  kid: string | undefined,
): { use: "access" | "id"; jwk: Record<string, unknown> } | undefined {
  const keys = pool.keys;
  if (!keys || kid === undefined) return undefined;
  if (keys.access.kid === kid) return { use: "access", jwk: keys.access.publicJwk };
  if (keys.id.kid === kid) return { use: "id", jwk: keys.id.publicJwk };
  return undefined;
}

function check(checks: TokenCheck[], name: string, ok: boolean, detail: string): void {
  checks.push({ name, ok, detail });
}

/**
 * Decodes and checks `raw`. `baseUrl` is where the console was reached, for the issuer a
 * `--issuer local` emulator writes.
 */
export async function inspectToken(
  services: Pick<Services, "store" | "clock" | "config">,
  raw: string,
  baseUrl: string,
): Promise<TokenReport> {
  const token = raw.trim().replace(/^bearer\s+/i, "");
  const now = services.clock.now();
  const checks: TokenCheck[] = [];
  if (token.length === 0)
    return { verdict: "unreadable", summary: "Paste a token to decode it.", checks, checkedAt: now };
  if (token.length > MAX_TOKEN_CHARS)
    return {
      verdict: "unreadable",
      summary: `That is ${token.length} characters; the decoder reads tokens up to ${MAX_TOKEN_CHARS}.`,
      checks,
      checkedAt: now,
    };
  const parts = token.split(".");
  if (parts.length === 5) {
    // Cognito's refresh tokens are encrypted (JWE); the emulator's are opaque in that shape.
    const session = services.store.getSessionByRefreshToken(token);
    if (!session)
      return {
        verdict: "unreadable",
        summary:
          "A five-part token (JWE), like Cognito's refresh tokens: encrypted, so it cannot be decoded, and this emulator did not issue it (or has forgotten it: reset, sign-out, expiry).",
        checks,
        checkedAt: now,
      };
    const expired = session.refreshExpiresAt <= now;
    check(checks, "issued here", true, `a refresh token of a session in ${session.poolId}, client ${session.clientId}`);
    check(checks, "revocation", !session.revoked, session.revoked ? "the session was revoked" : "not revoked");
    check(
      checks,
      "expiry",
      !expired,
      `${expired ? "expired" : "expires"} at ${new Date(session.refreshExpiresAt).toISOString()} on the emulator's clock`,
    );
    const ok = checks.every((c) => c.ok);
    return {
      verdict: ok ? "valid" : "invalid",
      summary: ok
        ? `A refresh token of ${session.username}, still usable.`
        : `A refresh token of ${session.username} that Cognito would refuse.`,
      checks,
      poolId: session.poolId,
      expiresAt: session.refreshExpiresAt,
      checkedAt: now,
      session,
    };
  }
  let header: ProtectedHeaderParameters;
  let claims: JWTPayload;
  try {
    if (parts.length !== 3) throw new Error("not three parts");
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    return {
      verdict: "unreadable",
      summary: "Not a JWT: a token is three base64url parts (header.claims.signature) with JSON in the first two.",
      checks,
      checkedAt: now,
    };
  }
  const iss = typeof claims.iss === "string" ? claims.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  const pool = poolId ? services.store.getPool(poolId) : undefined;
  const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  const base = { header, claims, checks, checkedAt: now, ...(expiresAt !== undefined ? { expiresAt } : {}) };
  if (!pool) {
    check(checks, "pool", false, iss ? `no pool ${poolId || iss} in this emulator` : "the token has no iss claim");
    return {
      ...base,
      verdict: "invalid",
      summary: "This emulator has no pool that issued this token, so it cannot check the signature.",
    };
  }
  check(checks, "pool", true, `${pool.pool.Name ?? pool.id} (${pool.id})`);

  // Signature: RS256 only, with the key the header names among the pool's two.
  const key = keyFor(pool, typeof header.kid === "string" ? header.kid : undefined);
  if (header.alg !== "RS256")
    check(checks, "signature", false, `alg ${String(header.alg)}; Cognito signs with RS256 only`);
  else if (!key)
    check(
      checks,
      "signature",
      false,
      pool.keys
        ? `kid ${String(header.kid)} is not one of the pool's keys (its JWKS)`
        : "the pool has not signed any token yet (it has no keys)",
    );
  else {
    try {
      await compactVerify(token, await importJWK({ ...key.jwk, alg: "RS256" }, "RS256"), { algorithms: ["RS256"] });
      check(checks, "signature", true, `RS256, the pool's ${key.use} token key (kid ${String(header.kid)})`);
    } catch {
      check(checks, "signature", false, "does not match the pool's key: the token was changed after it was signed");
    }
  }

  const expected = issuerFor(services, pool.id, baseUrl);
  const issuerOk =
    iss === expected ||
    (services.config.issuer === "local" && /^https?:\/\/[^/]+\/[^/]+$/.test(iss) && iss.endsWith(`/${pool.id}`));
  check(checks, "issuer", issuerOk, issuerOk ? iss : `${iss}; this emulator writes ${expected}`);

  const use = claims.token_use;
  if (key) {
    const useOk = use === key.use;
    check(checks, "token_use", useOk, useOk ? String(use) : `${String(use)}, but signed with the ${key.use} token key`);
  }

  if (expiresAt === undefined) check(checks, "expiry", false, "no exp claim");
  else {
    const left = expiresAt - now;
    check(
      checks,
      "expiry",
      left > 0,
      `${left > 0 ? "expires" : "expired"} at ${new Date(expiresAt).toISOString()}; the emulator's clock says ${new Date(now).toISOString()}`,
    );
  }
  if (typeof claims.iat === "number" && claims.iat * 1000 > now)
    check(checks, "issued at", false, `iat ${new Date(claims.iat * 1000).toISOString()} is after the emulator's clock`);

  // What a verifier offline cannot see but Cognito's API does: the session behind the token.
  // An access token only: Cognito's API checks the session behind it; an id token is read offline.
  if (typeof claims.origin_jti === "string" && use === "access") {
    const session = services.store.getSession(claims.origin_jti);
    if (!session) check(checks, "session", false, "signed out (GlobalSignOut, a revoked refresh token, or reset)");
    else check(checks, "session", !session.revoked, session.revoked ? "revoked" : "active");
  }

  const failed = checks.filter((c) => !c.ok);
  return {
    ...base,
    poolId: pool.id,
    verdict: failed.length === 0 ? "valid" : "invalid",
    summary:
      failed.length === 0
        ? `A valid ${typeof use === "string" ? `${use} ` : ""}token of ${pool.pool.Name ?? pool.id}.`
        : `Cognito would refuse this token: ${failed.map((c) => c.name).join(", ")}.`,
  };
}
