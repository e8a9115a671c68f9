import type {
  UpdateUserPoolClientRequest,
  UpdateUserPoolClientResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { checkClientOAuth } from "../domain/oauth-config.js";
import { requireClient, requirePool } from "../domain/pools.js";
import { clientSettings } from "./create-user-pool-client.js";
import { defineOperation } from "./types.js";

// As in Cognito, omitted settings return to their defaults: this is a replace, not a patch.
export default defineOperation(
  "UpdateUserPoolClient",
  ["store", "clock"],
  (input: UpdateUserPoolClientRequest, ctx): Wire<UpdateUserPoolClientResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const record = requireClient(ctx, input.ClientId!, input.UserPoolId!);
    const { UserPoolId, ClientId, ClientName, ...settings } = input;
    const old = record.client;
    checkClientOAuth(pool, settings, old.ClientSecret !== undefined);
    const client = {
      UserPoolId,
      ClientName: ClientName ?? old.ClientName,
      ClientId,
      ...(old.ClientSecret !== undefined ? { ClientSecret: old.ClientSecret } : {}),
      LastModifiedDate: ctx.clock.now() / 1000,
      CreationDate: old.CreationDate,
      ...clientSettings(settings),
    };
    ctx.store.putClient({ ...record, client });
    return { UserPoolClient: client };
  },
);
