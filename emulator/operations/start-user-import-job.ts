import type { StartUserImportJobRequest, StartUserImportJobResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { effectiveStatus, importJobType, poolWithImportJob, requireImportJob } from "../domain/user-import/jobs.js";
import { startImportRun } from "../domain/user-import/run.js";
import type { UserImportJobRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "StartUserImportJob",
  ["store", "clock", "config", "log"],
  (input: StartUserImportJobRequest, ctx): Wire<StartUserImportJobResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const current = requireImportJob(pool, input.JobId!);
    const now = ctx.clock.now();
    const { status } = effectiveStatus(ctx.store, pool.id, current, now);
    if (status !== "Created") throw errors.userImportJobNotStartable(current.jobId, status);
    // AWS: "If the user pool has no auto-verified attributes, the import job will not start."
    if ((pool.pool.AutoVerifiedAttributes ?? []).length === 0) throw errors.userImportNoAutoVerifiedAttributes();
    const job: UserImportJobRecord = { ...current, status: "Pending", startedAt: now };
    ctx.store.putPool(poolWithImportJob(pool, job));
    startImportRun(ctx, pool.id, job.jobId);
    return { UserImportJob: importJobType(ctx, pool.id, job, now) };
  },
);
