import type {
  ListUserPoolClientsRequest,
  ListUserPoolClientsResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ListUserPoolClients",
  ["store"],
  (input: ListUserPoolClientsRequest, ctx): ListUserPoolClientsResponse => {
    requirePool(ctx, input.UserPoolId!);
    const clients = ctx.store.listClients(input.UserPoolId!);
    const page = paginate(clients, (c) => c.client.ClientId!, input.MaxResults ?? 60, input.NextToken);
    return {
      UserPoolClients: page.items.map((c) => ({
        ClientId: c.client.ClientId,
        UserPoolId: c.poolId,
        ClientName: c.client.ClientName,
      })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
