import type {
  CreateUserImportJobRequest,
  CreateUserImportJobResponse,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { importJobRecord, importJobType, newImportJobId, poolWithImportJob } from "../domain/user-import/jobs.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "CreateUserImportJob",
  ["store", "clock", "config"],
  (input: CreateUserImportJobRequest, ctx): Wire<CreateUserImportJobResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const now = ctx.clock.now();
    const job = importJobRecord(newImportJobId(), input.JobName!, input.CloudWatchLogsRoleArn!, now);
    ctx.store.putPool(poolWithImportJob(pool, job));
    return { UserImportJob: importJobType(ctx, pool.id, job, now) };
  },
);
