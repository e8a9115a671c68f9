import type { UpdateTermsRequest, UpdateTermsResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { checkTermsLinks, checkTermsNameFree, poolWithTerms, requireTerms, termsType } from "../domain/terms.js";
import { defineOperation } from "./types.js";

// Every member but the ids is optional: what is left out keeps its value (a patch, unlike
// UpdateUserPoolClient), docs/decisions/0026.
export default defineOperation(
  "UpdateTerms",
  ["store", "clock"],
  (input: UpdateTermsRequest, ctx): Wire<UpdateTermsResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const old = requireTerms(pool, input.TermsId!);
    if (input.TermsName !== undefined) checkTermsNameFree(pool, old.clientId, input.TermsName, old.termsId);
    if (input.Links) checkTermsLinks(input.Links);
    const terms = {
      ...old,
      termsName: input.TermsName ?? old.termsName,
      termsSource: input.TermsSource ?? old.termsSource,
      enforcement: input.Enforcement ?? old.enforcement,
      links: { ...(input.Links ?? old.links) },
      updatedAt: ctx.clock.now(),
    };
    ctx.store.putPool(poolWithTerms(pool, terms));
    return { Terms: termsType(pool.id, terms) };
  },
);
