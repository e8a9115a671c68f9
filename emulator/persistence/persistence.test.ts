// createApp with a data directory, end to end through the SDK: state, signing keys and tags
// survive a restart; reset, /health and the export/import paths work on persisted state.

import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  TagResourceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeSigV4, startTwin, type TestTwin } from "../../test-support/twin.js";
import type { Journal } from "./journal.js";
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

async function jwks(t: TestTwin, poolId: string): Promise<{ keys: { kid: string }[] }> {
  const res = await fetch(`${t.url}/${poolId}/.well-known/jwks.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as { keys: { kid: string }[] };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "twin-persist-"));
});

afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe("persistence (--data-dir)", () => {
  it("pools, clients, tags and signing keys survive a restart; a token signed before verifies after", async () => {
    const a = await start();
    const { UserPool } = await a.cognito.send(
      new CreateUserPoolCommand({ PoolName: "persisted", UserPoolTags: { team: "a" } }),
    );
    const poolId = UserPool!.Id!;
    const { UserPoolClient } = await a.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web", GenerateSecret: true }),
    );
    await a.cognito.send(new TagResourceCommand({ ResourceArn: UserPool!.Arn!, Tags: { env: "test" } }));
    const before = await jwks(a, poolId);
    // Sign with the pool's key as the token code does, then check it against the JWKS after restart.
    const keys = await a.twin.services.keys.keysFor(poolId);
    const token = await new SignJWT({ sub: "s" })
      .setProtectedHeader({ alg: "RS256", kid: keys.access.kid })
      .setIssuedAt()
      .sign(keys.access.privateKey);
    await stop(a);

    const b = await start();
    const pools = await b.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.map((p) => p.Id)).toEqual([poolId]);
    const described = await b.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: UserPoolClient!.ClientId! }),
    );
    expect(described.UserPoolClient?.ClientSecret).toBe(UserPoolClient!.ClientSecret);
    expect(described.UserPoolClient?.ClientName).toBe("web");
    const tags = await b.cognito.send(new ListTagsForResourceCommand({ ResourceArn: UserPool!.Arn! }));
    expect(tags.Tags).toEqual({ team: "a", env: "test" });
    const after = await jwks(b, poolId);
    expect(after.keys.map((k) => k.kid)).toEqual(before.keys.map((k) => k.kid));
    await expect(jwtVerify(token, createLocalJWKSet(after as never))).resolves.toBeDefined();
  });

  it("/health reports the data directory and what start-up recovered, including damage", async () => {
    const a = await start();
    // Each pool's signing keys are written in the background after it is created; waiting for
    // them fixes the order of the records: p1, its keys, p2, its keys.
    for (const PoolName of ["p1", "p2"]) {
      const { UserPool } = await a.cognito.send(new CreateUserPoolCommand({ PoolName }));
      await a.twin.services.keys.keysFor(UserPool!.Id!);
    }
    await stop(a);
    const seg = (await readdir(dir)).find((n) => n.startsWith("journal-"))!;
    const bytes = await readFile(join(dir, seg));
    // Records after the header: the two pools and their keys.
    const records = bytes.toString("utf8").trimEnd().split("\n").length - 1;
    expect(records).toBe(4);
    await writeFile(join(dir, seg), bytes.subarray(0, bytes.length - 3));

    const b = await start();
    const health = (await (await fetch(`${b.url}/health`)).json()) as {
      pools: number;
      persistence: {
        dataDir: string;
        seq: number;
        recovery: { replayed: number; problems: string[]; movedAside: string[] };
      };
    };
    // The torn last line is p2's keys: both pools are there.
    expect(health.pools).toBe(2);
    expect(health.persistence.dataDir).toBe(dir);
    expect(health.persistence.recovery.replayed).toBe(records - 1);
    expect(health.persistence.recovery.problems).toEqual([
      expect.stringMatching(new RegExp(`line ${records + 1} is incomplete`)),
    ]);
    expect(health.persistence.recovery.movedAside).toHaveLength(1);
  });

  it("POST /_twin/reset resets the persisted state too", async () => {
    const a = await start();
    await a.cognito.send(new CreateUserPoolCommand({ PoolName: "doomed" }));
    const reset = await fetch(`${a.url}/_twin/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(reset.status).toBe(200);
    await stop(a);
    const b = await start();
    expect((await b.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.startsWith("journal-"))).toHaveLength(1);
  });

  it("applies the seed to a new data directory only, not again over the state it holds", async () => {
    const seed = {
      UserPools: [
        { Id: "us-east-1_Seeded1", PoolName: "seeded", Clients: [{ ClientName: "app", ClientId: "seededclient1" }] },
      ],
    };
    const a = await start({ seed });
    await a.cognito.send(new CreateUserPoolCommand({ PoolName: "added later" }));
    await stop(a);
    const b = await start({ seed });
    const names = (await b.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.map(
      (p) => p.Name,
    ).sort();
    expect(names).toEqual(["added later", "seeded"]);
  });

  it("answers InternalErrorException instead of acknowledging a write it could not make durable", async () => {
    const a = await start();
    const journal = a.twin.services.durability as Journal;
    // Simulate a failing disk: close the segment behind the journal's back.
    await (journal as unknown as { fh: { close(): Promise<void> } }).fh.close();
    const res = await fetch(a.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.CreateUserPool",
        authorization: fakeSigV4(),
      },
      body: JSON.stringify({ PoolName: "lost" }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ __type: "InternalErrorException" });
    expect(journal.status().failure).toMatch(/writing the journal .* failed/);
    running.splice(running.indexOf(a), 1);
    await a.server.close();
    await a.twin.close().catch(() => undefined);
  });

  it("GET /_twin/state exports a document that POST /_twin/state (or import) loads elsewhere", async () => {
    const a = await start();
    const { UserPool } = await a.cognito.send(new CreateUserPoolCommand({ PoolName: "moved" }));
    const before = await jwks(a, UserPool!.Id!);
    const doc = (await (await fetch(`${a.url}/_twin/state`)).json()) as {
      format: string;
      version: number;
      tables: { pools: { keys?: unknown }[] };
    };
    expect(doc).toMatchObject({ format: "cognito-twin-state", version: 1 });
    expect(doc.tables.pools[0]?.keys).toBeDefined();

    const memory = await startTwin();
    running.push(memory);
    const json = { "content-type": "application/json" };
    const res = await fetch(`${memory.url}/_twin/state`, { method: "POST", headers: json, body: JSON.stringify(doc) });
    expect(await res.json()).toEqual({ imported: 1 });
    expect((await jwks(memory, UserPool!.Id!)).keys.map((k) => k.kid)).toEqual(before.keys.map((k) => k.kid));
    const bad = await fetch(`${memory.url}/_twin/state`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ ...doc, version: 9 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/written by a newer cognito-twin/);
  });

  it("cognito-twin export and import move a data directory's state through a file", async () => {
    const a = await start();
    const { UserPool } = await a.cognito.send(new CreateUserPoolCommand({ PoolName: "exported" }));
    await jwks(a, UserPool!.Id!);
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };
    // Export works on a live directory (it only reads); import needs it stopped.
    const file = join(dir, "..", `${dir.split("/").at(-1)}-export.json`);
    expect(await runStateCommand(["export", file, "--data-dir", dir], {}, io)).toBe(0);
    const other = await mkdtemp(join(tmpdir(), "twin-import-"));
    try {
      expect(await runStateCommand(["import", file, "--data-dir", dir, "--force"], {}, io)).toBe(1);
      expect(err.join("")).toMatch(/is in use by process|already open in this process/);
      expect(await runStateCommand(["import", file], { COGNITO_TWIN_DATA_DIR: other }, io)).toBe(0);
      const b = await startTwin({ dataDir: other });
      running.push(b);
      expect(
        (await b.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.map((p) => p.Name),
      ).toEqual(["exported"]);
    } finally {
      await rm(file, { force: true });
      for (const t of running.splice(1)) await t.close();
      await rm(other, { recursive: true, force: true });
    }
  });
});
