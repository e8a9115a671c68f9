// The token endpoint's grants (POST /oauth2/token): authorization_code (with PKCE), refresh_token
// and client_credentials, with Cognito's error codes (docs/decisions/0016-oauth-endpoints.md).
import { createHash, timingSafeEqual } from "node:crypto";
import type { OperationContext } from "../../context.js";
import { CognitoError } from "../../core/errors.js";
import type { StoredClient, StoredPool } from "../../store/types.js";
import { clientCredentialsToken, refreshSession, signIn } from "../../tokens/issue.js";
import { checkRefreshDevice } from "../devices.js";
import { refreshCustomization, resolveRefreshSession, rotatesRefreshTokens } from "../flows.js";
import { clientCredentialsTokenGeneration, preTokenGeneration } from "../triggers/pre-token-generation.js";
import { authenticateClient, type PresentedClient } from "./client-auth.js";
import { oauthError } from "./errors.js";
import { clientCredentialsScopes } from "./scopes.js";

/** What the token endpoint answers, in the order Cognito's answer lists its members. */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: "Bearer";
}

type Flow = "code" | "implicit" | "client_credentials";

/** True when the client may use an OAuth flow: OAuth on (AllowedOAuthFlowsUserPoolClient) and the flow listed. */
export function allowsOAuthFlow(client: Pick<StoredClient, "client">, flow: Flow): boolean {
  return (
    client.client.AllowedOAuthFlowsUserPoolClient === true &&
    ((client.client.AllowedOAuthFlows ?? []) as readonly string[]).includes(flow)
  );
}

/** RFC 7636's code_verifier: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function pkceMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** A CognitoError of the sign-in code (a user gone, a refresh token refused) as `invalid_grant`. */
function asInvalidGrant(e: unknown): never {
  if (e instanceof CognitoError) throw oauthError("invalid_grant", e.message);
  throw e;
}

/**
 * `aws_client_metadata`: URL-encoded JSON of string values that the token endpoint hands to the
 * pre token generation trigger as its `clientMetadata`. Undefined when absent.
 */
function clientMetadataOf(params: ReadonlyMap<string, string>): Record<string, string> | undefined {
  const raw = params.get("aws_client_metadata");
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw oauthError("invalid_request", "aws_client_metadata is not JSON");
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === "string")
  )
    throw oauthError("invalid_request", "aws_client_metadata is not a JSON object of strings");
  return parsed as Record<string, string>;
}

/**
 * Answers a token request: the form's parameters (each at most once; the HTTP layer checks)
 * and the client credentials it presents. Throws OAuthError.
 */
export async function tokenGrant(
  ctx: OperationContext,
  pool: StoredPool,
  params: ReadonlyMap<string, string>,
  presented: PresentedClient,
): Promise<TokenResponse> {
  const grantType = params.get("grant_type");
  if (grantType === undefined || grantType === "") throw oauthError("invalid_request", "grant_type is required");
  if (grantType !== "authorization_code" && grantType !== "refresh_token" && grantType !== "client_credentials")
    throw oauthError("unsupported_grant_type", `grant_type ${grantType} is not supported`);
  const client = authenticateClient(ctx, pool, presented);
  if (grantType === "authorization_code") return codeGrant(ctx, pool, client, params);
  if (grantType === "refresh_token") return refreshGrant(ctx, pool, client, params);
  return clientCredentialsGrant(ctx, pool, client, params);
}

async function codeGrant(
  ctx: OperationContext,
  pool: StoredPool,
  client: StoredClient,
  params: ReadonlyMap<string, string>,
): Promise<TokenResponse> {
  if (!allowsOAuthFlow(client, "code"))
    throw oauthError("unauthorized_client", "the app client does not allow the authorization code grant");
  const code = params.get("code");
  const redirectUri = params.get("redirect_uri");
  if (!code) throw oauthError("invalid_request", "code is required");
  if (!redirectUri) throw oauthError("invalid_request", "redirect_uri is required");
  // Cognito answers a redirect_uri that is not one of the client's callback URLs this way.
  if (!((client.client.CallbackURLs ?? []) as readonly string[]).includes(redirectUri))
    throw oauthError("unauthorized_client", "redirect_uri is not a callback URL of the app client");
  // Spent by any attempt, right or wrong: a code is good for one request.
  const grant = ctx.oauth.redeemCode(code);
  if (!grant || grant.poolId !== pool.id) throw oauthError("invalid_grant", "the code is unknown, used or expired");
  if (grant.clientId !== client.client.ClientId)
    throw oauthError("invalid_grant", "the code was issued to another client");
  if (grant.redirectUri !== redirectUri)
    throw oauthError("invalid_grant", "redirect_uri is not the one of the authorize request");
  if (grant.codeChallenge !== undefined) {
    const verifier = params.get("code_verifier");
    if (!verifier) throw oauthError("invalid_request", "code_verifier is required: the code was requested with PKCE");
    if (!pkceMatches(verifier, grant.codeChallenge))
      throw oauthError("invalid_grant", "code_verifier does not match the code_challenge");
  }
  const user = ctx.store.getUserBySub(pool.id, grant.sub);
  if (!user) throw oauthError("invalid_grant", "the user no longer exists");
  if (!user.enabled) throw oauthError("invalid_grant", "the user is disabled");
  const oauth = { scopes: grant.scopes, nonce: grant.nonce, authTime: grant.authTime };
  // The managed login sign-in's tokens: its pre token generation trigger runs here, where they
  // are minted (a failing one spends the code and issues nothing).
  const result = await preTokenGeneration(ctx, pool, client, user, {
    source: "TokenGeneration_HostedAuth",
    scopes: grant.scopes,
    clientMetadata: clientMetadataOf(params),
  })
    .then((custom) => signIn(ctx, pool, client, user, oauth, custom))
    .catch(asInvalidGrant);
  return {
    ...(grant.scopes.includes("openid") ? { id_token: result.IdToken! } : {}),
    access_token: result.AccessToken!,
    refresh_token: result.RefreshToken!,
    expires_in: result.ExpiresIn!,
    token_type: "Bearer",
  };
}

