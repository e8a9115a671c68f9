// Durable state under a data directory: a snapshot (state.json) plus an append-only journal of
// the store's changes, fsynced before the emulator answers. The store stays in memory and knows
// nothing of files; this module listens to its changes and replays them at start-up.
//
// Files of a data directory:
//   LOCK                          pid of the emulator that owns it
//   state.json                    snapshot: a state document (state-document.ts) at sequence S
//   journal-<startSeq>.log        segments: a header line, then `<crc32 hex> <json>` per change
//   *.corrupt-<time>              what recovery found damaged, moved aside (never deleted)
// Reasons and guarantees: docs/decisions/0005-persistence.md.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import {
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
import { readStateDocument, StateFormatError, stateDocumentOf } from "./state-document.js";

/** The `format` of a journal segment's header line. */
export const JOURNAL_FORMAT = "cognito-twin-journal";
/** The newest journal version this build reads and the one it writes. */
export const JOURNAL_VERSION = 1;

const SNAPSHOT = "state.json";
const LOCK = "LOCK";
const SEGMENT = /^journal-(\d{20})\.log$/;
const NEWLINE = 0x0a;

/** What the HTTP layer waits on before it answers (absent when state lives only in memory). */
export interface Durability {
  /** Resolves once every change made so far is on disk (fsynced); rejects if it cannot be. */
  flush(): Promise<void>;
  /** Where the state lives and what start-up found there, for /health. */
  status(): JournalStatus;
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
}

/** What start-up found in the data directory. */
export interface RecoveryReport {
  /** Sequence number of the snapshot loaded (0: none). */
  snapshotSeq: number;
  /** Journal entries applied on top of the snapshot. */
  replayed: number;
  /** Sequence number of the last change recovered. */
  lastSeq: number;
  /** Damage found (bad checksum, torn line, sequence gap...), one sentence each. */
  problems: string[];
  /** Files the damaged parts were moved to. */
  movedAside: string[];
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
  /** Set when a write or fsync failed: the journal stops, and requests fail rather than lie. */
  failure?: string;
}

/** A data directory that cannot be used as it is (newer format, unreadable snapshot, in use). */
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
    readonly recovery: RecoveryReport,
    options: JournalOptions,
  ) {
    this.appendedSeq = this.durableSeq = recovery.lastSeq;
    this.snapshotSeq = recovery.snapshotSeq;
    this.segmentBytes = size;
    this.compactBytes = options.compactBytes ?? 64 * 1024 * 1024;
    this.log = options.log ?? { info: () => {}, error: () => {} };
    store.onChange((change) => this.append(change));
  }

  /**
   * Locks the directory (creating it if needed), loads its snapshot and journal into `store`
   * (which must be empty) without the store announcing them, moves damaged journal tails aside
   * and reports them, then records every later change of the store.
   *
   * @throws DataDirError when the directory is in use, or holds a snapshot or journal this
   * version cannot read (a newer format, an unparseable snapshot).
   */
  static async open(dir: string, store: Store, options: JournalOptions = {}): Promise<Journal> {
    const abs = resolve(dir);
    await mkdir(abs, { recursive: true });
    const unlock = lockDir(abs);
    try {
      const log = options.log ?? { info: () => {}, error: () => {} };
      const loaded = await loadDataDir(abs, store, { repair: true });
      let { segment } = loaded;
      const fh =
        segment && loaded.tailSeq === loaded.report.lastSeq ? await open(join(abs, segment.name), "a") : undefined;
      let handle: FileHandle;
      let size: number;
      if (fh && segment) {
        handle = fh;
        size = (await fh.stat()).size;
      } else {
        segment = { name: segmentName(loaded.report.lastSeq + 1), startSeq: loaded.report.lastSeq + 1 };
        ({ handle, size } = await createSegment(abs, segment));
      }
      for (const p of loaded.report.problems) log.error(`cognito-twin: data dir ${abs}: ${p}`);
      log.info(
        `cognito-twin: data dir ${abs}: loaded snapshot at #${loaded.report.snapshotSeq} and ${loaded.report.replayed} journal entries (last #${loaded.report.lastSeq})` +
          (loaded.report.problems.length ? `, ${loaded.report.problems.length} problem(s) reported` : ""),
      );
      return new Journal(abs, store, segment, handle, size, loaded.report, options);
    } catch (e) {
      unlock();
      throw e;
    }
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
  }
}

