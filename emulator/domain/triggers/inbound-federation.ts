// The inbound federation trigger (LambdaConfig.InboundFederation, V1_0): run on every sign-in
// through an external identity provider, after its answer is verified and before the pool's user
// is created or updated, with the provider's raw attributes; the attributes it answers are what
// the provider's AttributeMapping then maps. Evidence and guesses: docs/decisions/0017, "Inbound
// federation"; docs/triggers.md, "Federation".
import type { StoredPool } from "../../store/types.js";
import { readObject, runTrigger, type TriggerContext } from "./run.js";

/** The raw answer of the provider, as the event's `request.attributes` carries it. */
export interface InboundFederationAttributes {
  /** OIDC and social providers: the token endpoint's answer (access_token, id_token, ...). */
  readonly tokenResponse?: Readonly<Record<string, unknown>> | undefined;
  /** OIDC and social providers: the id token's claims. */
  readonly idToken?: Readonly<Record<string, unknown>> | undefined;
  /** OIDC and social providers: what the userinfo (or profile) endpoint answered. */
  readonly userInfo?: Readonly<Record<string, unknown>> | undefined;
  /** SAML providers: the assertion's attributes. */
  readonly samlResponse?: Readonly<Record<string, unknown>> | undefined;
}

/** What the event says about the sign-in. */
export interface InboundFederationCall {
  /** The event's `userName` (the upstream subject; see the ADR). */
  readonly userName: string;
  readonly clientId: string | undefined;
  readonly providerName: string;
  /** `OIDC`, `SAML`, `Google`, `Facebook`, `SignInWithApple`, `LoginWithAmazon`. */
  readonly providerType: string;
  readonly attributes: InboundFederationAttributes;
}

/**
 * Runs the pool's inbound federation trigger, if it has one. Answers the upstream attributes the
 * function returned as `response.userAttributesToMap` (each value as it gave it), or undefined
 * when the pool has no such trigger or the function returned no attributes (null, absent or
 * `{}`: the provider's attributes are kept unchanged). A map of another shape is
 * InvalidLambdaResponseException; the function's failures are the shared trigger errors.
 */
export async function inboundFederation(
  ctx: TriggerContext,
  pool: StoredPool,
  call: InboundFederationCall,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  const response = await runTrigger(ctx, pool, {
    name: "InboundFederation",
    triggerSource: "InboundFederation_ExternalProvider",
    userName: call.userName,
    clientId: call.clientId,
    request: {
      providerName: call.providerName,
      providerType: call.providerType,
      attributes: definedOnly(call.attributes),
    },
    response: { userAttributesToMap: {} },
  });
  if (!response) return undefined;
  const map = readObject(response, "userAttributesToMap");
  if (!map || Object.keys(map).length === 0) return undefined;
  return map;
}

/** The members of `attributes` the provider's protocol has (the others are left out of the event). */
function definedOnly(attributes: InboundFederationAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
