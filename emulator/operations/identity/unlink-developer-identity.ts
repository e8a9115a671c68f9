import type { UnlinkDeveloperIdentityInput } from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// An identity left without logins is a guest again.
export default defineIdentityOperation(
  "UnlinkDeveloperIdentity",
  ["store", "clock"],
  (input: UnlinkDeveloperIdentityInput, ctx): Record<string, never> => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    if (pool.developerProviderName !== input.DeveloperProviderName) throw identityErrors.developerProviderMismatch();
    const identity = ctx.store.getIdentity(input.IdentityId!);
    if (!identity || identity.poolId !== pool.id) throw identityErrors.identityNotFound(input.IdentityId!);
    const isThis = (l: { provider: string; subject: string }) =>
      l.provider === input.DeveloperProviderName && l.subject === input.DeveloperUserIdentifier;
    if (!identity.logins.some(isThis)) throw identityErrors.developerUserNotFound();
    ctx.store.putIdentity({
      ...identity,
      logins: identity.logins.filter((l) => !isThis(l)).map((l) => ({ ...l })),
      updatedAt: ctx.clock.now(),
    });
    return {};
  },
);
