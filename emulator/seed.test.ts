// The seed file's domains and resource servers: created through CreateUserPoolDomain and
// CreateResourceServer before the pool's clients, so a seeded client can allow custom scopes and
// use the OAuth endpoints at once; bad entries stop the start with a message naming them.
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { basic, postForm } from "../test-support/hosted-fixtures.js";
import { call } from "../test-support/twin.js";
import { createApp, type TwinApp } from "./app.js";
import type { SeedFile, SeedPool } from "./seed.js";

let twin: TwinApp | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

const POOL_ID = "us-east-1_SeedOauth1";
const M2M_ID = "seedm2mclient000000000001";
const M2M_SECRET = "seed_m2m_secret_0000000000000000000000000000000001";

const M2M_POOL: SeedPool = {
  Id: POOL_ID,
  PoolName: "Seeded OAuth pool",
  Domain: "seeded-orders",
  ResourceServers: [
    {
      Identifier: "orders",
      Name: "Orders API",
      Scopes: [
        { ScopeName: "read", ScopeDescription: "Read orders" },
        { ScopeName: "write", ScopeDescription: "Change orders" },
      ],
    },
  ],
  Clients: [
    {
      ClientName: "m2m",
      ClientId: M2M_ID,
      ClientSecret: M2M_SECRET,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: ["orders/read"],
    },
  ],
};

async function seeded(seed: SeedFile): Promise<TwinApp> {
  twin = await createApp({ logLevel: "silent", seed });
  return twin;
}

