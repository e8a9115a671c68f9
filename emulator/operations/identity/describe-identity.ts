import type { DescribeIdentityInput, IdentityDescription } from "@aws-sdk/client-cognito-identity";
import type { Wire } from "../../core/wire.js";
import { identityDescription, requireIdentity } from "../../domain/identity-pools/identities.js";
import { defineIdentityOperation } from "./types.js";

export default defineIdentityOperation(
  "DescribeIdentity",
  ["store"],
  (input: DescribeIdentityInput, ctx): Wire<IdentityDescription> =>
    identityDescription(requireIdentity(ctx, input.IdentityId!).identity),
);
