// POST /saml2/idpresponse: the assertion consumer service of the pool's SAML providers. An
// SP-initiated sign-in's RelayState is the emulator's upstream state (opaque), so the answer goes
// through the same handler as /oauth2/idpresponse; an IdP-initiated one carries the authorize
// parameters in its RelayState, as Cognito documents ("The IdP SAML assertion endpoint"), and is
// taken only from a provider with IDPInit (docs/federation.md).
import type { FederationProvider, UpstreamIdentity } from "../../domain/federation/contract.js";
import {
  allowsIdpInitiated,
  finishIdpInitiated,
  finishSamlSignOut,
  SamlSignInError,
} from "../../domain/federation/saml.js";
import { UpstreamError } from "../../domain/federation/upstream.js";
import { identityProviderOf } from "../../domain/identity-providers.js";
import { federationError } from "../../domain/oauth/authorize.js";
import { idpResponse, signInAs } from "./federation.js";
import { checkRequest, errorPage, type PageHandler, redirect } from "./flows.js";
import { browserCookie, formOf, type Site, siteContext } from "./site.js";

/** What Cognito shows for an unsolicited response it does not take (users' captured message). */
const INVALID_RELAY = "Invalid samlResponse or relayState from identity provider";

function samlProviderOf(site: Site, name: string | undefined): FederationProvider | undefined {
  const provider = name === undefined ? undefined : identityProviderOf(site.pool, name);
  return provider?.provider.ProviderType === "SAML" ? provider : undefined;
}

export const samlIdpResponse: PageHandler = async (c, site, deps) => {
  const form = await formOf(c);
  if (!form) return errorPage(c, site, "invalid_request", "Send the form as application/x-www-form-urlencoded.");
  const relays = form.getAll("RelayState");
  // An SP-initiated sign-in: RelayState is a state the emulator issued (base64url, no `=`).
  if (relays.length !== 1 || !relays[0]!.includes("=")) return idpResponse(c, site, deps);

  const checked = checkRequest(c, site, deps, new URLSearchParams(relays[0]), false);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  const provider = samlProviderOf(site, request.identityProvider);
  if (!provider || !allowsIdpInitiated(provider.provider.ProviderDetails ?? {})) {
    deps.services.log.info("cognito-twin: unsolicited SAML response for a provider without IDPInit");
    return errorPage(c, site, "invalid_request", INVALID_RELAY);
  }
  const responses = form.getAll("SAMLResponse");
  let identity: UpstreamIdentity;
  try {
    identity = await finishIdpInitiated(
      siteContext(deps.services, c, site),
      site.pool,
      provider,
      `${site.origin}${site.prefix}`,
      responses.length === 1 ? responses[0]! : "",
    );
  } catch (e) {
    if (!(e instanceof UpstreamError)) throw e;
    deps.services.log.info(`cognito-twin: IdP-initiated SAML sign-in ${e.error}: ${e.description}`);
    return redirect(c, federationError(request, e.error, e.description));
  }
  return signInAs(c, site, deps, client, request, provider, identity);
};

/**
 * POST /saml2/logout: the IdP's LogoutResponse to the LogoutRequest /logout sent (IDPSignout),
 * its RelayState the sign-out's state. Verified (signature, issuer, InResponseTo, status), it
 * goes on to where /logout was asked to go: the app's logout_uri or the sign-in page.
 */
export const samlLogout: PageHandler = async (c, site, deps) => {
  const form = await formOf(c);
  if (!form) return errorPage(c, site, "invalid_request", "Send the form as application/x-www-form-urlencoded.");
  const relays = form.getAll("RelayState");
  const state = relays.length === 1 && /^[A-Za-z0-9_-]{1,128}$/.test(relays[0]!) ? relays[0]! : undefined;
  const flow = state === undefined ? undefined : deps.services.oauth.takeUpstream(state);
  const requestId = flow?.data.samlLogoutRequestId;
  const next = flow?.data.next;
  // A cross-site form post carries no SameSite=Lax cookie; one that does must be the same browser's.
  const browser = browserCookie(c);
  if (!flow || requestId === undefined || next === undefined || flow.poolId !== site.pool.id) {
    deps.services.log.info("cognito-twin: saml2/logout with an unknown, used or expired RelayState");
    return errorPage(c, site, "invalid_request", INVALID_RELAY);
  }
  if (browser !== undefined && browser !== flow.browser) return errorPage(c, site, "invalid_request", INVALID_RELAY);
  const provider = samlProviderOf(site, flow.provider);
  if (!provider) return errorPage(c, site, "invalid_request", `${flow.provider} is no longer a provider`);
  const responses = form.getAll("SAMLResponse");
  try {
    await finishSamlSignOut(
      siteContext(deps.services, c, site),
      site.pool,
      provider,
      flow.domainBase,
      responses.length === 1 ? responses[0]! : "",
      requestId,
    );
  } catch (e) {
    if (!(e instanceof SamlSignInError)) throw e;
    deps.services.log.info(`cognito-twin: SAML LogoutResponse refused: ${e.message}`);
    return errorPage(c, site, "invalid_request", `Invalid SAML logout response: ${e.message}`);
  }
  return redirect(c, next);
};
