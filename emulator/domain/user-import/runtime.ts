// What a user import job has that is not Cognito state: the CSV uploaded to its pre-signed URL,
// the log of its rows (CloudWatch Logs in AWS), and whether this process is running it. It lives
// in memory beside the store it belongs to, never in the journal: an upload is S3's, a log is
// CloudWatch's (docs/decisions/0024-user-import.md).
import type { Store } from "../../store/store.js";

/** One line of a job's log, as Cognito writes it to CloudWatch Logs. */
export interface ImportLogEvent {
  /** Epoch milliseconds (the emulator's clock). */
  timestamp: number;
  /** `[SUCCEEDED] Line Number 2 - The import succeeded.` and the like. */
  message: string;
}

/** The in-memory side of one store's import jobs. */
export interface ImportRuntime {
  /** `<poolId>/<jobId>` → the CSV bytes last PUT to the job's pre-signed URL. */
  readonly uploads: Map<string, Buffer>;
  /** `<poolId>/<jobId>` → the job's log, for GET /_twin/user-import/<jobId>/log. */
  readonly logs: Map<string, ImportLogEvent[]>;
  /** Keys of the jobs this process is running (a job the store says runs but is absent here did not survive a restart). */
  readonly running: Set<string>;
}

const runtimes = new WeakMap<Store, ImportRuntime>();

/** The key of a job in the runtime's maps. */
export function jobKey(poolId: string, jobId: string): string {
  return `${poolId}/${jobId}`;
}

/** The import runtime of `store`, made on first use; cleared with the store (reset) and a pool's deletion. */
export function importRuntime(store: Store): ImportRuntime {
  let runtime = runtimes.get(store);
  if (runtime) return runtime;
  const made: ImportRuntime = { uploads: new Map(), logs: new Map(), running: new Set() };
  runtime = made;
  runtimes.set(store, made);
  store.onChange((change) => {
    if (change.op === "clear") {
      made.uploads.clear();
      made.logs.clear();
      made.running.clear();
    } else if (change.op === "delete" && change.table === "pools") {
      const prefix = `${change.key}/`;
      for (const map of [made.uploads, made.logs])
        for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    }
  });
  return made;
}
