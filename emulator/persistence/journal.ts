// Durable state under a data directory: a snapshot (state.json) plus an append-only journal of
// the store's changes, fsynced before the emulator answers. The store stays in memory and knows
// nothing of files; this module listens to its changes and replays them at start-up.
//
// Files of a data directory:
//   LOCK                          pid of the emulator that owns it
//   state.json                    snapshot: a state document (state-document.ts) at sequence S
//   journal-<startSeq>.log        segments: a header line, then `<crc32 hex> <json>` per change
//   recovery.json                 set while the state is data `--recover` salvaged, until acknowledged
//   *.corrupt-<time>              what recovery found damaged, moved aside (never deleted)
// Every file is created with mode 0600: they hold signing keys, password hashes and tokens.
// Reasons and guarantees: docs/decisions/0005-persistence.md; what start-up repairs by itself,
// what it refuses and what `--recover` does: docs/decisions/0013-recovery.md.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import {
  chmod,
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  truncate,
  unlink,
  writeFile,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { type Change, Store, type StoredChange, TABLES } from "../store/store.js";
import { readStateDocument, STATE_FORMAT, STATE_VERSION, StateFormatError, stateDocumentOf } from "./state-document.js";
import { describeRecord, recordProblem } from "./state-schema.js";

/** The `format` of a journal segment's header line. */
const JOURNAL_FORMAT = "cognito-twin-journal";
/** The newest journal version this build reads and the one it writes. */
const JOURNAL_VERSION = 1;

const SNAPSHOT = "state.json";
const LOCK = "LOCK";
const RECOVERY = "recovery.json";
const RECOVERY_FORMAT = "cognito-twin-recovery";
/** Files hold private keys, password hashes and refresh tokens: owner only. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** How a recovery is acknowledged, as /health and the log say it. */
const ACKNOWLEDGE = "POST /_twin/recovery/ack, or start with --recover again";
const RECOVERY_DOC = "docs/decisions/0013-recovery.md";
const SEGMENT = /^journal-(\d{20})\.log$/;
const NEWLINE = 0x0a;

/** What the HTTP layer waits on before it answers (absent when state lives only in memory). */
export interface Durability {
  /** Resolves once every change made so far is on disk (fsynced); rejects if it cannot be. */
  flush(): Promise<void>;
  /** Where the state lives and what start-up found there, for /health. */
  status(): JournalStatus;
  /**
   * Acknowledges a recovery (`--recover`) the state came from: /health stops saying "degraded"
   * and the record of it leaves the data directory. Answers the problems acknowledged (none if
   * the state was not recovered).
   */
  acknowledgeRecovery(): Promise<string[]>;
}

/** Where log lines of the journal go. */
export interface JournalLogger {
  info(line: string): void;
  error(line: string): void;
}

/** Tuning, mostly for tests. */
export interface JournalOptions {
  /** Compact (snapshot, then start a new journal segment) once a segment reaches this size. */
  compactBytes?: number;
  log?: JournalLogger;
  /**
   * Start even on a damaged directory (`--recover`): keep what is intact up to the damage, move
   * the rest aside (`*.corrupt-<time>`), and record the recovery so /health says "degraded"
   * until it is acknowledged. Also acknowledges an earlier recovery. Without it, any damage
   * but a torn write at the end of the journal stops start-up with a DataDirError.
   */
  recover?: boolean;
}

/** What start-up found in the data directory. */
export interface RecoveryReport {
  /** Sequence number of the snapshot loaded (0: none). */
  snapshotSeq: number;
  /** Journal entries applied on top of the snapshot. */
  replayed: number;
  /** Sequence number of the last change recovered. */
  lastSeq: number;
  /**
   * Damage found, one sentence each naming file, line and byte: what this start repaired (a
   * torn write at the end of the journal) and, until acknowledged, what a `--recover` start
   * (this one or an earlier one) set aside.
   */
  problems: string[];
  /** Files the damaged parts were moved to. */
  movedAside: string[];
  /**
   * Set while the state is what `--recover` salvaged from a damaged directory and nobody has
   * acknowledged the loss: /health then says "degraded". Kept in recovery.json across restarts.
   */
  recovered?: { at: string; acknowledge: string };
}

/** The journal's state for /health. */
export interface JournalStatus {
  dataDir: string;
  /** Last change recorded, and last change known to be on disk. */
  seq: number;
  durableSeq: number;
  /** The journal segment being appended to, and its size. */
  segment: string;
  segmentBytes: number;
  /** fsyncs of the journal since start: changes per commit shows how well group commit works. */
  commits: number;
  snapshotSeq: number;
  recovery: RecoveryReport;
  /** Set when a write or fsync failed: the journal stops, and requests that change state fail. */
  failure?: string;
}

/** recovery.json: what a `--recover` start set aside, until acknowledged. */
interface RecoveryRecord {
  recoveredAt: string;
  problems: string[];
  movedAside: string[];
}

/**
 * A data directory that cannot be used as it is (in use, a newer format, or damaged: then the
 * message names the file, line and byte, and what `--recover` would keep).
 */
export class DataDirError extends Error {
  override readonly name = "DataDirError";
}

interface Segment {
  name: string;
  startSeq: number;
}

