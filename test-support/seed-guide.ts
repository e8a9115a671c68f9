// The seed guide (cognito-setup-guide.md, beside the repository in shared/seed/): its Legatera
// pool and app client (section 2) and the user of its curl examples (section 4), defined once in
// seed-guide.json for every test that uses them, the Python suite (tests-py/) included; and
// section 2's AWS CLI commands exactly as the guide prints them.
import { readFileSync } from "node:fs";
import type { CreateUserPoolClientRequest, CreateUserPoolRequest } from "@aws-sdk/client-cognito-identity-provider";

interface Guide {
  pool: CreateUserPoolRequest & { PoolName: string };
  client: Omit<CreateUserPoolClientRequest, "UserPoolId"> & { ClientName: string };
  user: { email: string; password: string; name: string };
}

const guide = JSON.parse(readFileSync(new URL("./seed-guide.json", import.meta.url), "utf8")) as Guide;

/** Section 2.1's pool, as CreateUserPool takes it (PoolName "Legatera-UserPool"). */
export const GUIDE_POOL: Readonly<Guide["pool"]> = guide.pool;

/** Section 2.2's app client, as CreateUserPoolClient takes it, without the pool's id. */
export const GUIDE_CLIENT: Readonly<Guide["client"]> = guide.client;

/** The user that section 4 registers and signs in. */
export const GUIDE_USER: Readonly<Guide["user"]> = guide.user;

/** Section 2.1's command, verbatim: continuation lines and quotes as printed. */
export const GUIDE_CREATE_POOL = `aws cognito-idp create-user-pool \\
--region us-east-1 \\
--pool-name Legatera-UserPool \\
--policies '{"PasswordPolicy":{"MinimumLength":8,"RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":true}}' \\
--username-attributes email \\
--auto-verified-attributes email \\
--schema '[{"Name":"email","Required":true,"Mutable":true},{"Name":"name","Required":true,"Mutable":true}]' \\
--mfa-configuration OFF`;

/** Section 2.2's command, verbatim, with the guide's [YOUR_USER_POOL_ID] placeholder. */
export const GUIDE_CREATE_CLIENT = `aws cognito-idp create-user-pool-client \\
--user-pool-id [YOUR_USER_POOL_ID] \\
--client-name legatera-app-client \\
--no-generate-secret \\
--explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH \\
--supported-identity-providers COGNITO`;
