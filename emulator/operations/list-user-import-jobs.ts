import type { ListUserImportJobsRequest, ListUserImportJobsResponse } from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { paginate } from "../domain/paginate.js";
import { requirePool } from "../domain/pools.js";
import { importJobType, listImportJobs } from "../domain/user-import/jobs.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "ListUserImportJobs",
  ["store", "clock", "config"],
  (input: ListUserImportJobsRequest, ctx): Wire<ListUserImportJobsResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const now = ctx.clock.now();
    const page = paginate(listImportJobs(pool), (j) => j.jobId, input.MaxResults!, input.PaginationToken);
    return {
      UserImportJobs: page.items.map((j) => importJobType(ctx, pool.id, j, now)),
      ...(page.nextToken ? { PaginationToken: page.nextToken } : {}),
    };
  },
);
