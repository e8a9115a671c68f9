// The upstream protocols by ProviderType: the one place that knows them all (as
// domain/challenges/index.ts knows the challenges). The protocol files never import this one.
// Social providers (Google, Facebook, LoginWithAmazon, SignInWithApple) and SAML add their
// UpstreamProtocol here (upstream.ts).

import { oidcProtocol } from "./oidc.js";
import { samlProtocol } from "./saml.js";
import { socialProtocol } from "./social.js";
import type { UpstreamProtocol } from "./upstream.js";

const PROTOCOLS: Readonly<Record<string, UpstreamProtocol>> = {
  OIDC: oidcProtocol,
  SAML: samlProtocol,
  Google: socialProtocol,
  Facebook: socialProtocol,
  LoginWithAmazon: socialProtocol,
  SignInWithApple: socialProtocol,
};

/** The protocol a provider of this ProviderType signs in with; undefined for one the emulator cannot. */
export function upstreamProtocol(providerType: string | undefined): UpstreamProtocol | undefined {
  return providerType !== undefined && Object.hasOwn(PROTOCOLS, providerType) ? PROTOCOLS[providerType] : undefined;
}
