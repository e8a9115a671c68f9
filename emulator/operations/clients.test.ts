// App client operations end to end through SDK v3: CreateUserPoolClient,
// DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient, ListUserPoolClients.
import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  paginateListUserPoolClients,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
beforeAll(async () => {
  t = await startTwin();
  poolId = await newPoolId();
});
afterAll(() => t.close());

async function newPoolId(): Promise<string> {
  const { UserPool } = await t.cognito.send(
    new CreateUserPoolCommand({ PoolName: "clients", UsernameAttributes: ["email"] }),
  );
  return UserPool!.Id!;
}

async function newClient(input: Partial<CreateUserPoolClientCommandInput> = {}) {
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app", ...input }),
  );
  return UserPoolClient!;
}

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

const DEFAULT_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];
const DEFAULT_VALIDITY = {
  AccessTokenValidity: 60,
  IdTokenValidity: 60,
  RefreshTokenValidity: 30,
  TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
};

describe("CreateUserPoolClient", () => {
  it("creates the seed guide's client: 26-character id, no secret, the flows it asked for", async () => {
    const client = await newClient({
      ClientName: "legatera-app-client",
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      SupportedIdentityProviders: ["COGNITO"],
    });
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.ClientSecret).toBeUndefined();
    expect(client).toMatchObject({
      UserPoolId: poolId,
      ClientName: "legatera-app-client",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      SupportedIdentityProviders: ["COGNITO"],
      ...DEFAULT_VALIDITY,
      PreventUserExistenceErrors: "LEGACY",
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AllowedOAuthFlowsUserPoolClient: false,
      AuthSessionValidity: 3,
    });
    expect(client.CreationDate).toBeInstanceOf(Date);
    expect(client.LastModifiedDate).toEqual(client.CreationDate);
  });

  it("fills the API's defaults when only a name is given", async () => {
    const client = await newClient();
    expect(client.ExplicitAuthFlows).toEqual(DEFAULT_FLOWS);
    expect(client).toMatchObject({
      ...DEFAULT_VALIDITY,
      PreventUserExistenceErrors: "LEGACY",
      EnableTokenRevocation: true,
    });
    expect(client.ClientSecret).toBeUndefined();
    expect(client.CallbackURLs).toBeUndefined();
    expect(client.AllowedOAuthFlows).toBeUndefined();
  });

  it("generates a secret when asked, and DescribeUserPoolClient shows it", async () => {
    const client = await newClient({ GenerateSecret: true });
    expect(client.ClientSecret).toMatch(/^[a-z0-9]{52}$/);
    const { UserPoolClient } = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }),
    );
    expect(UserPoolClient!.ClientSecret).toBe(client.ClientSecret);
  });

  it("gives every client a different id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await newClient()).ClientId!);
    expect(ids.size).toBe(5);
  });

  it("keeps token validity in the units asked for, with defaults expressed in those units", async () => {
    const client = await newClient({
      AccessTokenValidity: 2,
      RefreshTokenValidity: 90,
      TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "minutes" },
    });
    expect(client).toMatchObject({
      AccessTokenValidity: 2,
      IdTokenValidity: 1,
      RefreshTokenValidity: 90,
      TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "minutes" },
    });
  });

  it("keeps the OAuth and attribute settings it is given", async () => {
    const client = await newClient({
      CallbackURLs: ["https://app.example.com/callback"],
      LogoutURLs: ["https://app.example.com/"],
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      AllowedOAuthFlowsUserPoolClient: true,
      ReadAttributes: ["email", "name"],
      WriteAttributes: ["name"],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
    });
    expect(client).toMatchObject({
      CallbackURLs: ["https://app.example.com/callback"],
      LogoutURLs: ["https://app.example.com/"],
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      AllowedOAuthFlowsUserPoolClient: true,
      ReadAttributes: ["email", "name"],
      WriteAttributes: ["name"],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
    });
  });

  it("refuses token validity outside Cognito's ranges", async () => {
    await expectError(newClient({ AccessTokenValidity: 4 }), "InvalidParameterException", /Access Token/);
    await expectError(
      newClient({ IdTokenValidity: 2, TokenValidityUnits: { IdToken: "days" } }),
      "InvalidParameterException",
      /ID Token/,
    );
    await expectError(
      newClient({ RefreshTokenValidity: 30, TokenValidityUnits: { RefreshToken: "minutes" } }),
      "InvalidParameterException",
      /Refresh Token/,
    );
    await expectError(newClient({ RefreshTokenValidity: 3651 }), "InvalidParameterException", /Refresh Token/);
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expectError(
      t.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: "us-east-1_NotAPool0", ClientName: "x" })),
      "ResourceNotFoundException",
      "User pool us-east-1_NotAPool0 does not exist.",
    );
  });

  it("surfaces model validation failures as InvalidParameterException with Coral's message", async () => {
    await expectError(
      t.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId } as CreateUserPoolClientCommandInput)),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'clientName' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      newClient({ ExplicitAuthFlows: ["ALLOW_EVERYTHING" as "ALLOW_USER_SRP_AUTH"] }),
      "InvalidParameterException",
      // Coral wraps a bad scalar inside a list at the list's path.
      /^1 validation error detected: Value '\[ALLOW_EVERYTHING\]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[ADMIN_NO_SRP_AUTH, .*\]\]$/,
    );
  });
});

