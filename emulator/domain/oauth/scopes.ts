// OAuth 2.0 scopes: which a request is granted, from the app client's AllowedOAuthScopes and the
// pool's resource servers (resolveScopes, oauth-config.ts), with the rules of the authorize and
// client-credentials requests on top (docs/decisions/0016-oauth-endpoints.md).
import type { StoredClient, StoredPool } from "../../store/types.js";
import { resolveScopes } from "../oauth-config.js";
import { OAuthError } from "./errors.js";

/** The scopes Cognito reserves; every other scope is a resource server's `<identifier>/<name>`. */
const RESERVED = new Set(["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]);
/** Scopes that only mean something beside `openid`. */
const NEEDS_OPENID = ["email", "phone", "profile"];

function granted(pool: StoredPool, client: StoredClient, requested: string | undefined): string[] {
  const grant = resolveScopes(pool, client, requested);
  if (!grant.ok) throw new OAuthError("invalid_scope", `scope not allowed for this app client: ${grant.invalidScope}`);
  return grant.scopes;
}

/**
 * The scopes an authorize request is granted: those it asks for, each of which the client must
 * allow, or every scope the client allows when it asks for none. `email`, `phone` and `profile`
 * come only with `openid`. Refused with `invalid_scope`.
 */
export function userScopes(pool: StoredPool, client: StoredClient, requested: string | undefined): string[] {
  const scopes = granted(pool, client, requested);
  if (scopes.length === 0) throw new OAuthError("invalid_scope", "the app client allows no OAuth scopes");
  if (!scopes.includes("openid") && scopes.some((s) => NEEDS_OPENID.includes(s)))
    throw new OAuthError("invalid_scope", "email, phone and profile can only be requested with openid");
  return scopes;
}

/**
 * The scopes a client-credentials grant is granted: custom scopes only (a resource server's),
 * those asked for or, when none are, every custom scope the client allows.
 */
export function clientCredentialsScopes(
  pool: StoredPool,
  client: StoredClient,
  requested: string | undefined,
): string[] {
  const asked = requested?.trim() ? requested : undefined;
  // Asked for none: the client's custom scopes (its standard ones are not for this grant).
  const scopes = granted(pool, client, asked).filter((s) => asked !== undefined || !RESERVED.has(s));
  const reserved = scopes.find((s) => RESERVED.has(s));
  if (reserved !== undefined)
    throw new OAuthError("invalid_scope", `${reserved} is not a scope for client_credentials`);
  if (scopes.length === 0)
    throw new OAuthError("invalid_scope", "the app client allows no resource server scopes for client_credentials");
  return scopes;
}
