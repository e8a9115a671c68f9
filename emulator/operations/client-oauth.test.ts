// App clients' OAuth settings as CreateUserPoolClient and UpdateUserPoolClient check them:
// flows, scopes (standard and resource servers'), callback and sign-out URLs, the default
// redirect URI and identity providers (docs/decisions/0015-domains-and-resource-servers.md).
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  DeleteResourceServerCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { resolveScopes } from "../domain/oauth-config.js";

let t: TestTwin;
let poolId: string;
beforeAll(async () => {
  t = await startTwin();
  const { UserPool } = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "oauth-clients" }));
  poolId = UserPool!.Id!;
  await t.cognito.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: "https://api.example.com",
      Name: "api",
      Scopes: [
        { ScopeName: "read", ScopeDescription: "read" },
        { ScopeName: "write", ScopeDescription: "write" },
      ],
    }),
  );
});
afterAll(() => t.close());

const CODE_CLIENT = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ["code"],
  AllowedOAuthScopes: ["openid", "email"],
  CallbackURLs: ["https://app.example.com/callback"],
} satisfies Partial<CreateUserPoolClientCommandInput>;

const M2M_CLIENT = {
  GenerateSecret: true,
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ["client_credentials"],
  AllowedOAuthScopes: ["https://api.example.com/read"],
} satisfies Partial<CreateUserPoolClientCommandInput>;

async function newClient(input: Partial<CreateUserPoolClientCommandInput> = {}) {
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "oauth", ...input }),
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

describe("OAuth flows and scopes", () => {
  it("keeps a code-flow client with standard and resource-server scopes", async () => {
    const client = await newClient({
      ...CODE_CLIENT,
      AllowedOAuthFlows: ["code", "implicit"],
      AllowedOAuthScopes: [
        "openid",
        "email",
        "phone",
        "profile",
        "aws.cognito.signin.user.admin",
        "https://api.example.com/write",
      ],
      LogoutURLs: ["https://app.example.com/"],
      DefaultRedirectURI: "https://app.example.com/callback",
      SupportedIdentityProviders: ["COGNITO"],
    });
    expect(client).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code", "implicit"],
      DefaultRedirectURI: "https://app.example.com/callback",
      SupportedIdentityProviders: ["COGNITO"],
    });
    expect(client.AllowedOAuthScopes).toContain("https://api.example.com/write");
  });

  it("refuses a scope that is neither standard nor a resource server's", async () => {
    for (const scope of ["https://api.example.com/delete", "https://other.example.com/read", "Cognito", "admin"]) {
      await expectError(
        newClient({ ...CODE_CLIENT, AllowedOAuthScopes: ["openid", scope] }),
        "ScopeDoesNotExistException",
        `Invalid scope requested: ${scope}`,
      );
    }
  });

  it("requires flows and scopes when AllowedOAuthFlowsUserPoolClient is true", async () => {
    const message =
      "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.";
    await expectError(
      newClient({ ...CODE_CLIENT, AllowedOAuthFlows: undefined }),
      "InvalidParameterException",
      message,
    );
    await expectError(newClient({ ...CODE_CLIENT, AllowedOAuthFlows: [] }), "InvalidParameterException", message);
    await expectError(
      newClient({ ...CODE_CLIENT, AllowedOAuthScopes: undefined }),
      "InvalidParameterException",
      message,
    );
  });

  it("requires a callback URL for code and implicit", async () => {
    for (const flow of ["code", "implicit"] as const) {
      await expectError(
        newClient({ ...CODE_CLIENT, AllowedOAuthFlows: [flow], CallbackURLs: undefined }),
        "InvalidOAuthFlowException",
        "CallbackUrls can not be empty when code flow or implicit flow is selected",
      );
    }
  });

  it("keeps OAuth settings without AllowedOAuthFlowsUserPoolClient, not in force", async () => {
    const client = await newClient({ AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"] });
    expect(client).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
    });
  });

  it("takes client_credentials alone, on a client with a secret, with custom scopes only", async () => {
    const client = await newClient(M2M_CLIENT);
    expect(client.ClientSecret).toBeDefined();
    expect(client.AllowedOAuthFlows).toEqual(["client_credentials"]);
    expect(client.CallbackURLs).toBeUndefined();
    await expectError(
      newClient({
        ...M2M_CLIENT,
        AllowedOAuthFlows: ["client_credentials", "code"],
        CallbackURLs: ["https://a.example.com"],
      }),
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected along with code flow or implicit flow.",
    );
    await expectError(
      newClient({ ...M2M_CLIENT, GenerateSecret: false }),
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected if client does not have a client secret.",
    );
    await expectError(
      newClient({ ...M2M_CLIENT, AllowedOAuthScopes: ["openid", "https://api.example.com/read"] }),
      "InvalidOAuthFlowException",
      "openid is not supported with client_credentials flow",
    );
  });
});

