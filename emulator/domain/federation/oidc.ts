// The emulator as an OpenID Connect relying party to a pool's OIDC provider, through
// openid-client, the way Cognito is one ("OIDC user pool IdP authentication flow"): the endpoints
// from discovery of `oidc_issuer` at sign-in (kept as long as the provider's Cache-Control
// allows, with the JWKS), or the explicit ones in ProviderDetails, an
// authorization code request with `authorize_scopes`, state and nonce (no PKCE: Cognito sends none
// upstream), the code exchanged with client_secret_post (the one method Cognito uses), the id
// token verified (signature against the provider's JWKS, iss, aud, exp, nonce) on the emulator's
// clock, then userInfo with GET or POST per `attributes_request_method`. Google and Sign in with
// Apple reuse it with their stand-ins' endpoints (social.ts). Plain http is accepted, for local
// and in-network issuers (docs/federation.md, docs/decisions/0018-federation.md).
import type * as OpenIdClient from "openid-client";
import type { OperationContext } from "../../context.js";
import type { FederationProvider, UpstreamIdentity } from "./contract.js";
import {
  detail,
  fetchUpstream,
  oauthResponseUrl,
  providerName,
  UpstreamError,
  type UpstreamProtocol,
} from "./upstream.js";

/**
 * openid-client, imported on first use (loadOidc): most runs sign nobody in through an OIDC
 * provider, and loading it would slow every start-up (bench/startup.mjs). The build leaves it
 * out of the bundle (package.json's build:cli), so it is read from node_modules then.
 */
let oidc: typeof OpenIdClient;
let loadingOidc: Promise<typeof OpenIdClient> | undefined;

async function loadOidc(): Promise<void> {
  loadingOidc ??= import("openid-client");
  oidc ??= await loadingOidc;
}

/** Seconds an upstream request may take before the sign-in fails. */
const UPSTREAM_TIMEOUT_S = 10;

/** The id token's protocol claims: not attributes of the user. */
const PROTOCOL_CLAIMS = new Set([
  "iss",
  "aud",
  "exp",
  "iat",
  "nbf",
  "nonce",
  "at_hash",
  "c_hash",
  "s_hash",
  "azp",
  "auth_time",
  "jti",
  "sid",
]);

/** An OAuth `error` value as RFC 6749 allows it; anything else becomes invalid_request. */
const ERROR_CODE = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

/** Whether an endpoint is plain http (a local or in-network provider). */
function insecure(url: string | undefined): boolean {
  return url?.toLowerCase().startsWith("http:") ?? false;
}

/**
 * What is kept of a provider's discovery between sign-ins: the document, for as long as the
 * provider's answer allowed (`Cache-Control: max-age`, on the emulator's clock), and the JWKS
 * openid-client fetched with it (openid-client's own cache, which re-reads the keys after five
 * minutes or when a token names a key it lacks). Keyed by the stored provider record: an
 * UpdateIdentityProvider replaces the record and a DeleteIdentityProvider drops it, and with it
 * what was kept; the issuer is checked too. A failed discovery is never kept, nor a document
 * whose answer said nothing of caching (or `no-store`, `no-cache`): that provider is asked at
 * every step, as before (docs/federation.md, "OIDC providers").
 */
interface Discovered {
  readonly issuer: string;
  readonly server: OpenIdClient.ServerMetadata;
  readonly storedAt: number;
  readonly expiresAt: number;
  jwks?: OpenIdClient.ExportedJWKSCache | undefined;
}

const discovered = new WeakMap<FederationProvider, Discovered>();

/** A day: the longest the emulator keeps a discovery document, whatever max-age says. */
const MAX_DISCOVERY_AGE_S = 86_400;

/**
 * How long a response may be reused by a private cache (RFC 9111): `max-age` less `Age`, or 0
 * when it says `no-store` or `no-cache` or nothing of its freshness.
 */
