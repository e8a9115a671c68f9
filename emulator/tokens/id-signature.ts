// The signature check of a user pool's ID token handed to an identity pool as a login
// (domain/identity-pools/logins.ts). A token string verified once against the pool's current id
// key is remembered, so Amplify's GetId + GetCredentialsForIdentity pair (the same token twice,
// again at every refresh) pays for one RSA verification; what can change the answer (the pool
// and its key still being there) is checked on every call, and the caller checks the claims.
import type { KeyObject } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import type { TokenDeps } from "./deps.js";
import type { KeyService } from "./keys.js";

interface Verified {
  poolId: string;
  key: KeyObject;
  claims: Readonly<Record<string, unknown>>;
}

/** Tokens remembered per key service (one per emulator), oldest first. */
const verifiedByService = new WeakMap<KeyService, Map<string, Verified>>();

/** Upper bound of remembered ID tokens per emulator: about 20 MB at 2 kB a token and claims. */
const VERIFIED_TOKEN_LIMIT = 10_000;

/**
 * Answers the claims of `token` if it is an RS256 JWS signed by a key of user pool `poolId` (the
 * key its `kid` names in the pool's JWKS, as Cognito Identity looks it up: an access token
 * verifies too, and is refused for its claims), else undefined. A pool that never issued a token
 * has no key, and so no token of it verifies. The claims are shared between calls: frozen.
 */
export async function verifiedIdTokenClaims(
  ctx: Pick<TokenDeps, "store" | "keys">,
  poolId: string,
  token: string,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  const pool = ctx.store.getPool(poolId);
  if (!pool?.keys) return undefined;
  let cache = verifiedByService.get(ctx.keys);
  if (!cache) {
    cache = new Map();
    verifiedByService.set(ctx.keys, cache);
  }
  const keys = await ctx.keys.keysFor(poolId);
  const hit = cache.get(token);
  if (hit && hit.poolId === poolId && (hit.key === keys.id.publicKey || hit.key === keys.access.publicKey))
    return hit.claims;
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
  const key = kid === keys.access.kid ? keys.access.publicKey : keys.id.publicKey;
  let claims: Record<string, unknown>;
  try {
    const { payload } = await compactVerify(token, key, { algorithms: ["RS256"] });
    claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return undefined;
  for (const v of Object.values(claims)) if (Array.isArray(v)) Object.freeze(v);
  Object.freeze(claims);
  if (cache.size >= VERIFIED_TOKEN_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(token, { poolId, key, claims });
  return claims;
}

/**
 * The claims of a token this emulator has verified before (unverified now: verifiedIdTokenClaims
 * still checks the pool and its key), so a repeated login skips decoding the token again.
 */
export function rememberedClaims(
  ctx: Pick<TokenDeps, "keys">,
  token: string,
): Readonly<Record<string, unknown>> | undefined {
  return verifiedByService.get(ctx.keys)?.get(token)?.claims;
}
