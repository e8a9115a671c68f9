// The userInfo endpoint (GET or POST /oauth2/userInfo): the user's attributes for an access token
// from the token endpoint that carries `openid`, within what its scopes and the app client's
// ReadAttributes allow (docs/decisions/0016-oauth-endpoints.md).
import type { Services } from "../../context.js";
import { CognitoError } from "../../core/errors.js";
import type { StoredPool } from "../../store/types.js";
import { checkAccessSignature } from "../../tokens/access-signature.js";
import { oauthAttributeFilter } from "../../tokens/issue.js";
import { OAuthError } from "./errors.js";

/** Cognito's words for every token it will not answer for. */
const REFUSED = "Access token is expired, disabled, or deleted, or the user has globally signed out.";

function invalidToken(description: string): OAuthError {
  return new OAuthError("invalid_token", description, 401, true);
}

/**
 * The claims for a bearer token: `sub`, the attributes (as strings, `email_verified` too, as
 * Cognito's userInfo answers them) and `username` last. Throws OAuthError `invalid_token` (401).
 */
export async function userInfo(
  ctx: Pick<Services, "store" | "clock" | "keys">,
  pool: Pick<StoredPool, "id">,
  token: string,
): Promise<Record<string, string>> {
  let claims: Record<string, unknown>;
  try {
    const checked = await checkAccessSignature(ctx, token);
    if (checked.pool.id !== pool.id) throw invalidToken(REFUSED);
    claims = checked.claims;
  } catch (e) {
    if (e instanceof CognitoError) throw invalidToken(REFUSED);
    throw e;
  }
  if (claims.token_use !== "access") throw invalidToken(REFUSED);
  // The scope before the user: a client_credentials token (custom scopes, no user) is refused
  // for its scope, as the user pool API refuses it (tokens/verify.ts).
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  if (!scopes.includes("openid")) throw invalidToken("Access token does not contain openid scope");
  if (typeof claims.sub !== "string" || typeof claims.origin_jti !== "string") throw invalidToken(REFUSED);
  const session = ctx.store.getSession(claims.origin_jti);
  const user = ctx.store.getUserBySub(pool.id, claims.sub);
  if (!session || session.revoked || !user || !user.enabled) throw invalidToken(REFUSED);
  const client = ctx.store.getClient(session.clientId);
  // The same attributes as the grant's id token (tokens/issue.ts).
  const shown = oauthAttributeFilter(scopes, client?.client.ReadAttributes as string[] | undefined);
  const out: Record<string, string> = { sub: user.sub };
  for (const a of user.attributes) {
    const name = a.Name ?? "";
    if (name === "sub" || name.startsWith("dev:") || a.Value === undefined) continue;
    if (shown(name)) out[name] = a.Value;
  }
  out.username = user.username;
  return out;
}
