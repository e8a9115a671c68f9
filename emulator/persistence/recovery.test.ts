// Recovery never silently loses intact data (issue 12 §6, docs/decisions/0013-recovery.md):
// a torn write at the end of the last segment is repaired by itself; any other damage stops
// start-up with a DataDirError that says where, unless `recover` is set, which keeps the good
// prefix, moves the rest aside and records the recovery (recovery.json) until acknowledged.
import { chmod, mkdir, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import type { PoolRecord, UserRecord } from "../store/types.js";
import { DataDirError, encodeLine, importIntoDataDir, Journal, readDataDir } from "./journal.js";
import { stateDocumentOf } from "./state-document.js";

const POOL = "us-east-1_Recover1";

function pool(id = POOL): PoolRecord {
  return { id, pool: { Id: id, Name: `pool ${id}` }, tags: {}, mfa: { MfaConfiguration: "OFF" } };
}

function user(username: string, poolId = POOL): UserRecord {
  return {
    poolId,
    username,
    sub: `sub-${username}`,
    attributes: [{ Name: "email", Value: `${username}@example.com` }],
    status: "CONFIRMED",
    enabled: true,
    createdAt: 1,
    updatedAt: 1,
    codes: {},
    failedSignIns: 0,
    groups: [],
    mfa: { sms: false, totp: false, email: false },
  };
}

let dir: string;
const open: Journal[] = [];

async function openJournal(options: { recover?: boolean; compactBytes?: number } = {}, store = new Store()) {
  const journal = await Journal.open(dir, store, options);
  open.push(journal);
  return { store, journal };
}

async function closeAll(): Promise<void> {
  for (const j of open.splice(0)) await j.close();
}

/** A directory holding a pool and `n` users, one journal line each (lines 2..n+2). */
async function writeUsers(n: number): Promise<string> {
  const { store, journal } = await openJournal();
  store.putPool(pool());
  for (let i = 0; i < n; i++) store.putUser(user(`user${i}`));
  await closeAll();
  void journal;
  const [seg] = await segments();
  return join(dir, seg!);
}

async function segments(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^journal-\d+\.log$/.test(n)).sort();
}

/** Every file of the directory with its bytes, to show a refusal changed nothing. */
async function files(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort())
    if (name !== "LOCK") out[name] = (await readFile(join(dir, name))).toString("base64");
  return out;
}

/** Flips one byte inside journal line `line` (1 = header) so it fails its checksum. */
async function spoilLine(path: string, line: number): Promise<number> {
  const bytes = await readFile(path);
  let start = 0;
  for (let l = 1; l < line; l++) start = bytes.indexOf(0x0a, start) + 1;
  const at = start + 30;
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  await writeFile(path, bytes);
  return start;
}

