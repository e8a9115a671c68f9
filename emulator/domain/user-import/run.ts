// Running an import job: the CSV uploaded to its pre-signed URL, read with csv-parse's streaming
// parser in batches so the emulator keeps answering, each row becoming a RESET_REQUIRED user or a
// log line saying why not, the job's counts written once a batch (docs/user-import.md).
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Services } from "../../context.js";
import { newUuid } from "../../services/ids.js";
import { checkRoomForUser } from "../users/lookup.js";
import { headerProblems, userFromRow } from "./csv.js";
import { importJobOf, updateImportJob } from "./jobs.js";
import { type ImportLogEvent, importRuntime, jobKey } from "./runtime.js";

/** What a run uses: it outlives the request that started it. */
type ImportServices = Pick<Services, "store" | "clock" | "config" | "log">;

/** The largest upload the pre-signed URL takes: AWS's limit for an import file. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Users one file may hold (AWS's quota for an import job). */
const MAX_USERS_PER_FILE = 500_000;
/** Rows between the job's progress writes and turns of the event loop. */
const BATCH = 500;
/** The parser is fed the file in pieces of this many characters. */
const CHUNK = 64 * 1024;

const COMPLETED = "Import Job Completed Successfully.";
const STOPPED = "The Import Job was stopped by the developer.";

/**
 * Begins running the job (already Pending in the store) on later turns of the event loop; the
 * caller answers at once. Marks the job as this process's, so that the API shows it as running.
 */
export function startImportRun(services: ImportServices, poolId: string, jobId: string): void {
  const runtime = importRuntime(services.store);
  const key = jobKey(poolId, jobId);
  runtime.running.add(key);
  runtime.logs.set(key, []);
  setImmediate(() => {
    runImport(services, poolId, jobId)
      .catch((e: unknown) => {
        services.log.error(`cognito-twin: user import ${jobId} failed: ${(e as Error).stack ?? String(e)}`);
        try {
          finish(
            services,
            poolId,
            jobId,
            "Failed",
            "An internal error stopped the import job; see the emulator's log.",
          );
        } catch {
          // The store itself refused the write (a closed emulator): nothing more to record.
        }
      })
      .finally(() => {
        runtime.running.delete(key);
        runtime.uploads.delete(key);
      });
  });
}

/** Writes the job's end: status, completion date and message. */
function finish(
  services: ImportServices,
  poolId: string,
  jobId: string,
  status: "Succeeded" | "Failed" | "Stopped",
  message: string,
  counts?: { imported: number; skipped: number; failed: number },
): void {
  updateImportJob(services.store, poolId, jobId, (job) => {
    job.status = status;
    job.completedAt = services.clock.now();
    job.completionMessage = message;
    if (counts) Object.assign(job, counts);
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Newlines in the file, cheaply, to refuse one with too many users before importing any. */
function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n += 1;
  return n;
}

async function runImport(services: ImportServices, poolId: string, jobId: string): Promise<void> {
  const { store, clock } = services;
  const runtime = importRuntime(store);
  const key = jobKey(poolId, jobId);
  const log: ImportLogEvent[] = runtime.logs.get(key) ?? [];
  const note = (message: string) => log.push({ timestamp: clock.now(), message });
  const counts = { imported: 0, skipped: 0, failed: 0 };
  const fail = (message: string, detail = message) => {
    note(`[ERROR] ${detail}`);
    finish(services, poolId, jobId, "Failed", message, counts);
  };

  const begun = updateImportJob(store, poolId, jobId, (job) => {
    if (job.status === "Pending") job.status = "InProgress";
  });
  if (!begun) return;
  if (begun.status === "Stopping") return finish(services, poolId, jobId, "Stopped", STOPPED);

  const upload = runtime.uploads.get(key);
  if (!upload) return fail("No CSV file was uploaded to the job's PreSignedUrl before it started.");
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 fail the job rather than import mangled names.
    text = new TextDecoder("utf-8", { fatal: true }).decode(upload);
  } catch {
    return fail("The CSV file is not valid UTF-8.");
  }
  if (text.trim() === "") return fail("The CSV file is empty.");
  if (lineCount(text.trimEnd()) > MAX_USERS_PER_FILE)
    return fail(`The CSV file has more than ${MAX_USERS_PER_FILE} users.`);

  // No `info` option: it copies an object per record, which doubles the parser's cost. Line
  // numbers are counted here instead: one per record, plus the newlines inside quoted values.
  const parser = parse({ relax_column_count: true, skip_empty_lines: false });
  Readable.from(chunks(text)).pipe(parser);
  let header: string[] | undefined;
  let sinceBatch = 0;
  try {
    let nextLine = 1;
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1;
      for (const field of record) if (field.includes("\n")) nextLine += field.split("\n").length - 1;
      if (record.length === 1 && record[0]!.trim() === "") continue; // an empty line
      if (!header) {
        header = record.map((c) => c.trim());
        const pool = store.getPool(poolId);
        if (!pool) {
          parser.destroy();
          return;
        }
        const problems = headerProblems(pool, header);
        if (problems.length > 0) {
          parser.destroy();
          return fail(
            "The CSV header is not the user pool's GetCSVHeader columns; see the job's log.",
            `The CSV header is not the user pool's GetCSVHeader columns: ${problems.join("; ")}.`,
          );
        }
        continue;
      }
      const pool = store.getPool(poolId);
      const job = pool && importJobOf(pool, jobId);
      if (!pool || !job) {
        parser.destroy();
        return; // the pool (and the job with it) was deleted, or the emulator was reset
      }
      const outcome = userFromRow(services, pool, header, record, clock.now(), newUuid);
      if (outcome.kind === "imported") {
        try {
          checkRoomForUser(services, poolId);
          store.putUser(outcome.user);
          counts.imported += 1;
          note(`[SUCCEEDED] Line Number ${line} - The import succeeded.`);
        } catch (e) {
          counts.failed += 1;
          note(`[FAILED] Line Number ${line} - ${(e as Error).message}`);
        }
      } else if (outcome.kind === "skipped") {
        counts.skipped += 1;
        note(`[SKIPPED] Line Number ${line} - ${outcome.reason}`);
      } else {
        counts.failed += 1;
        note(`[FAILED] Line Number ${line} - ${outcome.reason}`);
      }
      if (++sinceBatch >= BATCH) {
        sinceBatch = 0;
        const now = updateImportJob(store, poolId, jobId, (j) => Object.assign(j, counts));
        if (!now) {
          parser.destroy();
          return;
        }
        await nextTurn();
        const after = store.getPool(poolId);
        const current = after && importJobOf(after, jobId);
        if (!current) {
          parser.destroy();
          return;
        }
        if (current.status === "Stopping") {
          parser.destroy();
          return finish(services, poolId, jobId, "Stopped", STOPPED, counts);
        }
      }
    }
  } catch (e) {
    const reason = (e as Error).message.replace(/\s+/g, " ");
    return fail(
      "The CSV file could not be parsed; see the job's log.",
      `The CSV file could not be parsed: ${reason.length > 300 ? `${reason.slice(0, 300)}...` : reason}`,
    );
  }
  if (!header) return fail("The CSV file is empty.");
  const last = store.getPool(poolId);
  const job = last && importJobOf(last, jobId);
  if (!job) return;
  if (job.status === "Stopping") return finish(services, poolId, jobId, "Stopped", STOPPED, counts);
  finish(services, poolId, jobId, "Succeeded", COMPLETED, counts);
}

function* chunks(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += CHUNK) yield text.slice(i, i + CHUNK);
}
