import type { UnlinkIdentityInput } from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { checkAccess, requireIdentity } from "../../domain/identity-pools/identities.js";
import { verifyLogins } from "../../domain/identity-pools/logins.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// The caller proves the identity with Logins (as GetCredentialsForIdentity does), then the
// providers of LoginsToRemove are unlinked; without logins the identity is a guest again.
export default defineIdentityOperation(
  "UnlinkIdentity",
  ["store", "clock", "config", "keys", "identityKeys"],
  async (input: UnlinkIdentityInput, ctx): Promise<Record<string, never>> => {
    const { pool } = requireIdentity(ctx, input.IdentityId!);
    const verified = await verifyLogins(ctx, pool, input.Logins);
    const current = requireIdentityPool(ctx, pool.id);
    const access = checkAccess(ctx, current, input.IdentityId!, verified);
    if (!access.authenticated) throw identityErrors.loginsDontMatch();
    const remove = new Set(input.LoginsToRemove);
    ctx.store.putIdentity({
      ...access.identity,
      logins: access.identity.logins.filter((l) => !remove.has(l.provider)).map((l) => ({ ...l })),
      updatedAt: ctx.clock.now(),
    });
    return {};
  },
);
