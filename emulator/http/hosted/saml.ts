// POST /saml2/idpresponse: the assertion consumer service of the pool's SAML providers. An
// SP-initiated sign-in's RelayState is the emulator's upstream state (opaque), so the answer goes
// through the same handler as /oauth2/idpresponse; an IdP-initiated one carries the authorize
// parameters in its RelayState, as Cognito documents ("The IdP SAML assertion endpoint"), and is
// taken only from a provider with IDPInit (docs/federation.md).
import type { FederationProvider, UpstreamIdentity } from "../../domain/federation/contract.js";
import { allowsIdpInitiated, finishIdpInitiated } from "../../domain/federation/saml.js";
import { UpstreamError } from "../../domain/federation/upstream.js";
import { identityProviderOf } from "../../domain/identity-providers.js";
import { federationError } from "../../domain/oauth/authorize.js";
import { idpResponse, signInAs } from "./federation.js";
import { checkRequest, errorPage, type PageHandler, redirect } from "./flows.js";
import { formOf, type Site, siteContext } from "./site.js";

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
