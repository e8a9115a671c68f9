// The authorize request (GET /oauth2/authorize, and the same parameters on /login, /signup,
// /forgotPassword): checked as Cognito checks it, and completed once the user is signed in with
// a code (authorization code grant) or tokens (implicit grant) on the redirect back to the app.
// Until the client and redirect_uri are known good nothing is ever redirected: the browser gets
// an error page. After that, errors go back to the app as `?error=...&state=...`
// (docs/decisions/0016-oauth-endpoints.md).
import type { OperationContext } from "../../context.js";
import type { StoredClient, StoredPool, StoredUser } from "../../store/types.js";
import { signIn } from "../../tokens/issue.js";
import { identityProviderByIdentifier, identityProviderOf } from "../identity-providers.js";
import { preTokenGeneration } from "../triggers/pre-token-generation.js";
import { OAuthError, type OAuthErrorCode } from "./errors.js";
import { userScopes } from "./scopes.js";
import { allowsOAuthFlow } from "./token.js";

/** The parameters an authorize request may carry, each at most once. */
const AUTHORIZE_PARAMETERS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "state",
  "scope",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "identity_provider",
  "idp_identifier",
  "prompt",
  "lang",
] as const;

/** The longest value a parameter may have; a longer one is refused, never reflected. */
const MAX_PARAMETER_LENGTH = 4096;

/** The user pool's own directory, as SupportedIdentityProviders and `identity_provider` name it. */
const COGNITO = "COGNITO";

/** A checked authorize request. */
export interface AuthorizeRequest {
  readonly clientId: string;
  readonly responseType: "code" | "token";
  readonly redirectUri: string;
  readonly state?: string | undefined;
  readonly scopes: readonly string[];
  readonly nonce?: string | undefined;
  readonly codeChallenge?: string | undefined;
  readonly codeChallengeMethod?: "S256" | undefined;
  /**
   * `prompt=none`: answer only from an existing session; `prompt=login`: always ask. Set only on
   * a managed login domain (version 2): the classic hosted UI takes no `prompt`.
   */
  readonly prompt?: "none" | "login" | undefined;
  /**
   * The `lang` asked for, as sent: the pages choose their language from it (and the language
   * cookie). Set only on a managed login domain (version 2): the classic hosted UI is English
   * only (docs/decisions/0022-managed-login-localization.md).
   */
  readonly lang?: string | undefined;
  /**
   * Who signs the user in: `COGNITO` (the pages, asked for by name), the ProviderName of an
   * upstream provider (`identity_provider`, or the one whose IdpIdentifiers has `idp_identifier`):
   * the browser is sent on to it; undefined: the login page offers what the client supports.
   */
  readonly identityProvider: string | undefined;
}

/** What checking an authorize request gives. */
export type AuthorizeCheck =
  | { kind: "ok"; client: StoredClient; request: AuthorizeRequest }
  /** No trusted redirect_uri: show an error page (Cognito's /error), never redirect. */
  | { kind: "page"; error: string; description: string }
  /** A trusted redirect_uri: send the error back to the app. */
  | { kind: "redirect"; location: string; error: OAuthErrorCode; description: string };

/** The single value of each known parameter, or the name of the first one sent twice or too long. */
export function singleParameters(
  query: URLSearchParams,
  names: readonly string[],
): { values: Map<string, string> } | { problem: string } {
  const values = new Map<string, string>();
  for (const name of names) {
    const all = query.getAll(name);
    if (all.length > 1) return { problem: `${name} was sent more than once` };
    const v = all[0];
    if (v === undefined) continue;
    if (v.length > MAX_PARAMETER_LENGTH)
      return { problem: `${name} is longer than ${MAX_PARAMETER_LENGTH} characters` };
    values.set(name, v);
  }
  return { values };
}

