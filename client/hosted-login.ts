// Sign-in on the pool's managed login pages (the hosted UI): the authorization code grant with
// PKCE, state and nonce, through openid-client. The pool's OIDC discovery document names the
// issuer and the keys the id token is checked against; the configured domain is where the
// browser goes (authorize, logout) and where codes are redeemed, so the session cookie the pages
// set and the logout that clears it are on the same base, whichever form of the domain is used.
import * as oidc from "openid-client";
import { type AuthTokens, ClientConfigError, type CognitoFailure, type CognitoResult } from "./cognito-client.js";

/** Where and as whom the app signs users in on the managed login pages. */
export interface HostedLoginConfig {
  readonly clientId: string;
  /** The app client's secret, if it has one (sent with HTTP Basic, as Cognito recommends). */
  readonly clientSecret?: string;
  /**
   * The domain's base URL: `https://myapp.auth.eu-west-1.amazoncognito.com`, a custom domain, or
   * on the emulator `http://127.0.0.1:9229/_domain/myapp`.
   */
  readonly domain: string;
  /** Where the pages send the browser back with the code: one of the client's callback URLs. */
  readonly callbackUrl: string;
  /** Where the domain's /logout sends the browser: one of the client's sign-out URLs. */
  readonly logoutUrl: string;
  /** Space-separated scopes; absent: every scope the client allows (Cognito's default). */
  readonly scope?: string;
  /**
   * The client's identity providers besides `COGNITO` that the app offers a button for
   * (`["Google"]`): each sends the browser through that provider (`identity_provider`).
   */
  readonly identityProviders?: readonly string[];
  /**
   * The pool's discovery document: `<COGNITO_ENDPOINT>/<pool>/.well-known/openid-configuration` on
   * the emulator, `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/openid-configuration` on AWS.
   */
  readonly discoveryUrl: string;
}

/** What the app keeps between sending the browser away and its coming back (in a cookie). */
export interface HostedTransaction {
  /** PKCE's code_verifier (RFC 7636). */
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

/** Knobs for tests: how the discovery document and the token endpoint are fetched. */
export interface HostedLoginOptions {
  readonly fetch?: typeof fetch;
  /** Seconds before a request to Cognito is given up (default 10). */
  readonly timeoutSeconds?: number;
}

function urlSetting(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClientConfigError(`${name} "${value}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ClientConfigError(`${name} must be http or https, not ${url.protocol}`);
  return value;
}

/**
 * Reads the hosted login's settings: `COGNITO_DOMAIN` (unset: no hosted login, answers undefined),
 * `COGNITO_CALLBACK_URL` (required with it), optional `COGNITO_LOGOUT_URL` (default: the callback's
 * origin + `/`), `COGNITO_OAUTH_SCOPES` and `COGNITO_IDENTITY_PROVIDERS` (`Google`, comma or space
 * separated); the client, its secret, the pool and the emulator's
 * URL are the app's own (`clientConfigFromEnv`), so the hosted session's tokens pass the same checks.
 */
export function hostedConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  app: { region: string; userPoolId: string; clientId: string; clientSecret?: string; endpoint?: string },
): HostedLoginConfig | undefined {
  if (!env.COGNITO_DOMAIN) return undefined;
  const domain = urlSetting("COGNITO_DOMAIN", env.COGNITO_DOMAIN).replace(/\/+$/, "");
  if (!env.COGNITO_CALLBACK_URL)
    throw new ClientConfigError(
      "COGNITO_CALLBACK_URL is required with COGNITO_DOMAIN (one of the client's callback URLs, like http://localhost:5000/callback)",
    );
  const callbackUrl = urlSetting("COGNITO_CALLBACK_URL", env.COGNITO_CALLBACK_URL);
  const logoutUrl = env.COGNITO_LOGOUT_URL
    ? urlSetting("COGNITO_LOGOUT_URL", env.COGNITO_LOGOUT_URL)
    : `${new URL(callbackUrl).origin}/`;
  const scope = env.COGNITO_OAUTH_SCOPES?.trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(" ");
  const identityProviders = env.COGNITO_IDENTITY_PROVIDERS?.split(/[\s,]+/).filter(Boolean) ?? [];
  return {
    clientId: app.clientId,
    ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}),
    domain,
    callbackUrl,
    logoutUrl,
    ...(scope ? { scope } : {}),
    ...(identityProviders.length > 0 ? { identityProviders } : {}),
    discoveryUrl: discoveryUrlFor(app),
  };
}

/** The pool's discovery document: the emulator's copy when `endpoint` is set, else Cognito's. */
export function discoveryUrlFor(app: { region: string; userPoolId: string; endpoint?: string }): string {
  const base = app.endpoint
    ? `${app.endpoint.replace(/\/+$/, "")}/${app.userPoolId}`
    : `https://cognito-idp.${app.region}.amazonaws.com/${app.userPoolId}`;
  return `${base}/.well-known/openid-configuration`;
}

/**
 * The authorization code grant against one pool's domain. Discovery happens on first use and is
 * kept (a failed one is tried again next time).
 *
 * @example
 * const hosted = new HostedLogin(hostedConfigFromEnv(process.env, config)!);
 * const { url, transaction } = await hosted.start();   // send the browser to url
 * const tokens = await hosted.finish(callbackQuery, transaction);
 */
export class HostedLogin {
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    readonly settings: HostedLoginConfig,
    private readonly options: HostedLoginOptions = {},
  ) {}

  /** The path the app must answer the callback on (`/callback` for `http://localhost:5000/callback`). */
  get callbackPath(): string {
    return new URL(this.settings.callbackUrl).pathname;
  }

  /**
   * A new authorize URL and the transaction to keep until the browser comes back; with
   * `identityProvider` (one of the settings' `identityProviders`) the pages send the browser
   * straight to that provider.
   */
  async start(identityProvider?: string): Promise<CognitoResult<{ url: string; transaction: HostedTransaction }>> {
    const configuration = await this.configuration();
    if (!configuration.ok) return configuration;
    const verifier = oidc.randomPKCECodeVerifier();
    const transaction = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(configuration.value, {
      response_type: "code",
      redirect_uri: this.settings.callbackUrl,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: transaction.state,
      nonce: transaction.nonce,
      ...(this.settings.scope ? { scope: this.settings.scope } : {}),
      ...(identityProvider ? { identity_provider: identityProvider } : {}),
    });
    return { ok: true, value: { url: url.href, transaction } };
  }

  /**
   * Checks the callback's query (state; an `error` Cognito sent back) and redeems its code with
   * the verifier; openid-client checks the id token (issuer, audience, nonce, expiry, at_hash).
   */
  async finish(query: string | URLSearchParams, transaction: HostedTransaction): Promise<CognitoResult<AuthTokens>> {
    const configuration = await this.configuration();
    if (!configuration.ok) return configuration;
    const current = new URL(this.settings.callbackUrl);
    current.search = new URLSearchParams(query).toString();
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration.value, current, {
        pkceCodeVerifier: transaction.verifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      return {
        ok: true,
        value: {
          accessToken: tokens.access_token,
          idToken: tokens.id_token ?? "",
          ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
          expiresIn: tokens.expires_in ?? 3600,
          tokenType: "Bearer",
        },
      };
    } catch (e) {
      return { ok: false, error: failureOf(e) };
    }
  }

  /** The domain's /logout: ends the managed login session, then back to the sign-out URL. */
  logoutUrl(): string {
    const query = new URLSearchParams({ client_id: this.settings.clientId, logout_uri: this.settings.logoutUrl });
    return `${this.settings.domain}/logout?${query}`;
  }

  private configuration(): Promise<CognitoResult<oidc.Configuration>> {
    this.#configuration ??= this.discover();
    return this.#configuration.then(
      (value) => ({ ok: true as const, value }),
      (e: unknown) => {
        this.#configuration = undefined;
        return { ok: false as const, error: failureOf(e) };
      },
    );
  }

