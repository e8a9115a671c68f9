import type {
  DescribeIdentityProviderRequest,
  DescribeIdentityProviderResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { identityProviderType, requireIdentityProvider } from "../domain/identity-providers.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeIdentityProvider",
  ["store"],
  (input: DescribeIdentityProviderRequest, ctx): Wire<DescribeIdentityProviderResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    return { IdentityProvider: identityProviderType(requireIdentityProvider(pool, input.ProviderName!)) };
  },
);
