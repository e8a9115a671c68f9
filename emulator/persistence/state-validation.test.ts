// Loading state is validated and atomic (issue 12 §5): POST /_twin/state and `cognito-twin
// import` check the whole document against the schema (state-schema.ts) before any of it is
// applied; a bad one answers 400 / exits 1 naming the record and field, and changes nothing.
// And the schema accepts every record the emulator itself writes.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  SetPrincipalTagAttributeMapCommand,
} from "@aws-sdk/client-cognito-identity";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  CreateGroupCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  TagResourceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { createIdentityPool, identityClient, providerOf, ROLES } from "../../test-support/identity-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { TABLES, type TableName } from "../store/store.js";
import type { Journal } from "./journal.js";
import { runStateCommand } from "./state-commands.js";
import { recordProblem } from "./state-schema.js";

interface Doc {
  format: string;
  version: number;
  seq: number;
  savedAt: string;
  tables: Record<TableName, Record<string, unknown>[]>;
}

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

async function getState(t: TestTwin): Promise<Doc> {
  const res = await fetch(`${t.url}/_twin/state`);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

async function postState(t: TestTwin, doc: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.url}/_twin/state`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(doc),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A pool with a client, a group, users in several states, a session and a pending challenge. */
async function richState(t: TestTwin): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(t, {
    UsernameConfiguration: { CaseSensitive: false },
    Schema: [{ Name: "team", AttributeDataType: "String", Mutable: true }],
    UserPoolTags: { owner: "tests" },
  });
  const poolArn = (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Arn!;
  const { clientId } = await createClient(t, poolId, {
    RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 },
  });
  await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", Precedence: 1 }));
  await createUser(t, poolId, "alice", {
    attributes: { email: "alice@example.com", email_verified: "true", "custom:team": "a" },
  });
  await t.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "alice", GroupName: "admins" }));
  const tokens = await signIn(t, clientId, "alice");
  // Rotation retires the first refresh token (a session with `retired`).
  await t.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken }));
  await t.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  await t.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }));
  await t.cognito.send(new TagResourceCommand({ ResourceArn: poolArn, Tags: { env: "test" } }));
  // An unconfirmed user with a sign-up code, a forgot-password code, and a pending
  // NEW_PASSWORD_REQUIRED challenge for an admin-created user.
  await t.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: "bob",
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "bob@example.com" }],
    }),
  );
  await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "alice" }));
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: "carol",
      TemporaryPassword: PASSWORD,
      MessageAction: "SUPPRESS",
    }),
  );
  const challenge = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "carol", PASSWORD },
    }),
  );
  expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
  // An identity pool with everything its record can hold: roles, a rule, a principal tag map, a
  // signing key (a developer identity's token) and identities of a user pool and a developer.
  const identity = identityClient(t.url);
  const provider = providerOf(poolId);
  const identityPoolId = await createIdentityPool(
    identity,
    { poolId, clientId },
    { DeveloperProviderName: "login.example.app", IdentityPoolTags: { owner: "tests" } },
    {
      RoleMappings: {
        [`${provider}:${clientId}`]: {
          Type: "Rules",
          AmbiguousRoleResolution: "AuthenticatedRole",
          RulesConfiguration: {
            Rules: [{ Claim: "cognito:groups", MatchType: "Contains", Value: "admins", RoleARN: ROLES.admin }],
          },
        },
      },
    },
  );
  await identity.send(
    new SetPrincipalTagAttributeMapCommand({
      IdentityPoolId: identityPoolId,
      IdentityProviderName: provider,
      UseDefaults: true,
    }),
  );
  await identity.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [provider]: tokens.IdToken } }));
  await identity.send(
    new GetOpenIdTokenForDeveloperIdentityCommand({
      IdentityPoolId: identityPoolId,
      Logins: { "login.example.app": "dev-1" },
    }),
  );
  identity.destroy();
  return { poolId, clientId };
}

/** Every call the test relies on still answers as it should. */
async function stillWorks(t: TestTwin, poolId: string, clientId: string): Promise<void> {
  expect((await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Id).toBe(poolId);
  const users = await t.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
  expect(users.Users?.map((u) => u.Username).sort()).toEqual(["alice", "bob", "carol"]);
  expect((await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "bob" }))).UserStatus).toBe(
    "UNCONFIRMED",
  );
  const tokens = await signIn(t, clientId, "alice");
  const me = await t.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
  expect(me.Username).toBe("alice");
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "twin-validate-"));
});

afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe("loading state is validated and atomic", () => {
  it("the schema accepts every record the emulator writes, and a document round-trips", async () => {
    const a = await start();
    const { poolId, clientId } = await richState(a);
    await a.twin.services.keys.keysFor(poolId);
    const doc = await getState(a);
    for (const t of TABLES) expect(doc.tables[t].length, `table ${t}`).toBeGreaterThan(0);
    for (const t of TABLES) for (const r of doc.tables[t]) expect(recordProblem(t, r), `${t} record`).toBeUndefined();
    const user = doc.tables.users.find((u) => u.username === "alice")!;
    expect(Object.keys(user.codes as object)).toContain("forgotPassword");

    const memory = await startTwin();
    running.push(memory);
    expect(await postState(memory, doc)).toEqual({ status: 200, body: { imported: expect.any(Number) } });
    await stillWorks(memory, poolId, clientId);
    // Replaced through the journal, then compacted: the snapshot is read back through the schema.
    expect(await postState(a, doc)).toMatchObject({ status: 200 });
    await (a.twin.services.durability as Journal).compact();
    await stop(a);
    const b = await start();
    await stillWorks(b, poolId, clientId);
  });

  it("POST /_twin/state with a bad record answers 400 naming record and field, and changes nothing", async () => {
    const a = await start();
    const { poolId, clientId } = await richState(a);
    const before = await getState(a);
    const seqBefore = a.twin.services.durability!.status().seq;

    const userOf = (d: Doc, name: string) => d.tables.users.find((u) => u.username === name)!;
    const cases: { name: string; spoil(d: Doc): void; message: RegExp }[] = [
      {
        name: "a user without mfa (accepted before, then 5xx on sign-in)",
        spoil: (d) => delete userOf(d, "bob").mfa,
        message: new RegExp(`tables\\.users\\[\\d\\] \\(user "bob" of pool ${poolId}\\): mfa is missing`),
      },
      {
        // Before: the store was cleared, then putUser threw half-way (500, state half replaced).
        name: "a user whose groups are not a list",
        spoil: (d) => {
          userOf(d, "carol").groups = 5;
        },
        message: /tables\.users\[\d\] \(user "carol" of pool .*\): groups: expected array, received number/,
      },
      {
        name: "a session with a string for a number",
        spoil: (d) => {
          d.tables.sessions[0]!.refreshExpiresAt = "tomorrow";
        },
        message:
          /tables\.sessions\[0\] \(session ".*" of pool .*\): refreshExpiresAt: expected number, received string/,
      },
      {
        name: "a user status that does not exist",
        spoil: (d) => {
          userOf(d, "alice").status = "HAPPY";
        },
        message: /\(user "alice" of pool .*\): status: expected one of/,
      },
      {
        name: "a value waiting for verification of an attribute that is not verifiable",
        spoil: (d) => {
          userOf(d, "alice").pendingAttributes = { name: "Alice" };
        },
        message: /\(user "alice" of pool .*\): pendingAttributes.*is not a verifiable attribute/,
      },
      {
        name: "a client without its id",
        spoil: (d) => delete (d.tables.clients[0]!.client as Record<string, unknown>).ClientId,
        message: /tables\.clients\[0\] \(client of pool .*\): client\.ClientId is missing \(expected string\)/,
      },
      {
        name: "two users with one username (the pool is case-insensitive)",
        spoil: (d) => {
          d.tables.users.push({ ...userOf(d, "bob"), username: "BOB", sub: "another-sub" });
        },
        message: /\(user "BOB" of pool .*\): username "BOB" is already used by user "bob"/,
      },
      {
        name: "a group of a pool that is not in the document",
        spoil: (d) => {
          d.tables.groups[0]!.poolId = "us-east-1_Nowhere";
        },
        message: /tables\.groups\[0\] .*: poolId: pool us-east-1_Nowhere is not in tables\.pools/,
      },
      {
        name: "an unknown table",
        spoil: (d) => {
          (d.tables as Record<string, unknown>).devices = [];
        },
        message: /unknown table\(s\) devices/,
      },
    ];
    for (const c of cases) {
      const bad = structuredClone(before);
      c.spoil(bad);
      const res = await postState(a, bad);
      expect(res.status, c.name).toBe(400);
      expect(res.body.message, c.name).toMatch(c.message);
      expect(res.body.message, c.name).toMatch(/^request body: /);
      // Exactly as before: no record replaced, nothing journaled.
      expect((await getState(a)).tables, c.name).toEqual(before.tables);
      expect(a.twin.services.durability!.status().seq, c.name).toBe(seqBefore);
    }
    await stillWorks(a, poolId, clientId);
    // And the data directory holds the state as it was too.
    await stop(a);
    const b = await start();
    const after = await getState(b);
    expect(after.tables.pools).toEqual(before.tables.pools);
    expect(after.tables.clients).toEqual(before.tables.clients);
    expect(after.tables.users.map((u) => u.username).sort()).toEqual(["alice", "bob", "carol"]);
    await stillWorks(b, poolId, clientId);
  });

  it("cognito-twin import refuses a bad document before touching the directory (exit 1, record and field named)", async () => {
    const a = await start();
    const { poolId, clientId } = await richState(a);
    const good = await getState(a);
    await stop(a);
    const filesBefore = await snapshotFiles(dir);

    const bad = structuredClone(good);
    delete bad.tables.users.find((u) => u.username === "alice")!.codes;
    const file = join(dir, "..", `${dir.split("/").at(-1)}-bad.json`);
    await writeFile(file, JSON.stringify(bad));
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };
    try {
      expect(await runStateCommand(["import", file, "--data-dir", dir, "--force"], {}, io)).toBe(1);
    } finally {
      await rm(file, { force: true });
    }
    expect(err.join("")).toMatch(/bad\.json: tables\.users\[\d\] \(user "alice" of pool .*\): codes is missing/);
    expect(await snapshotFiles(dir)).toEqual(filesBefore);
    const b = await start();
    await stillWorks(b, poolId, clientId);
  });
});

/** Every file of a directory with its bytes. */
async function snapshotFiles(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(d)).sort()) out[name] = (await readFile(join(d, name))).toString("base64");
  return out;
}
