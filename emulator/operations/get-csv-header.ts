import type { GetCSVHeaderRequest, GetCSVHeaderResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { csvHeader } from "../domain/user-import/csv.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "GetCSVHeader",
  ["store"],
  (input: GetCSVHeaderRequest, ctx): Wire<GetCSVHeaderResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    return { UserPoolId: pool.id, CSVHeader: csvHeader(pool) };
  },
);
