import type { DeleteUserPoolClientRequest } from "@aws-sdk/client-cognito-identity-provider";
import { requireClient, requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DeleteUserPoolClient",
  ["store"],
  (input: DeleteUserPoolClientRequest, ctx): Record<string, never> => {
    requirePool(ctx, input.UserPoolId!);
    requireClient(ctx, input.ClientId!, input.UserPoolId!);
    ctx.store.deleteClient(input.ClientId!);
    return {};
  },
);
