import type {
  CreateResourceServerRequest,
  CreateResourceServerResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import {
  poolWithResourceServer,
  resourceServerOf,
  resourceServerRecord,
  resourceServerType,
} from "../domain/resource-servers.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "CreateResourceServer",
  ["store"],
  (input: CreateResourceServerRequest, ctx): Wire<CreateResourceServerResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const identifier = input.Identifier!;
    if (resourceServerOf(pool, identifier)) throw errors.resourceServerExists(identifier, pool.id);
    const server = resourceServerRecord(identifier, input.Name!, input.Scopes);
    ctx.store.putPool(poolWithResourceServer(pool, server));
    return { ResourceServer: resourceServerType(pool.id, server) };
  },
);