describe("callback and sign-out URLs", () => {
  it("takes https, http to localhost, 127.0.0.1 and [::1] on any port, and app URLs", async () => {
    const urls = [
      "https://app.example.com/callback?from=login",
      "http://localhost",
      "http://localhost:3000/callback",
      "http://127.0.0.1:8080/cb",
      "http://[::1]:5173/",
      "myapp://callback",
    ];
    const client = await newClient({ ...CODE_CLIENT, CallbackURLs: urls, LogoutURLs: urls });
    expect(client.CallbackURLs).toEqual(urls);
    expect(client.LogoutURLs).toEqual(urls);
  });

  it("refuses plain http to any other host", async () => {
    for (const url of ["http://app.example.com/callback", "http://localhost.com/", "http://192.168.1.50:5001/cb"]) {
      await expectError(
        newClient({ ...CODE_CLIENT, CallbackURLs: [url] }),
        "InvalidParameterException",
        `${url} cannot use the HTTP protocol.`,
      );
    }
    await expectError(
      newClient({ ...CODE_CLIENT, LogoutURLs: ["http://app.example.com/"] }),
      "InvalidParameterException",
      "http://app.example.com/ cannot use the HTTP protocol.",
    );
  });

  it("refuses fragments and relative URLs", async () => {
    await expectError(
      newClient({ ...CODE_CLIENT, CallbackURLs: ["https://app.example.com/cb#token"] }),
      "InvalidParameterException",
      "https://app.example.com/cb#token cannot use fragment",
    );
    await expectError(
      newClient({ ...CODE_CLIENT, LogoutURLs: ["https://app.example.com/#"] }),
      "InvalidParameterException",
      "https://app.example.com/# cannot use fragment",
    );
    await expectError(
      newClient({ ...CODE_CLIENT, CallbackURLs: ["/callback"] }),
      "InvalidParameterException",
      "/callback is not an absolute URI.",
    );
  });

  it("requires DefaultRedirectURI to be one of the CallbackURLs", async () => {
    await expectError(
      newClient({ ...CODE_CLIENT, DefaultRedirectURI: "https://elsewhere.example.com/" }),
      "InvalidParameterException",
      "The default redirect URI https://elsewhere.example.com/ is not in the callback URIs list.",
    );
    await expectError(
      newClient({ DefaultRedirectURI: "https://elsewhere.example.com/" }),
      "InvalidParameterException",
      "The default redirect URI https://elsewhere.example.com/ is not in the callback URIs list.",
    );
  });
});

describe("identity providers", () => {
  it("takes COGNITO and refuses providers the pool does not have", async () => {
    await newClient({ SupportedIdentityProviders: ["COGNITO"] });
    for (const provider of ["Google", "MySAMLIdP", "cognito"]) {
      await expectError(
        newClient({ SupportedIdentityProviders: ["COGNITO", provider] }),
        "InvalidParameterException",
        `The provider ${provider} does not exist for User Pool ${poolId}`,
      );
    }
  });
});

describe("UpdateUserPoolClient", () => {
  it("checks the same rules, with the secret the client has", async () => {
    const withSecret = await newClient({ GenerateSecret: true });
    const updated = await t.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: withSecret.ClientId,
        ...M2M_CLIENT,
        GenerateSecret: undefined,
      } as never),
    );
    expect(updated.UserPoolClient!.AllowedOAuthFlows).toEqual(["client_credentials"]);
    const without = await newClient();
    const { GenerateSecret: _g, ...m2m } = M2M_CLIENT;
    await expectError(
      t.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: without.ClientId, ...m2m })),
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected if client does not have a client secret.",
    );
    await expectError(
      t.cognito.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: without.ClientId,
          ...CODE_CLIENT,
          AllowedOAuthScopes: ["https://api.example.com/none"],
        }),
      ),
      "ScopeDoesNotExistException",
      "Invalid scope requested: https://api.example.com/none",
    );
    await expectError(
      t.cognito.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: without.ClientId,
          ...CODE_CLIENT,
          CallbackURLs: ["http://app.example.com/cb"],
        }),
      ),
      "InvalidParameterException",
      "http://app.example.com/cb cannot use the HTTP protocol.",
    );
    // A refused update changes nothing.
    const { UserPoolClient } = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: without.ClientId }),
    );
    expect(UserPoolClient!.AllowedOAuthFlows).toBeUndefined();
  });
});

describe("scopes of a deleted resource server", () => {
  it("stay on the client but are no longer granted", async () => {
    await t.cognito.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "reports",
        Name: "reports",
        Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
      }),
    );
    const client = await newClient({
      ...M2M_CLIENT,
      AllowedOAuthScopes: ["reports/read", "https://api.example.com/read"],
    });
    await t.cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "reports" }));
    const { UserPoolClient } = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }),
    );
    expect(UserPoolClient!.AllowedOAuthScopes).toEqual(["reports/read", "https://api.example.com/read"]);
    const store = t.twin.services.store;
    const pool = store.getPool(poolId)!;
    const record = store.getClient(client.ClientId!)!;
    expect(resolveScopes(pool, record)).toEqual({ ok: true, scopes: ["https://api.example.com/read"] });
    expect(resolveScopes(pool, record, "reports/read")).toEqual({ ok: false, invalidScope: "reports/read" });
  });
});
