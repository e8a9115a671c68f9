// Resource servers end to end through SDK v3: CreateResourceServer, DescribeResourceServer,
// ListResourceServers, UpdateResourceServer, DeleteResourceServer.
import {
  CreateResourceServerCommand,
  type CreateResourceServerCommandInput,
  CreateUserPoolCommand,
  DeleteResourceServerCommand,
  DescribeResourceServerCommand,
  ListResourceServersCommand,
  paginateListResourceServers,
  UpdateResourceServerCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
beforeAll(async () => {
  t = await startTwin();
  poolId = await newPool();
});
afterAll(() => t.close());

async function newPool(): Promise<string> {
  const { UserPool } = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "resource-servers" }));
  return UserPool!.Id!;
}

const create = (input: Partial<CreateResourceServerCommandInput> & { Identifier: string }) =>
  t.cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Name: "api", ...input }));

async function expectError(promise: Promise<unknown>, name: string, message?: string | RegExp) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(err, `expected ${name}, got success`).toBeDefined();
  expect(err!.name).toBe(name);
  expect(err!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === "string") expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
}

const READ = { ScopeName: "read", ScopeDescription: "Read the solar system data" };
const WRITE = { ScopeName: "write", ScopeDescription: "Change it" };

describe("CreateResourceServer", () => {
  it("creates a resource server with its scopes, and DescribeResourceServer answers the same", async () => {
    const { ResourceServer } = await create({
      Identifier: "solar-system-data",
      Name: "Solar system",
      Scopes: [READ, WRITE],
    });
    expect(ResourceServer).toEqual({
      UserPoolId: poolId,
      Identifier: "solar-system-data",
      Name: "Solar system",
      Scopes: [READ, WRITE],
    });
    const described = await t.cognito.send(
      new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: "solar-system-data" }),
    );
    expect(described.ResourceServer).toEqual(ResourceServer);
  });

  it("takes an API URL as identifier, and no scopes at all", async () => {
    const { ResourceServer } = await create({ Identifier: "https://api.example.com" });
    expect(ResourceServer).toEqual({
      UserPoolId: poolId,
      Identifier: "https://api.example.com",
      Name: "api",
      Scopes: [],
    });
  });

  it("refuses an identifier the pool has, and a scope name given twice", async () => {
    await create({ Identifier: "twice" });
    await expectError(
      create({ Identifier: "twice" }),
      "InvalidParameterException",
      `twice already exists in user pool ${poolId}.`,
    );
    // Another pool may use the same identifier.
    const other = await newPool();
    await t.cognito.send(new CreateResourceServerCommand({ UserPoolId: other, Identifier: "twice", Name: "api" }));
    await expectError(
      create({ Identifier: "dup-scopes", Scopes: [READ, { ...READ, ScopeDescription: "again" }] }),
      "InvalidParameterException",
      "Scope name read is given more than once.",
    );
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expectError(
      t.cognito.send(
        new CreateResourceServerCommand({ UserPoolId: "us-east-1_NotAPool0", Identifier: "x", Name: "x" }),
      ),
      "ResourceNotFoundException",
      "User pool us-east-1_NotAPool0 does not exist.",
    );
  });

  it("leaves names, identifiers and scopes the model refuses to the model's validation", async () => {
    await expectError(
      create({ Identifier: "bad-scope", Scopes: [{ ScopeName: "read/all", ScopeDescription: "x" }] }),
      "InvalidParameterException",
      /^1 validation error detected: Value 'read\/all' at 'scopes\.1\.member\.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
    await expectError(
      create({ Identifier: "has space" }),
      "InvalidParameterException",
      /at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ ScopeName: `s${i}`, ScopeDescription: "d" }));
    await expectError(
      create({ Identifier: "too-many", Scopes: tooMany }),
      "InvalidParameterException",
      /at 'scopes' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    );
    await create({ Identifier: "hundred", Scopes: tooMany.slice(0, 100) });
  });
});