  private async discover(): Promise<oidc.Configuration> {
    const { clientId, clientSecret, domain } = this.settings;
    const discoveryUrl = new URL(this.settings.discoveryUrl);
    // Plain http only towards the emulator (a loopback or container address the settings name):
    // openid-client refuses it otherwise, as it should for anything real.
    const insecure = discoveryUrl.protocol === "http:" || domain.startsWith("http:");
    const auth = clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None();
    const timeout = this.options.timeoutSeconds ?? 10;
    // Given the document's own URL (with /.well-known/), openid-client fetches it as it is and
    // takes its issuer: the emulator's copy of an aws-style issuer (https://cognito-idp...) works.
    const discovered = await oidc.discovery(discoveryUrl, clientId, undefined, auth, {
      timeout,
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      ...(this.options.fetch ? { [oidc.customFetch]: this.options.fetch } : {}),
    });
    const { supportsPKCE: _method, ...metadata } = discovered.serverMetadata();
    const configuration = new oidc.Configuration(
      {
        ...metadata,
        authorization_endpoint: `${domain}/oauth2/authorize`,
        token_endpoint: `${domain}/oauth2/token`,
        userinfo_endpoint: `${domain}/oauth2/userInfo`,
        revocation_endpoint: `${domain}/oauth2/revoke`,
        end_session_endpoint: `${domain}/logout`,
      },
      clientId,
      undefined,
      auth,
    );
    configuration.timeout = timeout;
    if (insecure) oidc.allowInsecureRequests(configuration);
    if (this.options.fetch) configuration[oidc.customFetch] = this.options.fetch;
    return configuration;
  }
}

/** What went wrong, as the app reports Cognito's failures. */
function failureOf(e: unknown): CognitoFailure {
  if (e instanceof oidc.AuthorizationResponseError)
    // Cognito sent the browser back with ?error=... (access_denied, invalid_scope, ...).
    return { type: e.error, message: e.error_description ?? e.message, status: 401 };
  if (e instanceof oidc.ResponseBodyError)
    // The token endpoint refused: invalid_grant (a used or expired code), invalid_client, ...
    return { type: e.error, message: e.error_description ?? e.message, status: e.status >= 500 ? 502 : 400 };
  const err = e as { name?: string; code?: string; message?: string; cause?: { message?: unknown } };
  // fetch's own failures (refused, reset, a bad address) and timeouts.
  if (err.name === "TypeError" || err.name === "AbortError" || err.name === "TimeoutError")
    return { type: "NetworkError", message: `Cognito could not be reached: ${err.message ?? e}`, status: 502 };
  const detail = typeof err.cause?.message === "string" ? `${err.message}: ${err.cause.message}` : String(err.message);
  if (err.code === "OAUTH_RESPONSE_IS_NOT_JSON" || err.code === "OAUTH_RESPONSE_IS_NOT_CONFORM")
    return { type: "UnexpectedAnswer", message: detail, status: 502 };
  // A callback that does not belong to this transaction (another state, no code) or an id token
  // that fails its checks.
  return { type: "invalid_callback", message: detail, status: 400 };
}
