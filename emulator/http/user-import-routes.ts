// The S3 side of user import jobs, served by the emulator itself: the pre-signed URL that
// CreateUserImportJob hands out takes the CSV as a PUT (as S3 would, with S3's XML errors), and a
// test control shows a job's log, which Cognito writes to CloudWatch Logs (docs/user-import.md).
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import type { Services } from "../context.js";
import {
  amzDate,
  effectiveStatus,
  importJobOf,
  UPLOAD_PATH_PREFIX,
  UPLOAD_URL_SECONDS,
} from "../domain/user-import/jobs.js";
import { MAX_UPLOAD_BYTES } from "../domain/user-import/run.js";
import { importRuntime, jobKey } from "../domain/user-import/runtime.js";
import { requestHeader } from "../protocol/headers.js";

/** An S3-style XML error. */
function s3Error(c: Context, status: 400 | 403 | 404, code: string, message: string): Response {
  const xml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const requestId = c.get("requestId") ?? "";
  return c.body(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
    status,
    { "Content-Type": "application/xml" },
  );
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The body, or undefined once it passes `limit` bytes (read no further). */
async function readBody(c: Context, limit: number): Promise<Buffer | undefined> {
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    parts.push(Buffer.from(value));
  }
  return Buffer.concat(parts);
}

/**
 * Mounts `PUT /_user-import/<account>/<poolId>/<jobId>` (the pre-signed upload URL) and
 * `GET /_twin/user-import/<jobId>/log`. Mounted before the API's body limit: an import file may
 * be up to 100 MB, as on S3, and the upload checks that limit itself.
 */
export function userImportRoutes(app: Hono, services: Services): void {
  const { store, clock } = services;

  app.put(`${UPLOAD_PATH_PREFIX}/:account/:poolId/:jobId`, async (c) => {
    const pool = store.getPool(c.req.param("poolId"));
    const job = pool && importJobOf(pool, c.req.param("jobId"));
    if (!pool || !job || c.req.param("account") !== services.config.accountId)
      return s3Error(c, 403, "AccessDenied", "Access Denied");
    const signature = c.req.query("X-Amz-Signature") ?? "";
    if (
      !sameText(signature, job.uploadSignature) ||
      c.req.query("X-Amz-Date") !== amzDate(job.createdAt) ||
      c.req.query("X-Amz-Expires") !== String(UPLOAD_URL_SECONDS)
    )
      return s3Error(
        c,
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      );
    if (clock.now() > job.createdAt + UPLOAD_URL_SECONDS * 1000)
      return s3Error(c, 403, "AccessDenied", "Request has expired");
    // Signed in X-Amz-SignedHeaders: S3 refuses a PUT without it (AWS's docs send it with curl).
    if (requestHeader(c, "x-amz-server-side-encryption") !== "aws:kms")
      return s3Error(
        c,
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided: the pre-signed URL signs the header x-amz-server-side-encryption: aws:kms, which the request must send.",
      );
    const { status } = effectiveStatus(store, pool.id, job, clock.now());
    if (status !== "Created")
      return s3Error(
        c,
        403,
        "AccessDenied",
        `Access Denied: the import job is ${status}, so its file can no longer change.`,
      );
    const declared = requestHeader(c, "content-length");
    if (declared !== undefined && Number(declared) > MAX_UPLOAD_BYTES)
      return s3Error(
        c,
        400,
        "EntityTooLarge",
        `Your proposed upload exceeds the maximum allowed size of ${MAX_UPLOAD_BYTES} bytes.`,
      );
    const bytes = await readBody(c, MAX_UPLOAD_BYTES);
    if (!bytes)
      return s3Error(
        c,
        400,
        "EntityTooLarge",
        `Your proposed upload exceeds the maximum allowed size of ${MAX_UPLOAD_BYTES} bytes.`,
      );
    // The job may have been started (or the pool deleted) while the body arrived.
    const now = store.getPool(pool.id);
    const after = now && importJobOf(now, job.jobId);
    if (!after || effectiveStatus(store, pool.id, after, clock.now()).status !== "Created")
      return s3Error(c, 403, "AccessDenied", "Access Denied: the import job is no longer Created.");
    importRuntime(store).uploads.set(jobKey(pool.id, job.jobId), bytes);
    return c.body(null, 200, { ETag: `"${createHash("md5").update(bytes).digest("hex")}"` });
  });

  // The job's log: what Cognito writes to CloudWatch Logs (`/aws/cognito/userpools/<pool>/<name>`,
  // stream `<jobId>/<jobName>`), one line per row, oldest first.
  app.get("/_twin/user-import/:jobId/log", (c) => {
    const jobId = c.req.param("jobId");
    for (const pool of store.listPools()) {
      const job = importJobOf(pool, jobId);
      if (!job) continue;
      const events = importRuntime(store).logs.get(jobKey(pool.id, jobId)) ?? [];
      return c.json({
        jobId,
        userPoolId: pool.id,
        logGroupName: `/aws/cognito/userpools/${pool.id}/${pool.pool.Name ?? ""}`,
        logStreamName: `${jobId}/${job.jobName}`,
        status: effectiveStatus(store, pool.id, job, clock.now()).status,
        events: events.map((e) => ({ timestamp: e.timestamp / 1000, message: e.message })),
      });
    }
    return c.json({ message: `Import job ${jobId} does not exist.` }, 404);
  });
}