interface Waiter {
  seq: number;
  resolve(): void;
  reject(e: Error): void;
}

/** Directories opened by this process, so two journals never share one. */
const openDirs = new Set<string>();

/**
 * The journal of one data directory. `Journal.open` loads the directory into a store and from
 * then on records every change of that store.
 *
 * @example
 * const journal = await Journal.open("/var/lib/twin", store);
 * store.putPool(pool);
 * await journal.flush(); // now on disk
 */
export class Journal implements Durability {
  private pending: string[] = [];
  private appendedSeq: number;
  private durableSeq: number;
  private waiters: Waiter[] = [];
  private writing = false;
  private pumping: Promise<void> | undefined;
  private scheduled = false;
  private compacting: Promise<void> | undefined;
  private compactWaiters: { resolve(): void; reject(e: Error): void }[] = [];
  private failure: Error | undefined;
  private closed = false;
  private segmentBytes: number;
  private commits = 0;
  private snapshotSeq: number;
  private readonly compactBytes: number;
  private readonly log: JournalLogger;

  private constructor(
    readonly dir: string,
    private readonly store: Store,
    private segment: Segment,
    private fh: FileHandle,
    size: number,
    private readonly loaded: { snapshotSeq: number; replayed: number; lastSeq: number },
    /** What this start repaired by itself (a torn tail): reported, never recorded. */
    private readonly repaired: { problems: string[]; movedAside: string[] },
    /** The unacknowledged recovery the state comes from (recovery.json), if any. */
    private recorded: RecoveryRecord | undefined,
    options: JournalOptions,
  ) {
    this.appendedSeq = this.durableSeq = loaded.lastSeq;
    this.snapshotSeq = loaded.snapshotSeq;
    this.segmentBytes = size;
    this.compactBytes = options.compactBytes ?? 64 * 1024 * 1024;
    this.log = options.log ?? { info: () => {}, error: () => {} };
    store.onChange((change) => this.append(change));
  }

  /**
   * Locks the directory (creating it if needed), loads its snapshot and journal into `store`
   * (which must be empty) without the store announcing them, then records every later change
   * of the store. A torn write at the end of the journal (a crash mid-write) is moved aside and
   * reported; any other damage stops start-up unless `options.recover` is set.
   *
   * @throws DataDirError when the directory is in use, holds a snapshot or journal this version
   * cannot read (a newer format), or is damaged (the message says where and what `--recover`
   * would keep).
   */
  static async open(dir: string, store: Store, options: JournalOptions = {}): Promise<Journal> {
    const abs = resolve(dir);
    await mkdir(abs, { recursive: true, mode: DIR_MODE });
    const unlock = lockDir(abs);
    try {
      const log = options.log ?? { info: () => {}, error: () => {} };
      const recover = options.recover === true;
      const loaded = await loadDataDir(abs, store);
      const serious = loaded.damage.find((d) => !d.torn);
      if (serious && !recover) throw new DataDirError(refusal(abs, loaded, serious));

      let recorded = await readRecoveryRecord(abs);
      if (recover && recorded) {
        // Starting with --recover again is the user's acknowledgement of the earlier recovery.
        await removeRecoveryRecord(abs);
        log.info(`cognito-twin: data dir ${abs}: the recovery of ${recorded.recoveredAt} is acknowledged (--recover)`);
        recorded = undefined;
      }
      // Temp files are complete only once renamed; any left over are from a crash.
      for (const name of await readdir(abs))
        if (name.endsWith(".tmp") && (name === `${SNAPSHOT}.tmp` || name.startsWith("journal-")))
          await unlink(join(abs, name));

      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const moves = await planRepairs(abs, loaded.damage, stamp);
      const problems = loaded.damage.map((d) => d.problem + d.repairedNote);
      const movedAside = moves.map((m) => m.target);
      let repaired = { problems, movedAside };
      if (serious) {
        // Recorded before anything is moved: a crash half-way through the repair must not leave
        // a directory that starts clean next time with nobody told what was set aside.
        recorded = { recoveredAt: new Date().toISOString(), problems, movedAside };
        await writeAtomically(
          abs,
          RECOVERY,
          `${JSON.stringify({ format: RECOVERY_FORMAT, version: 1, ...recorded }, null, 2)}\n`,
        );
        repaired = { problems: [], movedAside: [] };
      }
      await performRepairs(abs, moves);
      await tightenModes(abs);

      const fh =
        loaded.segment && loaded.tailSeq === loaded.lastSeq
          ? await open(join(abs, loaded.segment.name), "a")
          : undefined;
      let segment = loaded.segment;
      let handle: FileHandle;
      let size: number;
      if (fh && segment) {
        handle = fh;
        size = (await fh.stat()).size;
      } else {
        segment = { name: segmentName(loaded.lastSeq + 1), startSeq: loaded.lastSeq + 1 };
        ({ handle, size } = await createSegment(abs, segment));
      }
      for (const p of problems) log.error(`cognito-twin: data dir ${abs}: ${p}`);
      log.info(
        `cognito-twin: data dir ${abs}: loaded snapshot at #${loaded.snapshotSeq} and ${loaded.replayed} journal entries (last #${loaded.lastSeq})` +
          (problems.length ? `, ${problems.length} problem(s) reported` : ""),
      );
      if (recorded) {
        log.error(
          `cognito-twin: data dir ${abs}: running on data recovered from damage at ${recorded.recoveredAt} (${recorded.problems.length} problem(s), set aside in ${recorded.movedAside.join(", ") || "nothing"}); /health reports "degraded" until ${ACKNOWLEDGE}`,
        );
      }
      return new Journal(abs, store, segment, handle, size, loaded, repaired, recorded, options);
    } catch (e) {
      unlock();
      throw e;
    }
  }

