import type { StopUserImportJobRequest, StopUserImportJobResponse } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { requirePool } from "../domain/pools.js";
import { effectiveStatus, importJobType, poolWithImportJob, requireImportJob } from "../domain/user-import/jobs.js";
import type { UserImportJobRecord } from "../store/types.js";
import { defineOperation } from "./types.js";

export default defineOperation(
  "StopUserImportJob",
  ["store", "clock", "config"],
  (input: StopUserImportJobRequest, ctx): Wire<StopUserImportJobResponse> => {
    const pool = requirePool(ctx, input.UserPoolId!);
    const current = requireImportJob(pool, input.JobId!);
    const now = ctx.clock.now();
    const { status } = effectiveStatus(ctx.store, pool.id, current, now);
    if (status !== "Pending" && status !== "InProgress") throw errors.userImportJobNotStoppable(current.jobId, status);
    // The run sees Stopping at its next batch and ends the job as Stopped (domain/user-import/run.ts).
    const job: UserImportJobRecord = { ...current, status: "Stopping" };
    ctx.store.putPool(poolWithImportJob(pool, job));
    return { UserImportJob: importJobType(ctx, pool.id, job, now) };
  },
);
