import type { LookupDeveloperIdentityInput, LookupDeveloperIdentityResponse } from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { paginate } from "../../domain/paginate.js";
import { defineIdentityOperation } from "./types.js";

/** MaxResults when none is given. */
const DEFAULT_LIMIT = 60;

// By IdentityId, by DeveloperUserIdentifier, or both (then they must name the same identity).
export default defineIdentityOperation(
  "LookupDeveloperIdentity",
  ["store"],
  (input: LookupDeveloperIdentityInput, ctx): LookupDeveloperIdentityResponse => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    if (input.IdentityId === undefined && input.DeveloperUserIdentifier === undefined)
      throw identityErrors.lookupNeedsIdentifier();
    const developer = pool.developerProviderName;
    let identity = input.IdentityId !== undefined ? ctx.store.getIdentity(input.IdentityId) : undefined;
    if (input.IdentityId !== undefined && (!identity || identity.poolId !== pool.id))
      throw identityErrors.identityNotFound(input.IdentityId);
    if (input.DeveloperUserIdentifier !== undefined) {
      const byUser =
        developer === undefined
          ? undefined
          : ctx.store.findIdentityByLogin(pool.id, developer, input.DeveloperUserIdentifier);
      if (!byUser || (identity && identity.id !== byUser.id)) throw identityErrors.developerUserNotFound();
      identity = byUser;
    }
    const users = identity!.logins.filter((l) => l.provider === developer).map((l) => l.subject);
    const page = paginate(users, (u) => u, input.MaxResults ?? DEFAULT_LIMIT, input.NextToken);
    return {
      IdentityId: identity!.id,
      DeveloperUserIdentifierList: page.items,
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