  /** What start-up found: repairs of this start, and the unacknowledged recovery if any. */
  get recovery(): RecoveryReport {
    const { snapshotSeq, replayed, lastSeq } = this.loaded;
    const rec = this.recorded;
    return {
      snapshotSeq,
      replayed,
      lastSeq,
      problems: [...(rec?.problems ?? []), ...this.repaired.problems],
      movedAside: [...(rec?.movedAside ?? []), ...this.repaired.movedAside],
      ...(rec ? { recovered: { at: rec.recoveredAt, acknowledge: ACKNOWLEDGE } } : {}),
    };
  }

  /** Number of the last change recorded (written or not): a request compares it before and after. */
  get seq(): number {
    return this.appendedSeq;
  }

  async acknowledgeRecovery(): Promise<string[]> {
    const rec = this.recorded;
    if (!rec) return [];
    await removeRecoveryRecord(this.dir);
    this.recorded = undefined;
    this.log.info(`cognito-twin: data dir ${this.dir}: the recovery of ${rec.recoveredAt} is acknowledged`);
    return rec.problems;
  }

  /** Resolves once every change recorded so far is written and fsynced (group commit). */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durableSeq >= this.appendedSeq) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error("cognito-twin: the journal is closed"));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq: this.appendedSeq, resolve, reject });
      this.pump();
    });
  }

  /**
   * Writes a snapshot of the store as it is now and drops the journal segments it covers.
   * Resolves once the snapshot is on disk and the old segments are gone.
   */
  compact(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("cognito-twin: the journal is closed"));
    return new Promise<void>((resolve, reject) => {
      this.compactWaiters.push({ resolve, reject });
      this.pump();
    });
  }

  /** Flushes, waits for a compaction under way, closes the segment and unlocks the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      // A batch may still be rotating segments after its flush resolved: wait until all is still.
      for (;;) {
        await this.flush();
        const busy = this.pumping ?? this.compacting;
        if (!busy) break;
        await busy;
      }
    } finally {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
      releaseDir(this.dir);
    }
  }

  /** For /health. */
  status(): JournalStatus {
    return {
      dataDir: this.dir,
      seq: this.appendedSeq,
      durableSeq: this.durableSeq,
      segment: this.segment.name,
      segmentBytes: this.segmentBytes,
      commits: this.commits,
      snapshotSeq: this.snapshotSeq,
      recovery: this.recovery,
      ...(this.failure ? { failure: this.failure.message } : {}),
    };
  }

  // The listener: serialise now (the record may change after this call), write later.
  private append(change: Change): void {
    const seq = ++this.appendedSeq;
    // A stopped journal writes nothing more; the count still tells requests they changed state.
    if (this.failure) return;
    this.pending.push(encodeLine(seq, change));
    if (!this.scheduled && !this.writing && !this.closed) {
      // Changes nobody flushes (a key generated in the background) still reach the disk soon.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  private wantsCompaction(): boolean {
    if (this.compacting) return false;
    return this.compactWaiters.length > 0 || this.segmentBytes >= this.compactBytes;
  }

  // One writer at a time; whatever accumulates during a write and fsync goes out in the next
  // batch, so concurrent requests share fsyncs.
  private pump(): void {
    if (this.writing || this.failure || this.closed) return;
    this.writing = true;
    const run = this.run();
    this.pumping = run;
    void run.finally(() => {
      if (this.pumping === run) this.pumping = undefined;
    });
  }

  private async run(): Promise<void> {
    try {
      while (this.pending.length > 0 || this.wantsCompaction()) {
        const text = this.pending.join("");
        const upTo = this.appendedSeq;
        this.pending = [];
        // Taken in the same synchronous step as the batch, so the snapshot is exactly state #upTo.
        const snapshot = this.wantsCompaction() ? JSON.stringify(stateDocumentOf(this.store, upTo)) : undefined;
        if (text) {
          const bytes = Buffer.from(text, "utf8");
          await writeAll(this.fh, bytes);
          await this.fh.datasync();
          this.commits++;
          this.segmentBytes += bytes.length;
        }
        this.durableSeq = upTo;
        this.release();
        if (snapshot !== undefined) await this.rotate(upTo, snapshot);
      }
    } catch (e) {
      this.fail(e as Error);
    } finally {
      this.writing = false;
    }
  }

  private release(): void {
    let i = 0;
    while (i < this.waiters.length && this.waiters[i]!.seq <= this.durableSeq) this.waiters[i++]!.resolve();
    if (i > 0) this.waiters = this.waiters.slice(i);
  }

  // New changes go to a new segment at once; the snapshot is written beside it, and only once it
  // is on disk are the segments it covers removed. A crash at any point leaves a loadable directory.
  private async rotate(seq: number, snapshot: string): Promise<void> {
    const next: Segment = { name: segmentName(seq + 1), startSeq: seq + 1 };
    const { handle, size } = await createSegment(this.dir, next);
    const waiters = this.compactWaiters;
    this.compactWaiters = [];
    const old = this.fh;
    this.fh = handle;
    this.segment = next;
    this.segmentBytes = size;
    await old.close();
    const task = (async () => {
      try {
        await writeAtomically(this.dir, SNAPSHOT, snapshot);
        this.snapshotSeq = seq;
        for (const s of await listSegments(this.dir)) if (s.startSeq <= seq) await unlink(join(this.dir, s.name));
        await syncDir(this.dir);
        for (const w of waiters) w.resolve();
      } catch (e) {
        // The old segments are still there, so nothing is lost; the next compaction retries.
        this.log.error(`cognito-twin: data dir ${this.dir}: compaction failed: ${(e as Error).message}`);
        for (const w of waiters) w.reject(e as Error);
      } finally {
        this.compacting = undefined;
        if (this.compactWaiters.length > 0) this.pump();
      }
    })();
    this.compacting = task;
  }

  private fail(e: Error): void {
    // After a failed fsync the kernel may have dropped the dirty pages: retrying could report
    // success for data that is gone, so the journal stops and says so.
    this.failure = new Error(`cognito-twin: writing the journal in ${this.dir} failed: ${e.message}`);
    this.log.error(this.failure.message);
    for (const w of this.waiters) w.reject(this.failure);
    for (const w of this.compactWaiters) w.reject(this.failure);
    this.waiters = [];
    this.compactWaiters = [];
    this.pending = [];
  }
}

