// The shape of the --config seed file. A leaf module (only AWS SDK types), so the settings in
// config.ts can name it without importing the seeding code and, through it, the operations.
import type {
  CreateIdentityProviderRequest,
  CreateResourceServerRequest,
  CreateUserPoolClientRequest,
  CreateUserPoolDomainRequest,
  CreateUserPoolRequest,
} from "@aws-sdk/client-cognito-identity-provider";
import type { FaultRuleInput } from "./core/fault-rules.js";

/** A user created at start. */
export interface SeedUser {
  Username: string;
  /** A permanent password (the user is CONFIRMED); omit for a user with no password yet. */
  Password?: string;
  /** Attributes as a name -> value map. */
  Attributes?: Record<string, string>;
  Groups?: string[];
}

/** A domain of a seeded pool: CreateUserPoolDomain's request without `UserPoolId`. */
export type SeedDomain = Omit<CreateUserPoolDomainRequest, "UserPoolId">;

/** A resource server of a seeded pool: CreateResourceServer's request without `UserPoolId`. */
export type SeedResourceServer = Omit<CreateResourceServerRequest, "UserPoolId">;

/** An identity provider of a seeded pool: CreateIdentityProvider's request without `UserPoolId`. */
export type SeedIdentityProvider = Omit<CreateIdentityProviderRequest, "UserPoolId">;

/** A pool with its domains, resource servers, identity providers, clients, groups and users. */
export interface SeedPool extends Partial<CreateUserPoolRequest> {
  /** Fixed pool id, `<region>_<alphanumerics>`. */
  Id: string;
  PoolName: string;
  /**
   * The pool's domain: a prefix (`"myapp"`), or CreateUserPoolDomain's request for a custom
   * domain (`CustomDomainConfig`) or for managed login (`ManagedLoginVersion: 2`).
   */
  Domain?: string | SeedDomain;
  /** A custom domain beside a prefix `Domain` (a pool has at most one of each kind). */
  CustomDomain?: SeedDomain;
  /** Resource servers and their custom scopes, created before the clients that allow them. */
  ResourceServers?: SeedResourceServer[];
  /** Identity providers (OIDC, SAML, social), created before the clients that list them. */
  IdentityProviders?: SeedIdentityProvider[];
  Clients?: (Omit<CreateUserPoolClientRequest, "UserPoolId"> & { ClientId?: string; ClientSecret?: string })[];
  Groups?: { GroupName: string; Description?: string; Precedence?: number; RoleArn?: string }[];
  Users?: SeedUser[];
}

/** The whole --config file. */
export interface SeedFile {
  UserPools?: SeedPool[];
  /**
   * Trigger functions run in-process: function name or ARN (as the pools' LambdaConfig names
   * them) to `./file.ts#export`, the path starting from this file's folder (docs/triggers.md).
   */
  Triggers?: Record<string, string>;
  /**
   * Fault rules set at start and again on every reset, as `POST /_twin/faults` takes them
   * (docs/faults.md): `[{"operation": "InitiateAuth", "action": "throttle", "probability": 0.1}]`.
   */
  Faults?: FaultRuleInput[];
}
