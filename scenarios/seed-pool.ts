// The seed guide's user pool as the scenarios make it: email as username, email auto-verified,
// email and name required, the guide's full password policy. One place for the run's pool and
// the scratch pools that scenarios make for themselves.
import type { CreateUserPoolRequest } from "@aws-sdk/client-cognito-identity-provider";

/** CreateUserPool input for a pool of the seed guide's shape named `PoolName`, plus `extra`. */
export function seedGuidePool(PoolName: string, extra: Partial<CreateUserPoolRequest> = {}): CreateUserPoolRequest {
  return {
    PoolName,
    Policies: {
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      },
    },
    UsernameAttributes: ["email"],
    AutoVerifiedAttributes: ["email"],
    Schema: [
      { Name: "email", Required: true, Mutable: true },
      { Name: "name", Required: true, Mutable: true },
    ],
    ...extra,
  };
}
