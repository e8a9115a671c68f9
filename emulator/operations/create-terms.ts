import type { CreateTermsRequest, CreateTermsResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { checkTermsLinks, checkTermsNameFree, poolWithTerms, termsType } from "../domain/terms.js";
import { newUuid } from "../services/ids.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "CreateTerms",
  ["store", "clock"],
  (input: CreateTermsRequest, ctx): Wire<CreateTermsResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const clientId = input.ClientId!;
    requireClient(ctx, clientId, pool.id);
    checkTermsNameFree(pool, clientId, input.TermsName!);
    // The model leaves Links optional here but requires them of every TermsType it answers.
    if (!input.Links) throw errors.termsLinksRequired();
    checkTermsLinks(input.Links);
    const now = ctx.clock.now();
    const terms = {
      termsId: newUuid(),
      clientId,
      termsName: input.TermsName!,
      termsSource: input.TermsSource!,
      enforcement: input.Enforcement!,
      links: { ...input.Links },
      createdAt: now,
      updatedAt: now,
    };
    ctx.store.putPool(poolWithTerms(pool, terms));
    return { Terms: termsType(pool.id, terms) };
  },
);
