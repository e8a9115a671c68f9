// What every upstream protocol (OIDC, the social providers, SAML) plugs into: how a sign-in is
// sent to the provider (a redirect URL), and how the provider's answer at the domain's
// idpresponse endpoint becomes an UpstreamIdentity. The browser side (the authorize branch, the
// round-trip state, /oauth2/idpresponse, the return to the app) is http/hosted/federation.ts's;
// the protocols are registered by ProviderType in protocols.ts (docs/federation.md).
import type { OperationContext } from "../../context.js";
import type { UpstreamFlow } from "../../services/oauth-sessions.js";
import type { StoredPool } from "../../store/types.js";
import type { FederationProvider, UpstreamIdentity } from "./contract.js";

/** A sign-in about to be sent upstream: its state and nonce are made, nothing is stored yet. */
export type UpstreamDraft = Omit<UpstreamFlow, "expiresAt">;

/** Where to send the browser, and what the protocol wants kept until the provider answers. */
export interface UpstreamStart {
  readonly url: string;
  readonly data?: Readonly<Record<string, string>>;
}

/** One protocol of upstream sign-in. */
export interface UpstreamProtocol {
  /**
   * The provider's sign-in URL for this sign-in: it must carry `flow.state` (SAML: as RelayState),
   * which is how the answer finds the sign-in again; an OIDC one carries `flow.nonce` too.
   * Throws UpstreamError when the provider cannot be reached or is misconfigured.
   */
  start(
    ctx: OperationContext,
    pool: StoredPool,
    provider: FederationProvider,
    flow: UpstreamDraft,
  ): Promise<UpstreamStart>;
  /**
   * The user the provider's answer (the idpresponse request's parameters: query or form) names,
   * verified. Throws UpstreamError for a refusal, an error from the provider, a response that
   * does not verify, a provider that is down or answers garbage.
   */
  finish(
    ctx: OperationContext,
    pool: StoredPool,
    provider: FederationProvider,
    flow: UpstreamFlow,
    params: URLSearchParams,
  ): Promise<UpstreamIdentity>;
}

/**
 * A federated sign-in that failed after the app's redirect_uri is known good: the browser goes
 * back to the app's callback with `error_description` and `error` (and the app's `state`), as
 * Cognito sends them ("Managed login and federation error responses").
 */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(
    /** The OAuth `error`: the provider's own code when it sent one, else invalid_request. */
    readonly error: string,
    /** `error_description`: the provider's name, then what went wrong. */
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

/** The idpresponse URL of a sign-in: `<domain base>/oauth2/idpresponse` (the OIDC and social redirect_uri). */
export function oauthResponseUrl(flow: Pick<UpstreamFlow, "domainBase">): string {
  return `${flow.domainBase}/oauth2/idpresponse`;
}

/** A provider's name for error descriptions. */
export function providerName(provider: FederationProvider): string {
  return provider.provider.ProviderName ?? "IdentityProvider";
}

/** A provider's ProviderDetails value, or undefined when it is missing or empty. */
export function detail(provider: FederationProvider, key: string): string | undefined {
  const details: Readonly<Record<string, string>> = provider.provider.ProviderDetails ?? {};
  const v = Object.hasOwn(details, key) ? details[key] : undefined;
  return v === undefined || v === "" ? undefined : v;
}

/**
 * `fetch`, with a GET (or HEAD) sent once more when the connection failed before any answer
 * came: undici reuses a keep-alive socket that the provider may have just closed (Node's http
 * server closes idle ones after 5 s), and that race would otherwise fail a sign-in at random, the
 * worst a test harness can do. A POST is never repeated: the provider may have acted on it.
 */
export async function fetchUpstream(
  input: string | URL,
  init: RequestInit = {},
  send: (input: string | URL, init: RequestInit) => Promise<Response> = fetch,
): Promise<Response> {
  try {
    return await send(input, init);
  } catch (e) {
    const method = (init.method ?? "GET").toUpperCase();
    if ((method !== "GET" && method !== "HEAD") || !isStaleSocket(e) || init.signal?.aborted) throw e;
    return send(input, init);
  }
}

/** The errors of a connection that ended before the answer: a reset, or undici's closed socket. */
function isStaleSocket(e: unknown): boolean {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE";
}
