// SAML 2.0 identity providers (issue 15): the user pool as a SAML service provider, as Cognito
// is one. The provider's ProviderDetails checked and echoed at CreateIdentityProvider and
// UpdateIdentityProvider (MetadataFile or MetadataURL, IDPInit, IDPSignout...), the AuthnRequest
// of an SP-initiated sign-in (HTTP-Redirect binding to the IdP's SSO URL), and the SAML response
// POSTed to /saml2/idpresponse verified into an UpstreamIdentity: its signature against the
// metadata's signing certificates, the audience (the SP entity id), Destination and Recipient,
// InResponseTo for an SP-initiated sign-in, NotBefore / NotOnOrAfter on the emulator's clock, and
// a replayed assertion refused. The XML signature work is @node-saml/node-saml's, loaded on first
// use (docs/federation.md, docs/decisions/0018-federation.md).
import { randomBytes, X509Certificate } from "node:crypto";
import { createRequire } from "node:module";
import type { Document } from "@xmldom/xmldom";
import type { OperationContext } from "../../context.js";
import { errors } from "../../core/errors.js";
import { newSamlKeyPair, type SamlKeyPair } from "../../crypto/saml-certificates.js";
import type { IdentityProviderRecord } from "../../store/types.js";
import type { FederationProvider, SamlSession, UpstreamIdentity } from "./contract.js";
import { poolSamlSigningKey } from "./saml-keys.js";
import { fetchUpstream, UpstreamError, type UpstreamProtocol } from "./upstream.js";

/**
 * The part of @node-saml/node-saml's SAML class the emulator uses. Its own declarations are not
 * imported: through xml-crypto they pull the DOM library into the whole program, whose fetch
 * types then clash with Node's. The package is loaded by a name the compiler does not follow.
 */
interface CacheProvider {
  saveAsync(key: string, value: string): Promise<{ value: string; createdAt: number } | null>;
  getAsync(key: string): Promise<string | null>;
  removeAsync(key: string | null): Promise<string | null>;
}
interface SamlProfile {
  readonly nameID?: unknown;
  readonly nameIDFormat?: unknown;
  readonly sessionIndex?: unknown;
  readonly inResponseTo?: unknown;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly getAssertion?: () => unknown;
}
interface SAML {
  getAuthorizeUrlAsync(relayState: string, host: string | undefined, options: object): Promise<string>;
  getLogoutUrlAsync(user: Record<string, unknown>, relayState: string, options: object): Promise<string>;
  validatePostResponseAsync(
    container: Record<string, string>,
  ): Promise<{ profile: SamlProfile | null; loggedOut?: boolean }>;
}
interface NodeSaml {
  readonly SAML: new (options: Record<string, unknown>) => SAML;
}
/**
 * @xmldom/xmldom's DOMParser, required on first use (a CommonJS package, so synchronously):
 * most runs have no SAML provider, and its 220 kB would slow every start-up (bench/startup.mjs).
 * Through a require of this module's own, which the bundler leaves alone: it is read from
 * node_modules then, as node-saml (which depends on it) is.
 */
function domParser(): typeof import("@xmldom/xmldom").DOMParser {
  xmldom ??= createRequire(import.meta.url)("@xmldom/xmldom") as typeof import("@xmldom/xmldom");
  return xmldom.DOMParser;
}
let xmldom: typeof import("@xmldom/xmldom") | undefined;

/** The package's name, in a variable: see above. */
const NODE_SAML = "@node-saml/node-saml";
let nodeSaml: Promise<NodeSaml> | undefined;

/** The SAML namespaces Cognito reads metadata and responses in. */
const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const SAML_ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAML_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/** The ProviderDetails keys a caller may give a SAML provider. */
const INPUT_KEYS = new Set([
  "MetadataFile",
  "MetadataURL",
  "IDPInit",
  "IDPSignout",
  "EncryptedResponses",
  "RequestSigningAlgorithm",
]);
/** The keys Cognito sets itself from the metadata (a caller's values are replaced). */
const DERIVED_KEYS = new Set(["SSORedirectBindingURI", "SLORedirectBindingURI", "ActiveEncryptionCertificate"]);
const BOOLEAN_KEYS = ["IDPInit", "IDPSignout", "EncryptedResponses"] as const;
/** Where a provider's encryption private key is kept (IdentityProviderRecord.secrets: never described). */
const ENCRYPTION_KEY_SECRET = "saml_encryption_private_key";

