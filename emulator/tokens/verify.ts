// Checks an access token on every call that takes one: signature (the pool's access key, RS256
// only), expiry against the emulator's clock, token_use, revocation, and the user's state.
import { decodeJwt, jwtVerify, errors as joseErrors } from "jose";
import type { OperationContext } from "../operations/types.js";
import { CognitoError, errors } from "../protocol/errors.js";
import type { ClientRecord, PoolRecord, SessionRecord, UserRecord } from "../store/types.js";

/** What a verified access token resolves to. */
export interface VerifiedAccess {
  pool: PoolRecord;
  client: ClientRecord | undefined;
  user: UserRecord;
  session: SessionRecord;
  claims: Record<string, unknown>;
}

const invalid = () => errors.notAuthorized("Invalid Access Token");

/** Verifies an access token and finds its pool, user and session; throws Cognito's errors. */
export async function verifyAccessToken(ctx: Pick<OperationContext, "store" | "clock" | "keys">, token: string): Promise<VerifiedAccess> {
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalid();
  }
  const iss = typeof unverified.iss === "string" ? unverified.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  const pool = poolId ? ctx.store.getPool(poolId) : undefined;
  if (!pool) throw invalid();
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
    if (e instanceof joseErrors.JWTExpired) throw errors.notAuthorized("Access Token has expired");
    throw invalid();
  }
  if (claims.token_use !== "access" || typeof claims.origin_jti !== "string" || typeof claims.sub !== "string") throw invalid();
  const user = ctx.store.getUserBySub(pool.id, claims.sub);
  if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
  const session = ctx.store.getSession(claims.origin_jti);
  if (!session || session.revoked) throw errors.notAuthorized("Access Token has been revoked");
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  return { pool, client: ctx.store.getClient(session.clientId), user, session, claims };
}
