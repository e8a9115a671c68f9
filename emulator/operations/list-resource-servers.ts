import type {
  ListResourceServersRequest,
  ListResourceServersResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { listResourceServers, resourceServerType } from "../domain/resource-servers.js";
import { defineOperation } from "./types.js";

/** Page size when MaxResults is left out: the model's maximum. */
const DEFAULT_PAGE = 50;

export default defineOperation(
  "ListResourceServers",
  ["store"],
  (input: ListResourceServersRequest, ctx): Wire<ListResourceServersResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const page = paginate(
      listResourceServers(pool),
      (s) => s.identifier,
      input.MaxResults ?? DEFAULT_PAGE,
      input.NextToken,
    );
    return {
      ResourceServers: page.items.map((s) => resourceServerType(pool.id, s)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },
);
