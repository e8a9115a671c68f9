// Sign-in through an upstream identity provider, the browser's side: /oauth2/authorize with
// `identity_provider` or `idp_identifier` sends the browser to the provider (its protocol's
// start, the round trip remembered under a fresh state bound to this browser), and the
// provider's answer at /oauth2/idpresponse (GET, or POST for a form_post provider; SAML's
// /saml2/idpresponse uses the same handler, its RelayState as the state) is verified by the
// protocol, turned into the pool's user (federatedSignIn), and ends like every other sign-in:
// a managed login session and the code on the redirect to the app (docs/federation.md).
import type { Context } from "hono";
import { CognitoError } from "../../core/errors.js";
import type { FederationProvider, UpstreamIdentity } from "../../domain/federation/contract.js";
import { upstreamProtocol } from "../../domain/federation/protocols.js";
import { UpstreamError } from "../../domain/federation/upstream.js";
import { federatedSignIn } from "../../domain/federation/users.js";
import { identityProviderOf } from "../../domain/identity-providers.js";
import { type AuthorizeRequest, checkAuthorizeRequest, federationError } from "../../domain/oauth/authorize.js";
import { newOpaque } from "../../services/ids.js";
import type { StoredClient } from "../../store/types.js";
import { authorize, checkRequest, errorPage, finish, type HostedDeps, type PageHandler, redirect } from "./flows.js";
import { pageLanguage } from "./i18n.js";
import { browserCookie, browserOf, formOf, type Site, siteContext } from "./site.js";

/** What Cognito's error page says for a state it did not issue, has seen, or has let expire. */
const INVALID_STATE = "Invalid state";

/** The longest state the emulator issues (it issues base64url of 32 bytes). */
const STATE = /^[A-Za-z0-9_-]{1,128}$/;

function failed(c: Context, deps: HostedDeps, request: AuthorizeRequest, e: UpstreamError): Response {
  deps.services.log.info(`cognito-twin: federated sign-in ${e.error}: ${e.description}`);
  return redirect(c, federationError(request, e.error, e.description));
}

/** Sends the browser to the provider the checked request names. */
async function startAtProvider(
  c: Context,
  site: Site,
  deps: HostedDeps,
  request: AuthorizeRequest,
  query: URLSearchParams,
  name: string,
): Promise<Response> {
  const provider = identityProviderOf(site.pool, name);
  const protocol = upstreamProtocol(provider?.provider.ProviderType);
  if (!provider || !protocol)
    return failed(c, deps, request, new UpstreamError("invalid_request", `${name} cannot be signed in with here`));
  const { browser } = browserOf(c, deps.services, site);
  const draft = {
    state: newOpaque(32),
    poolId: site.pool.id,
    clientId: request.clientId,
    browser,
    provider: name,
    query: query.toString(),
    domainBase: `${site.origin}${site.prefix}`,
    nonce: newOpaque(24),
    data: {},
  };
  let started: { url: string; data?: Readonly<Record<string, string>> };
  try {
    started = await protocol.start(siteContext(deps.services, c, site), site.pool, provider, draft);
  } catch (e) {
    if (e instanceof UpstreamError) return failed(c, deps, request, e);
    throw e;
  }
  deps.services.oauth.startUpstream({ ...draft, data: started.data ?? {} });
  return redirect(c, withPrompt(started.url, provider.provider.ProviderType, query, site));
}

/** The `prompt` values Cognito passes on to an OIDC or social provider. */
const UPSTREAM_PROMPTS: ReadonlySet<string> = new Set(["login", "consent", "select_account"]);

/**
 * The upstream's sign-in URL with the app's `prompt`: Cognito's authorize endpoint says
 * `select_account` and `consent` have "no effect on local sign-in and must be submitted in
 * requests that redirect to IdPs", so they (and `login`) go on to an OIDC or social provider's
 * authorize URL. `prompt` is managed login's (version 2), as on the pool's own sign-in; SAML
 * has no such parameter (docs/decisions/0018-federation.md).
 */
function withPrompt(url: string, type: string | undefined, query: URLSearchParams, site: Site): string {
  if (type === "SAML" || site.domain.managedLoginVersion !== 2) return url;
  const prompts = (query.get("prompt") ?? "").split(" ").filter((p) => UPSTREAM_PROMPTS.has(p));
  if (prompts.length === 0) return url;
  const upstream = new URL(url);
  upstream.searchParams.set("prompt", [...new Set(prompts)].join(" "));
  return upstream.toString();
}