export function freshnessSeconds(headers: Headers): number {
  const control = (headers.get("cache-control") ?? "").toLowerCase();
  if (/(?:^|[,\s])(?:no-store|no-cache)(?:$|[,\s=])/.test(control)) return 0;
  const maxAge = /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/.exec(control);
  if (!maxAge) return 0;
  const age = Number.parseInt(headers.get("age") ?? "0", 10);
  return Math.max(0, Math.min(MAX_DISCOVERY_AGE_S, Number(maxAge[1]) - (Number.isFinite(age) ? age : 0)));
}

/** The relying party's configuration for a provider: explicit endpoints, else discovery. */
async function configurationOf(
  ctx: OperationContext,
  provider: FederationProvider,
): Promise<OpenIdClient.Configuration> {
  const name = providerName(provider);
  const clientId = detail(provider, "client_id");
  const issuer = detail(provider, "oidc_issuer");
  if (!clientId || !issuer)
    throw new UpstreamError("invalid_request", `${name} Error - client_id and oidc_issuer are required`);
  const secret = detail(provider, "client_secret");
  // openid-client checks exp, iat and nbf against this: the emulator's clock, not the machine's.
  const skew = Math.round((ctx.clock.now() - Date.now()) / 1000);
  const metadata: Partial<OpenIdClient.ClientMetadata> = {
    ...(secret !== undefined ? { client_secret: secret } : {}),
    [oidc.clockSkew]: skew,
  };
  const auth = secret !== undefined ? oidc.ClientSecretPost(secret) : oidc.None();
  const authorize = detail(provider, "authorize_url");
  const token = detail(provider, "token_url");
  const jwks = detail(provider, "jwks_uri");
  const attributes = detail(provider, "attributes_url");
  let config: OpenIdClient.Configuration;
  if (authorize && token && jwks) {
    config = new oidc.Configuration(
      {
        issuer,
        authorization_endpoint: authorize,
        token_endpoint: token,
        jwks_uri: jwks,
        ...(attributes ? { userinfo_endpoint: attributes } : {}),
      },
      clientId,
      metadata,
      auth,
    );
    if ([issuer, authorize, token, jwks, attributes].some(insecure)) oidc.allowInsecureRequests(config);
  } else {
    const now = ctx.clock.now();
    const kept = discovered.get(provider);
    if (kept && kept.issuer === issuer && now >= kept.storedAt && now < kept.expiresAt) {
      // The document the provider let the emulator keep; the configuration (which holds the
      // emulator's clock skew) is made anew, with the keys fetched before.
      config = new oidc.Configuration(kept.server, clientId, metadata, auth);
      if (kept.jwks) oidc.setJwksCache(config, kept.jwks);
    } else {
      let freshFor = 0;
      config = await oidc.discovery(new URL(issuer), clientId, metadata, auth, {
        timeout: UPSTREAM_TIMEOUT_S,
        ...(insecure(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        // The discovery answer's headers say whether (and how long) the document may be kept;
        // the configuration's later requests pass through this too, unchanged.
        [oidc.customFetch]: async (url, init) => {
          const res = await fetchUpstream(url, init as RequestInit);
          if (url.endsWith("/.well-known/openid-configuration")) freshFor = res.ok ? freshnessSeconds(res.headers) : 0;
          return res;
        },
      });
      if (freshFor > 0) {
        const entry: Discovered = {
          issuer,
          server: config.serverMetadata(),
          storedAt: now,
          expiresAt: now + freshFor * 1000,
        };
        discovered.set(provider, entry);
      } else discovered.delete(provider);
    }
    const found = config.serverMetadata();
    if ([found.authorization_endpoint, found.token_endpoint, found.jwks_uri, found.userinfo_endpoint].some(insecure))
      oidc.allowInsecureRequests(config);
    // The keys this sign-in fetches are kept with the document (keysFetched).
    const entry = discovered.get(provider);
    if (entry) keepJwks.set(config, entry);
  }
  config.timeout = UPSTREAM_TIMEOUT_S;
  // openid-client trusts an id token from the token endpoint on TLS alone; Cognito checks its
  // signature against the provider's JWKS, and so does the emulator (over plain http too).
  oidc.enableNonRepudiationChecks(config);
  return config;
}

/** The kept discovery a configuration came from: the keys it fetched are kept there too (keysFetched). */
const keepJwks = new WeakMap<OpenIdClient.Configuration, Discovered>();

/** Keeps the JWKS a configuration fetched (while verifying an id token) with its provider's discovery. */
function keysFetched(config: OpenIdClient.Configuration): void {
  const entry = keepJwks.get(config);
  if (entry) entry.jwks = oidc.getJwksCache(config) ?? entry.jwks;
}

/** What failed upstream, as the error the app's callback gets. */
function failure(name: string, e: unknown): UpstreamError {
  if (e instanceof UpstreamError) return e;
  // (openid-client's errors exist once it is loaded; an error before that is its loading's.)
  if (oidc && (e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError)) {
    const code = ERROR_CODE.test(e.error) ? e.error : "invalid_request";
    const status = e instanceof oidc.ResponseBodyError ? ` ${e.status}` : "";
    const words = e.error_description ? ` ${e.error_description}` : "";
    return new UpstreamError(code, `${name} Error -${status} ${e.error}${words}`);
  }
  if (oidc && e instanceof oidc.WWWAuthenticateChallengeError)
    return new UpstreamError(
      "invalid_request",
      `${name} Error - ${e.status} ${e.cause.map((c) => c.parameters.error ?? c.scheme).join(" ")}`,
    );
  const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : "";
  const message = e instanceof Error ? e.message : String(e);
  return new UpstreamError("invalid_request", `${name} Error - ${message}${cause}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** userInfo with the provider's access token, by the method the provider is set up with. */
async function attributesOf(
  config: OpenIdClient.Configuration,
  provider: FederationProvider,
  accessToken: string,
  subject: string,
): Promise<Record<string, unknown>> {
  const endpoint = config.serverMetadata().userinfo_endpoint;
  if (!endpoint) return {};
  const method = (detail(provider, "attributes_request_method") ?? "GET").toUpperCase();
  if (method !== "POST") return { ...(await oidc.fetchUserInfo(config, accessToken, subject)) };
  const res = await oidc.fetchProtectedResource(config, accessToken, new URL(endpoint), "POST");
  if (!res.ok) throw new Error(`userInfo answered HTTP ${res.status}`);
  const body: unknown = await res.json().catch(() => undefined);
  if (!isObject(body)) throw new Error("userInfo did not answer a JSON object");
  if (body.sub !== subject) throw new Error("userInfo sub does not match the id token's");
  return body;
}

/** The OIDC protocol (ProviderType OIDC), also the base of the Google and Apple stand-ins. */
export const oidcProtocol: UpstreamProtocol = {
  async start(ctx, _pool, provider, flow) {
    try {
      await loadOidc();
      const config = await configurationOf(ctx, provider);
      const url = oidc.buildAuthorizationUrl(config, {
        response_type: "code",
        redirect_uri: oauthResponseUrl(flow),
        scope: detail(provider, "authorize_scopes") ?? "openid",
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.toString() };
    } catch (e) {
      throw failure(providerName(provider), e);
    }
  },

  async finish(ctx, _pool, provider, flow, params): Promise<UpstreamIdentity> {
    const name = providerName(provider);
    try {
      await loadOidc();
      const config = await configurationOf(ctx, provider);
      const current = new URL(oauthResponseUrl(flow));
      current.search = params.toString();
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      keysFetched(config);
      const claims = tokens.claims();
      if (!claims) throw new Error("the token response has no id_token");
      const info = await attributesOf(config, provider, tokens.access_token, claims.sub);
      const attributes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(claims)) if (!PROTOCOL_CLAIMS.has(k)) attributes[k] = v;
      Object.assign(attributes, info);
      // The parts as the inbound federation trigger's event carries them (tokens' own members only).
      const tokenResponse: Record<string, unknown> = {};
      for (const key of ["access_token", "id_token", "refresh_token", "token_type", "expires_in", "scope"] as const)
        if (tokens[key] !== undefined) tokenResponse[key] = tokens[key];
      return { subject: claims.sub, attributes, raw: { tokenResponse, idToken: { ...claims }, userInfo: info } };
    } catch (e) {
      throw failure(name, e);
    }
  },
};