async function api(app: TwinApp, operation: string, input: Record<string, unknown>) {
  const res = await call(app, operation, input);
  expect(res.status, `${operation}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as Record<string, unknown>;
}

function clientCredentials(app: TwinApp, fields: Record<string, string> = {}) {
  return postForm(
    app,
    "/_domain/seeded-orders/oauth2/token",
    { grant_type: "client_credentials", ...fields },
    basic(M2M_ID, M2M_SECRET),
  );
}

describe("seeded domains and resource servers", () => {
  it("a seeded resource server and client_credentials client get a token at /oauth2/token", async () => {
    const app = await seeded({ UserPools: [M2M_POOL] });

    const res = await clientCredentials(app);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["access_token", "expires_in", "token_type"]);
    const jwks = (await (await app.app.request(`/${POOL_ID}/.well-known/jwks.json`)).json()) as never;
    const { payload } = await jwtVerify(res.body.access_token as string, createLocalJWKSet(jwks));
    expect(payload).toMatchObject({ sub: M2M_ID, client_id: M2M_ID, token_use: "access", scope: "orders/read" });

    // The scope the server defines but the client does not allow is refused, as on AWS.
    expect((await clientCredentials(app, { scope: "orders/write" })).body).toEqual({ error: "invalid_scope" });

    // The API sees what the seed declared.
    const server = await api(app, "DescribeResourceServer", { UserPoolId: POOL_ID, Identifier: "orders" });
    expect(server.ResourceServer).toEqual({
      UserPoolId: POOL_ID,
      Identifier: "orders",
      Name: "Orders API",
      Scopes: [
        { ScopeName: "read", ScopeDescription: "Read orders" },
        { ScopeName: "write", ScopeDescription: "Change orders" },
      ],
    });
    const pool = (await api(app, "DescribeUserPool", { UserPoolId: POOL_ID })).UserPool as Record<string, unknown>;
    expect(pool.Domain).toBe("seeded-orders");
    const domain = await api(app, "DescribeUserPoolDomain", { Domain: "seeded-orders" });
    expect(domain.DomainDescription).toMatchObject({ UserPoolId: POOL_ID, ManagedLoginVersion: 1, Status: "ACTIVE" });

    // POST /_twin/reset applies the seed again: same names, same working client.
    await app.reset();
    expect((await clientCredentials(app)).status).toBe(200);
  });

  it("takes CreateUserPoolDomain requests: managed login on the prefix, and a custom domain", async () => {
    const app = await seeded({
      UserPools: [
        {
          Id: "us-east-1_SeedHosted1",
          PoolName: "Seeded hosted pool",
          Domain: { Domain: "seeded-hosted", ManagedLoginVersion: 2 },
          CustomDomain: {
            Domain: "auth.seeded.example.com",
            CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/seeded" },
          },
          ResourceServers: [{ Identifier: "https://api.example.com", Name: "API", Scopes: [] }],
          Clients: [
            {
              ClientName: "web",
              ClientId: "seedwebclient00000000000001",
              AllowedOAuthFlowsUserPoolClient: true,
              AllowedOAuthFlows: ["code"],
              AllowedOAuthScopes: ["openid", "email"],
              CallbackURLs: ["http://localhost:3000/callback"],
              SupportedIdentityProviders: ["COGNITO"],
            },
          ],
        },
      ],
    });
    const prefix = await api(app, "DescribeUserPoolDomain", { Domain: "seeded-hosted" });
    expect(prefix.DomainDescription).toMatchObject({ UserPoolId: "us-east-1_SeedHosted1", ManagedLoginVersion: 2 });
    const custom = await api(app, "DescribeUserPoolDomain", { Domain: "auth.seeded.example.com" });
    expect(custom.DomainDescription).toMatchObject({
      UserPoolId: "us-east-1_SeedHosted1",
      CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/seeded" },
    });
    const servers = await api(app, "ListResourceServers", { UserPoolId: "us-east-1_SeedHosted1", MaxResults: 10 });
    expect(servers.ResourceServers).toEqual([
      { UserPoolId: "us-east-1_SeedHosted1", Identifier: "https://api.example.com", Name: "API", Scopes: [] },
    ]);
    // Both domains serve the seeded client's sign-in page.
    const q = new URLSearchParams({
      response_type: "code",
      client_id: "seedwebclient00000000000001",
      redirect_uri: "http://localhost:3000/callback",
    });
    for (const name of ["seeded-hosted", "auth.seeded.example.com"]) {
      const res = await app.app.request(`/_domain/${name}/oauth2/authorize?${q}`);
      expect(res.status, name).toBe(302);
      expect(res.headers.get("location"), name).toBe(`/_domain/${name}/login?${q}`);
    }
  });

  it("stops with a message naming the entry for bad domains and resource servers", async () => {
    const pool = (extra: Partial<SeedPool>): SeedFile => ({
      UserPools: [{ Id: "us-east-1_SeedBad1", PoolName: "bad", ...extra } as SeedPool],
    });
    const where = "UserPools[0] (us-east-1_SeedBad1)";
    const cases: [SeedFile, string][] = [
      // Entries of the wrong shape are found before anything is created (seed-check.ts).
      [pool({ ResourceServers: "orders" as never }), `'UserPools[0].ResourceServers' must be a list, not a string`],
      [pool({ ResourceServers: ["orders" as never] }), `Expected an object at 'UserPools[0].ResourceServers[0]'.`],
      [
        pool({ ResourceServers: [{ Name: "Orders API" } as never] }),
        `Value null at 'UserPools[0].ResourceServers[0].Identifier' failed to satisfy constraint: Member must not be null`,
      ],
      [
        pool({ ResourceServers: [{ Identifier: "orders", Name: "Orders", Scopes: [{ ScopeName: "read" }] } as never] }),
        `Value null at 'UserPools[0].ResourceServers[0].Scopes[0].ScopeDescription' failed to satisfy constraint: Member must not be null`,
      ],
      [
        pool({
          ResourceServers: [
            { Identifier: "orders", Name: "Orders" },
            { Identifier: "orders", Name: "Orders again" },
          ],
        }),
        `${where} resource server orders: InvalidParameterException: orders already exists in user pool us-east-1_SeedBad1.`,
      ],
      [
        pool({ Domain: 42 as never }),
        `'UserPools[0].Domain' must be a prefix ("myapp") or a CreateUserPoolDomain request`,
      ],
      [
        pool({ Domain: "aws-orders" }),
        `${where} domain aws-orders: InvalidParameterException: Domain cannot contain reserved word: aws`,
      ],
      [
        pool({ Domain: "Orders.App" }),
        `${where} domain Orders.App: InvalidParameterException: The domain name contains an invalid character.`,
      ],
      [pool({ CustomDomain: { Domain: "auth.example.com" } }), `${where}: CustomDomain must be {"Domain"`],
      [
        pool({ Domain: { Domain: "seeded-v3", ManagedLoginVersion: 3 } }),
        `${where} domain seeded-v3: InvalidParameterException: ManagedLoginVersion 3 is not valid`,
      ],
      // A client that allows a custom scope no seeded resource server defines.
      [
        pool({ Clients: M2M_POOL.Clients }),
        `${where} client m2m: ScopeDoesNotExistException: Invalid scope requested: orders/read`,
      ],
      [
        {
          UserPools: [
            { Id: "us-east-1_SeedBad1", PoolName: "one", Domain: "shared-name" },
            { Id: "us-east-1_SeedBad2", PoolName: "two", Domain: "shared-name" },
          ],
        },
        "UserPools[1] (us-east-1_SeedBad2) domain shared-name: InvalidParameterException: Domain already associated with another user pool.",
      ],
    ];
    for (const [seed, message] of cases) {
      const failed = await createApp({ logLevel: "silent", seed }).then(
        async (app) => {
          await app.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(failed, message).toMatchObject({ name: "SeedError" });
      expect((failed as Error).message, JSON.stringify(seed)).toContain(message);
    }
  });
});

describe("the seed is checked as strictly as the API, before anything is created", () => {
  /** The SeedError a seed stops the start with (createApp, as the command calls it). */
  async function refusal(seed: unknown): Promise<string> {
    const failed = await createApp({ logLevel: "silent", seed: seed as SeedFile }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(failed, JSON.stringify(seed)).toMatchObject({ name: "SeedError" });
    return (failed as Error).message;
  }
  const ok: SeedPool = { Id: "us-east-1_Strict01", PoolName: "strict" };

  it("a root of the wrong type, unknown and misspelt keys, at every level", async () => {
    expect(await refusal([ok])).toBe(
      `the file must hold an object ({"UserPools": [...], "Triggers": {...}}), not a list`,
    );
    expect(await refusal({ userPools: [ok] })).toBe("Unknown key 'userPools': did you mean 'UserPools'?");
    expect(await refusal({ UserPools: [{ ...ok, Client: [{ ClientName: "web" }] }] })).toBe(
      "Unknown key 'UserPools[0].Client': did you mean 'Clients'?",
    );
    expect(await refusal({ UserPools: [{ ...ok, Policies: { PasswordPolicy: { MinLength: 8 } } }] })).toBe(
      "Unknown key 'UserPools[0].Policies.PasswordPolicy.MinLength'",
    );
    expect(await refusal({ UserPools: [{ ...ok, Clients: [{ ClientName: "web", UserPoolId: ok.Id }] }] })).toBe(
      "Unknown key 'UserPools[0].Clients[0].UserPoolId': it is filled in for you",
    );
    expect(await refusal({ UserPools: [{ ...ok, Users: [{ Username: "amy", Atributes: { name: "Amy" } }] }] })).toBe(
      "Unknown key 'UserPools[0].Users[0].Atributes': did you mean 'Attributes'?",
    );
  });

  it("enum values, types, lengths and required members as the model has them, each named by its path", async () => {
    const message = await refusal({
      UserPools: [
        {
          ...ok,
          Clients: [{ ClientName: "web" }, { ClientName: "bad", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "BOGUS"] }],
        },
      ],
    });
    expect(message).toBe(
      "Value 'BOGUS' at 'UserPools[0].Clients[1].ExplicitAuthFlows[1]' failed to satisfy constraint: Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]",
    );
    expect(await refusal({ UserPools: [{ ...ok, PoolName: 7 }] })).toBe(
      "Expected string at 'UserPools[0].PoolName' but found number.",
    );
    expect(await refusal({ UserPools: [{ Id: ok.Id }] })).toBe(
      "Value null at 'UserPools[0].PoolName' failed to satisfy constraint: Member must not be null",
    );
    expect(await refusal({ UserPools: [{ ...ok, Users: [{ Password: "Passw0rd!" }] }] })).toBe(
      "Value null at 'UserPools[0].Users[0].Username' failed to satisfy constraint: Member must not be null",
    );
    expect(await refusal({ UserPools: [{ ...ok, Users: [{ Username: "amy", Attributes: { email: 5 } }] }] })).toBe(
      "Expected string at 'UserPools[0].Users[0].Attributes.email' but found number.",
    );
    expect(
      await refusal({
        UserPools: [{ ...ok, Clients: [{ ClientName: "web", ClientSecret: "has-hyphens-000000000000000" }] }],
      }),
    ).toBe(
      "Value at 'UserPools[0].Clients[0].ClientSecret' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
    );
    expect(await refusal({ UserPools: [ok], Triggers: { fn: 3 } })).toBe(
      `'Triggers.fn' must be a "./file.ts#export" string, not a number`,
    );
  });

  it("lists every problem at once, and creates nothing", async () => {
    const message = await refusal({
      UserPools: [
        { ...ok, MfaConfiguration: "SOMETIMES", Groups: [{ GroupName: "admins", Precedence: -1 }] },
        { Id: "us-east-1_Strict02", PoolName: "second", Users: ["amy"] },
      ],
      Extra: true,
    });
    expect(message.split("\n")).toEqual([
      "4 problems:",
      "  Unknown key 'Extra'",
      "  Value 'SOMETIMES' at 'UserPools[0].MfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
      "  Value '-1' at 'UserPools[0].Groups[0].Precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
      "  'UserPools[1].Users[0]' must be an object with Username (and Password, Attributes, Groups), not a string",
    ]);
  });

  it("a seed the API accepts still seeds, and createApp says what it created", async () => {
    const app = await seeded({
      UserPools: [
        {
          ...ok,
          Clients: [{ ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
          Groups: [{ GroupName: "admins" }],
          Users: [
            { Username: "amy", Password: "Passw0rd!", Attributes: { email: "amy@example.com" }, Groups: ["admins"] },
            { Username: "ben" },
          ],
        },
      ],
    });
    expect(app.seeded).toEqual({ pools: 1, clients: 1, users: 2 });
  });
});
