// What the emulator says about its data directory over HTTP and on the command line (issue 12
// §6, docs/decisions/0013-recovery.md): refusing damaged data at start-up (the CLI exits
// non-zero with the message), /health "degraded" after --recover until POST
// /_twin/recovery/ack, and "failed" (503) after a failed write, while reads go on working.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli-process.js";
import { fakeSigV4, startTwin, type TestTwin } from "../../test-support/twin.js";
import { DataDirError, type Journal } from "./journal.js";
import { runStateCommand } from "./state-commands.js";

let dir: string;
const running: TestTwin[] = [];

async function start(extra: Parameters<typeof startTwin>[0] = {}): Promise<TestTwin> {
  const t = await startTwin({ dataDir: dir, ...extra });
  running.push(t);
  return t;
}

async function stop(t: TestTwin): Promise<void> {
  running.splice(running.indexOf(t), 1);
  await t.close();
}

interface Health {
  status: string;
  persistence?: { failure?: string; recovery: { problems: string[]; movedAside: string[]; recovered?: unknown } };
}

async function health(t: TestTwin): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${t.url}/health`);
  return { code: res.status, body: (await res.json()) as Health };
}

async function ack(t: TestTwin, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(`${t.url}/_twin/recovery/ack`, { method: "POST", headers, body: "{}" });
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Three pools, then a flipped byte in the journal line of the first one's creation. */
async function damagedDir(): Promise<void> {
  const a = await start();
  for (const name of ["p1", "p2", "p3"]) await a.cognito.send(new CreateUserPoolCommand({ PoolName: name }));
  await stop(a);
  const seg = (await readdir(dir)).find((n) => n.startsWith("journal-"))!;
  const bytes = await readFile(join(dir, seg));
  const at = bytes.indexOf(Buffer.from('"Name":"p1"')) + 9;
  bytes[at] = "X".charCodeAt(0);
  await writeFile(join(dir, seg), bytes);
}

async function callOp(t: TestTwin, operation: string, input: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(t.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      authorization: fakeSigV4(),
    },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: await res.json() };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "twin-recover-http-"));
});

afterEach(async () => {
  for (const t of running.splice(0)) await t.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe("recovery over HTTP", () => {
  it("createApp refuses a damaged directory; with recover it starts degraded until POST /_twin/recovery/ack", async () => {
    await damagedDir();
    await expect(startTwin({ dataDir: dir })).rejects.toBeInstanceOf(DataDirError);
    const b = await start({ recover: true } as Parameters<typeof startTwin>[0]);
    const h = await health(b);
    expect(h.code).toBe(200);
    expect(h.body.status).toBe("degraded");
    expect(h.body.persistence?.recovery.problems).toEqual([expect.stringMatching(/fails its checksum/)]);
    expect(h.body.persistence?.recovery.movedAside).toHaveLength(1);
    await stop(b);

    // Still degraded after a restart without --recover: the report is in the data directory.
    const c = await start();
    expect((await health(c)).body.status).toBe("degraded");
    expect(await ack(c, { "content-type": "text/plain" })).toMatchObject({ code: 415 });
    expect((await health(c)).body.status).toBe("degraded");
    const acked = await ack(c);
    expect(acked.code).toBe(200);
    expect(acked.body.acknowledged).toEqual([expect.stringMatching(/fails its checksum/)]);
    const after = await health(c);
    expect(after.body.status).toBe("ok");
    expect(after.body.persistence?.recovery.problems).toEqual([]);
    expect(after.body.persistence?.recovery.recovered).toBeUndefined();
    await stop(c);
    const d = await start();
    expect((await health(d)).body.status).toBe("ok");
  });

  it("POST /_twin/recovery/ack without a data directory answers 400", async () => {
    const memory = await startTwin();
    running.push(memory);
    expect(await ack(memory)).toMatchObject({ code: 400, body: { message: expect.stringMatching(/no --data-dir/) } });
  });

  it("after a failed write, reads are answered, writes get InternalErrorException, /health says failed (503)", async () => {
    const a = await start();
    const { UserPool } = await a.cognito.send(new CreateUserPoolCommand({ PoolName: "kept" }));
    const journal = a.twin.services.durability as Journal;
    // Simulate a failing disk: close the segment behind the journal's back.
    await (journal as unknown as { fh: { close(): Promise<void> } }).fh.close();
    const write = await callOp(a, "CreateUserPool", { PoolName: "lost" });
    expect(write.status).toBe(500);
    expect(write.body).toMatchObject({ __type: "InternalErrorException" });

    // Reads keep their normal answers (before: every request answered 500 until a restart).
    const pool = await a.cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id! }));
    expect(pool.UserPool?.Name).toBe("kept");
    expect((await a.cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools).toBeDefined();
    expect((await fetch(`${a.url}/_twin/state`)).status).toBe(200);
    const h = await health(a);
    expect(h.code).toBe(503);
    expect(h.body.status).toBe("failed");
    expect(h.body.persistence?.failure).toMatch(/writing the journal .* failed/);
    // The journal stays stopped: a later write fails too, a later read still works.
    expect((await callOp(a, "CreateUserPool", { PoolName: "lost too" })).status).toBe(500);
    expect((await callOp(a, "DescribeUserPool", { UserPoolId: UserPool!.Id! })).status).toBe(200);

    running.splice(running.indexOf(a), 1);
    await a.server.close();
    await a.twin.close().catch(() => undefined);
    // What was acknowledged is on disk; what was refused is not.
    const b = await start();
    const names = (await b.cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools?.map((p) => p.Name);
    expect(names).toEqual(["kept"]);
  });

  it("the CLI prints the refusal (file, line, --recover) and exits non-zero, without a stack trace", async () => {
    await damagedDir();
    const r = await runCli(["--port", "0", "--data-dir", dir]);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(
      /^cognito-twin: data directory .* is damaged: journal-\d+\.log line \d+ fails its checksum/m,
    );
    expect(r.stderr).toMatch(/--recover/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("export files are written owner-only (0600)", async () => {
    const a = await start();
    await a.cognito.send(new CreateUserPoolCommand({ PoolName: "secret" }));
    const file = join(dir, "..", `${dir.split("/").at(-1)}-export.json`);
    try {
      await writeFile(file, "old", { mode: 0o644 });
      const io = { out: () => {}, err: () => {} };
      expect(await runStateCommand(["export", file, "--data-dir", dir], {}, io)).toBe(0);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      for (const name of await readdir(dir)) expect((await stat(join(dir, name))).mode & 0o777, name).toBe(0o600);
    } finally {
      await rm(file, { force: true });
    }
  });
});
