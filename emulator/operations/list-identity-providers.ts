import type {
  ListIdentityProvidersRequest,
  ListIdentityProvidersResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { listIdentityProviders, providerDescription } from "../domain/identity-providers.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

/** Page size when MaxResults is left out (or 0): the model's maximum. */
const DEFAULT_PAGE = 60;

export default defineOperation(
  "ListIdentityProviders",
  ["store"],
  (input: ListIdentityProvidersRequest, ctx): Wire<ListIdentityProvidersResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const page = paginate(
      listIdentityProviders(pool),
      (p) => p.provider.ProviderName!,
      input.MaxResults || DEFAULT_PAGE,
      input.NextToken,
    );
    return {
      Providers: page.items.map(providerDescription),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