/** One journal line: CRC-32 (hex) of the JSON, a space, the JSON with its sequence number. */
export function encodeLine(seq: number, change: Change): string {
  const json = JSON.stringify({ seq, ...change });
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/**
 * Reads a data directory without changing it or locking it (for `cognito-twin export`):
 * the store is filled as the emulator would fill it at start-up up to the first damage, which
 * is reported (not moved, and not refused: export is a way to save what is intact).
 */
export async function readDataDir(dir: string, store: Store): Promise<RecoveryReport> {
  const abs = resolve(dir);
  try {
    await stat(abs);
  } catch {
    throw new DataDirError(`data directory ${abs} does not exist`);
  }
  // A running emulator may compact while this reads (a segment vanishes, or the snapshot read
  // is older than the segments left): read again before calling anything damage.
  for (let attempt = 1; ; attempt++) {
    const scratch = new Store();
    try {
      const loaded = await loadDataDir(abs, scratch);
      if (loaded.damage.length > 0 && attempt < 3) continue;
      const snapshotDamage = loaded.damage.find((d) => d.file === SNAPSHOT);
      if (snapshotDamage) throw new DataDirError(snapshotDamage.problem);
      store.restore([...scratch.entries()].map(({ table, value }) => ({ op: "put" as const, table, value })));
      const recorded = await readRecoveryRecord(abs);
      return {
        snapshotSeq: loaded.snapshotSeq,
        replayed: loaded.replayed,
        lastSeq: loaded.lastSeq,
        problems: loaded.damage.map((d) => d.problem + d.readNote),
        movedAside: [],
        ...(recorded ? { recovered: { at: recorded.recoveredAt, acknowledge: ACKNOWLEDGE } } : {}),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" && attempt < 3) continue;
      throw e;
    }
  }
}

/**
 * Replaces a data directory's state with a state document's (for `cognito-twin import`). The
 * whole document is checked before anything is written; the directory must not be in use, and
 * with state (or damage) already in it, `force` is required. The new snapshot is numbered after
 * every journal entry already there, so a crash before the old segments are removed cannot
 * replay them onto it. A recovery record (recovery.json) goes with the state it described.
 */
export async function importIntoDataDir(
  dir: string,
  text: string,
  source: string,
  opts: { force?: boolean } = {},
): Promise<{ records: number }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new StateFormatError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const { doc, changes } = readStateDocument(parsed, source, { dryRun: true });
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true, mode: DIR_MODE });
  const unlock = lockDir(abs);
  try {
    const existing = new Store();
    const loaded = await loadDataDir(abs, existing);
    const hasState = !existing.entries().next().done;
    if ((hasState || loaded.damage.length > 0) && !opts.force) {
      const what = hasState ? "already holds state" : `holds a damaged journal (${loaded.damage[0]!.problem})`;
      throw new DataDirError(`data directory ${abs} ${what}; pass --force to replace it`);
    }
    const seq = Math.max(loaded.lastSeq, loaded.seqCeiling, doc.seq);
    await writeAtomically(abs, SNAPSHOT, JSON.stringify({ ...doc, seq }));
    for (const s of await listSegments(abs)) await unlink(join(abs, s.name));
    await unlink(join(abs, RECOVERY)).catch(() => undefined);
    await syncDir(abs);
    return { records: changes.length };
  } finally {
    unlock();
  }
}

// ---- loading

