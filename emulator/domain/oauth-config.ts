// App clients' OAuth 2.0 settings: the rules CreateUserPoolClient and UpdateUserPoolClient
// check, and the scopes a request to the OAuth endpoints is granted (resolveScopes).
// Rules and their sources: docs/decisions/0015-domains-and-resource-servers.md.
import type { CreateUserPoolClientRequest } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { StoredClient, StoredPool } from "../store/types.js";
import { identityProviderOf } from "./identity-providers.js";
import { resourceServerOf } from "./resource-servers.js";

/** The scopes every pool has, without a resource server. */
const STANDARD_SCOPES: readonly string[] = ["phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"];

/** The pool's own directory, which every pool has besides its identity providers. */
const COGNITO_PROVIDER = "COGNITO";

/** Hosts a callback or sign-out URL may reach over plain http (for testing, as Cognito allows). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The OAuth settings of a CreateUserPoolClient or UpdateUserPoolClient request. */
export type ClientOAuthSettings = Pick<
  CreateUserPoolClientRequest,
  | "AllowedOAuthFlows"
  | "AllowedOAuthScopes"
  | "AllowedOAuthFlowsUserPoolClient"
  | "CallbackURLs"
  | "LogoutURLs"
  | "DefaultRedirectURI"
  | "SupportedIdentityProviders"
>;

/** Whether `scope` is one of the standard scopes (openid, email, ...). */
function isStandardScope(scope: string): boolean {
  return STANDARD_SCOPES.includes(scope);
}

/**
 * Whether the pool defines `scope`: a standard scope, or `<identifier>/<name>` where the pool's
 * resource server `identifier` has the scope `name` (identifiers may contain slashes, scope
 * names may not, so the last slash splits them).
 */
export function scopeDefined(pool: StoredPool, scope: string): boolean {
  if (isStandardScope(scope)) return true;
  const slash = scope.lastIndexOf("/");
  if (slash <= 0) return false;
  const name = scope.slice(slash + 1);
  return resourceServerOf(pool, scope.slice(0, slash))?.scopes.some((s) => s.ScopeName === name) ?? false;
}

/**
 * Checks an app client's OAuth settings as Cognito does, throwing its error for the first rule
 * broken. `hasSecret`: whether the client has (or is getting) a client secret.
 *
 * Always: SupportedIdentityProviders must be COGNITO or identity providers of the pool;
 * callback and sign-out URLs must be absolute, without a fragment, and https unless they are
 * http://localhost, http://127.0.0.1 or http://[::1] (other schemes, `myapp://`, are app URLs);
 * DefaultRedirectURI must be one of the CallbackURLs; every scope must exist; client_credentials
 * stands alone, needs a secret and takes custom scopes only. With AllowedOAuthFlowsUserPoolClient
 * true: flows and scopes are required, and code or implicit need a callback URL. With it false
 * the settings are kept but not in force.
 */
export function checkClientOAuth(pool: StoredPool, input: ClientOAuthSettings, hasSecret: boolean): void {
  for (const provider of input.SupportedIdentityProviders ?? []) {
    if (provider !== COGNITO_PROVIDER && !identityProviderOf(pool, provider))
      throw errors.identityProviderNotFound(provider, pool.id);
  }
  for (const url of [...(input.CallbackURLs ?? []), ...(input.LogoutURLs ?? [])]) checkRedirectUrl(url);
  const redirect = input.DefaultRedirectURI;
  if (redirect !== undefined && !(input.CallbackURLs ?? []).includes(redirect)) {
    throw errors.defaultRedirectUriNotInCallbacks(redirect);
  }
  const scopes = input.AllowedOAuthScopes ?? [];
  const unknown = scopes.find((scope) => !scopeDefined(pool, scope));
  if (unknown !== undefined) throw errors.scopeDoesNotExist(unknown);
  const flows = input.AllowedOAuthFlows ?? [];
  const enabled = input.AllowedOAuthFlowsUserPoolClient === true;
  if (enabled && (flows.length === 0 || scopes.length === 0)) throw errors.oauthFlowsAndScopesRequired();
  if (flows.includes("client_credentials")) {
    if (flows.some((flow) => flow !== "client_credentials")) throw errors.clientCredentialsWithOtherFlows();
    if (!hasSecret) throw errors.clientCredentialsWithoutSecret();
    const standard = scopes.find(isStandardScope);
    if (standard !== undefined) throw errors.scopeNotForClientCredentials(standard);
  }
  if (enabled && flows.some((flow) => flow !== "client_credentials") && !input.CallbackURLs?.length) {
    throw errors.callbackUrlsRequired();
  }
}

/** A callback or sign-out URL: absolute, no fragment, https unless http to a loopback host. */
function checkRedirectUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.redirectUrlNotAbsolute(url);
  }
  if (url.includes("#")) throw errors.redirectUrlWithFragment(url);
  if (parsed.protocol === "http:" && !LOOPBACK_HOSTS.has(parsed.hostname)) throw errors.redirectUrlNotHttps(url);
}

/** The outcome of resolveScopes: the scopes granted, or the first one that may not be. */
export type ScopeGrant = { ok: true; scopes: string[] } | { ok: false; invalidScope: string };

/**
 * The scopes an authorization or token request is granted. `requested` is the request's `scope`
 * parameter (space-separated) or a list; when it names none, the client's allowed scopes are
 * granted, as Cognito does. A scope the client does not allow, or whose resource server or
 * scope has since been deleted ("users can no longer generate access tokens with scopes that
 * are associated with that resource server"), is not granted: the answer names it so the
 * endpoint can answer `invalid_scope`.
 *
 * @example
 * resolveScopes(pool, client, "openid email"); // { ok: true, scopes: ["openid", "email"] }
 */
export function resolveScopes(
  pool: StoredPool,
  client: StoredClient,
  requested?: string | readonly string[],
): ScopeGrant {
  const allowed = (client.client.AllowedOAuthScopes ?? []).filter((scope) => scopeDefined(pool, scope));
  const asked = typeof requested === "string" ? requested.split(/\s+/).filter(Boolean) : [...(requested ?? [])];
  if (asked.length === 0) return { ok: true, scopes: allowed };
  const scopes = [...new Set(asked)];
  const invalid = scopes.find((scope) => !allowed.includes(scope));
  return invalid === undefined ? { ok: true, scopes } : { ok: false, invalidScope: invalid };
}
