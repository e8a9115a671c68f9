import type {
  UpdateResourceServerRequest,
  UpdateResourceServerResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import {
  poolWithResourceServer,
  requireResourceServer,
  resourceServerRecord,
  resourceServerType,
} from "../domain/resource-servers.js";
import { defineOperation } from "./types.js";

// A replace, as AWS documents it ("If you don't provide a value for an attribute, it is set to
// the default value"): Scopes left out leave the server with none. The identifier never changes.
export default defineOperation(
  "UpdateResourceServer",
  ["store"],
  (input: UpdateResourceServerRequest, ctx): Wire<UpdateResourceServerResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const identifier = requireResourceServer(pool, input.Identifier!).identifier;
    const server = resourceServerRecord(identifier, input.Name!, input.Scopes);
    ctx.store.putPool(poolWithResourceServer(pool, server));
    return { ResourceServer: resourceServerType(pool.id, server) };
  },
);
