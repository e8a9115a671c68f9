// V8 heap settings for the long-running server (docs/decisions/0010-hot-paths.md). By default V8
// lets the young generation grow to 2 x 16 MB and the old generation to several times the live
// data during a burst of writes, so a twin holding 100,000 users peaked above 500 MB of RSS for
// about 130 MB of records. These two flags are read while the heap grows, so setting them at
// start-up works without command-line flags (which `npx cognito-twin` could not pass).
import { setFlagsFromString } from "node:v8";

/** The flags, in the order they are applied. */
const SERVER_HEAP_FLAGS = [
  // Keep the young generation at its initial size: a scavenge every megabyte or so of garbage,
  // each cheap because almost nothing a request allocates survives it.
  "--semi-space-growth-factor=1",
  // Let the old generation grow 20% past the live data before the next full collection, not
  // up to 4x on a burst: more frequent marking (concurrent), half the peak memory.
  "--heap-growing-percent=20",
] as const;

/** Applies SERVER_HEAP_FLAGS to this process. Call once, before the server takes load. */
export function tuneHeapForServer(): void {
  for (const flag of SERVER_HEAP_FLAGS) setFlagsFromString(flag);
}
