import type { DeleteIdentitiesInput, DeleteIdentitiesResponse } from "@aws-sdk/client-cognito-identity";
import { defineIdentityOperation } from "./types.js";

// Ids that name no identity are nothing to delete: none is reported unprocessed.
export default defineIdentityOperation(
  "DeleteIdentities",
  ["store"],
  (input: DeleteIdentitiesInput, ctx): DeleteIdentitiesResponse => {
    for (const id of input.IdentityIdsToDelete!) ctx.store.deleteIdentity(id);
    return { UnprocessedIdentityIds: [] };
  },
);
