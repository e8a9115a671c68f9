// The shape of the --config seed file. A leaf module (only AWS SDK types), so the settings in
// config.ts can name it without importing the seeding code and, through it, the operations.
import type { CreateUserPoolClientRequest, CreateUserPoolRequest } from "@aws-sdk/client-cognito-identity-provider";

/** A user created at start. */
export interface SeedUser {
  Username: string;
  /** A permanent password (the user is CONFIRMED); omit for a user with no password yet. */
  Password?: string;
  /** Attributes as a name -> value map. */
  Attributes?: Record<string, string>;
  Groups?: string[];
}

/** A pool with its clients, groups and users. */
export interface SeedPool extends Partial<CreateUserPoolRequest> {
  /** Fixed pool id, `<region>_<alphanumerics>`. */
  Id: string;
  PoolName: string;
  Clients?: (Omit<CreateUserPoolClientRequest, "UserPoolId"> & { ClientId?: string; ClientSecret?: string })[];
  Groups?: { GroupName: string; Description?: string; Precedence?: number; RoleArn?: string }[];
  Users?: SeedUser[];
}

/** The whole --config file. */
export interface SeedFile {
  UserPools?: SeedPool[];
}
