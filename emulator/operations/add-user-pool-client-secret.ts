import type {
  AddUserPoolClientSecretRequest,
  AddUserPoolClientSecretResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { clientSecretDescriptor, clientWithNewSecret } from "../domain/client-secrets.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { newClientSecret } from "../services/ids.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "AddUserPoolClientSecret",
  ["store", "clock"],
  (input: AddUserPoolClientSecretRequest, ctx): Wire<AddUserPoolClientSecretResponse> => {
    requirePool(ctx, input.UserPoolId!);
    const record = requireClient(ctx, input.ClientId!, input.UserPoolId!);
    const { client, secret } = clientWithNewSecret(record, input.ClientSecret, newClientSecret, ctx.clock.now());
    ctx.store.putClient(client);
    // As the model says: the value is answered only when Cognito made it, never a caller's own.
    return {
      ClientSecretDescriptor: {
        ...clientSecretDescriptor(secret),
        ...(input.ClientSecret === undefined ? { ClientSecretValue: secret.value } : {}),
      },
    };
  },
);