/** One journal line: CRC-32 (hex) of the JSON, a space, the JSON with its sequence number. */
export function encodeLine(seq: number, change: Change): string {
  const json = JSON.stringify({ seq, ...change });
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/**
 * Reads a data directory without changing it or locking it (for `cognito-twin export`):
 * the store is filled as the emulator would fill it at start-up; damage is reported, not moved.
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
      const { report } = await loadDataDir(abs, scratch, { repair: false });
      if (report.problems.length > 0 && attempt < 3) continue;
      store.restore([...scratch.entries()].map(({ table, value }) => ({ op: "put" as const, table, value })));
      return report;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" && attempt < 3) continue;
      throw e;
    }
  }
}

/**
 * Replaces a data directory's state with a state document's (for `cognito-twin import`). The
 * directory must not be in use; with state already in it, `force` is required. The new snapshot
 * is numbered after every journal entry already there, so a crash before the old segments are
 * removed cannot replay them onto it.
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
  const { doc, changes } = readStateDocument(parsed, source);
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  const unlock = lockDir(abs);
  try {
    const existing = new Store();
    const report = (await loadDataDir(abs, existing, { repair: false })).report;
    const hasState = !existing.entries().next().done;
    if (hasState && !opts.force) {
      throw new DataDirError(`data directory ${abs} already holds state; pass --force to replace it`);
    }
    const seq = Math.max(report.lastSeq, doc.seq);
    await writeAtomically(abs, SNAPSHOT, JSON.stringify({ ...doc, seq }));
    for (const s of await listSegments(abs)) await unlink(join(abs, s.name));
    await syncDir(abs);
    return { records: changes.length };
  } finally {
    unlock();
  }
}

// ---- loading

interface Loaded {
  report: RecoveryReport;
  /** The last segment still in place after repair, and the last sequence number it holds. */
  segment?: Segment;
  tailSeq: number;
}

async function loadDataDir(dir: string, store: Store, opts: { repair: boolean }): Promise<Loaded> {
  const report: RecoveryReport = { snapshotSeq: 0, replayed: 0, lastSeq: 0, problems: [], movedAside: [] };
  const snapshotPath = join(dir, SNAPSHOT);
  let snapshotText: string | undefined;
  try {
    snapshotText = await readFile(snapshotPath, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new DataDirError(`cannot read ${snapshotPath}: ${(e as Error).message}`);
  }
  if (snapshotText !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(snapshotText);
    } catch (e) {
      // Snapshots are renamed into place complete, so this is damage from outside; guessing
      // what to keep would be worse than stopping.
      throw new DataDirError(
        `${snapshotPath} is not valid JSON (${(e as Error).message}). It is written atomically, so something else changed it; restore it from a backup or move it away to start without it.`,
      );
    }
    try {
      const { doc, changes } = readStateDocument(parsed, snapshotPath);
      store.restore(changes);
      report.snapshotSeq = report.lastSeq = doc.seq;
    } catch (e) {
      if (e instanceof StateFormatError) throw new DataDirError(e.message);
      throw e;
    }
  }
  if (opts.repair) {
    // Temp files are complete only once renamed; any left over are from a crash.
    for (const name of await readdir(dir))
      if (name.endsWith(".tmp") && (name === `${SNAPSHOT}.tmp` || name.startsWith("journal-")))
        await unlink(join(dir, name));
  }

  const segments = await listSegments(dir);
  let current = report.lastSeq;
  let last: Segment | undefined;
  let tailSeq = current;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  let broken = false;
  for (const seg of segments) {
    const path = join(dir, seg.name);
    if (broken) {
      report.problems.push(`${seg.name} was not replayed because an earlier segment is damaged`);
      if (opts.repair) report.movedAside.push(await moveAside(dir, seg.name, stamp));
      continue;
    }
    if (seg.startSeq > current + 1) {
      broken = true;
      report.problems.push(
        `${seg.name} starts at #${seg.startSeq} but the state before it ends at #${current}: changes #${current + 1}-#${seg.startSeq - 1} are missing; it was not replayed`,
      );
      if (opts.repair) report.movedAside.push(await moveAside(dir, seg.name, stamp));
      continue;
    }
    const buf = await readFile(path);
    const parsed = parseSegment(buf, seg, path);
    let segLast = seg.startSeq - 1;
    const toApply: StoredChange[] = [];
    for (const entry of parsed.entries) {
      segLast = entry.seq;
      if (entry.seq <= current) continue;
      toApply.push(entry.change);
      current = entry.seq;
    }
    store.restore(toApply);
    report.replayed += toApply.length;
    if (parsed.problem) {
      broken = true;
      report.problems.push(
        `${seg.name}: ${parsed.problem}; the ${parsed.entries.length} entries before it were kept, the ${buf.length - parsed.goodBytes} bytes from there on were not replayed`,
      );
      if (opts.repair) {
        if (parsed.goodBytes === 0) {
          report.movedAside.push(await moveAside(dir, seg.name, stamp));
          continue;
        }
        const asidePath = await freeName(dir, `${seg.name}.corrupt-${stamp}`);
        await writeFile(asidePath, buf.subarray(parsed.goodBytes), { flag: "wx", flush: true });
        await truncate(path, parsed.goodBytes);
        const fh = await open(path, "r+");
        await fh.sync();
        await fh.close();
        report.movedAside.push(asidePath);
      }
    }
    last = seg;
    tailSeq = segLast;
  }
  if (opts.repair && report.movedAside.length > 0) await syncDir(dir);
  report.lastSeq = current;
  return { report, ...(last ? { segment: last } : {}), tailSeq };
}