/** How long the emulator tolerates the IdP's clock running ahead of or behind its own. */
const SAML_CLOCK_SKEW_MS = 60_000;
/** The longest SAMLResponse /saml2/idpresponse takes, as Cognito documents (characters). */
const SAML_RESPONSE_MAX_LENGTH = 100_000;

/** The service provider entity id of a user pool, as Cognito publishes it in its SP metadata. */
export function samlSpEntityId(poolId: string): string {
  return `urn:amazon:cognito:sp:${poolId}`;
}

/** What the emulator reads from an IdP's metadata. */
export interface SamlMetadata {
  readonly entityId: string;
  /** The SingleSignOnService with the HTTP-Redirect binding: where AuthnRequests go. */
  readonly ssoRedirectUrl: string;
  readonly sloRedirectUrl?: string | undefined;
  /** The signing certificates (base64 DER), any of which may sign a response. */
  readonly signingCertificates: readonly string[];
}

/** A SAML sign-in that failed: the description Cognito gives the app (`error_description`). */
export class SamlSignInError extends Error {
  override readonly name = "SamlSignInError";
}

function textOf(node: { textContent?: string | null } | null | undefined): string {
  return (node?.textContent ?? "").replace(/\s+/g, "");
}

/** Parses an IdP's metadata; a string saying what is wrong when it is not usable. */
export function parseSamlMetadata(xml: string): SamlMetadata | string {
  let doc: Document;
  const problems: string[] = [];
  try {
    const DOMParser = domParser();
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") problems.push(message);
      },
    }).parseFromString(xml, "text/xml");
  } catch {
    return "the metadata is not well-formed XML";
  }
  const root = doc?.documentElement;
  if (!root || problems.length > 0) return "the metadata is not well-formed XML";
  const entities =
    root.localName === "EntityDescriptor" ? [root] : Array.from(root.getElementsByTagNameNS(MD, "EntityDescriptor"));
  const entity = entities.find((e) => e.getElementsByTagNameNS(MD, "IDPSSODescriptor").length > 0);
  if (!entity) return "the metadata has no IDPSSODescriptor";
  const entityId = entity.getAttribute("entityID") ?? "";
  if (!entityId) return "the EntityDescriptor has no entityID";
  const idp = entity.getElementsByTagNameNS(MD, "IDPSSODescriptor")[0]!;
  const service = (name: string, binding: string) =>
    Array.from(idp.getElementsByTagNameNS(MD, name)).find((s) => s.getAttribute("Binding") === binding);
  const sso = service("SingleSignOnService", REDIRECT_BINDING)?.getAttribute("Location") ?? "";
  if (!sso) return "the IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect binding";
  if (!URL.canParse(sso)) return "the SingleSignOnService Location is not a URL";
  const slo = service("SingleLogoutService", REDIRECT_BINDING)?.getAttribute("Location") ?? undefined;
  const signingCertificates = Array.from(idp.getElementsByTagNameNS(MD, "KeyDescriptor"))
    .filter((k) => (k.getAttribute("use") ?? "signing") === "signing")
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, "X509Certificate")).map(textOf))
    .filter((c) => c.length > 0);
  if (signingCertificates.length === 0) return "the IDPSSODescriptor has no signing certificate";
  return { entityId, ssoRedirectUrl: sso, sloRedirectUrl: slo || undefined, signingCertificates };
}

/** A signing certificate as node:crypto reads it; undefined when it is no certificate. */
function certificateOf(base64: string): X509Certificate | undefined {
  try {
    return new X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    return undefined;
  }
}

/** Fetches a MetadataURL (http:// accepted, for an IdP on this machine). */
export type MetadataFetcher = (url: string) => Promise<string>;