/**
 * GET /oauth2/authorize: to the provider when the request names one; otherwise managed login
 * (a session's answer, or the login page with the client's providers' buttons).
 */
export const authorizeOrFederate: PageHandler = async (c, site, deps) => {
  const query = new URL(c.req.url).searchParams;
  const checked = checkAuthorizeRequest(deps.services, site.pool, query, site.domain.managedLoginVersion);
  const name = checked.kind === "ok" ? checked.request.identityProvider : undefined;
  if (checked.kind !== "ok" || name === undefined || name === "COGNITO") return authorize(c, site, deps);
  // The language is chosen here too, for the pages after the provider's answer (an error page).
  pageLanguage(c, site, checked.request.lang);
  return startAtProvider(c, site, deps, checked.request, query, name);
};

/** The provider's answer: the query of a GET, the form of a POST. */
async function answerOf(c: Context): Promise<URLSearchParams | undefined> {
  if (c.req.method !== "POST") return new URL(c.req.url).searchParams;
  return formOf(c);
}

/**
 * GET or POST /oauth2/idpresponse (and /saml2/idpresponse): the provider's answer to a sign-in
 * this browser started. A state that is unknown, replayed, expired, another pool's or another
 * browser's ends on the error page; everything after that goes back to the app's callback.
 */
export const idpResponse: PageHandler = async (c, site, deps) => {
  const params = await answerOf(c);
  if (!params) return errorPage(c, site, "invalid_request", "Send the form as application/x-www-form-urlencoded.");
  const states = [...params.getAll("state"), ...params.getAll("RelayState")];
  const state = states.length === 1 ? states[0]! : undefined;
  const flow = state !== undefined && STATE.test(state) ? deps.services.oauth.takeUpstream(state) : undefined;
  // A cross-site form post carries no SameSite=Lax cookie; a GET (a redirect) always does.
  const browser = browserCookie(c);
  const sameBrowser = browser === flow?.browser || (c.req.method === "POST" && browser === undefined);
  // A sign-out's state (/saml2/logout's) is no sign-in's.
  if (!flow || flow.poolId !== site.pool.id || !sameBrowser || flow.data.samlLogoutRequestId !== undefined) {
    deps.services.log.info("cognito-twin: idpresponse with an unknown, used, expired or another browser's state");
    return errorPage(c, site, "invalid_request", INVALID_STATE);
  }
  const checked = checkRequest(c, site, deps, new URLSearchParams(flow.query), false);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  if (request.identityProvider !== flow.provider) return errorPage(c, site, "invalid_request", INVALID_STATE);
  const provider = identityProviderOf(site.pool, flow.provider);
  const protocol = upstreamProtocol(provider?.provider.ProviderType);
  if (!provider || !protocol)
    return failed(c, deps, request, new UpstreamError("invalid_request", `${flow.provider} is no longer a provider`));
  const ctx = siteContext(deps.services, c, site);
  let identity: UpstreamIdentity;
  try {
    identity = await protocol.finish(ctx, site.pool, provider, flow, params);
  } catch (e) {
    if (e instanceof UpstreamError) return failed(c, deps, request, e);
    throw e;
  }
  return signInAs(c, site, deps, client, request, provider, identity);
};

/** The pool's user for the identity (created, updated or linked), signed in. */
export async function signInAs(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  provider: FederationProvider,
  identity: UpstreamIdentity,
): Promise<Response> {
  const ctx = siteContext(deps.services, c, site);
  try {
    const user = await federatedSignIn(ctx, site.pool, client, provider, identity);
    if (!user.enabled) throw new UpstreamError("invalid_request", "User is disabled.");
    // A SAML sign-in's IdP session goes with the managed login session, for /logout (IDPSignout).
    const saml = identity.saml ? { provider: provider.provider.ProviderName!, ...identity.saml } : undefined;
    return await finish(c, site, deps, client, request, user, true, undefined, saml);
  } catch (e) {
    if (e instanceof UpstreamError) return failed(c, deps, request, e);
    // A trigger's refusal, a mapped attribute the pool refuses...: Cognito's message to the app.
    if (e instanceof CognitoError) return failed(c, deps, request, new UpstreamError("invalid_request", e.message));
    throw e;
  }
}
