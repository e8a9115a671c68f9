import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/types.js";
import { DataDirError, encodeLine, importIntoDataDir, Journal, readDataDir } from "./journal.js";
import { stateDocumentOf } from "./state-document.js";

const POOL = "us-east-1_Journal1";

function pool(id = POOL, extra: Partial<PoolRecord> = {}): PoolRecord {
  return { id, pool: { Id: id, Name: `pool ${id}` }, tags: {}, mfa: { MfaConfiguration: "OFF" }, ...extra };
}

function client(id: string, poolId = POOL): ClientRecord {
  return { poolId, client: { ClientId: id, UserPoolId: poolId, ClientName: `client ${id}` } };
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
    password: { hash: "scrypt$16384$8$1$c2FsdA$aGFzaA", setAt: 1 },
    codes: {},
    failedSignIns: 0,
    groups: [],
    mfa: { sms: false, totp: false, email: false },
  };
}

/** Every record of a store, as JSON, in the order a snapshot lists them. */
function contents(store: Store): unknown {
  return JSON.parse(JSON.stringify([...store.entries()]));
}

let dir: string;
const open: Journal[] = [];

async function openJournal(
  store = new Store(),
  options: { compactBytes?: number; recover?: boolean } = {},
): Promise<{ store: Store; journal: Journal }> {
  const journal = await Journal.open(dir, store, options);
  open.push(journal);
  return { store, journal };
}

async function segments(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^journal-\d+\.log$/.test(n)).sort();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "twin-journal-"));
});

afterEach(async () => {
  for (const j of open.splice(0)) await j.close();
  await rm(dir, { recursive: true, force: true });
});

