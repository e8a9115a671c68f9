// Identity providers: the OIDC, SAML and social providers (Google, Facebook, Login with Amazon,
// Sign in with Apple) a pool's users may sign in through. They live in their pool's record
// (PoolRecord.identityProviders, by ProviderName), exactly as DescribeIdentityProvider answers
// them: ProviderDetails as Cognito echoes them (with the endpoints it adds for social
// providers), AttributeMapping with the `username` mapping it adds. Rules and their sources:
// docs/decisions/0018-federation.md.
import type {
  CreateIdentityProviderRequest,
  IdentityProviderType,
  IdentityProviderTypeType,
  ProviderDescription,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { DeepReadonly, IdentityProviderRecord, StoredPool } from "../store/types.js";

/** An identity provider as its pool's stored record holds it. */
export type StoredIdentityProvider = DeepReadonly<IdentityProviderRecord>;

/** The providers Cognito names after their type: their ProviderName must be the type. */
export const SOCIAL_PROVIDER_TYPES: ReadonlySet<string> = new Set([
  "Google",
  "Facebook",
  "LoginWithAmazon",
  "SignInWithApple",
]);

/** Cognito's quota of identity providers per user pool. */
const MAX_PROVIDERS = 300;

/** The names the pool's own directory goes by (SupportedIdentityProviders' COGNITO, AdminLinkProviderForUser's Cognito). */
export function isCognitoProviderName(name: string): boolean {
  return name.toUpperCase() === "COGNITO";
}

/** The pool's identity provider with this name, if any. */
export function identityProviderOf(pool: StoredPool, name: string): StoredIdentityProvider | undefined {
  const providers = pool.identityProviders;
  // An own-property test: a name such as `constructor` must not find Object's members.
  return providers && Object.hasOwn(providers, name) ? providers[name] : undefined;
}

/** The identity provider, or ResourceNotFoundException. */
export function requireIdentityProvider(pool: StoredPool, name: string): StoredIdentityProvider {
  const provider = identityProviderOf(pool, name);
  if (!provider) throw errors.identityProviderMissing(name);
  return provider;
}

/** The provider whose IdpIdentifiers list `idpIdentifier` (identifiers are unique in a pool), if any. */
export function identityProviderByIdentifier(
  pool: StoredPool,
  idpIdentifier: string,
): StoredIdentityProvider | undefined {
  return Object.values(pool.identityProviders ?? {}).find((p) =>
    (p.provider.IdpIdentifiers ?? []).includes(idpIdentifier),
  );
}

/** Every identity provider of the pool, in ProviderName order (the order ListIdentityProviders pages). */
export function listIdentityProviders(pool: StoredPool): StoredIdentityProvider[] {
  return Object.values(pool.identityProviders ?? {}).sort((a, b) =>
    a.provider.ProviderName! < b.provider.ProviderName!
      ? -1
      : a.provider.ProviderName! > b.provider.ProviderName!
        ? 1
        : 0,
  );
}

/** How one provider type's ProviderDetails are checked and echoed. */
interface DetailRules {
  /** Keys the request must have, and Cognito's list of them for the message. */
  readonly required: readonly string[];
  readonly requiredMessage: string;
  /** Further keys the request may have. */
  readonly optional: readonly string[];
  /** Keys Cognito adds when the request leaves them out (the social providers' endpoints). */
  readonly added: (given: Readonly<Record<string, string>>) => Record<string, string>;
  /** Keys Cognito takes but never echoes (Apple's private key). */
  readonly hidden?: readonly string[];
  /** Keys a request may carry back from a describe answer, which Cognito computes itself (ignored). */
  readonly readOnly?: readonly string[];
}

const SOCIAL_ENDPOINTS = [
  "attributes_url",
  "attributes_url_add_attributes",
  "authorize_url",
  "oidc_issuer",
  "token_request_method",
  "token_url",
] as const;
const SOCIAL_REQUIRED = ["client_id", "client_secret", "authorize_scopes"] as const;
const SOCIAL_REQUIRED_MESSAGE = "client_id, client_secret and authorize_scopes";

const RULES: Record<IdentityProviderTypeType, DetailRules> = {
  // Each social provider's describe answer, as AWS's API reference gives it.
  Google: {
    required: SOCIAL_REQUIRED,
    requiredMessage: SOCIAL_REQUIRED_MESSAGE,
    optional: SOCIAL_ENDPOINTS,
    added: () => ({
      attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
      attributes_url_add_attributes: "true",
      authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
      oidc_issuer: "https://accounts.google.com",
      token_request_method: "POST",
      token_url: "https://www.googleapis.com/oauth2/v4/token",
    }),
  },
  Facebook: {
    required: SOCIAL_REQUIRED,
    requiredMessage: SOCIAL_REQUIRED_MESSAGE,
    optional: ["api_version", ...SOCIAL_ENDPOINTS],
    added: (given) => {
      // The Graph API version goes into every URL; without one, the unversioned URLs.
      const v = given.api_version ? `${given.api_version}/` : "";
      return {
        attributes_url: `https://graph.facebook.com/${v}me?fields=`,
        attributes_url_add_attributes: "true",
        authorize_url: `https://www.facebook.com/${v}dialog/oauth`,
        token_request_method: "GET",
        token_url: `https://graph.facebook.com/${v}oauth/access_token`,
      };
    },
  },
  LoginWithAmazon: {
    required: SOCIAL_REQUIRED,
    requiredMessage: SOCIAL_REQUIRED_MESSAGE,
    optional: SOCIAL_ENDPOINTS,
    added: () => ({
      attributes_url: "https://api.amazon.com/user/profile",
      attributes_url_add_attributes: "false",
      authorize_url: "https://www.amazon.com/ap/oa",
      token_request_method: "POST",
      token_url: "https://api.amazon.com/auth/o2/token",
    }),
  },
  SignInWithApple: {
    required: ["client_id", "team_id", "key_id", "private_key"],
    requiredMessage: "client_id, private_key, team_id, and key_id",
    optional: ["authorize_scopes", ...SOCIAL_ENDPOINTS],
    added: () => ({
      attributes_url_add_attributes: "false",
      authorize_url: "https://appleid.apple.com/auth/authorize",
      oidc_issuer: "https://appleid.apple.com",
      token_request_method: "POST",
      token_url: "https://appleid.apple.com/auth/token",
    }),
    hidden: ["private_key"],
  },
  // OIDC: the endpoints are read from the issuer's discovery document at sign-in unless given.
  OIDC: {
    required: ["client_id", "authorize_scopes", "oidc_issuer", "attributes_request_method"],
    requiredMessage: "client_id, authorize_scopes, oidc_issuer and attributes_request_method",
    optional: [
      "client_secret",
      "authorize_url",
      "token_url",
      "attributes_url",
      "jwks_uri",
      "attributes_url_add_attributes",
    ],
    added: () => ({ attributes_url_add_attributes: "false" }),
  },
  SAML: {
    required: [],
    requiredMessage: "",
    optional: ["MetadataFile", "MetadataURL", "IDPSignout", "IDPInit", "EncryptedResponses", "RequestSigningAlgorithm"],
    added: () => ({}),
    readOnly: ["ActiveEncryptionCertificate", "SLORedirectBindingURI", "SSORedirectBindingURI"],
  },
};

/** The `username` mapping Cognito adds: the upstream attribute that names the user. */
const USERNAME_SOURCE: Partial<Record<IdentityProviderTypeType, string>> = {
  Google: "sub",
  Facebook: "id",
  LoginWithAmazon: "user_id",
  SignInWithApple: "sub",
  OIDC: "sub",
};

const URL_KEYS = new Set(["oidc_issuer", "authorize_url", "token_url", "attributes_url", "jwks_uri", "MetadataURL"]);
const BOOLEAN_KEYS = new Set(["IDPSignout", "IDPInit", "EncryptedResponses", "attributes_url_add_attributes"]);
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An https URL, or http to a loopback host (a local upstream in tests, as the emulator allows). */
function isProviderUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

/** Object keys in code-point order, as Cognito lists ProviderDetails and AttributeMapping. */
function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The ProviderDetails Cognito stores and echoes for `type`, or its error for the first rule broken. */
function checkedProviderDetails(
  type: IdentityProviderTypeType,
  details: Readonly<Record<string, string>>,
): Record<string, string> {
  const rules = RULES[type];
  const known = new Set([...rules.required, ...rules.optional, ...(rules.readOnly ?? [])]);
  for (const key of Object.keys(details)) if (!known.has(key)) throw errors.providerDetailUnsupported(key, type);
  if (rules.required.some((key) => !details[key])) throw errors.providerDetailsRequired(rules.requiredMessage);
  if (type === "SAML" && Boolean(details.MetadataFile) === Boolean(details.MetadataURL))
    throw errors.samlMetadataRequired();
  for (const [key, value] of Object.entries(details)) {
    if (URL_KEYS.has(key) && !isProviderUrl(value))
      throw errors.providerDetailInvalid(key, "an https URL (or http to localhost, 127.0.0.1 or [::1])");
    if (BOOLEAN_KEYS.has(key) && value !== "true" && value !== "false")
      throw errors.providerDetailInvalid(key, "true or false");
  }
  if (details.attributes_request_method !== undefined && !["GET", "POST"].includes(details.attributes_request_method))
    throw errors.providerDetailInvalid("attributes_request_method", "GET or POST");
  if (details.RequestSigningAlgorithm !== undefined && details.RequestSigningAlgorithm !== "rsa-sha256")
    throw errors.providerDetailInvalid("RequestSigningAlgorithm", "rsa-sha256");
  const kept: Record<string, string> = { ...rules.added(details) };
  for (const [key, value] of Object.entries(details)) {
    if (rules.hidden?.includes(key) || rules.readOnly?.includes(key)) continue;
    kept[key] = value;
  }
  return sortedRecord(kept);
}

/** The AttributeMapping Cognito stores: pool attributes only, with its `username` mapping added. */
function checkedAttributeMapping(
  pool: StoredPool,
  type: IdentityProviderTypeType,
  mapping: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const schema = new Set((pool.pool.SchemaAttributes ?? []).map((a) => a.Name!));
  for (const name of Object.keys(mapping ?? {})) {
    if (name !== "username" && (!schema.has(name) || name === "sub")) throw errors.attributeMappingNotInSchema(name);
  }
  const username = USERNAME_SOURCE[type];
  return sortedRecord({ ...(username ? { username } : {}), ...mapping });
}

/** IdpIdentifiers, each used once in the pool (the provider `self` may keep its own). */
function checkedIdentifiers(pool: StoredPool, identifiers: readonly string[], self?: string): string[] {
  const seen = new Set<string>();
  for (const id of identifiers) {
    const holder = identityProviderByIdentifier(pool, id);
    if (seen.has(id) || (holder && holder.provider.ProviderName !== self)) throw errors.idpIdentifierTaken(id);
    seen.add(id);
  }
  return [...identifiers];
}

/** The record for CreateIdentityProvider, checked as Cognito checks it; `now` in epoch milliseconds. */
export function newIdentityProvider(
  pool: StoredPool,
  input: Omit<CreateIdentityProviderRequest, "UserPoolId">,
  now: number,
): IdentityProviderRecord {
  const name = input.ProviderName!;
  const type = input.ProviderType!;
  if (isCognitoProviderName(name)) throw errors.providerNameReserved(name);
  if (identityProviderOf(pool, name)) throw errors.identityProviderExists(name, pool.id);
  if (SOCIAL_PROVIDER_TYPES.has(type) && name !== type) throw errors.socialProviderName(type);
  if (Object.keys(pool.identityProviders ?? {}).length >= MAX_PROVIDERS)
    throw errors.tooManyIdentityProviders(MAX_PROVIDERS);
  const seconds = now / 1000;
  return {
    provider: {
      UserPoolId: pool.id,
      ProviderName: name,
      ProviderType: type,
      ProviderDetails: checkedProviderDetails(type, input.ProviderDetails ?? {}),
      AttributeMapping: checkedAttributeMapping(pool, type, input.AttributeMapping),
      IdpIdentifiers: checkedIdentifiers(pool, input.IdpIdentifiers ?? []),
      LastModifiedDate: seconds,
      CreationDate: seconds,
    },
    ...secretsOf(type, input.ProviderDetails ?? {}),
  };
}

/** The ProviderDetails kept but never echoed (Sign in with Apple's private_key signs its client secret). */
function secretsOf(
  type: IdentityProviderTypeType,
  details: Readonly<Record<string, string>>,
): { secrets?: Record<string, string> } {
  const secrets: Record<string, string> = {};
  for (const key of RULES[type].hidden ?? []) if (details[key]) secrets[key] = details[key];
  return Object.keys(secrets).length > 0 ? { secrets } : {};
}

/** What UpdateIdentityProvider may change; members left out keep their values. */
export interface IdentityProviderChanges {
  readonly ProviderDetails?: Readonly<Record<string, string>> | undefined;
  readonly AttributeMapping?: Readonly<Record<string, string>> | undefined;
  readonly IdpIdentifiers?: readonly string[] | undefined;
}

/** The provider with UpdateIdentityProvider's changes, checked as at creation. */
export function updatedIdentityProvider(
  pool: StoredPool,
  current: StoredIdentityProvider,
  changes: IdentityProviderChanges,
  now: number,
): IdentityProviderRecord {
  const p = current.provider;
  const type = p.ProviderType!;
  return {
    provider: {
      ...structuredClone(p as Wire<IdentityProviderType>),
      ...(changes.ProviderDetails ? { ProviderDetails: checkedProviderDetails(type, changes.ProviderDetails) } : {}),
      ...(changes.AttributeMapping
        ? { AttributeMapping: checkedAttributeMapping(pool, type, changes.AttributeMapping) }
        : {}),
      ...(changes.IdpIdentifiers
        ? { IdpIdentifiers: checkedIdentifiers(pool, changes.IdpIdentifiers, p.ProviderName) }
        : {}),
      LastModifiedDate: now / 1000,
    },
    ...(changes.ProviderDetails
      ? secretsOf(type, changes.ProviderDetails)
      : current.secrets
        ? { secrets: { ...current.secrets } }
        : {}),
  };
}

/** The pool with `provider` added, or replacing the one with its name. */
export function poolWithIdentityProvider(pool: StoredPool, provider: StoredIdentityProvider): StoredPool {
  return {
    ...pool,
    identityProviders: { ...pool.identityProviders, [provider.provider.ProviderName!]: provider },
  };
}

/** The pool without the identity provider `name`. */
export function poolWithoutIdentityProvider(pool: StoredPool, name: string): StoredPool {
  const { [name]: _gone, ...rest } = pool.identityProviders ?? {};
  const { identityProviders: _old, ...base } = pool;
  return Object.keys(rest).length > 0 ? { ...base, identityProviders: rest } : base;
}

/** The provider as Create/Describe/Update/GetIdentityProviderByIdentifier answer it (a copy). */
export function identityProviderType(provider: StoredIdentityProvider): Wire<IdentityProviderType> {
  return structuredClone(provider.provider) as Wire<IdentityProviderType>;
}

/** The provider as ListIdentityProviders lists it. */
export function providerDescription(provider: StoredIdentityProvider): Wire<ProviderDescription> {
  const p = provider.provider;
  return {
    ProviderName: p.ProviderName!,
    ProviderType: p.ProviderType!,
    LastModifiedDate: p.LastModifiedDate!,
    CreationDate: p.CreationDate!,
  };
}