describe("DescribeResourceServer, UpdateResourceServer, DeleteResourceServer", () => {
  it("answers ResourceNotFoundException for an unknown identifier (even one named like Object's members)", async () => {
    for (const identifier of ["nope", "constructor", "__proto__", "toString"]) {
      await expectError(
        t.cognito.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: identifier })),
        "ResourceNotFoundException",
        `Resource server ${identifier} does not exist.`,
      );
    }
    // Such identifiers are identifiers like any other.
    const pool = await newPool();
    for (const identifier of ["constructor", "__proto__"]) {
      await t.cognito.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: identifier, Name: "odd" }));
      const { ResourceServer } = await t.cognito.send(
        new DescribeResourceServerCommand({ UserPoolId: pool, Identifier: identifier }),
      );
      expect(ResourceServer!.Identifier).toBe(identifier);
    }
    const listed = await t.cognito.send(new ListResourceServersCommand({ UserPoolId: pool }));
    expect(listed.ResourceServers!.map((s) => s.Identifier)).toEqual(["__proto__", "constructor"]);
    await expectError(
      t.cognito.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: "nope", Name: "x" })),
      "ResourceNotFoundException",
      "Resource server nope does not exist.",
    );
    await expectError(
      t.cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "nope" })),
      "ResourceNotFoundException",
      "Resource server nope does not exist.",
    );
    await expectError(
      t.cognito.send(new DescribeResourceServerCommand({ UserPoolId: "us-east-1_NotAPool0", Identifier: "x" })),
      "ResourceNotFoundException",
      "User pool us-east-1_NotAPool0 does not exist.",
    );
  });

  it("updates name and scopes as a replace: scopes left out are gone", async () => {
    await create({ Identifier: "orders", Scopes: [READ] });
    const { ResourceServer } = await t.cognito.send(
      new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: "orders", Name: "Orders", Scopes: [WRITE] }),
    );
    expect(ResourceServer).toEqual({ UserPoolId: poolId, Identifier: "orders", Name: "Orders", Scopes: [WRITE] });
    const cleared = await t.cognito.send(
      new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: "orders", Name: "Orders" }),
    );
    expect(cleared.ResourceServer!.Scopes).toEqual([]);
    await expectError(
      t.cognito.send(
        new UpdateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: "orders",
          Name: "Orders",
          Scopes: [READ, READ],
        }),
      ),
      "InvalidParameterException",
      "Scope name read is given more than once.",
    );
  });

  it("deletes a resource server", async () => {
    await create({ Identifier: "doomed" });
    await t.cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "doomed" }));
    await expectError(
      t.cognito.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: "doomed" })),
      "ResourceNotFoundException",
    );
    // The identifier is free again.
    await create({ Identifier: "doomed" });
  });
});

describe("ListResourceServers", () => {
  it("pages the pool's resource servers in identifier order with MaxResults and NextToken", async () => {
    const pool = await newPool();
    for (const id of ["e", "b", "d", "a", "c"]) {
      await t.cognito.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: id, Name: id }));
    }
    const first = await t.cognito.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 2 }));
    expect(first.ResourceServers!.map((s) => s.Identifier)).toEqual(["a", "b"]);
    expect(first.NextToken).toBeDefined();
    expect(first.ResourceServers![0]).toEqual({ UserPoolId: pool, Identifier: "a", Name: "a", Scopes: [] });
    const second = await t.cognito.send(
      new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.ResourceServers!.map((s) => s.Identifier)).toEqual(["c", "d"]);
    const seen: string[] = [];
    for await (const page of paginateListResourceServers({ client: t.cognito, pageSize: 2 }, { UserPoolId: pool })) {
      seen.push(...page.ResourceServers!.map((s) => s.Identifier!));
    }
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    const all = await t.cognito.send(new ListResourceServersCommand({ UserPoolId: pool }));
    expect(all.ResourceServers).toHaveLength(5);
    expect(all.NextToken).toBeUndefined();
  });

  it("answers an empty list for a pool without resource servers, and the model's and Cognito's errors", async () => {
    const pool = await newPool();
    const out = await t.cognito.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 10 }));
    expect(out.ResourceServers).toEqual([]);
    await expectError(
      t.cognito.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 51 })),
      "InvalidParameterException",
      "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    await expectError(
      t.cognito.send(new ListResourceServersCommand({ UserPoolId: pool, NextToken: "not-a-token" })),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
    await expectError(
      t.cognito.send(new ListResourceServersCommand({ UserPoolId: "us-east-1_NotAPool0", MaxResults: 10 })),
      "ResourceNotFoundException",
    );
  });
});
