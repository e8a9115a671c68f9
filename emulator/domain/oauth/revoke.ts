// The revocation endpoint (POST /oauth2/revoke): a refresh token and every access token minted
// from its session stop working, as with the RevokeToken operation; errors as the endpoint
// documents them (docs/decisions/0016-oauth-endpoints.md).
import type { Services } from "../../context.js";
import type { StoredPool } from "../../store/types.js";
import { revokeSession } from "../sessions.js";
import { authenticateClient, type PresentedClient } from "./client-auth.js";
import { OAuthError, oauthError } from "./errors.js";

/** Revokes `token` for the client the request authenticates as; an unknown token is no error (RFC 7009). */
export function revokeAtEndpoint(
  ctx: Pick<Services, "store">,
  pool: Pick<StoredPool, "id">,
  params: ReadonlyMap<string, string>,
  presented: PresentedClient,
): void {
  const token = params.get("token");
  if (!token) throw oauthError("invalid_request", "token is required");
  const client = authenticateClient(ctx, pool, presented, 401);
  if (client.client.EnableTokenRevocation === false)
    throw oauthError("invalid_request", "token revocation is not enabled for this app client");
  // Access and id tokens are three-part JWTs; refresh tokens are five-part (JWE-shaped).
  if (token.split(".").length === 3)
    throw new OAuthError("unsupported_token_type", "only refresh tokens can be revoked");
  const session = ctx.store.getSessionByRefreshToken(token);
  // Another client's token is, for this client, a token it does not know: nothing to revoke.
  if (!session || session.clientId !== client.client.ClientId) return;
  revokeSession(ctx, session);
}
