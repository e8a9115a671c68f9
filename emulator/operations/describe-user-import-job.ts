import type {
  DescribeUserImportJobRequest,
  DescribeUserImportJobResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { importJobType, requireImportJob } from "../domain/user-import/jobs.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "DescribeUserImportJob",
  ["store", "clock", "config"],
  (input: DescribeUserImportJobRequest, ctx): Wire<DescribeUserImportJobResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const job = requireImportJob(pool, input.JobId!);
    return { UserImportJob: importJobType(ctx, pool.id, job, ctx.clock.now()) };
  },
);
