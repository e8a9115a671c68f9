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
}

/** The provider an identity came from, as the pool stores it. */
export type FederationProvider = StoredIdentityProvider;
