import type {
  ListUserPoolClientSecretsRequest,
  ListUserPoolClientSecretsResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { clientSecretDescriptor, clientSecretsOf } from "../domain/client-secrets.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

// The model: at most two secrets, all answered at once, so there is never a NextToken (one sent
// is ignored), and never a secret's value.
export default defineOperation(
  "ListUserPoolClientSecrets",
  ["store"],
  (input: ListUserPoolClientSecretsRequest, ctx): Wire<ListUserPoolClientSecretsResponse> => {
    requirePool(ctx, input.UserPoolId!);
    const record = requireClient(ctx, input.ClientId!, input.UserPoolId!);
    return { ClientSecrets: clientSecretsOf(record).map(clientSecretDescriptor) };
  },
);
