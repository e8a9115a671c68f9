// The signature and time checks of an access token. A token string whose RS256 signature has
// been verified once against the pool's current key is remembered, so repeated calls with the
// same token (a test calling GetUser a thousand times) skip the RSA operation; the checks that
// can change answer (expiry against the emulator's clock, the pool and its key still existing)
// run on every call, and the caller checks token_use, scope, revocation and user state every
// time too (docs/decisions/0010-hot-paths.md).

import type { KeyObject } from "node:crypto";
import { decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import { errors } from "../core/errors.js";
import type { StoredPool } from "../store/types.js";
import type { TokenDeps } from "./deps.js";
import type { KeyService } from "./keys.js";

type Ctx = Pick<TokenDeps, "store" | "clock" | "keys">;

interface Verified {
  poolId: string;
  /** The public key the signature was checked with: a new key means a new check. */
  key: KeyObject;
  claims: Record<string, unknown>;
}

/** Tokens remembered per key service (one per emulator), oldest first. */
const verifiedByService = new WeakMap<KeyService, Map<string, Verified>>();

/** Upper bound of remembered tokens per emulator: about 15 MB at 1.5 kB a token and claims. */
const VERIFIED_TOKEN_LIMIT = 10_000;

/**
 * Checks an access token's signature (the pool's access key, RS256 only), issuer, and time
 * claims against the emulator's clock; answers its pool and claims, or throws Cognito's
 * NotAuthorizedException ("Invalid Access Token", "Access Token has expired").
 */
export async function checkAccessSignature(
  ctx: Ctx,
  token: string,
): Promise<{ pool: StoredPool; claims: Record<string, unknown> }> {
  let cache = verifiedByService.get(ctx.keys);
  if (!cache) {
    cache = new Map();
    verifiedByService.set(ctx.keys, cache);
  }
  const hit = cache.get(token);
  if (hit) {
    const pool = ctx.store.getPool(hit.poolId);
    if (pool) {
      const keys = await ctx.keys.keysFor(pool.id);
      if (keys.access.publicKey === hit.key) {
        checkTimes(hit.claims, ctx.clock.now());
        return { pool, claims: hit.claims };
      }
    }
    cache.delete(token);
  }

  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw errors.invalidAccessToken();
  }
  const iss = typeof unverified.iss === "string" ? unverified.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  const pool = poolId ? ctx.store.getPool(poolId) : undefined;
  if (!pool) throw errors.invalidAccessToken();
  const keys = await ctx.keys.keysFor(pool.id);
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, keys.access.publicKey, {
      algorithms: ["RS256"],
      issuer: iss,
      currentDate: new Date(ctx.clock.now()),
      clockTolerance: 0,
    }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw errors.accessTokenExpired();
    throw errors.invalidAccessToken();
  }
  // Shared by every later call with this token, so nobody may change them.
  for (const v of Object.values(claims)) if (Array.isArray(v)) Object.freeze(v);
  Object.freeze(claims);
  if (cache.size >= VERIFIED_TOKEN_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(token, { poolId: pool.id, key: keys.access.publicKey, claims });
  return { pool, claims };
}

/**
 * jose's time checks for a token it has already accepted once, at `now` (the clock can move
 * both ways under tests): `exp` must be after the current second, `nbf` not after it.
 */
function checkTimes(claims: Record<string, unknown>, now: number): void {
  const seconds = Math.floor(now / 1000);
  if (typeof claims.nbf === "number" && claims.nbf > seconds) throw errors.invalidAccessToken();
  if (typeof claims.exp === "number" && claims.exp <= seconds) throw errors.accessTokenExpired();
}