describe("journal", () => {
  it("replays puts, deletes and clears into an equal store, users after their pools", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    store.putPool(
      pool("us-east-1_Other", { pool: { Id: "us-east-1_Other", UsernameConfiguration: { CaseSensitive: true } } }),
    );
    store.putClient(client("c1"));
    store.putClient(client("c2"));
    store.putGroup({ poolId: POOL, group: { GroupName: "admins", UserPoolId: POOL } });
    store.putUser(user("Alice"));
    store.putUser(user("Bob", "us-east-1_Other"));
    store.deleteClient("c2");
    await journal.flush();
    await journal.close();

    const reloaded = (await openJournal()).store;
    expect(contents(reloaded)).toEqual(contents(store));
    expect(reloaded.getUser(POOL, "ALICE")?.password?.hash).toBe("scrypt$16384$8$1$c2FsdA$aGFzaA");
    expect(reloaded.getUser("us-east-1_Other", "bob")).toBeUndefined();
    expect(reloaded.getUser("us-east-1_Other", "Bob")?.sub).toBe("sub-Bob");
    expect(reloaded.findUsersByAttribute(POOL, "email", "alice@example.com")).toHaveLength(1);

    // A pool deleted later takes its clients and users with it after replay too.
    const j2 = open.at(-1)!;
    reloaded.deletePool(POOL);
    await j2.flush();
    await j2.close();
    const third = (await openJournal()).store;
    expect(third.getPool(POOL)).toBeUndefined();
    expect(third.getClient("c1")).toBeUndefined();
    expect(contents(third)).toEqual(contents(reloaded));
  });

  it("restoring does not tell listeners, so a replay is not journaled again", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    await journal.close();
    const seen: unknown[] = [];
    const fresh = new Store();
    fresh.onChange((c) => seen.push(c));
    const { journal: j2 } = await openJournal(fresh);
    expect(fresh.getPool(POOL)).toBeDefined();
    expect(seen).toEqual([]);
    expect(j2.status().seq).toBe(1);
  });

  it("writes one checksummed, numbered line per change after a versioned header", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    store.putClient(client("c1"));
    await journal.flush();
    const [seg] = await segments();
    const lines = (await readFile(join(dir, seg!), "utf8")).trimEnd().split("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: "cognito-twin-journal", version: 1, startSeq: 1 });
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^[0-9a-f]{8} \{"seq":1,"op":"put","table":"pools","key":"us-east-1_Journal1"/);
    expect(lines[2]).toMatch(/^[0-9a-f]{8} \{"seq":2,"op":"put","table":"clients","key":"c1"/);
  });

  it("group commit: writes of many concurrent requests are all durable when their flushes resolve", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      store.putClient(client(`c${i}`));
      flushes.push(journal.flush());
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(flushes);
    expect(journal.status().durableSeq).toBe(201);
    // Read back by a separate reader while the journal is still open: everything is on disk.
    const reader = new Store();
    await readDataDir(dir, reader);
    expect(reader.listClients(POOL)).toHaveLength(200);
  });

  it("a flipped byte fails the checksum: the good prefix is kept, the tail moved aside and reported", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    store.putClient(client("c1"));
    store.putClient(client("c2"));
    await journal.close();
    const [seg] = await segments();
    const path = join(dir, seg!);
    const bytes = await readFile(path);
    const at = bytes.lastIndexOf(Buffer.from("client c2")) + 7;
    bytes[at] = "X".charCodeAt(0);
    await writeFile(path, bytes);

    const { store: reloaded, journal: j2 } = await openJournal();
    expect(reloaded.getClient("c1")).toBeDefined();
    expect(reloaded.getClient("c2")).toBeUndefined();
    const { recovery } = j2.status();
    expect(recovery.problems).toHaveLength(1);
    expect(recovery.problems[0]).toMatch(/line 4 fails its checksum/);
    expect(recovery.movedAside).toHaveLength(1);
    const aside = await readFile(recovery.movedAside[0]!, "utf8");
    expect(aside).toContain("client X2");
    // The damage is out of the way: new writes follow the good prefix and the next start is clean.
    reloaded.putClient(client("c3"));
    await j2.close();
    const { store: third, journal: j3 } = await openJournal();
    expect(j3.status().recovery.problems).toEqual([]);
    expect(third.listClients(POOL).map((c) => c.client.ClientId)).toEqual(["c1", "c3"]);
  });

  it("a truncated last line (a torn write) keeps the good prefix and reports it", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    store.putClient(client("c1"));
    store.putClient(client("c2"));
    await journal.close();
    const [seg] = await segments();
    const path = join(dir, seg!);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 15));

    const { store: reloaded, journal: j2 } = await openJournal();
    expect(reloaded.getClient("c1")).toBeDefined();
    expect(reloaded.getClient("c2")).toBeUndefined();
    expect(j2.status().recovery.problems[0]).toMatch(/line 4 is incomplete/);
    expect(j2.status().recovery.lastSeq).toBe(2);
    expect((await readdir(dir)).some((n) => n.includes(".corrupt-"))).toBe(true);
  });

  it("a segment that would skip a gap refuses to start; --recover sets it aside and starts", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    await journal.close();
    // The second run appends to the same segment; force a later segment by hand.
    const later = join(dir, `journal-${String(5).padStart(20, "0")}.log`);
    await writeFile(
      later,
      `${JSON.stringify({ format: "cognito-twin-journal", version: 1, startSeq: 5 })}\n${encodeLine(5, { op: "put", table: "clients", key: "c9", value: client("c9") })}`,
    );
    await expect(Journal.open(dir, new Store())).rejects.toThrow(/changes #2-#4 are missing.*--recover/);
    expect(await segments()).toHaveLength(2);
    const { store: reloaded, journal: j2 } = await openJournal(new Store(), { recover: true });
    expect(reloaded.getClient("c9")).toBeUndefined();
    expect(reloaded.getPool(POOL)).toBeDefined();
    expect(j2.status().recovery.problems[0]).toMatch(/changes #2-#4 are missing/);
    expect(j2.status().recovery.recovered).toBeDefined();
    expect(await segments()).toHaveLength(1);
  });

  it("refuses a journal or snapshot from a newer version with a clear message", async () => {
    await writeFile(
      join(dir, `journal-${String(1).padStart(20, "0")}.log`),
      `${JSON.stringify({ format: "cognito-twin-journal", version: 2, startSeq: 1 })}\n`,
    );
    await expect(Journal.open(dir, new Store())).rejects.toThrow(
      /journal format version 2 was written by a newer cognito-twin; this one reads version 1/,
    );
    await expect(Journal.open(dir, new Store())).rejects.toBeInstanceOf(DataDirError);

    await rm(dir, { recursive: true });
    const snapshot = { ...stateDocumentOf(new Store(), 0), version: 7 };
    await (await import("node:fs/promises")).mkdir(dir);
    await writeFile(join(dir, "state.json"), JSON.stringify(snapshot));
    await expect(Journal.open(dir, new Store())).rejects.toThrow(
      /state format version 7 was written by a newer cognito-twin; this one reads version 1/,
    );
  });

  it("refuses a file that is not a journal, and an unparseable snapshot", async () => {
    await writeFile(
      join(dir, `journal-${String(1).padStart(20, "0")}.log`),
      `{"format":"something-else","version":1}\n`,
    );
    await expect(Journal.open(dir, new Store())).rejects.toThrow(/is not a cognito-twin journal/);
    await rm(join(dir, `journal-${String(1).padStart(20, "0")}.log`));
    await writeFile(join(dir, "state.json"), `{"format":"cognito-twin-state","vers`);
    await expect(Journal.open(dir, new Store())).rejects.toThrow(/state.json is not valid JSON/);
  });

  it("compacts into a snapshot past the size limit; snapshot plus journal replays to the same state", async () => {
    const { store, journal } = await openJournal(new Store(), { compactBytes: 4_000 });
    store.putPool(pool());
    for (let i = 0; i < 60; i++) {
      store.putClient(client(`c${i}`));
      if (i % 3 === 0) store.deleteClient(`c${i - 1}`);
      store.putUser(user(`user${i}`));
      await journal.flush();
    }
    await journal.compact();
    store.putClient(client("after-compaction"));
    await journal.flush();
    const status = journal.status();
    expect(status.snapshotSeq).toBeGreaterThan(0);
    expect(await segments()).toHaveLength(1);
    const snapshot = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as {
      seq: number;
      tables: { pools: unknown[] };
    };
    expect(snapshot.seq).toBe(status.snapshotSeq);
    expect(snapshot.tables.pools).toHaveLength(1);
    await journal.close();

    const { store: reloaded, journal: j2 } = await openJournal();
    expect(contents(reloaded)).toEqual(contents(store));
    expect(j2.status().recovery.problems).toEqual([]);
    expect(j2.status().seq).toBe(status.seq);
  });

  it("loads a directory left between snapshot and removal of the old segments (a crash mid-compaction)", async () => {
    const { store, journal } = await openJournal();
    store.putPool(pool());
    store.putClient(client("c1"));
    await journal.flush();
    const [oldSeg] = await segments();
    await copyFile(join(dir, oldSeg!), join(dir, "saved"));
    await journal.compact();
    store.putClient(client("c2"));
    store.deleteClient("c1");
    await journal.close();
    // Put the segment the snapshot made redundant back, plus a stale temp snapshot.
    await copyFile(join(dir, "saved"), join(dir, oldSeg!));
    await rm(join(dir, "saved"));
    await writeFile(join(dir, "state.json.tmp"), "{half a snap");

    const { store: reloaded, journal: j2 } = await openJournal();
    expect(contents(reloaded)).toEqual(contents(store));
    expect(reloaded.getClient("c1")).toBeUndefined();
    expect(j2.status().recovery.problems).toEqual([]);
    expect((await readdir(dir)).includes("state.json.tmp")).toBe(false);
  });

  it("locks the directory against a second journal in this process, and takes over a dead owner's lock", async () => {
    const { journal } = await openJournal();
    await expect(Journal.open(dir, new Store())).rejects.toThrow(/already open in this process/);
    await journal.close();
    await writeFile(join(dir, "LOCK"), "999999999\n");
    const { journal: j2 } = await openJournal();
    expect(j2.status().dataDir).toBe(dir);
  });

  it("import replaces a directory's state (force needed over existing state); export reads it back", async () => {
    const source = new Store();
    source.putPool(
      pool(POOL, {
        keys: {
          access: { kid: "a", privateJwk: { d: "x" }, publicJwk: { n: "y" } },
          id: { kid: "i", privateJwk: {}, publicJwk: {} },
        },
      }),
    );
    source.putClient(client("c1"));
    source.putUser(user("alice"));
    const text = JSON.stringify(stateDocumentOf(source, 3));

    const { store, journal } = await openJournal();
    store.putPool(pool("us-east-1_Existing"));
    await journal.close();
    await expect(importIntoDataDir(dir, text, "state.json")).rejects.toThrow(/already holds state; pass --force/);
    await expect(importIntoDataDir(dir, text, "state.json", { force: true })).resolves.toEqual({ records: 3 });

    const exported = new Store();
    const report = await readDataDir(dir, exported);
    expect(report.problems).toEqual([]);
    expect(contents(exported)).toEqual(contents(source));
    const { store: reloaded } = await openJournal();
    expect(reloaded.getPool("us-east-1_Existing")).toBeUndefined();
    expect(reloaded.getPool(POOL)?.keys?.access.kid).toBe("a");
  });

  it("import rejects a document whose records do not hang together", async () => {
    const doc = stateDocumentOf(new Store(), 0);
    doc.tables.clients.push(client("c1", "us-east-1_Missing"));
    await expect(importIntoDataDir(dir, JSON.stringify(doc), "bad.json")).rejects.toThrow(
      /bad.json: tables.clients\[0\] \(client "c1" of pool us-east-1_Missing\): poolId: pool us-east-1_Missing is not in tables.pools/,
    );
    await expect(importIntoDataDir(dir, "{", "bad.json")).rejects.toThrow(/bad.json: not valid JSON/);
  });
});
