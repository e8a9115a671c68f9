// Checks an access token on every call that takes one: signature (the pool's access key, RS256
// only), expiry against the emulator's clock, token_use, revocation, and the user's state.

import { errors } from "../core/errors.js";
import type { StoredClient, StoredPool, StoredSession, StoredUser } from "../store/types.js";
import { checkAccessSignature } from "./access-signature.js";
import type { TokenDeps } from "./deps.js";

/** What a verified access token resolves to. */
export interface VerifiedAccess {
  pool: StoredPool;
  client: StoredClient | undefined;
  user: StoredUser;
  session: StoredSession;
  claims: Record<string, unknown>;
}

/** The scope every self-service call of the user pool API requires of the access token. */
const USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/** Verifies an access token and finds its pool, user and session; throws Cognito's errors. */
export async function verifyAccessToken(
  ctx: Pick<TokenDeps, "store" | "clock" | "keys">,
  token: string,
): Promise<VerifiedAccess> {
  // Signature (remembered per token string), issuer and expiry; everything below runs every call.
  const { pool, claims } = await checkAccessSignature(ctx, token);
  if (claims.token_use !== "access") throw errors.invalidAccessToken();
  // The user pool API takes only tokens carrying this scope (an OAuth token without it cannot
  // call GetUser, ChangePassword, GlobalSignOut, ...). Checked before the user's claims: a
  // client_credentials token (no user, no origin_jti, custom scopes only) is refused for its
  // scopes, as Cognito refuses it (docs/decisions/0016-oauth-endpoints.md).
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  if (!scopes.includes(USER_ADMIN_SCOPE)) throw errors.accessTokenMissingScope();
  if (typeof claims.origin_jti !== "string" || typeof claims.sub !== "string") throw errors.invalidAccessToken();
  const user = ctx.store.getUserBySub(pool.id, claims.sub);
  if (!user) throw errors.userNotFound();
  const session = ctx.store.getSession(claims.origin_jti);
  if (!session || session.revoked) throw errors.accessTokenRevoked();
  if (!user.enabled) throw errors.userDisabled();
  return { pool, client: ctx.store.getClient(session.clientId), user, session, claims };
}