/** `uri` with `params` added to its query (`"query"`) or as its fragment (`"fragment"`). */
function redirectTo(uri: string, params: Record<string, string | undefined>, where: "query" | "fragment"): string {
  const url = new URL(uri);
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (where === "query") {
    for (const [k, v] of entries) url.searchParams.append(k, v);
    return url.toString();
  }
  url.hash = new URLSearchParams(entries).toString();
  return url.toString();
}

/** RFC 7636's code_challenge: 43 to 128 unreserved characters (S256's is 43). */
const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Checks an authorize request against the pool the domain belongs to, in Cognito's order: the
 * client and the redirect_uri first (an error page when either is wrong), then everything else
 * (an error redirect). `managedLoginVersion` is the domain's: `prompt` is managed login's (2)
 * only, "not in the classic hosted UI" (1), which ignores it; so is `lang`: the classic pages
 * are English only.
 */
export function checkAuthorizeRequest(
  ctx: Pick<OperationContext, "store">,
  pool: StoredPool,
  query: URLSearchParams,
  managedLoginVersion: number,
): AuthorizeCheck {
  const page = (description: string, error = "invalid_request"): AuthorizeCheck => ({
    kind: "page",
    error,
    description,
  });
  const single = singleParameters(query, AUTHORIZE_PARAMETERS);
  if ("problem" in single) return page(single.problem);
  const p = single.values;
  const clientId = p.get("client_id");
  if (!clientId) return page("client_id is required");
  const client = ctx.store.getClient(clientId);
  if (!client || client.poolId !== pool.id)
    return page(`no app client ${clientId} in this user pool`, "invalid_client");
  const redirectUri = p.get("redirect_uri");
  const callbacks = (client.client.CallbackURLs ?? []) as readonly string[];
  if (!redirectUri || !callbacks.includes(redirectUri))
    return page(
      redirectUri ? "redirect_uri is not a callback URL of the app client" : "redirect_uri is required",
      "redirect_mismatch",
    );
  // Registered, but not a URL a browser can be sent to (a record from before the client checks).
  if (!URL.canParse(redirectUri) || /[\r\n\0]/.test(redirectUri))
    return page("redirect_uri is not a URL the browser can be sent to", "redirect_mismatch");

  const state = p.get("state");
  const fail = (error: OAuthErrorCode, description: string): AuthorizeCheck => ({
    kind: "redirect",
    location: redirectTo(redirectUri, { error, state }, "query"),
    error,
    description,
  });
  const responseType = p.get("response_type");
  if (!responseType) return fail("invalid_request", "response_type is required");
  if (responseType !== "code" && responseType !== "token")
    return fail("unsupported_response_type", "response_type must be code or token");
  if (!allowsOAuthFlow(client, responseType === "code" ? "code" : "implicit"))
    return fail("unauthorized_client", `the app client does not allow response_type ${responseType}`);
  const supported = (client.client.SupportedIdentityProviders ?? []) as readonly string[];
  const provider = p.get("identity_provider");
  const identifier = p.get("idp_identifier");
  let identityProvider: string | undefined;
  if (provider === COGNITO) {
    if (!supported.includes(COGNITO))
      return fail("unauthorized_client", "the app client does not list COGNITO in SupportedIdentityProviders");
    identityProvider = COGNITO;
  } else if (provider !== undefined) {
    if (identityProviderOf(pool, provider) === undefined || !supported.includes(provider))
      return fail("invalid_request", `identity_provider ${provider} is not an identity provider of the app client`);
    identityProvider = provider;
  } else if (identifier !== undefined) {
    const found = identityProviderByIdentifier(pool, identifier)?.provider.ProviderName;
    if (found === undefined || !supported.includes(found))
      return fail("invalid_request", `idp_identifier ${identifier} names no identity provider of the app client`);
    identityProvider = found;
  } else if (!supported.some((name) => name === COGNITO || identityProviderOf(pool, name) !== undefined))
    return fail("unauthorized_client", "the app client lists no identity provider in SupportedIdentityProviders");
  let scopes: string[];
  try {
    scopes = userScopes(pool, client, p.get("scope"));
  } catch (e) {
    if (e instanceof OAuthError) return fail(e.error, e.description);
    throw e;
  }
  const challenge = p.get("code_challenge");
  const method = p.get("code_challenge_method");
  if (challenge !== undefined || method !== undefined) {
    if (challenge === undefined || challenge === "")
      return fail("invalid_request", "code_challenge is required with code_challenge_method");
    if (method === undefined) return fail("invalid_request", "code_challenge_method is required with code_challenge");
    if (method !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
    if (!CHALLENGE.test(challenge))
      return fail("invalid_request", "code_challenge is not 43 to 128 unreserved characters");
  }
  // Space-separated values (`login consent`). `consent` and `select_account` are for federated
  // providers and change nothing for the pool's own users; `none` with another value is
  // OpenID Connect's invalid_request.
  const prompts =
    managedLoginVersion === 2 ? new Set((p.get("prompt") ?? "").split(" ").filter((s) => s !== "")) : new Set();
  if (prompts.has("none") && prompts.size > 1) return fail("invalid_request", "prompt none cannot be combined");
  return {
    kind: "ok",
    client,
    request: {
      clientId,
      responseType,
      redirectUri,
      state,
      scopes,
      nonce: p.get("nonce"),
      ...(challenge !== undefined ? { codeChallenge: challenge, codeChallengeMethod: "S256" as const } : {}),
      prompt: prompts.has("none") ? "none" : prompts.has("login") ? "login" : undefined,
      lang: managedLoginVersion === 2 ? p.get("lang") : undefined,
      identityProvider,
    },
  };
}

/** The error redirect for a checked request (prompt=none without a session, a user refused). */
export function authorizeError(request: AuthorizeRequest, error: OAuthErrorCode): string {
  return redirectTo(request.redirectUri, { error, state: request.state }, "query");
}

/**
 * The error redirect of a federated sign-in that failed (the provider refused, answered an
 * error or garbage, or its answer did not verify): `error_description`, `error` (the provider's
 * own code when it sent one) and the app's `state`, as Cognito sends them.
 */
export function federationError(request: AuthorizeRequest, error: string, description: string): string {
  return redirectTo(request.redirectUri, { error_description: description, error, state: request.state }, "query");
}

/** Whether the app client signs in the pool's own users (COGNITO in SupportedIdentityProviders). */
export function allowsCognito(client: StoredClient): boolean {
  return ((client.client.SupportedIdentityProviders ?? []) as readonly string[]).includes(COGNITO);
}

/**
 * Completes a checked request for a signed-in user: a one-time code on the query (code grant), or
 * the tokens in the fragment (implicit grant: no refresh token). Answers the redirect.
 */
export async function completeAuthorize(
  ctx: OperationContext,
  pool: StoredPool,
  client: StoredClient,
  request: AuthorizeRequest,
  user: StoredUser,
  authTime: number,
): Promise<string> {
  if (request.responseType === "code") {
    const code = ctx.oauth.issueCode({
      poolId: pool.id,
      clientId: request.clientId,
      sub: user.sub,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      authTime,
    });
    return redirectTo(request.redirectUri, { code: code.code, state: request.state }, "query");
  }
  const oauth = { scopes: request.scopes, nonce: request.nonce, authTime };
  const custom = await preTokenGeneration(ctx, pool, client, user, {
    source: "TokenGeneration_HostedAuth",
    scopes: request.scopes,
  });
  const t = await signIn(ctx, pool, client, user, oauth, custom);
  return redirectTo(
    request.redirectUri,
    {
      ...(request.scopes.includes("openid") ? { id_token: t.IdToken } : {}),
      access_token: t.AccessToken,
      token_type: "Bearer",
      expires_in: String(t.ExpiresIn),
      state: request.state,
    },
    "fragment",
  );
}
