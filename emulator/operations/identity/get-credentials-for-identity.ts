import type {
  GetCredentialsForIdentityInput,
  GetCredentialsForIdentityResponse,
} from "@aws-sdk/client-cognito-identity";
import type { Wire } from "../../core/wire.js";
import { checkAccess, requireIdentity } from "../../domain/identity-pools/identities.js";
import { issueCredentials } from "../../domain/identity-pools/issue.js";
import { verifyLogins } from "../../domain/identity-pools/logins.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { chooseRole } from "../../domain/identity-pools/roles.js";
import { defineIdentityOperation } from "./types.js";

// The enhanced flow's last step: the role the pool's mappings choose, and credentials for it
// that nothing checks (docs/identity-pools.md: what to do with them).
export default defineIdentityOperation(
  "GetCredentialsForIdentity",
  ["store", "clock", "config", "keys", "identityKeys", "identityCredentials"],
  async (input: GetCredentialsForIdentityInput, ctx): Promise<Wire<GetCredentialsForIdentityResponse>> => {
    const { pool } = requireIdentity(ctx, input.IdentityId!);
    const verified = await verifyLogins(ctx, pool, input.Logins);
    const current = requireIdentityPool(ctx, pool.id);
    const access = checkAccess(ctx, current, input.IdentityId!, verified);
    const role = chooseRole(current, access, input.CustomRoleArn);
    return { IdentityId: access.identity.id, Credentials: issueCredentials(ctx, current, access, role).wire };
  },
);