const fetchMetadata: MetadataFetcher = async (url) => {
  const response = await fetchUpstream(url, { redirect: "follow", signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
};

/** The metadata of a provider: the file it was given, or what its URL answers now. */
async function metadataOf(details: Readonly<Record<string, string>>, fetcher: MetadataFetcher): Promise<string> {
  if (details.MetadataFile !== undefined) return details.MetadataFile;
  return fetcher(details.MetadataURL ?? "");
}

/**
 * Checks a SAML provider's ProviderDetails (CreateIdentityProvider, UpdateIdentityProvider) and
 * answers them as DescribeIdentityProvider echoes them: what was given, plus the
 * SSORedirectBindingURI (and SLORedirectBindingURI) read from the metadata. A MetadataURL is
 * fetched now, as Cognito reads it when the provider is saved; `now` (epoch ms) judges the
 * signing certificates, which must not have expired.
 */
export async function checkSamlProviderDetails(
  given: Readonly<Record<string, string>>,
  now: number,
  fetcher: MetadataFetcher = fetchMetadata,
): Promise<Record<string, string>> {
  for (const key of Object.keys(given)) {
    if (!INPUT_KEYS.has(key) && !DERIVED_KEYS.has(key)) throw errors.providerDetailUnsupported(key, "SAML");
  }
  const hasFile = given.MetadataFile !== undefined && given.MetadataFile !== "";
  const hasUrl = given.MetadataURL !== undefined && given.MetadataURL !== "";
  if (hasFile === hasUrl) throw errors.samlMetadataRequired();
  for (const key of BOOLEAN_KEYS) {
    const v = given[key];
    if (v !== undefined && v !== "true" && v !== "false") throw errors.providerDetailInvalid(key, "true or false");
  }
  const algorithm = given.RequestSigningAlgorithm;
  if (algorithm !== undefined && algorithm !== "rsa-sha256")
    throw errors.providerDetailInvalid("RequestSigningAlgorithm", "rsa-sha256");

  let xml: string;
  try {
    xml = await metadataOf(
      hasFile ? { MetadataFile: given.MetadataFile! } : { MetadataURL: given.MetadataURL! },
      fetcher,
    );
  } catch (e) {
    throw errors.samlMetadataUnreachable(given.MetadataURL ?? "", e instanceof Error ? e.message : String(e));
  }
  const metadata = parseSamlMetadata(xml);
  if (typeof metadata === "string") throw errors.samlMetadataInvalid(metadata);
  for (const cert of metadata.signingCertificates) {
    const x509 = certificateOf(cert);
    if (!x509) throw errors.samlMetadataInvalid("a signing certificate is not an X.509 certificate");
    if (Date.parse(x509.validTo) <= now) throw errors.samlCertificateExpired();
  }
  // Sign-out at the IdP needs somewhere to send the LogoutRequest: without one it could not be done.
  if (given.IDPSignout === "true" && !metadata.sloRedirectUrl) throw errors.samlSignoutWithoutSlo();

  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) if (INPUT_KEYS.has(k)) details[k] = v;
  details.SSORedirectBindingURI = metadata.ssoRedirectUrl;
  if (metadata.sloRedirectUrl) details.SLORedirectBindingURI = metadata.sloRedirectUrl;
  // In code-point order, as Cognito lists ProviderDetails.
  return Object.fromEntries(Object.entries(details).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What a SAML sign-in needs to know of its provider and of the user pool it signs in to. */
export interface SamlEndpoint {
  /** The provider's ProviderDetails as stored. */
  readonly details: Readonly<Record<string, string>>;
  readonly poolId: string;
  /** The domain's `/saml2/idpresponse`, as the browser reaches it: the ACS URL. */
  readonly acsUrl: string;
  readonly fetcher?: MetadataFetcher | undefined;
  /** The pool's signing key, which signs the requests (RequestSigningAlgorithm; every LogoutRequest). */
  readonly signing?: SamlKeyPair | undefined;
  /** The provider's encryption private key (EncryptedResponses): what decrypts its assertions. */
  readonly decryptionKey?: string | undefined;
}

/** A cache of one request id: what node-saml checks InResponseTo against. */
function requestIdCache(expected: string | undefined): CacheProvider {
  return {
    saveAsync: async (_key, value) => ({ value, createdAt: Date.now() }),
    // The time the request was made is the upstream state's concern (it expires on the
    // emulator's clock), so node-saml's own age check is always passed.
    getAsync: async (key) => (expected !== undefined && key === expected ? new Date().toISOString() : null),
    removeAsync: async (key) => key,
  };
}

/** A service provider for this pool and provider, node-saml's. */
async function serviceProvider(
  endpoint: SamlEndpoint,
  metadata: SamlMetadata,
  expectedRequestId: string | undefined,
  saved: (id: string) => void = () => {},
  logoutUrl?: string,
): Promise<SAML> {
  nodeSaml ??= import(NODE_SAML) as Promise<NodeSaml>;
  const { SAML: Saml } = await nodeSaml;
  const entityId = samlSpEntityId(endpoint.poolId);
  return new Saml({
    entryPoint: metadata.ssoRedirectUrl,
    ...(logoutUrl ? { logoutUrl } : {}),
    issuer: entityId,
    audience: entityId,
    callbackUrl: endpoint.acsUrl,
    idpCert: [...metadata.signingCertificates],
    idpIssuer: metadata.entityId,
    // Either the response or its assertion signed by the IdP (Cognito's SP metadata asks for
    // signed assertions; a signed response covers its assertion).
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    authnRequestBinding: "HTTP-Redirect",
    validateInResponseTo: expectedRequestId === undefined ? "never" : "always",
    // RSA-SHA256 over the HTTP-Redirect query (SigAlg, Signature), as Cognito signs.
    ...(endpoint.signing ? { privateKey: endpoint.signing.privateKey, signatureAlgorithm: "sha256" } : {}),
    ...(endpoint.decryptionKey ? { decryptionPvk: endpoint.decryptionKey } : {}),
    cacheProvider: requestIdCache(expectedRequestId),
    generateUniqueId: () => {
      const id = `_${randomBytes(20).toString("hex")}`;
      saved(id);
      return id;
    },
    // Times are judged below, on the emulator's clock rather than node-saml's Date.
    acceptedClockSkewMs: -1,
  });
}

async function metadataFor(endpoint: SamlEndpoint): Promise<SamlMetadata> {
  let xml: string;
  try {
    xml = await metadataOf(endpoint.details, endpoint.fetcher ?? fetchMetadata);
  } catch {
    throw new SamlSignInError("Unable to retrieve the SAML metadata of the identity provider.");
  }
  const metadata = parseSamlMetadata(xml);
  if (typeof metadata === "string") throw new SamlSignInError(`Invalid SAML metadata: ${metadata}.`);
  return metadata;
}

/** The start of an SP-initiated sign-in: where the browser goes, and the request's id. */
export interface SamlStart {
  /** The IdP's SSO URL with the deflated AuthnRequest and the RelayState (HTTP-Redirect binding). */
  readonly url: string;
  /** The AuthnRequest's ID: the response must answer it (InResponseTo). */
  readonly requestId: string;
}

/**
 * Starts an SP-initiated sign-in: the AuthnRequest for the IdP's HTTP-Redirect SSO URL, with
 * `relayState` (the emulator's upstream state) for the IdP to send back unchanged.
 */
export async function startSamlSignIn(endpoint: SamlEndpoint, relayState: string): Promise<SamlStart> {
  const metadata = await metadataFor(endpoint);
  let requestId = "";
  const sp = await serviceProvider(endpoint, metadata, undefined, (id) => {
    requestId = id;
  });
  const url = await sp.getAuthorizeUrlAsync(relayState, undefined, {});
  return { url, requestId };
}

/** Where assertions are remembered so that none is taken twice. */
export interface SamlReplayGuard {
  /** True the first time an assertion id is offered; false ever after, until `until` (epoch ms). */
  firstUse(id: string, until: number): boolean;
}

/** The single element of an xml2js list, if it is one. */
function first(value: unknown): Record<string, unknown> | undefined {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "object"
    ? (value[0] as Record<string, unknown>)
    : undefined;
}
function attrsOf(node: Record<string, unknown> | undefined): Record<string, string> {
  const attrs = node?.$;
  return attrs !== null && typeof attrs === "object" ? (attrs as Record<string, string>) : {};
}
function instant(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : ms;
}

/** What node-saml's validation errors mean, in the words Cognito gives the app. */
function describeFailure(message: string): string {
  if (/No response found|Missing SAML assertion|non-whitespace|Unexpected/i.test(message))
    return "The SAML response could not be read.";
  if (/signature/i.test(message)) return "SAML Assertion signature is invalid.";
  if (/audience/i.test(message)) return "Audience mismatch: the SAML assertion is not for this user pool.";
  if (/InResponseTo/i.test(message)) return "The SAML response does not answer a sign-in request of this user pool.";
  if (/issuer/i.test(message)) return "The SAML response was not issued by this identity provider.";
  if (/provider returned/i.test(message))
    return message.replace(/^SAML provider returned /, "The identity provider returned ");
  if (/assertion/i.test(message)) return `${message.replace(/\.$/, "")}.`;
  return "The SAML response could not be read.";
}

/**
 * Verifies a SAML response POSTed to /saml2/idpresponse and answers who signed in: the NameID as
 * the subject, the attributes by name (one value as a string, several as a list).
 * `expectedRequestId` is the AuthnRequest of an SP-initiated sign-in (InResponseTo must name
 * it); without one the response must be unsolicited (IdP-initiated). `now` is the emulator's
 * clock (epoch ms). Throws SamlSignInError with Cognito's description otherwise.
 */
export async function finishSamlSignIn(
  endpoint: SamlEndpoint,
  samlResponse: string,
  options: { readonly expectedRequestId?: string | undefined; readonly now: number; readonly replay: SamlReplayGuard },
): Promise<UpstreamIdentity> {
  if (samlResponse.length === 0) throw new SamlSignInError("The request has no SAMLResponse.");
  if (samlResponse.length > SAML_RESPONSE_MAX_LENGTH)
    throw new SamlSignInError(`The SAMLResponse is longer than ${SAML_RESPONSE_MAX_LENGTH} characters.`);
  const metadata = await metadataFor(endpoint);
  // Cognito: the connection "can't function until your IdP starts encrypting all SAML assertions".
  if (endpoint.decryptionKey !== undefined && !hasEncryptedAssertion(samlResponse))
    throw new SamlSignInError("The SAML assertion is not encrypted.");
  const sp = await serviceProvider(endpoint, metadata, options.expectedRequestId);
  let result: { profile: SamlProfile | null };
  try {
    result = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse });
  } catch (e) {
    throw new SamlSignInError(describeFailure(e instanceof Error ? e.message : String(e)));
  }
  const profile = result.profile;
  if (!profile) throw new SamlSignInError("The SAML response has no assertion.");
  if (options.expectedRequestId === undefined && profile.inResponseTo !== undefined)
    throw new SamlSignInError("The SAML response does not answer a sign-in request of this user pool.");

  // The Response's Destination (when it names one) must be this ACS URL.
  const destination = responseDestination(samlResponse);
  if (destination !== undefined && destination !== endpoint.acsUrl)
    throw new SamlSignInError("The SAML response's Destination is not this user pool's /saml2/idpresponse.");

  // The verified assertion: its times on the emulator's clock, its bearer Recipient.
  const assertion = first([(profile.getAssertion?.() as Record<string, unknown> | undefined)?.Assertion].flat());
  if (!assertion) throw new SamlSignInError("The SAML response has no assertion.");
  const now = options.now;
  const conditions = attrsOf(first(assertion.Conditions));
  const notBefore = instant(conditions.NotBefore);
  const notOnOrAfter = instant(conditions.NotOnOrAfter);
  if (Number.isNaN(notBefore) || Number.isNaN(notOnOrAfter))
    throw new SamlSignInError("The SAML assertion has an unreadable NotBefore or NotOnOrAfter.");
  if (notBefore !== undefined && now + SAML_CLOCK_SKEW_MS < notBefore)
    throw new SamlSignInError("The SAML assertion is not yet valid.");
  if (notOnOrAfter !== undefined && now - SAML_CLOCK_SKEW_MS >= notOnOrAfter)
    throw new SamlSignInError("The SAML assertion has expired.");
  const confirmations = (first(assertion.Subject)?.SubjectConfirmation ?? []) as Record<string, unknown>[];
  let confirmedUntil: number | undefined;
  for (const confirmation of confirmations) {
    const data = attrsOf(first(confirmation.SubjectConfirmationData));
    const until = instant(data.NotOnOrAfter);
    if (Number.isNaN(until)) throw new SamlSignInError("The SAML assertion has an unreadable NotOnOrAfter.");
    if (until !== undefined && now - SAML_CLOCK_SKEW_MS >= until)
      throw new SamlSignInError("The SAML assertion has expired.");
    if (data.Recipient !== undefined && data.Recipient !== endpoint.acsUrl)
      throw new SamlSignInError("The SAML assertion's Recipient is not this user pool's /saml2/idpresponse.");
    if (until !== undefined) confirmedUntil = Math.min(confirmedUntil ?? until, until);
  }

  const subject = profile.nameID;
  if (typeof subject !== "string" || subject.length === 0)
    throw new SamlSignInError("The SAML assertion has no NameID.");
  const id = attrsOf(assertion).ID;
  if (!id) throw new SamlSignInError("The SAML assertion has no ID.");
  // Remembered as long as it could be taken: until it expires (five minutes when it never does).
  const remembered = Math.max(notOnOrAfter ?? 0, confirmedUntil ?? 0, now + 5 * 60_000) + SAML_CLOCK_SKEW_MS;
  if (!options.replay.firstUse(`${metadata.entityId}|${id}`, remembered))
    throw new SamlSignInError("The SAML assertion has already been used.");

  const attributes: Record<string, unknown> = {};
  const given = (profile.attributes ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(given)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    if (values.length === 0) continue;
    attributes[name] = values.length === 1 ? values[0] : values;
  }
  const sessionIndex = typeof profile.sessionIndex === "string" ? profile.sessionIndex : undefined;
  const nameIdFormat = typeof profile.nameIDFormat === "string" ? profile.nameIDFormat : undefined;
  return { subject, attributes, saml: { nameId: subject, nameIdFormat, sessionIndex } };
}

/** Whether a SAML response carries an EncryptedAssertion (read without trusting anything in it). */
function hasEncryptedAssertion(samlResponse: string): boolean {
  try {
    const xml = Buffer.from(samlResponse, "base64").toString("utf8");
    const DOMParser = domParser();
    const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, "text/xml");
    return doc.getElementsByTagNameNS(SAML_ASSERTION, "EncryptedAssertion").length > 0;
  } catch {
    return false;
  }
}

