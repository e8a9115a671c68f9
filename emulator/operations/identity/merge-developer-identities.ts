import type { MergeDeveloperIdentitiesInput, MergeDeveloperIdentitiesResponse } from "@aws-sdk/client-cognito-identity";
import { identityErrors } from "../../core/errors.js";
import { linkLogins } from "../../domain/identity-pools/identities.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { defineIdentityOperation } from "./types.js";

// Every login of the source user's identity moves to the destination user's identity, and the
// source identity is gone; the answer is the identity that remains.
export default defineIdentityOperation(
  "MergeDeveloperIdentities",
  ["store", "clock"],
  (input: MergeDeveloperIdentitiesInput, ctx): MergeDeveloperIdentitiesResponse => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    if (pool.developerProviderName !== input.DeveloperProviderName) throw identityErrors.developerProviderMismatch();
    const developer = input.DeveloperProviderName!;
    const source = ctx.store.findIdentityByLogin(pool.id, developer, input.SourceUserIdentifier!);
    const destination = ctx.store.findIdentityByLogin(pool.id, developer, input.DestinationUserIdentifier!);
    if (!source || !destination) throw identityErrors.developerUserNotFound();
    if (source.id === destination.id) return { IdentityId: destination.id };
    ctx.store.deleteIdentity(source.id);
    return { IdentityId: linkLogins(ctx, destination, source.logins).id };
  },
);