/** One piece of damage, and what repairing it takes. */
interface Damage {
  /** The file it is in (a name in the directory). */
  file: string;
  /** One sentence: file, position (line, byte) and what is wrong. */
  problem: string;
  /** A write cut short at the end of the last segment: the one damage repaired without asking. */
  torn: boolean;
  /** Journal entries that pass their checksum and come after the damage (they would be set aside). */
  intactAfter: number;
  /** What is kept: "the 12 entries before it (up to #15)". */
  kept: string;
  /** Cut the file at this byte (its tail moved aside), or move the whole file aside. */
  repair: { truncateAt: number } | "move";
  /** Files after this one that cannot be replayed without it: moved aside with it. */
  later: string[];
  /** Appended to `problem` once repaired, and when only read (export). */
  repairedNote: string;
  readNote: string;
}

interface Loaded {
  snapshotSeq: number;
  replayed: number;
  lastSeq: number;
  /** In the order found; at most one in the snapshot and one in the journal. */
  damage: Damage[];
  /** The last segment still in place after repair, and the last sequence number it holds. */
  segment?: Segment;
  tailSeq: number;
  /** The highest sequence number any segment could hold (entries counted, damaged or not). */
  seqCeiling: number;
}

/**
 * Loads a data directory into `store` as far as it is intact, changing no file: the snapshot,
 * then the segments in order. Damage is returned, not thrown, with the repair it needs; only
 * what this version cannot read (a newer or foreign format) throws.
 */