/** The Destination of a SAML response, read without trusting anything else in it. */
function responseDestination(samlResponse: string): string | undefined {
  try {
    const xml = Buffer.from(samlResponse, "base64").toString("utf8");
    const DOMParser = domParser();
    const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, "text/xml");
    const value = doc.documentElement?.getAttribute("Destination");
    return value === null || value === undefined || value === "" ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Whether a provider takes IdP-initiated (unsolicited) responses. */
export function allowsIdpInitiated(details: Readonly<Record<string, string>>): boolean {
  return details.IDPInit === "true";
}

/** The ACS URL of a sign-in that started at the domain base `domainBase`. */
function samlResponseUrl(domainBase: string): string {
  return `${domainBase}/saml2/idpresponse`;
}

/** Assertions taken, per emulator (its OAuth state), until they expire on its clock. */
const taken = new WeakMap<object, Map<string, number>>();
/** How many taken assertions an emulator remembers at most (the oldest are forgotten first). */
const TAKEN_LIMIT = 10_000;

/** The replay guard of one emulator: assertion ids kept until they could no longer be used. */
function replayGuard(ctx: Pick<OperationContext, "oauth" | "clock">): SamlReplayGuard {
  let seen = taken.get(ctx.oauth);
  if (!seen) {
    seen = new Map();
    taken.set(ctx.oauth, seen);
  }
  const ids = seen;
  return {
    firstUse(id, until) {
      const now = ctx.clock.now();
      const kept = ids.get(id);
      if (kept !== undefined && kept > now) return false;
      if (ids.size >= TAKEN_LIMIT) {
        for (const [k, v] of ids) if (v <= now) ids.delete(k);
        while (ids.size >= TAKEN_LIMIT) ids.delete(ids.keys().next().value!);
      }
      ids.set(id, until);
      return true;
    },
  };
}

async function endpointOf(
  ctx: Pick<OperationContext, "store" | "clock">,
  pool: { readonly id: string },
  provider: FederationProvider,
  domainBase: string,
): Promise<SamlEndpoint> {
  const details = provider.provider.ProviderDetails ?? {};
  return {
    details,
    poolId: pool.id,
    acsUrl: samlResponseUrl(domainBase),
    signing: details.RequestSigningAlgorithm ? await poolSamlSigningKey(ctx, pool.id) : undefined,
    decryptionKey: details.EncryptedResponses === "true" ? provider.secrets?.[ENCRYPTION_KEY_SECRET] : undefined,
  };
}

/** Cognito's `error` and `error_description` for a SAML response it refuses. */
function samlFailure(e: SamlSignInError): UpstreamError {
  return new UpstreamError("server_error", `Invalid SAML response received: ${e.message}`);
}

/**
 * Verifies an IdP-initiated (unsolicited) response for `provider`, which must allow it
 * (IDPInit): the identity it names, or UpstreamError as Cognito reports it to the app.
 */
export async function finishIdpInitiated(
  ctx: OperationContext,
  pool: { readonly id: string },
  provider: FederationProvider,
  domainBase: string,
  samlResponse: string,
): Promise<UpstreamIdentity> {
  try {
    return await finishSamlSignIn(await endpointOf(ctx, pool, provider, domainBase), samlResponse, {
      now: ctx.clock.now(),
      replay: replayGuard(ctx),
    });
  } catch (e) {
    if (e instanceof SamlSignInError) throw samlFailure(e);
    throw e;
  }
}

/** SAML 2.0 as an upstream protocol: SP-initiated sign-in, the RelayState being the flow's state. */
export const samlProtocol: UpstreamProtocol = {
  async start(ctx, pool, provider, flow) {
    try {
      const started = await startSamlSignIn(await endpointOf(ctx, pool, provider, flow.domainBase), flow.state);
      return { url: started.url, data: { samlRequestId: started.requestId } };
    } catch (e) {
      if (e instanceof SamlSignInError) throw new UpstreamError("server_error", e.message);
      throw e;
    }
  },
  async finish(ctx, pool, provider, flow, params) {
    const responses = params.getAll("SAMLResponse");
    if (responses.length !== 1) throw samlFailure(new SamlSignInError("The request has no SAMLResponse."));
    try {
      return await finishSamlSignIn(await endpointOf(ctx, pool, provider, flow.domainBase), responses[0]!, {
        expectedRequestId: flow.data.samlRequestId ?? "",
        now: ctx.clock.now(),
        replay: replayGuard(ctx),
      });
    } catch (e) {
      if (e instanceof SamlSignInError) throw samlFailure(e);
      throw e;
    }
  },
};

/**
 * A provider record as CreateIdentityProvider and UpdateIdentityProvider store it: a SAML
 * provider's ProviderDetails checked and completed from its metadata (checkSamlProviderDetails);
 * any other provider as it is. `now` in epoch milliseconds.
 */
export async function withSamlDetails(
  record: IdentityProviderRecord,
  now: number,
  previous?: FederationProvider,
): Promise<IdentityProviderRecord> {
  if (record.provider.ProviderType !== "SAML") return record;
  const details = await checkSamlProviderDetails(record.provider.ProviderDetails ?? {}, now);
  if (details.EncryptedResponses !== "true") return { provider: { ...record.provider, ProviderDetails: details } };
  // Cognito assigns each SAML provider its own encryption key pair and certificate
  // (ActiveEncryptionCertificate), kept while the provider keeps EncryptedResponses.
  const kept = previous?.secrets?.[ENCRYPTION_KEY_SECRET];
  const keptCertificate = previous?.provider.ProviderDetails?.ActiveEncryptionCertificate;
  const pair =
    kept !== undefined && keptCertificate !== undefined
      ? { privateKey: kept, certificate: keptCertificate }
      : await newSamlKeyPair(record.provider.ProviderName ?? "saml", "encryption", now);
  const withCertificate = { ...details, ActiveEncryptionCertificate: pair.certificate };
  return {
    provider: {
      ...record.provider,
      ProviderDetails: Object.fromEntries(
        Object.entries(withCertificate).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ),
    },
    secrets: { ...record.secrets, [ENCRYPTION_KEY_SECRET]: pair.privateKey },
  };
}

/** The start of a sign-out at the IdP (IDPSignout): where the browser goes, and the request's id. */
export interface SamlSignOutStart {
  /** The IdP's SingleLogoutService with the signed LogoutRequest, RelayState, SigAlg and Signature. */
  readonly url: string;
  /** The LogoutRequest's ID: the LogoutResponse must answer it (InResponseTo). */
  readonly requestId: string;
}

/** Whether /logout sends users of this provider on to the IdP's single logout. */
export function signsOutAtIdp(provider: FederationProvider | undefined): boolean {
  return provider?.provider.ProviderType === "SAML" && provider.provider.ProviderDetails?.IDPSignout === "true";
}

const UNSPECIFIED_NAME_ID = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/**
 * The LogoutRequest for the IdP session `session` (its NameID and SessionIndex), signed with
 * the pool's signing certificate as Cognito signs every sign-out request, for the IdP's
 * HTTP-Redirect SingleLogoutService; `relayState` comes back with the LogoutResponse.
 * Throws UpstreamError when the IdP's metadata cannot be read or names no SingleLogoutService.
 */
export async function startSamlSignOut(
  ctx: Pick<OperationContext, "store" | "clock">,
  pool: { readonly id: string },
  provider: FederationProvider,
  domainBase: string,
  session: SamlSession,
  relayState: string,
): Promise<SamlSignOutStart> {
  try {
    const endpoint = { ...(await endpointOf(ctx, pool, provider, domainBase)), signing: undefined };
    const metadata = await metadataFor(endpoint);
    if (!metadata.sloRedirectUrl)
      throw new SamlSignInError("The SAML metadata of the identity provider has no SingleLogoutService.");
    let requestId = "";
    const sp = await serviceProvider(
      { ...endpoint, signing: await poolSamlSigningKey(ctx, pool.id) },
      { ...metadata, ssoRedirectUrl: metadata.sloRedirectUrl },
      undefined,
      (id) => {
        requestId = id;
      },
      metadata.sloRedirectUrl,
    );
    const url = await sp.getLogoutUrlAsync(
      {
        issuer: samlSpEntityId(pool.id),
        nameID: session.nameId,
        nameIDFormat: session.nameIdFormat ?? UNSPECIFIED_NAME_ID,
        ...(session.sessionIndex !== undefined ? { sessionIndex: session.sessionIndex } : {}),
      },
      relayState,
      {},
    );
    return { url, requestId };
  } catch (e) {
    if (e instanceof SamlSignInError) throw new UpstreamError("server_error", e.message);
    throw e;
  }
}

/**
 * Verifies the LogoutResponse an IdP POSTed to /saml2/logout: signed by one of the metadata's
 * certificates, issued by the IdP, answering `requestId`, with a Success status. Throws
 * SamlSignInError with what is wrong otherwise.
 */
export async function finishSamlSignOut(
  ctx: Pick<OperationContext, "store" | "clock">,
  pool: { readonly id: string },
  provider: FederationProvider,
  domainBase: string,
  samlResponse: string,
  requestId: string,
): Promise<void> {
  if (samlResponse.length === 0) throw new SamlSignInError("The request has no SAMLResponse.");
  if (samlResponse.length > SAML_RESPONSE_MAX_LENGTH)
    throw new SamlSignInError(`The SAMLResponse is longer than ${SAML_RESPONSE_MAX_LENGTH} characters.`);
  const endpoint = { ...(await endpointOf(ctx, pool, provider, domainBase)), signing: undefined };
  const metadata = await metadataFor(endpoint);
  // node-saml reads InResponseTo of a Response only: the LogoutResponse's is checked below.
  const sp = await serviceProvider(endpoint, metadata, undefined);
  let result: { loggedOut?: boolean };
  try {
    result = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse });
  } catch (e) {
    throw new SamlSignInError(describeFailure(e instanceof Error ? e.message : String(e)));
  }
  if (result.loggedOut !== true) throw new SamlSignInError("The SAML message is not a LogoutResponse.");
  // The signature covers the whole LogoutResponse (node-saml verified its root): read its fields.
  const root = logoutResponseRoot(samlResponse);
  if (!root) throw new SamlSignInError("The SAML response could not be read.");
  if (root.inResponseTo !== requestId)
    throw new SamlSignInError("The LogoutResponse does not answer this user pool's LogoutRequest.");
  if (root.issuer !== metadata.entityId)
    throw new SamlSignInError("The LogoutResponse was not issued by this identity provider.");
  if (root.status !== "urn:oasis:names:tc:SAML:2.0:status:Success")
    throw new SamlSignInError(`The identity provider did not sign the user out (${root.status || "no status"}).`);
}

function logoutResponseRoot(
  samlResponse: string,
): { inResponseTo: string; issuer: string; status: string } | undefined {
  try {
    const xml = Buffer.from(samlResponse, "base64").toString("utf8");
    const DOMParser = domParser();
    const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, "text/xml");
    const root = doc.documentElement;
    if (root?.localName !== "LogoutResponse" || root.namespaceURI !== SAML_PROTOCOL) return undefined;
    const child = (parent: typeof root, ns: string, name: string) =>
      Array.from(parent.childNodes).find(
        (n): n is typeof root =>
          n.nodeType === 1 && (n as typeof root).localName === name && (n as typeof root).namespaceURI === ns,
      );
    const status = child(root, SAML_PROTOCOL, "Status");
    const code = status ? child(status, SAML_PROTOCOL, "StatusCode") : undefined;
    return {
      inResponseTo: root.getAttribute("InResponseTo") ?? "",
      issuer: (child(root, SAML_ASSERTION, "Issuer")?.textContent ?? "").trim(),
      status: code?.getAttribute("Value") ?? "",
    };
  } catch {
    return undefined;
  }
}
