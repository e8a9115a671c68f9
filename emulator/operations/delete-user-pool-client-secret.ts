import type {
  DeleteUserPoolClientSecretRequest,
  DeleteUserPoolClientSecretResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { clientWithoutSecret } from "../domain/client-secrets.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DeleteUserPoolClientSecret",
  ["store"],
  (input: DeleteUserPoolClientSecretRequest, ctx): DeleteUserPoolClientSecretResponse => {
    requirePool(ctx, input.UserPoolId!);
    const record = requireClient(ctx, input.ClientId!, input.UserPoolId!);
    ctx.store.putClient(clientWithoutSecret(record, input.ClientSecretId!));
    return {};
  },
);