async function refreshGrant(
  ctx: OperationContext,
  pool: StoredPool,
  client: StoredClient,
  params: ReadonlyMap<string, string>,
): Promise<TokenResponse> {
  // A rotating client refreshes here (and with GetTokensFromRefreshToken) whatever its
  // ExplicitAuthFlows: AWS has REFRESH_TOKEN_AUTH turned off on such clients (decision 0016).
  if (
    !rotatesRefreshTokens(client) &&
    !((client.client.ExplicitAuthFlows ?? []) as readonly string[]).includes("ALLOW_REFRESH_TOKEN_AUTH")
  )
    throw oauthError("unauthorized_client", "the app client does not allow refreshing tokens");
  const token = params.get("refresh_token");
  if (!token) throw oauthError("invalid_request", "refresh_token is required");
  // As GetTokensFromRefreshToken: one refresh of a session at a time, so rotation loses nothing.
  const key = ctx.store.getSessionByRefreshToken(token)?.originJti ?? "unknown";
  return ctx.locks.run(`session/${key}`, async () => {
    let resolved: ReturnType<typeof resolveRefreshSession>;
    try {
      // The client authenticated already: no SECRET_HASH to check here.
      resolved = resolveRefreshSession(ctx, pool, client, token, () => undefined);
    } catch (e) {
      asInvalidGrant(e);
    }
    const { session, user } = resolved;
    // A session bound to a device refreshes here only with that device's confirmed key, as
    // REFRESH_TOKEN_AUTH does (the `device_key` parameter; docs/decisions/0019-remembered-devices.md).
    try {
      checkRefreshDevice(user, session, params.get("device_key"));
    } catch (e) {
      asInvalidGrant(e);
    }
    const rotation = client.client.RefreshTokenRotation;
    const rotate = rotatesRefreshTokens(client)
      ? { gracePeriodSeconds: rotation?.RetryGracePeriodSeconds ?? 0 }
      : undefined;
    const result = await refreshCustomization(ctx, pool, client, user, session, clientMetadataOf(params))
      .then((custom) => refreshSession(ctx, pool, client, user, session, rotate, custom))
      .catch(asInvalidGrant);
    const withId = session.scopes === undefined || session.scopes.includes("openid");
    return {
      ...(withId ? { id_token: result.IdToken! } : {}),
      access_token: result.AccessToken!,
      ...(result.RefreshToken ? { refresh_token: result.RefreshToken } : {}),
      expires_in: result.ExpiresIn!,
      token_type: "Bearer" as const,
    };
  });
}

async function clientCredentialsGrant(
  ctx: OperationContext,
  pool: StoredPool,
  client: StoredClient,
  params: ReadonlyMap<string, string>,
): Promise<TokenResponse> {
  if (!client.client.ClientSecret)
    throw oauthError("unauthorized_client", "client_credentials needs an app client with a secret");
  if (!allowsOAuthFlow(client, "client_credentials"))
    throw oauthError("unauthorized_client", "the app client does not allow the client_credentials grant");
  const scopes = clientCredentialsScopes(pool, client, params.get("scope"));
  // A version 3 pre token generation trigger customises machine-to-machine tokens too.
  const custom = await clientCredentialsTokenGeneration(ctx, pool, client, scopes, clientMetadataOf(params)).catch(
    (e: unknown) => {
      if (e instanceof CognitoError) throw oauthError("invalid_request", e.message);
      throw e;
    },
  );
  const t = await clientCredentialsToken(ctx, pool, client, scopes, custom);
  return { access_token: t.accessToken, expires_in: t.expiresIn, token_type: "Bearer" };
}
