// Records of the identity pools (the Cognito Identity API, docs/identity-pools.md): kept in
// tables of their own beside the user pools, never inside a PoolRecord, because an identity pool
// may name several user pools (or none) and outlives any of them. Plain JSON, times in epoch ms.
// The two API shapes the records hold are written out here, as the model has them, rather than
// imported from @aws-sdk/client-cognito-identity: the store's types are part of the package's
// declarations, and that client is a dev dependency (docs/decisions/0035-packaging.md).
import type { DeepReadonly, SigningKey } from "./types.js";

/** The model's CognitoIdentityProvider: a user pool app client an identity pool trusts. */
interface CognitoIdentityProvider {
  ProviderName?: string | undefined;
  ClientId?: string | undefined;
  ServerSideTokenCheck?: boolean | undefined;
}

/** The model's MappingRule: a claim test and the role it picks. */
interface MappingRule {
  Claim: string | undefined;
  MatchType: "Equals" | "Contains" | "StartsWith" | "NotEqual" | undefined;
  Value: string | undefined;
  RoleARN: string | undefined;
}

/** The model's RoleMapping: how an identity provider's users get a role. */
interface RoleMapping {
  Type: "Token" | "Rules" | undefined;
  AmbiguousRoleResolution?: "AuthenticatedRole" | "Deny" | undefined;
  RulesConfiguration?: { Rules: MappingRule[] | undefined } | undefined;
}

/** One identity pool: its settings as the API takes them, its roles, and its OpenID signing key. */
export interface IdentityPoolRecord {
  /** `<region>:<uuid>`, the IdentityPoolId. */
  id: string;
  name: string;
  allowUnauthenticated: boolean;
  /** AllowClassicFlow as given; absent means not set (Cognito then allows the classic flow). */
  allowClassicFlow?: boolean;
  /** SupportedLoginProviders: provider domain -> app id (Google, Facebook, ...). */
  supportedLoginProviders?: Record<string, string>;
  developerProviderName?: string;
  openIdConnectProviderArns?: string[];
  cognitoIdentityProviders?: CognitoIdentityProvider[];
  samlProviderArns?: string[];
  tags?: Record<string, string>;
  /** SetIdentityPoolRoles' Roles: `authenticated` / `unauthenticated` -> role ARN. */
  roles?: Record<string, string>;
  /** SetIdentityPoolRoles' RoleMappings, by identity provider (`<provider>:<clientId>` for user pools). */
  roleMappings?: Record<string, RoleMapping>;
  /** SetPrincipalTagAttributeMap, by identity provider name. */
  principalTagMaps?: Record<string, { useDefaults: boolean; tags: Record<string, string> }>;
  /** The RS512 key the pool's OpenID tokens are signed with, made at first use. */
  key?: SigningKey;
  createdAt: number;
}

/** One login of an identity: a provider and the user's id there (a user pool's `sub`, a developer user id). */
export interface IdentityLogin {
  /** The Logins key: `cognito-idp.<region>.amazonaws.com/<poolId>`, a developer provider name, ... */
  provider: string;
  subject: string;
}

/** One identity of an identity pool: guest while it has no logins, authenticated once it has one. */
export interface IdentityRecord {
  /** `<region>:<uuid>`, the IdentityId. */
  id: string;
  poolId: string;
  logins: IdentityLogin[];
  createdAt: number;
  updatedAt: number;
}

/** An identity pool as the store hands it out (read-only). */
export type StoredIdentityPool = DeepReadonly<IdentityPoolRecord>;
/** An identity as the store hands it out (read-only). */
export type StoredIdentity = DeepReadonly<IdentityRecord>;