interface ParsedSegment {
  entries: { seq: number; change: StoredChange }[];
  /** Bytes from the start that are a valid header and valid entries. */
  goodBytes: number;
  problem?: string;
}

/** Splits a segment into entries; stops at the first damaged one and says why. */
export function parseSegment(buf: Buffer, seg: Segment, path: string): ParsedSegment {
  const entries: ParsedSegment["entries"] = [];
  const headerEnd = buf.indexOf(NEWLINE);
  if (headerEnd < 0)
    return { entries, goodBytes: 0, problem: buf.length === 0 ? "empty file, no header" : "header line is incomplete" };
  let header: unknown;
  try {
    header = JSON.parse(buf.toString("utf8", 0, headerEnd));
  } catch {
    return { entries, goodBytes: 0, problem: "header line is not JSON" };
  }
  const h = header as { format?: unknown; version?: unknown; startSeq?: unknown };
  if (h?.format !== JOURNAL_FORMAT) {
    throw new DataDirError(
      `${path} is not a cognito-twin journal (its header names format ${JSON.stringify(h?.format)}, expected "${JOURNAL_FORMAT}")`,
    );
  }
  if (typeof h.version !== "number" || h.version > JOURNAL_VERSION) {
    throw new DataDirError(
      `${path}: journal format version ${String(h.version)} was written by a newer cognito-twin; this one reads version ${JOURNAL_VERSION}. Upgrade cognito-twin to use this data directory.`,
    );
  }
  if (h.startSeq !== seg.startSeq)
    return {
      entries,
      goodBytes: 0,
      problem: `header says it starts at #${String(h.startSeq)}, its name says #${seg.startSeq}`,
    };

  let pos = headerEnd + 1;
  let expected = seg.startSeq;
  while (pos < buf.length) {
    const lineNo = entries.length + 2;
    const end = buf.indexOf(NEWLINE, pos);
    const fail = (why: string): ParsedSegment => ({ entries, goodBytes: pos, problem: `line ${lineNo} ${why}` });
    if (end < 0) return fail("is incomplete (no newline: a write cut short)");
    if (end - pos < 10 || buf[pos + 8] !== 0x20) return fail("is not `<crc32> <json>`");
    const want = buf.toString("latin1", pos, pos + 8);
    const got = crc32(buf.subarray(pos + 9, end))
      .toString(16)
      .padStart(8, "0");
    if (want !== got) return fail(`fails its checksum (stored ${want}, computed ${got})`);
    let entry: { seq?: unknown } & Record<string, unknown>;
    try {
      entry = JSON.parse(buf.toString("utf8", pos + 9, end)) as typeof entry;
    } catch {
      return fail("is not JSON");
    }
    if (entry.seq !== expected) return fail(`has sequence number ${String(entry.seq)}, expected ${expected}`);
    const { seq: _seq, ...change } = entry;
    if (!isChange(change)) return fail("is not a change (put, delete or clear of a known table)");
    entries.push({ seq: expected, change });
    expected++;
    pos = end + 1;
  }
  return { entries, goodBytes: pos };
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
  const fh = await open(tmp, "w");
  try {
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

async function freeName(dir: string, name: string): Promise<string> {
  for (let i = 0; ; i++) {
    const candidate = join(dir, i === 0 ? name : `${name}-${i}`);
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

async function moveAside(dir: string, name: string, stamp: string): Promise<string> {
  const target = await freeName(dir, `${name}.corrupt-${stamp}`);
  await rename(join(dir, name), target);
  return target;
}

// ---- the lock

/** Takes the directory's LOCK file; returns the function that gives it back. */
function lockDir(dir: string): () => void {
  if (openDirs.has(dir)) throw new DataDirError(`data directory ${dir} is already open in this process`);
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
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
