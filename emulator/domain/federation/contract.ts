// What the parts of federation hand each other (issue 15): the upstream provider's answer about
// a user, whichever protocol brought it (OIDC, a social provider's stand-in, SAML), and the one
// function that turns it into the pool's user. Types only; users.ts implements it.
import type { StoredIdentityProvider } from "../identity-providers.js";

/** What an upstream provider said about the user who signed in there. */
export interface UpstreamIdentity {
  /**
   * The upstream's stable id of the user: the OIDC `sub`, Facebook's `id`, Amazon's `user_id`,
   * the SAML NameID. The federated username is `<ProviderName>_<subject>`.
   */
  readonly subject: string;
  /**
   * The upstream attributes by their upstream names (`email`, `email_verified`, `name`, SAML
   * attribute names...), which the provider's AttributeMapping maps onto pool attributes.
   * Values as the upstream gave them (strings, booleans, numbers, lists).
   */
  readonly attributes: Readonly<Record<string, unknown>>;
  /**
   * A SAML sign-in's NameID and SessionIndex: what the LogoutRequest of a provider with
   * IDPSignout names when the user signs out (/logout).
   */
  readonly saml?: SamlSession | undefined;
  /**
   * The provider's answer before it was merged into `attributes`, for the inbound federation
   * trigger's `request.attributes` (domain/triggers/inbound-federation.ts). Left out, the event
   * is built from `attributes`.
   */
  readonly raw?: UpstreamRaw | undefined;
}

/** The parts of an OIDC or social provider's answer, as the inbound federation event names them. */
export interface UpstreamRaw {
  /** The token endpoint's answer (access_token, id_token, refresh_token, token_type, expires_in, scope). */
  readonly tokenResponse?: Readonly<Record<string, unknown>> | undefined;
  /** The id token's claims. */
  readonly idToken?: Readonly<Record<string, unknown>> | undefined;
  /** The userinfo or profile endpoint's answer. */
  readonly userInfo?: Readonly<Record<string, unknown>> | undefined;
}

/** The IdP session a SAML sign-in made, as a LogoutRequest names it. */
export interface SamlSession {
  readonly nameId: string;
  readonly nameIdFormat?: string | undefined;
  readonly sessionIndex?: string | undefined;
}

/** The provider an identity came from, as the pool stores it. */
export type FederationProvider = StoredIdentityProvider;
