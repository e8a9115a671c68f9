// Crash test: the real command with --data-dir under a write load, SIGKILLed at random moments
// again and again. After each restart every write the emulator acknowledged must be there.
// A small --journal-max makes compactions happen (and get killed) during the run too.
// The randomness (what is written, when the kill lands) comes from one seed, printed when the
// test fails: CRASH_SEED=<seed> replays its choices (the machine's timing still varies), and
// CRASH_ROUNDS=<n> kills more often than the default.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { cliCommand } from "../../test-support/cli-process.js";
import { fakeSigV4 } from "../../test-support/twin.js";
import { Store } from "../store/store.js";
import type { ClientRecord, PoolRecord, StoredClient, StoredPool } from "../store/types.js";
import { readDataDir } from "./journal.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 15);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32));
const WORKERS = 6;
const MAX_TAGS = 40;
// Each new pool costs the child two RSA key pairs (about a second of CPU on 2 cores), so pools
// stop at a few and the load goes on with clients and tags, which the kills cut just the same.
const MAX_POOLS = 4;

/** Deterministic randomness, so a failing run can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Acked {
  pools: Map<string, { name: string; arn: string }>;
  clients: Map<string, string>;
  tags: Map<string, Map<string, string>>;
  writes: number;
  /** Called after every acknowledged write. */
  onWrite?: () => void;
}

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startChild(dir: string): Promise<Child> {
  const [command, args] = cliCommand(["--port", "0", "--data-dir", dir, "--journal-max", "150000"]);
  const proc = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 20 s:\n${out}`)), 20_000);
    const check = (): void => {
      const m = /ready on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { proc, url, exited, output: () => out };
}

async function call(
  url: string,
  operation: string,
  input: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      authorization: fakeSigV4(),
    },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** CreateUserPool, recorded once it is answered with 200. */
async function createPool(url: string, acked: Acked, name: string): Promise<void> {
  const res = await call(url, "CreateUserPool", { PoolName: name });
  if (res.status !== 200) throw new Error(`CreateUserPool answered ${res.status} ${JSON.stringify(res.body)}`);
  const pool = res.body.UserPool as { Id: string; Arn: string };
  acked.pools.set(pool.Id, { name, arn: pool.Arn });
  acked.writes++;
  acked.onWrite?.();
}

/** One worker: writes until stopped, recording a write only once it is answered with 200. */
async function worker(
  url: string,
  acked: Acked,
  rand: () => number,
  name: string,
  stopped: () => boolean,
): Promise<void> {
  let n = 0;
  while (!stopped()) {
    n++;
    const pools = [...acked.pools.entries()];
    const r = rand();
    try {
      if (pools.length === 0 || (r < 0.15 && pools.length < MAX_POOLS)) {
        await createPool(url, acked, `${name}-${n}`);
        continue;
      }
      const [poolId, pool] = pools[Math.floor(rand() * pools.length)]!;
      const tags = acked.tags.get(poolId) ?? new Map<string, string>();
      if (r < 0.6 || tags.size >= MAX_TAGS) {
        const res = await call(url, "CreateUserPoolClient", { UserPoolId: poolId, ClientName: `${name}-${n}` });
        if (res.status !== 200)
          throw new Error(`CreateUserPoolClient answered ${res.status} ${JSON.stringify(res.body)}`);
        acked.clients.set((res.body.UserPoolClient as { ClientId: string }).ClientId, poolId);
      } else {
        const key = `${name}-${n}`;
        const res = await call(url, "TagResource", { ResourceArn: pool.arn, Tags: { [key]: `v${n}` } });
        // Tags of calls that were applied but never answered count towards the limit of 50.
        if (res.status === 400 && /at most 50 tags/.test(String(res.body.message))) continue;
        if (res.status !== 200) throw new Error(`TagResource answered ${res.status} ${JSON.stringify(res.body)}`);
        tags.set(key, `v${n}`);
        acked.tags.set(poolId, tags);
      }
      acked.writes++;
      acked.onWrite?.();
    } catch (e) {
      // The kill cuts connections: those writes were never acknowledged. Anything else is a bug.
      if (stopped()) return;
      throw e;
    }
  }
}

/** Every acknowledged write must be in the state the restarted emulator serves. */
function missing(acked: Acked, pools: StoredPool[], clients: StoredClient[]): string[] {
  const byId = new Map(pools.map((p) => [p.id, p]));
  const clientIds = new Map(clients.map((c) => [c.client.ClientId!, c.poolId]));
  const lost: string[] = [];
  for (const [id, { name }] of acked.pools) if (byId.get(id)?.pool.Name !== name) lost.push(`pool ${id}`);
  for (const [id, poolId] of acked.clients) if (clientIds.get(id) !== poolId) lost.push(`client ${id}`);
  for (const [poolId, tags] of acked.tags) {
    for (const [k, v] of tags) if (byId.get(poolId)?.tags[k] !== v) lost.push(`tag ${k} of ${poolId}`);
  }
  return lost;
}

describe("crash safety", () => {
  let dir: string;
  let child: Child | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "twin-crash-"));
  });

  afterAll(async () => {
    if (child && child.proc.exitCode === null) child.proc.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write through ${ROUNDS} SIGKILLs under load`, { timeout: 120_000 }, async () => {
    const seed = SEED;
    onTestFailed(() => {
      console.error(
        `crash test failed with seed ${seed}: CRASH_SEED=${seed} npx vitest run ${fileURLToPath(import.meta.url)}`,
      );
    });
    const rand = mulberry32(seed);
    const acked: Acked = { pools: new Map(), clients: new Map(), tags: new Map(), writes: 0 };
    let compactions = 0;
    const problems: string[] = [];

    for (let round = 0; round <= ROUNDS; round++) {
      child = await startChild(dir);
      const { url } = child;
      const state = (await (await fetch(`${url}/_twin/state`)).json()) as {
        tables: { pools: PoolRecord[]; clients: ClientRecord[] };
      };
      const lost = missing(acked, state.tables.pools, state.tables.clients);
      expect(lost, `seed ${seed}, round ${round}: acknowledged writes lost\n${child.output()}`).toEqual([]);
      const health = (await (await fetch(`${url}/health`)).json()) as {
        persistence: { snapshotSeq: number; recovery: { problems: string[] } };
      };
      if (health.persistence.snapshotSeq > 0) compactions++;
      // A kill can at most cut the last, unacknowledged, write short.
      for (const p of health.persistence.recovery.problems) {
        problems.push(p);
        expect(p, `seed ${seed}, round ${round}`).toMatch(/is incomplete/);
      }
      if (round === ROUNDS) break;

      // Kill after a random number of acknowledged writes (so every round writes, however slow the
      // machine), plus a random few milliseconds so the kill lands anywhere in a request.
      // The first pool before the workers start, so that they do not all create one at once.
      if (acked.pools.size === 0) await createPool(url, acked, "first");
      let stop = false;
      const target = acked.writes + 5 + Math.floor(rand() * 60);
      const workers = Array.from({ length: WORKERS }, (_, i) => worker(url, acked, rand, `r${round}w${i}`, () => stop));
      // Resolves at the target's write, or after 10 s if the writes stall (the kill goes ahead).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        acked.onWrite = () => {
          if (acked.writes < target) return;
          clearTimeout(timer);
          resolve();
        };
      });
      acked.onWrite = undefined;
      // The kill's moment within the requests in flight: the randomness under test, not a wait.
      await new Promise((r) => setTimeout(r, rand() * 30));
      child.proc.kill("SIGKILL");
      stop = true;
      await child.exited;
      await Promise.all(workers);
    }

    // A clean stop flushes, closes and unlocks; a reader then sees the same state.
    const last = child!;
    last.proc.kill("SIGTERM");
    expect(await last.exited).toBe(0);
    const store = new Store();
    const report = await readDataDir(dir, store);
    expect(report.problems).toEqual([]);
    expect(
      missing(
        acked,
        [...store.listPools()],
        [...store.listPools()].flatMap((p) => store.listClients(p.id)),
      ),
    ).toEqual([]);
    expect(acked.writes).toBeGreaterThanOrEqual(ROUNDS * 5);
    expect(compactions).toBeGreaterThan(0);
    console.log(
      `crash test (seed ${seed}): ${acked.writes} acknowledged writes, ${acked.pools.size} pools, ${ROUNDS} kills, ${compactions} restarts from a snapshot, ${problems.length} torn tails`,
    );
  });
});
