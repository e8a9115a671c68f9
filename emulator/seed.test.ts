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
const M2M_SECRET = "seed-m2m-secret-0000000000000000000000000000000001";

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
      [pool({ ResourceServers: "orders" as never }), `${where}: ResourceServers must be a list`],
      [
        pool({ ResourceServers: ["orders" as never] }),
        `${where} resource server [0]: must be an object with Identifier, Name and Scopes`,
      ],
      [
        pool({ ResourceServers: [{ Name: "Orders API" } as never] }),
        `${where} resource server undefined: InvalidParameterException: 1 validation error detected: Value null at 'identifier' failed to satisfy constraint: Member must not be null`,
      ],
      [
        pool({ ResourceServers: [{ Identifier: "orders", Name: "Orders", Scopes: [{ ScopeName: "read" }] } as never] }),
        `${where} resource server orders: InvalidParameterException: 1 validation error detected: Value null at 'scopes.1.member.scopeDescription' failed to satisfy constraint: Member must not be null`,
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
      [pool({ Domain: 42 as never }), `${where}: Domain must be a prefix ("myapp") or a CreateUserPoolDomain request`],
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