async function loadDataDir(dir: string, store: Store): Promise<Loaded> {
  const out: Loaded = { snapshotSeq: 0, replayed: 0, lastSeq: 0, damage: [], tailSeq: 0, seqCeiling: 0 };
  const snapshotPath = join(dir, SNAPSHOT);
  let snapshotText: string | undefined;
  try {
    snapshotText = await readFile(snapshotPath, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new DataDirError(`cannot read ${snapshotPath}: ${(e as Error).message}`);
  }
  let hasSnapshot = false;
  if (snapshotText !== undefined) {
    // Snapshots are renamed into place complete, so a bad one is damage from outside.
    const bad = (why: string): Damage => ({
      file: SNAPSHOT,
      problem: why,
      torn: false,
      intactAfter: 0,
      kept: `what the journal holds without it`,
      repair: "move",
      later: [],
      repairedNote: "; it was moved aside and the state started without it",
      readNote: "",
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(snapshotText);
    } catch (e) {
      out.damage.push(bad(`${snapshotPath} is not valid JSON (${(e as Error).message})`));
    }
    if (out.damage.length === 0) {
      const head = (typeof parsed === "object" && parsed !== null ? parsed : {}) as {
        format?: unknown;
        version?: unknown;
      };
      const foreign =
        head.format !== STATE_FORMAT || (typeof head.version === "number" && head.version > STATE_VERSION);
      let read: ReturnType<typeof readStateDocument> | undefined;
      try {
        read = readStateDocument(parsed, snapshotPath);
      } catch (e) {
        if (!(e instanceof StateFormatError)) throw e;
        // Not ours, or newer than this version: guessing what to keep would be worse.
        if (foreign) throw new DataDirError(e.message);
        out.damage.push(bad(e.message));
      }
      if (read) {
        try {
          store.restore(read.changes);
          out.snapshotSeq = out.lastSeq = read.doc.seq;
          hasSnapshot = true;
        } catch (e) {
          // Checked against the schema, so not expected; still damage, not a crash.
          store.restore([{ op: "clear" }]);
          out.damage.push(bad(`${snapshotPath} cannot be loaded: ${(e as Error).message}`));
        }
      }
    }
  }

  const segments = await listSegments(dir);
  let current = out.lastSeq;
  let journalDamage: Damage | undefined;
  for (const [i, seg] of segments.entries()) {
    const path = join(dir, seg.name);
    if (journalDamage) {
      // Replaying past the damage would skip changes: it goes aside with the damaged part.
      const n = countEntries(await readFile(path));
      out.seqCeiling = Math.max(out.seqCeiling, seg.startSeq - 1 + n);
      journalDamage.intactAfter += n;
      journalDamage.later.push(seg.name);
      continue;
    }
    const kept = (entries: number): string => `the ${entries} entries before it (state up to #${current})`;
    if (seg.startSeq > current + 1) {
      const n = countEntries(await readFile(path));
      out.seqCeiling = Math.max(out.seqCeiling, seg.startSeq - 1 + n);
      const before = hasSnapshot
        ? `the state before it ends at #${current}`
        : current === 0
          ? `there is no ${SNAPSHOT} and no segment before it`
          : `the segments before it end at #${current}`;
      journalDamage = {
        file: seg.name,
        problem: `${seg.name} starts at #${seg.startSeq} but ${before}: changes #${current + 1}-#${seg.startSeq - 1} are missing`,
        torn: false,
        intactAfter: n,
        kept: `the state up to #${current}`,
        repair: "move",
        later: [],
        repairedNote: "; it was not replayed and was moved aside",
        readNote: "; it was not read",
      };
      out.damage.push(journalDamage);
      continue;
    }
    const buf = await readFile(path);
    const parsed = parseSegment(buf, seg, path);
    out.seqCeiling = Math.max(out.seqCeiling, seg.startSeq - 1 + parsed.lines);
    let problem = parsed.problem;
    let goodBytes = parsed.goodBytes;
    let segLast = seg.startSeq - 1;
    let applied = 0;
    let after = problem?.validAfter ?? 0;
    for (const entry of parsed.entries) {
      if (entry.seq > current) {
        // A line can pass its checksum and still not fit the state (a user of a pool that does
        // not exist, a record missing a field): damage like any other, found before it is applied.
        let wrong = entryProblem(store, entry.change);
        if (!wrong) {
          try {
            store.restore([entry.change]);
          } catch (e) {
            wrong = `cannot be applied: ${(e as Error).message}`;
          }
        }
        if (wrong) {
          const next = buf.indexOf(NEWLINE, entry.byte) + 1;
          problem = { line: entry.line, byte: entry.byte, what: wrong, cutShort: false, validAfter: 0 };
          after = validLinesFrom(buf, next);
          goodBytes = entry.byte;
          break;
        }
        applied++;
        current = entry.seq;
      }
      segLast = entry.seq;
    }
    out.replayed += applied;
    if (problem) {
      const rest = buf.length - goodBytes;
      const torn = problem.cutShort && after === 0 && i === segments.length - 1;
      journalDamage = {
        file: seg.name,
        problem: `${seg.name} line ${problem.line} ${problem.what}, at byte ${problem.byte}`,
        torn,
        intactAfter: after,
        kept: goodBytes === 0 ? `the state up to #${current}` : kept(applied),
        repair: goodBytes === 0 ? "move" : { truncateAt: goodBytes },
        later: [],
        repairedNote:
          goodBytes === 0
            ? "; the segment was not replayed and was moved aside"
            : `; the ${applied} entries before it were kept, the ${rest} bytes from there on were moved aside`,
        readNote:
          goodBytes === 0
            ? "; the segment was not read"
            : `; the ${applied} entries before it were read, the ${rest} bytes from there on were not`,
      };
      out.damage.push(journalDamage);
      if (goodBytes === 0) continue;
    }
    out.segment = seg;
    out.tailSeq = segLast;
  }
  out.lastSeq = current;
  return out;
}

/** What is wrong with a journal entry that passed its checksum, given the state before it. */
function entryProblem(store: Store, change: StoredChange): string | undefined {
  if (change.op !== "put") return undefined;
  const what = `puts ${describeRecord(change.table, change.value)}`;
  const wrong = recordProblem(change.table, change.value);
  if (wrong) return `${what}, which is not a valid record: ${wrong}`;
  if (change.table === "users") {
    const poolId = (change.value as { poolId: string }).poolId;
    if (!store.getPool(poolId)) return `${what}, but pool ${poolId} does not exist at that point`;
  }
  if (change.table === "identities") {
    const poolId = (change.value as { poolId: string }).poolId;
    if (!store.getIdentityPool(poolId)) return `${what}, but identity pool ${poolId} does not exist at that point`;
  }
  return undefined;
}

/** The message of the DataDirError that refuses to start on damage. */
function refusal(dir: string, loaded: Loaded, d: Damage): string {
  const others = loaded.damage.filter((x) => x !== d && !x.torn).map((x) => x.problem);
  const n = d.intactAfter;
  const lost =
    n > 0
      ? ` ${n} intact journal entr${n === 1 ? "y" : "ies"} from there on would be lost with it, so cognito-twin does not start (it would drop them silently).`
      : " cognito-twin does not start on damaged data unless told to.";
  const aside = [d.repair === "move" ? d.file : `${d.file} from byte ${d.repair.truncateAt} on`, ...d.later].join(", ");
  return (
    `data directory ${dir} is damaged: ${d.problem}.${lost}` +
    (others.length ? ` Also: ${others.join("; ")}.` : "") +
    ` Restore the directory from a backup, or start once with --recover (COGNITO_TWIN_RECOVER=1) to keep ${d.kept}, move ${aside} aside to *.corrupt-<time> (nothing is deleted) and start;` +
    ` /health then reports "degraded" until you acknowledge it (${ACKNOWLEDGE}). See ${RECOVERY_DOC}.`
  );
}

/** Where each damaged part will go: decided (and recorded) before anything moves. */
interface Move {
  name: string;
  target: string;
  truncateAt?: number;
}

async function planRepairs(dir: string, damage: readonly Damage[], stamp: string): Promise<Move[]> {
  const moves: Move[] = [];
  const taken = new Set<string>();
  const target = async (name: string): Promise<string> => {
    const t = await freeName(dir, `${name}.corrupt-${stamp}`, taken);
    taken.add(t);
    return t;
  };
  for (const d of damage) {
    moves.push(
      d.repair === "move"
        ? { name: d.file, target: await target(d.file) }
        : { name: d.file, target: await target(d.file), truncateAt: d.repair.truncateAt },
    );
    for (const name of d.later) moves.push({ name, target: await target(name) });
  }
  return moves;
}

async function performRepairs(dir: string, moves: readonly Move[]): Promise<void> {
  for (const m of moves) {
    const path = join(dir, m.name);
    if (m.truncateAt === undefined) {
      await rename(path, m.target);
      continue;
    }
    const buf = await readFile(path);
    await writeFile(m.target, buf.subarray(m.truncateAt), { flag: "wx", flush: true, mode: FILE_MODE });
    await truncate(path, m.truncateAt);
    const fh = await open(path, "r+");
    await fh.sync();
    await fh.close();
  }
  if (moves.length > 0) await syncDir(dir);
}

/** Files written by an older version may be world-readable; they hold secrets. */
async function tightenModes(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== SNAPSHOT && name !== RECOVERY && !SEGMENT.test(name)) continue;
    // Best effort: some mounted filesystems do not do modes, and that is not a reason to stop.
    await chmod(join(dir, name), FILE_MODE).catch(() => undefined);
  }
}