describe("DescribeUserPoolClient", () => {
  it("answers what CreateUserPoolClient answered", async () => {
    const created = await newClient({ ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] });
    const { UserPoolClient } = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }),
    );
    expect(UserPoolClient).toEqual(created);
  });

  it("answers ResourceNotFoundException for an unknown client, a client of another pool, and an unknown pool", async () => {
    await expectError(
      t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: "abcdefghijklmnopqrstuvwxyz" })),
      "ResourceNotFoundException",
      "User pool client abcdefghijklmnopqrstuvwxyz does not exist.",
    );
    const otherPool = await newPoolId();
    const client = await newClient();
    await expectError(
      t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: otherPool, ClientId: client.ClientId })),
      "ResourceNotFoundException",
      `User pool client ${client.ClientId} does not exist.`,
    );
    await expectError(
      t.cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: "us-east-1_Gone12345", ClientId: client.ClientId }),
      ),
      "ResourceNotFoundException",
      "User pool us-east-1_Gone12345 does not exist.",
    );
  });
});

describe("UpdateUserPoolClient", () => {
  it("returns omitted settings to their defaults, keeping id, secret, name and creation date", async () => {
    const created = await newClient({
      ClientName: "before",
      GenerateSecret: true,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 5,
      TokenValidityUnits: { AccessToken: "hours" },
      PreventUserExistenceErrors: "ENABLED",
      ReadAttributes: ["email"],
      CallbackURLs: ["https://app.example.com/cb"],
    });
    t.twin.services.clock.advance(30);
    const { UserPoolClient } = await t.cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }),
    );
    const u = UserPoolClient!;
    expect(u.ClientId).toBe(created.ClientId);
    expect(u.ClientSecret).toBe(created.ClientSecret);
    expect(u.ClientName).toBe("before");
    expect(u.CreationDate).toEqual(created.CreationDate);
    expect(u.LastModifiedDate!.getTime() - created.CreationDate!.getTime()).toBeGreaterThanOrEqual(30_000);
    expect(u.ExplicitAuthFlows).toEqual(DEFAULT_FLOWS);
    expect(u).toMatchObject({ ...DEFAULT_VALIDITY, PreventUserExistenceErrors: "LEGACY" });
    expect(u.ReadAttributes).toBeUndefined();
    expect(u.CallbackURLs).toBeUndefined();
    // The answer is what is stored.
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }),
    );
    expect(described.UserPoolClient).toEqual(u);
  });

  it("sets what it is given", async () => {
    const created = await newClient();
    const { UserPoolClient } = await t.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: created.ClientId,
        ClientName: "after",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenValidity: 7,
        PreventUserExistenceErrors: "ENABLED",
      }),
    );
    expect(UserPoolClient).toMatchObject({
      ClientName: "after",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      RefreshTokenValidity: 7,
      PreventUserExistenceErrors: "ENABLED",
    });
  });

  it("refuses out-of-range validity and unknown clients", async () => {
    const created = await newClient();
    await expectError(
      t.cognito.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: created.ClientId,
          IdTokenValidity: 25,
          TokenValidityUnits: { IdToken: "hours" },
        }),
      ),
      "InvalidParameterException",
      /ID Token/,
    );
    await expectError(
      t.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: "zzzzzzzzzzzzzzzzzzzzzzzzzz" })),
      "ResourceNotFoundException",
      "User pool client zzzzzzzzzzzzzzzzzzzzzzzzzz does not exist.",
    );
    await expectError(
      t.cognito.send(
        new UpdateUserPoolClientCommand({ UserPoolId: "us-east-1_Gone12345", ClientId: created.ClientId }),
      ),
      "ResourceNotFoundException",
      "User pool us-east-1_Gone12345 does not exist.",
    );
  });
});

describe("DeleteUserPoolClient", () => {
  it("deletes the client; a second delete answers ResourceNotFoundException", async () => {
    const created = await newClient();
    await t.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
    await expectError(
      t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId })),
      "ResourceNotFoundException",
      `User pool client ${created.ClientId} does not exist.`,
    );
    await expectError(
      t.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId })),
      "ResourceNotFoundException",
      `User pool client ${created.ClientId} does not exist.`,
    );
  });

  it("does not delete a client through another pool's id", async () => {
    const otherPool = await newPoolId();
    const created = await newClient();
    await expectError(
      t.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: otherPool, ClientId: created.ClientId })),
      "ResourceNotFoundException",
    );
    await t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
  });
});

describe("ListUserPoolClients", () => {
  it("lists the pool's own clients in pages, every client exactly once", async () => {
    const pool = await newPoolId();
    const other = await newPoolId();
    await t.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: other, ClientName: "elsewhere" }));
    expect((await t.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool }))).UserPoolClients).toEqual([]);

    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { UserPoolClient } = await t.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: `c${i}` }),
      );
      created.push(UserPoolClient!.ClientId!);
    }
    const sizes: number[] = [];
    const seen: { ClientId?: string; UserPoolId?: string; ClientName?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await t.cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 2, NextToken: token }),
      );
      sizes.push(page.UserPoolClients!.length);
      seen.push(...page.UserPoolClients!);
      token = page.NextToken;
    } while (token);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen.map((c) => c.ClientId).sort()).toEqual([...created].sort());
    expect(seen.every((c) => c.UserPoolId === pool && /^c\d$/.test(c.ClientName!))).toBe(true);
    expect(Object.keys(seen[0]!).sort()).toEqual(["ClientId", "ClientName", "UserPoolId"]);

    const viaPaginator: string[] = [];
    for await (const page of paginateListUserPoolClients({ client: t.cognito, pageSize: 3 }, { UserPoolId: pool }))
      viaPaginator.push(...page.UserPoolClients!.map((c) => c.ClientId!));
    expect(viaPaginator.sort()).toEqual([...created].sort());
  });

  it("answers ResourceNotFoundException for an unknown pool and validates MaxResults", async () => {
    await expectError(
      t.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: "us-east-1_Nowhere00" })),
      "ResourceNotFoundException",
      "User pool us-east-1_Nowhere00 does not exist.",
    );
    await expectError(
      t.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 61 })),
      "InvalidParameterException",
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });
});
