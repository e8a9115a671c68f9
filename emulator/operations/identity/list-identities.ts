import type { ListIdentitiesInput, ListIdentitiesResponse } from "@aws-sdk/client-cognito-identity";
import type { Wire } from "../../core/wire.js";
import { identityDescription } from "../../domain/identity-pools/identities.js";
import { requireIdentityPool } from "../../domain/identity-pools/pools.js";
import { paginate } from "../../domain/paginate.js";
import { defineIdentityOperation } from "./types.js";

// HideDisabled has nothing to hide: Cognito disables identities on its own (abuse), the emulator never does.
export default defineIdentityOperation(
  "ListIdentities",
  ["store"],
  (input: ListIdentitiesInput, ctx): Wire<ListIdentitiesResponse> => {
    const pool = requireIdentityPool(ctx, input.IdentityPoolId!);
    const page = paginate(ctx.store.listIdentities(pool.id), (i) => i.id, input.MaxResults!, input.NextToken);
    return {
      IdentityPoolId: pool.id,
      Identities: page.items.map(identityDescription),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
