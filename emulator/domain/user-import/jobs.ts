// User import jobs (CreateUserImportJob ... ListUserImportJobs): their records on the pool, the
// wire shape, the pre-signed upload URL this emulator serves, and the states Cognito derives.
// The CSV and the run itself: run.ts; uploads and logs in memory: runtime.ts.
import { randomBytes, randomInt } from "node:crypto";
import type { UserImportJobType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { Store } from "../../store/store.js";
import type { DeepReadonly, StoredPool, UserImportJobRecord } from "../../store/types.js";
import { importRuntime, jobKey } from "./runtime.js";

/** A job as its pool's stored record holds it. */
export type StoredImportJob = DeepReadonly<UserImportJobRecord>;

/** The statuses the API answers: the stored ones plus Expired (a Created job never started in time). */
type ImportJobStatus = UserImportJobRecord["status"] | "Expired";

/** S3 pre-signed URLs Cognito hands out carry X-Amz-Expires=899: a quarter of an hour, less a second. */
export const UPLOAD_URL_SECONDS = 899;
/** AWS: a job "created, but not started within 24-48 hours" is Expired; the lower bound is taken. */
const EXPIRES_AFTER_MS = 24 * 3_600_000;
/** Where the emulator serves the pre-signed upload URLs (http/user-import-routes.ts). */
export const UPLOAD_PATH_PREFIX = "/_user-import";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `import-` and ten alphanumerics, like Cognito's `import-TZqNQvDRnW`. */
export function newImportJobId(): string {
  let s = "import-";
  for (let i = 0; i < 10; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** A new job in status Created. */
export function importJobRecord(jobId: string, jobName: string, roleArn: string, now: number): UserImportJobRecord {
  return {
    jobId,
    jobName,
    cloudWatchLogsRoleArn: roleArn,
    status: "Created",
    createdAt: now,
    imported: 0,
    skipped: 0,
    failed: 0,
    uploadSignature: randomBytes(32).toString("hex"),
  };
}

/** The pool's job `jobId`, if any (own properties only: `constructor` finds nothing). */
export function importJobOf(pool: StoredPool, jobId: string): StoredImportJob | undefined {
  const jobs = pool.userImportJobs;
  return jobs && Object.hasOwn(jobs, jobId) ? jobs[jobId] : undefined;
}

/** The job, or ResourceNotFoundException. */
export function requireImportJob(pool: StoredPool, jobId: string): StoredImportJob {
  const job = importJobOf(pool, jobId);
  if (!job) throw errors.userImportJobNotFound(jobId);
  return job;
}

/** The pool's jobs, oldest first (the order ListUserImportJobs pages). */
export function listImportJobs(pool: StoredPool): StoredImportJob[] {
  return Object.values(pool.userImportJobs ?? {}).sort(
    (a, b) => a.createdAt - b.createdAt || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0),
  );
}

/** The pool with `job` added, or replacing the one with its JobId. */
export function poolWithImportJob(pool: StoredPool, job: StoredImportJob): StoredPool {
  return { ...pool, userImportJobs: { ...pool.userImportJobs, [job.jobId]: job } };
}

/**
 * Writes `change` to the job as the store holds it now (the pool is read afresh: a run spans
 * many event-loop turns). Answers the job written, or undefined when the pool or job is gone.
 */
export function updateImportJob(
  store: Store,
  poolId: string,
  jobId: string,
  change: (job: UserImportJobRecord) => void,
): StoredImportJob | undefined {
  const pool = store.getPool(poolId);
  const current = pool && importJobOf(pool, jobId);
  if (!pool || !current) return undefined;
  const job = { ...current } as UserImportJobRecord;
  change(job);
  store.putPool(poolWithImportJob(pool, job));
  return job;
}

/** What a job is, as the API shows it: Expired once too old unstarted; Failed if it ran in a process that stopped. */
export function effectiveStatus(
  store: Store,
  poolId: string,
  job: StoredImportJob,
  now: number,
): { status: ImportJobStatus; completionMessage?: string } {
  if (job.status === "Created" && now - job.createdAt >= EXPIRES_AFTER_MS) return { status: "Expired" };
  const running = job.status === "Pending" || job.status === "InProgress" || job.status === "Stopping";
  if (running && !importRuntime(store).running.has(jobKey(poolId, job.jobId)))
    return { status: "Failed", completionMessage: "The emulator stopped while the import job ran." };
  return { status: job.status, ...(job.completionMessage ? { completionMessage: job.completionMessage } : {}) };
}

/** `20241127T012059Z`, as X-Amz-Date writes a time. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * The job's pre-signed upload URL: on this emulator (`publicUrl`, else where the caller reached
 * it), shaped like Cognito's S3 URL (`/<account>/<poolId>/<jobId>` and SigV4 query parameters).
 * X-Amz-SignedHeaders names `x-amz-server-side-encryption`, which the PUT must send, as on S3.
 */
function preSignedUrl(
  base: string,
  accountId: string,
  poolId: string,
  job: Pick<StoredImportJob, "jobId" | "createdAt" | "uploadSignature">,
): string {
  const region = poolId.slice(0, poolId.indexOf("_"));
  const date = amzDate(job.createdAt);
  const query = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `ASIACOGNITOTWINLOCAL/${date.slice(0, 8)}/${region}/s3/aws4_request`,
    "X-Amz-Date": date,
    "X-Amz-Expires": String(UPLOAD_URL_SECONDS),
    "X-Amz-SignedHeaders": "host;x-amz-server-side-encryption",
    "X-Amz-Signature": job.uploadSignature,
  });
  return `${base.replace(/\/+$/, "")}${UPLOAD_PATH_PREFIX}/${encodeURIComponent(accountId)}/${encodeURIComponent(poolId)}/${job.jobId}?${query}`;
}

/** The job as the import-job operations answer it. */
export function importJobType(
  ctx: { store: Store; config: { accountId: string; publicUrl?: string | undefined }; baseUrl: string },
  poolId: string,
  job: StoredImportJob,
  now: number,
): Wire<UserImportJobType> {
  const { status, completionMessage } = effectiveStatus(ctx.store, poolId, job, now);
  return {
    JobName: job.jobName,
    JobId: job.jobId,
    UserPoolId: poolId,
    PreSignedUrl: preSignedUrl(ctx.config.publicUrl ?? ctx.baseUrl, ctx.config.accountId, poolId, job),
    CreationDate: job.createdAt / 1000,
    ...(job.startedAt !== undefined ? { StartDate: job.startedAt / 1000 } : {}),
    ...(job.completedAt !== undefined ? { CompletionDate: job.completedAt / 1000 } : {}),
    Status: status,
    CloudWatchLogsRoleArn: job.cloudWatchLogsRoleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
    ...(completionMessage ? { CompletionMessage: completionMessage } : {}),
  };
}

/** True while one of the pool's import jobs runs in this process (AddCustomAttributes then waits: UserImportInProgressException). */
export function importInProgress(store: Store, poolId: string): boolean {
  const prefix = `${poolId}/`;
  for (const key of importRuntime(store).running) if (key.startsWith(prefix)) return true;
  return false;
}