async function readRecoveryRecord(dir: string): Promise<RecoveryRecord | undefined> {
  const path = join(dir, RECOVERY);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DataDirError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const rec = JSON.parse(text) as Partial<RecoveryRecord> & { format?: unknown };
    if (rec.format !== RECOVERY_FORMAT || typeof rec.recoveredAt !== "string") throw new Error("not a recovery record");
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
    return { recoveredAt: rec.recoveredAt, problems: strings(rec.problems), movedAside: strings(rec.movedAside) };
  } catch (e) {
    // Still a sign the directory was recovered: stay degraded rather than forget it.
    return {
      recoveredAt: "an unknown time",
      problems: [`${path} is unreadable (${(e as Error).message}); the state was recovered from damage before`],
      movedAside: [],
    };
  }
}

async function removeRecoveryRecord(dir: string): Promise<void> {
  try {
    await unlink(join(dir, RECOVERY));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await syncDir(dir);
}

interface ParsedEntry {
  seq: number;
  change: StoredChange;
  /** Line number in the file (the header is line 1) and the byte the line starts at. */
  line: number;
  byte: number;
}

interface ParsedSegment {
  entries: ParsedEntry[];
  /** Bytes from the start that are a valid header and valid entries. */
  goodBytes: number;
  /** Lines after the header, complete or not: the most entries the segment could hold. */
  lines: number;
  /** The first damaged line: where, what, and whether it could be a write cut short. */
  problem?: { line: number; byte: number; what: string; cutShort: boolean; validAfter: number };
}

/** Splits a segment into entries; stops at the first damaged one and says why and where. */
function parseSegment(buf: Buffer, seg: Segment, path: string): ParsedSegment {
  const entries: ParsedEntry[] = [];
  const lines = countEntries(buf);
  const headerEnd = buf.indexOf(NEWLINE);
  const headerProblem = (what: string): ParsedSegment => ({
    entries,
    goodBytes: 0,
    lines,
    // Segments are renamed into place with their header, so a bad header is never a torn write.
    problem: { line: 1, byte: 0, what, cutShort: false, validAfter: validLinesFrom(buf, 0) },
  });
  if (headerEnd < 0)
    return headerProblem(buf.length === 0 ? "is empty: no header" : "is not a journal header (incomplete)");
  let header: unknown;
  try {
    header = JSON.parse(buf.toString("utf8", 0, headerEnd));
  } catch {
    return headerProblem("is not a journal header (not JSON): the segment has lost its header");
  }
  const h = header as { format?: unknown; version?: unknown; startSeq?: unknown };
  if (typeof h !== "object" || h === null) return headerProblem("is not a journal header (not a JSON object)");
  if (h.format !== JOURNAL_FORMAT) {
    throw new DataDirError(
      `${path} is not a cognito-twin journal (its header names format ${JSON.stringify(h.format)}, expected "${JOURNAL_FORMAT}")`,
    );
  }
  if (typeof h.version !== "number" || h.version > JOURNAL_VERSION) {
    throw new DataDirError(
      `${path}: journal format version ${String(h.version)} was written by a newer cognito-twin; this one reads version ${JOURNAL_VERSION}. Upgrade cognito-twin to use this data directory.`,
    );
  }
  if (h.startSeq !== seg.startSeq)
    return headerProblem(
      `is a header that says the segment starts at #${String(h.startSeq)}, its name says #${seg.startSeq}`,
    );

  let pos = headerEnd + 1;
  let expected = seg.startSeq;
  while (pos < buf.length) {
    const line = entries.length + 2;
    const end = buf.indexOf(NEWLINE, pos);
    const fail = (what: string, cutShort: boolean): ParsedSegment => ({
      entries,
      goodBytes: pos,
      lines,
      problem: { line, byte: pos, what, cutShort, validAfter: end < 0 ? 0 : validLinesFrom(buf, end + 1) },
    });
    if (end < 0) return fail("is incomplete (no newline: a write cut short)", true);
    if (!framed(buf, pos, end)) return fail("is not `<crc32> <json>`", true);
    if (!checksumOk(buf, pos, end)) {
      const want = buf.toString("latin1", pos, pos + 8);
      const got = crc32(buf.subarray(pos + 9, end))
        .toString(16)
        .padStart(8, "0");
      return fail(`fails its checksum (stored ${want}, computed ${got})`, true);
    }
    // From here on the line is exactly what was written: whatever is wrong was written so.
    let entry: { seq?: unknown } & Record<string, unknown>;
    try {
      entry = JSON.parse(buf.toString("utf8", pos + 9, end)) as typeof entry;
    } catch {
      return fail("passes its checksum but is not JSON", false);
    }
    if (typeof entry !== "object" || entry === null) return fail("is not a journal entry (not a JSON object)", false);
    if (entry.seq !== expected) return fail(`has sequence number ${String(entry.seq)}, expected ${expected}`, false);
    const { seq: _seq, ...change } = entry;
    if (!isChange(change)) return fail("is not a change (put, delete or clear of a known table)", false);
    entries.push({ seq: expected, change, line, byte: pos });
    expected++;
    pos = end + 1;
  }
  return { entries, goodBytes: pos, lines };
}

function framed(buf: Buffer, pos: number, end: number): boolean {
  if (end - pos < 10 || buf[pos + 8] !== 0x20) return false;
  for (let k = pos; k < pos + 8; k++) {
    const c = buf[k]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function checksumOk(buf: Buffer, pos: number, end: number): boolean {
  const want = buf.toString("latin1", pos, pos + 8);
  return (
    crc32(buf.subarray(pos + 9, end))
      .toString(16)
      .padStart(8, "0") === want
  );
}

/** Complete lines from `pos` on that pass their checksum: intact entries a cut would lose. */
function validLinesFrom(buf: Buffer, pos: number): number {
  let n = 0;
  while (pos < buf.length) {
    const end = buf.indexOf(NEWLINE, pos);
    if (end < 0) break;
    if (framed(buf, pos, end) && checksumOk(buf, pos, end)) n++;
    pos = end + 1;
  }
  return n;
}

/** Lines after the header line, the last one counted even without its newline. */
function countEntries(buf: Buffer): number {
  let newlines = 0;
  for (let pos = buf.indexOf(NEWLINE); pos >= 0; pos = buf.indexOf(NEWLINE, pos + 1)) newlines++;
  const trailing = buf.length > 0 && buf[buf.length - 1] !== NEWLINE ? 1 : 0;
  return Math.max(0, newlines + trailing - 1);
}

function isChange(c: Record<string, unknown>): c is StoredChange {
  if (c.op === "clear") return true;
  if (typeof c.table !== "string" || !(TABLES as readonly string[]).includes(c.table) || typeof c.key !== "string")
    return false;
  if (c.op === "delete") return true;
  return c.op === "put" && typeof c.value === "object" && c.value !== null;
}

// ---- files

function segmentName(startSeq: number): string {
  return `journal-${String(startSeq).padStart(20, "0")}.log`;
}

async function listSegments(dir: string): Promise<Segment[]> {
  const names = await readdir(dir);
  return names
    .map((name) => {
      const m = SEGMENT.exec(name);
      return m ? { name, startSeq: Number(m[1]) } : undefined;
    })
    .filter((s): s is Segment => s !== undefined)
    .sort((a, b) => a.startSeq - b.startSeq);
}

async function createSegment(dir: string, seg: Segment): Promise<{ handle: FileHandle; size: number }> {
  const header = `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, startSeq: seg.startSeq, createdAt: new Date().toISOString() })}\n`;
  // Renamed into place with its header, so no crash leaves a segment without one. A header-only
  // segment left by an earlier run (nothing was written to it) is replaced.
  await writeAtomically(dir, seg.name, header);
  const handle = await open(join(dir, seg.name), "a");
  return { handle, size: Buffer.byteLength(header) };
}

async function writeAll(fh: FileHandle, bytes: Buffer): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
    off += bytesWritten;
  }
}

/** temp file, fsync, rename over the target, fsync the directory. */
async function writeAtomically(dir: string, name: string, text: string): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const fh = await open(tmp, "w", FILE_MODE);
  try {
    // A temp file left by a crash keeps its old mode when opened again: set it.
    await fh.chmod(FILE_MODE).catch(() => undefined);
    await writeAll(fh, Buffer.from(text, "utf8"));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function freeName(dir: string, name: string, taken: ReadonlySet<string> = new Set()): Promise<string> {
  for (let i = 0; ; i++) {
    const candidate = join(dir, i === 0 ? name : `${name}-${i}`);
    if (taken.has(candidate)) continue;
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

// ---- the lock

/** Takes the directory's LOCK file; returns the function that gives it back. */
function lockDir(dir: string): () => void {
  if (openDirs.has(dir)) throw new DataDirError(`data directory ${dir} is already open in this process`);
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", FILE_MODE);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      openDirs.add(dir);
      return () => releaseDir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST")
        throw new DataDirError(`cannot lock data directory ${dir}: ${(e as Error).message}`);
    }
    const pid = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new DataDirError(
        `data directory ${dir} is in use by process ${pid} (delete ${path} if that process is not a cognito-twin)`,
      );
    }
    // Left by a process that is gone (a crash): take it over.
    unlinkSync(path);
  }
  throw new DataDirError(`cannot lock data directory ${dir}: another process keeps taking ${path}`);
}

function releaseDir(dir: string): void {
  if (!openDirs.delete(dir)) return;
  try {
    unlinkSync(join(dir, LOCK));
  } catch {
    // Already gone: nothing to release.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