async function refusal(options: { recover?: boolean } = {}): Promise<DataDirError> {
  const e = await Journal.open(dir, new Store(), options).then(
    (j) => {
      open.push(j);
      throw new Error("expected Journal.open to refuse");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataDirError);
  return e as DataDirError;
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

beforeEach(async () => {
  dir = join(tmpdir(), `twin-recover-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir);
});

afterEach(async () => {
  await closeAll().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe("recovery refuses to lose intact data", () => {
  it("a bad line in the middle refuses to start, naming file, line and byte; the directory is left as it was", async () => {
    const path = await writeUsers(875);
    // Line 407 holds user404: 404 users before it are intact, and so are the 470 after it.
    const byte = await spoilLine(path, 407);
    const before = await files();
    const e = await refusal();
    expect(e.message).toContain(`journal-00000000000000000001.log line 407 fails its checksum`);
    expect(e.message).toContain(`at byte ${byte}`);
    expect(e.message).toMatch(/470 intact journal entries from there on would be lost/);
    expect(e.message).toMatch(/--recover \(COGNITO_TWIN_RECOVER=1\) to keep the 405 entries before it/);
    expect(e.message).toContain("docs/decisions/0013-recovery.md");
    expect(await files()).toEqual(before);
  });

  it("--recover keeps the good prefix, moves the rest aside, and stays degraded across restarts until acknowledged", async () => {
    const path = await writeUsers(20);
    await spoilLine(path, 8);
    const { store, journal } = await openJournal({ recover: true });
    expect(store.countUsers(POOL)).toBe(5);
    const status = journal.status();
    expect(status.recovery.recovered).toMatchObject({ acknowledge: expect.stringMatching(/recovery\/ack/) });
    expect(status.recovery.problems).toEqual([expect.stringMatching(/line 8 fails its checksum.*moved aside/)]);
    const [aside] = status.recovery.movedAside;
    expect(aside).toMatch(/journal-00000000000000000001\.log\.corrupt-/);
    // The part set aside holds the bad line and the 14 intact ones after it.
    expect((await readFile(aside!, "utf8")).trimEnd().split("\n")).toHaveLength(15);
    expect(await mode(aside!)).toBe(0o600);
    expect(await mode(join(dir, "recovery.json"))).toBe(0o600);
    // New writes go on after the kept prefix.
    store.putUser(user("after"));
    await closeAll();

    // A restart without --recover finds nothing more wrong, but still says what was lost.
    const { store: s2, journal: j2 } = await openJournal();
    expect(s2.countUsers(POOL)).toBe(6);
    expect(j2.status().recovery.recovered).toBeDefined();
    expect(j2.status().recovery.problems).toEqual(status.recovery.problems);
    expect(await j2.acknowledgeRecovery()).toEqual(status.recovery.problems);
    expect(j2.status().recovery.recovered).toBeUndefined();
    expect(j2.status().recovery.problems).toEqual([]);
    await closeAll();

    const { journal: j3 } = await openJournal();
    expect(j3.status().recovery).toMatchObject({ problems: [], movedAside: [] });
    expect(j3.status().recovery.recovered).toBeUndefined();
    expect((await readdir(dir)).includes("recovery.json")).toBe(false);
  });

  it("starting with --recover again acknowledges the earlier recovery", async () => {
    const path = await writeUsers(5);
    await spoilLine(path, 3);
    await openJournal({ recover: true });
    await closeAll();
    const { journal } = await openJournal({ recover: true });
    expect(journal.status().recovery.recovered).toBeUndefined();
    expect(journal.status().recovery.problems).toEqual([]);
  });

  it("a torn write at the end of the last segment is repaired by itself, and is not a recovery to acknowledge", async () => {
    const path = await writeUsers(5);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 20));
    const { store, journal } = await openJournal();
    expect(store.countUsers(POOL)).toBe(4);
    expect(journal.status().recovery.problems).toEqual([expect.stringMatching(/line 7 is incomplete/)]);
    expect(journal.status().recovery.recovered).toBeUndefined();
    await closeAll();
    const { journal: j2 } = await openJournal();
    expect(j2.status().recovery.problems).toEqual([]);
  });

  it("a torn-looking tail with intact entries after it is not a torn write: it refuses", async () => {
    const path = await writeUsers(10);
    // Zeros over part of line 5 (as a lost page would leave), intact lines after it.
    const bytes = await readFile(path);
    let start = 0;
    for (let l = 1; l < 5; l++) start = bytes.indexOf(0x0a, start) + 1;
    bytes.fill(0, start + 4, start + 40);
    await writeFile(path, bytes);
    const e = await refusal();
    expect(e.message).toMatch(/line 5 (is not `<crc32> <json>`|fails its checksum).*7 intact journal entries/);
  });

  it("a cut-short line at the end of a segment that is not the last one refuses", async () => {
    await writeFile(
      join(dir, `journal-${"1".padStart(20, "0")}.log`),
      `${JSON.stringify({ format: "cognito-twin-journal", version: 1, startSeq: 1 })}\n${encodeLine(1, { op: "put", table: "pools", key: POOL, value: pool() })}${encodeLine(2, { op: "put", table: "users", key: `${POOL}/a`, value: user("a") }).slice(0, 25)}`,
    );
    await writeFile(
      join(dir, `journal-${"2".padStart(20, "0")}.log`),
      `${JSON.stringify({ format: "cognito-twin-journal", version: 1, startSeq: 2 })}\n${encodeLine(2, { op: "put", table: "users", key: `${POOL}/b`, value: user("b") })}`,
    );
    const e = await refusal();
    expect(e.message).toMatch(/journal-00000000000000000001\.log line 3 is incomplete/);
    expect(e.message).toMatch(/journal-00000000000000000002\.log/);
    const { store, journal } = await openJournal({ recover: true });
    expect(store.getPool(POOL)).toBeDefined();
    expect(store.countUsers(POOL)).toBe(0);
    expect(journal.status().recovery.movedAside).toHaveLength(2);
  });

  it("a journal segment without its header refuses; --recover sets the segment aside", async () => {
    const path = await writeUsers(3);
    const text = await readFile(path, "utf8");
    await writeFile(path, text.slice(text.indexOf("\n") + 1));
    const e = await refusal();
    expect(e.message).toMatch(
      /journal-00000000000000000001\.log line 1 is not a journal header .*lost its header, at byte 0/,
    );
    expect(e.message).toMatch(/4 intact journal entries/);
    const { store, journal } = await openJournal({ recover: true });
    expect(store.getPool(POOL)).toBeUndefined();
    expect(journal.status().recovery.recovered).toBeDefined();
    expect(journal.status().recovery.movedAside).toEqual([expect.stringMatching(/\.log\.corrupt-/)]);
  });

  it("an empty segment file refuses", async () => {
    await writeFile(join(dir, `journal-${"1".padStart(20, "0")}.log`), "");
    expect((await refusal()).message).toMatch(/line 1 is empty: no header/);
  });

  it("a missing state.json is a gap when the segments do not start at 1, and fine when they do", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    store.putUser(user("before"));
    await journal.compact();
    store.putUser(user("after"));
    await closeAll();
    await unlink(join(dir, "state.json"));
    const e = await refusal();
    expect(e.message).toMatch(
      /journal-00000000000000000003\.log starts at #3 but there is no state\.json .*changes #1-#2 are missing/,
    );
    const { store: s2, journal: j2 } = await openJournal({ recover: true });
    expect(s2.getPool(POOL)).toBeUndefined();
    expect(j2.status().recovery.recovered).toBeDefined();
    await closeAll();

    await rm(dir, { recursive: true });
    await mkdir(dir);
    await writeUsers(2);
    expect(await readdir(dir)).not.toContain("state.json");
    const { store: s3, journal: j3 } = await openJournal();
    expect(s3.countUsers(POOL)).toBe(2);
    expect(j3.status().recovery.problems).toEqual([]);
  });

  it("a segment that starts past the snapshot's sequence is a gap", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    await journal.compact();
    await closeAll();
    const [seg] = await segments();
    await rm(join(dir, seg!));
    await writeFile(
      join(dir, `journal-${"7".padStart(20, "0")}.log`),
      `${JSON.stringify({ format: "cognito-twin-journal", version: 1, startSeq: 7 })}\n${encodeLine(7, { op: "put", table: "users", key: `${POOL}/x`, value: user("x") })}`,
    );
    const e = await refusal();
    expect(e.message).toMatch(/starts at #7 but the state before it ends at #1: changes #2-#6 are missing/);
  });

  it("a line that passes its checksum but names a missing pool is damage, not a crash", async () => {
    await writeFile(
      join(dir, `journal-${"1".padStart(20, "0")}.log`),
      `${JSON.stringify({ format: "cognito-twin-journal", version: 1, startSeq: 1 })}\n` +
        encodeLine(1, { op: "put", table: "pools", key: POOL, value: pool() }) +
        encodeLine(2, { op: "put", table: "users", key: "us-east-1_Gone/x", value: user("x", "us-east-1_Gone") }) +
        encodeLine(3, { op: "put", table: "users", key: `${POOL}/y`, value: user("y") }),
    );
    const e = await refusal();
    expect(e.message).toMatch(
      /line 3 puts user "x" of pool us-east-1_Gone, but pool us-east-1_Gone does not exist at that point, at byte \d+/,
    );
    expect(e.message).toMatch(/1 intact journal entry from there on/);
    const { store } = await openJournal({ recover: true });
    expect(store.getPool(POOL)).toBeDefined();
    expect(store.countUsers(POOL)).toBe(0);
  });

  it("a line that passes its checksum but holds an invalid record is damage, naming the field", async () => {
    const { mfa: _mfa, ...noMfa } = user("x");
    await writeFile(
      join(dir, `journal-${"1".padStart(20, "0")}.log`),
      `${JSON.stringify({ format: "cognito-twin-journal", version: 1, startSeq: 1 })}\n` +
        encodeLine(1, { op: "put", table: "pools", key: POOL, value: pool() }) +
        encodeLine(2, { op: "put", table: "users", key: `${POOL}/x`, value: noMfa }),
    );
    expect((await refusal()).message).toMatch(
      /line 3 puts user "x" of pool .*, which is not a valid record: mfa is missing/,
    );
  });

  it("an unreadable snapshot refuses; --recover moves it aside and replays segments that start at 1", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    await journal.flush();
    await closeAll();
    await writeFile(join(dir, "state.json"), `{"format":"cognito-twin-state","vers`);
    const e = await refusal();
    expect(e.message).toMatch(/state\.json is not valid JSON/);
    expect(e.message).toMatch(/--recover/);
    const { store: s2, journal: j2 } = await openJournal({ recover: true });
    expect(s2.getPool(POOL)).toBeDefined();
    expect(j2.status().recovery.movedAside).toEqual([expect.stringMatching(/state\.json\.corrupt-/)]);
  });

  it("export reads what is intact and reports the damage without moving it", async () => {
    const path = await writeUsers(6);
    await spoilLine(path, 4);
    const before = await files();
    const store = new Store();
    const report = await readDataDir(dir, store);
    expect(store.countUsers(POOL)).toBe(1);
    expect(report.problems).toEqual([expect.stringMatching(/line 4 fails its checksum.*were not/)]);
    expect(await files()).toEqual(before);
  });

  it("import needs --force over a damaged directory, and clears its recovery record", async () => {
    const path = await writeUsers(4);
    await spoilLine(path, 3);
    const doc = JSON.stringify(stateDocumentOf(new Store(), 0));
    await expect(importIntoDataDir(dir, doc, "empty.json")).rejects.toThrow(/already holds state|damaged/);
    await openJournal({ recover: true });
    await closeAll();
    expect(await readdir(dir)).toContain("recovery.json");
    await importIntoDataDir(dir, doc, "empty.json", { force: true });
    expect(await readdir(dir)).not.toContain("recovery.json");
    const { journal } = await openJournal();
    expect(journal.status().recovery.recovered).toBeUndefined();
  });
});

describe("data directory files are private", () => {
  it("state.json, segments, LOCK and the directory are created owner-only; older files are tightened", async () => {
    const sub = join(dir, "data");
    const store = new Store();
    const journal = await Journal.open(sub, store);
    open.push(journal);
    store.putPool(pool());
    await journal.compact();
    expect((await stat(sub)).mode & 0o777).toBe(0o700);
    for (const name of await readdir(sub)) expect(await mode(join(sub, name)), name).toBe(0o600);
    await closeAll();
    for (const name of await readdir(sub)) await chmod(join(sub, name), 0o644);
    const j2 = await Journal.open(sub, new Store());
    open.push(j2);
    for (const name of await readdir(sub)) expect(await mode(join(sub, name)), name).toBe(0o600);
  });
});
