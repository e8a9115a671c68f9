import type {
  DescribeUserPoolDomainRequest,
  DescribeUserPoolDomainResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { describeDomain, poolByDomain } from "../domain/domains.js";
import { defineOperation } from "./types.js";

// An unknown domain is not an error: Cognito answers an empty DomainDescription.
export default defineOperation(
  "DescribeUserPoolDomain",
  ["store", "config"],
  (input: DescribeUserPoolDomainRequest, ctx): Wire<DescribeUserPoolDomainResponse> => {
    const found = poolByDomain(ctx.store, input.Domain!);
    return { DomainDescription: found ? describeDomain(found.pool, found.domain, ctx.config.accountId) : {} };
  },
);
