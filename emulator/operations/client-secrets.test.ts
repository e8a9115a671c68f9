// AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret: two secrets at
// most, either accepted wherever the secret is checked (SECRET_HASH, GetTokensFromRefreshToken,
// /oauth2/token with Basic and form credentials), the last never deleted, and all of it kept
// across a restart (docs/decisions/0026).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AddUserPoolClientSecretCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, secretHash } from "../../test-support/auth-fixtures.js";
import { basic, type Hosted, hostedTwin, postForm } from "../../test-support/hosted-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

async function twin(config: Parameters<typeof startTwin>[0] = {}): Promise<TestTwin> {
  const t = await startTwin(config);
  running.push(t);
  return t;
}

async function confidentialClient(t: TestTwin) {
  const poolId = await createPool(t);
  const { clientId, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
  return { poolId, clientId, secret: clientSecret! };
}

/** USER_PASSWORD_AUTH with the SECRET_HASH of `secret`; the error's name, or "ok". */
async function signInWith(t: TestTwin, clientId: string, secret: string): Promise<string> {
  try {
    await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD, SECRET_HASH: secretHash(secret, "alice", clientId) },
      }),
    );
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
}

describe("client secrets through SDK v3", () => {
  it("adds a second secret; both sign in; the list shows both without values; Describe shows the oldest", async () => {
    const t = await twin();
    const { poolId, clientId, secret } = await confidentialClient(t);
    await createUser(t, poolId, "alice");

    const listed = await t.cognito.send(
      new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(listed.ClientSecrets).toHaveLength(1);
    const first = listed.ClientSecrets![0]!;
    expect(first.ClientSecretId).toMatch(new RegExp(`^${clientId}--\\d+$`));
    expect(first.ClientSecretValue).toBeUndefined();
    expect(first.ClientSecretCreateDate).toBeInstanceOf(Date);

    const added = await t.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
    const second = added.ClientSecretDescriptor!;
    expect(second.ClientSecretValue).toMatch(/^[a-z0-9]{52}$/);
    expect(second.ClientSecretId).not.toBe(first.ClientSecretId);

    expect(await signInWith(t, clientId, secret)).toBe("ok");
    expect(await signInWith(t, clientId, second.ClientSecretValue!)).toBe("ok");
    expect(await signInWith(t, clientId, "x".repeat(52))).toBe("NotAuthorizedException");

    const both = await t.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(both.ClientSecrets!.map((s) => s.ClientSecretId)).toEqual([first.ClientSecretId, second.ClientSecretId]);
    expect(both.ClientSecrets!.every((s) => s.ClientSecretValue === undefined)).toBe(true);
    expect(both.NextToken).toBeUndefined();

    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(described.UserPoolClient!.ClientSecret).toBe(secret);

    // Rotation done: the old secret goes; the new one is the client's secret, the old one fails.
    await t.cognito.send(
      new DeleteUserPoolClientSecretCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientSecretId: first.ClientSecretId,
      }),
    );
    expect(await signInWith(t, clientId, secret)).toBe("NotAuthorizedException");
    expect(await signInWith(t, clientId, second.ClientSecretValue!)).toBe("ok");
    const after = await t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(after.UserPoolClient!.ClientSecret).toBe(second.ClientSecretValue);
  });

  it("a custom secret is not echoed; a third secret is over the limit; the last one cannot be deleted", async () => {
    const t = await twin();
    const { poolId, clientId } = await confidentialClient(t);
    const custom = "MyOwnSecretValue_0123456789";
    const added = await t.cognito.send(
      new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecret: custom }),
    );
    expect(added.ClientSecretDescriptor!.ClientSecretValue).toBeUndefined();
    expect(added.ClientSecretDescriptor!.ClientSecretId).toMatch(new RegExp(`^${clientId}--\\d+$`));

    await expect(
      t.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })),
    ).rejects.toMatchObject({ name: "LimitExceededException" });

    const ids = (
      await t.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))
    ).ClientSecrets!.map((s) => s.ClientSecretId!);
    await t.cognito.send(
      new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: ids[0] }),
    );
    await expect(
      t.cognito.send(
        new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: ids[1] }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException", message: expect.stringMatching(/last remaining/) });
    await expect(
      t.cognito.send(
        new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: ids[0] }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(described.UserPoolClient!.ClientSecret).toBe(custom);
  });

  it("refuses a public client, unknown pools and clients, and a secret the model's pattern rejects", async () => {
    const t = await twin();
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await expect(
      t.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })),
    ).rejects.toMatchObject({ name: "InvalidParameterException", message: expect.stringMatching(/confidential/) });
    expect(
      (await t.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId })))
        .ClientSecrets,
    ).toEqual([]);
    await expect(
      t.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: "us-east-1_nope", ClientId: clientId })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      t.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: "nope" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const { clientId: secretClient } = await createClient(t, poolId, { GenerateSecret: true });
    for (const bad of ["short", "has spaces in it and is long enough", "x".repeat(65)]) {
      await expect(
        t.cognito.send(
          new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: secretClient, ClientSecret: bad }),
        ),
      ).rejects.toMatchObject({ name: "InvalidParameterException" });
    }
  });

  it("GetTokensFromRefreshToken takes either secret; UpdateUserPoolClient keeps both", async () => {
    const t = await twin();
    const { poolId, clientId, secret } = await confidentialClient(t);
    await createUser(t, poolId, "alice");
    const added = await t.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
    const second = added.ClientSecretDescriptor!.ClientSecretValue!;
    await t.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const signedIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD, SECRET_HASH: secretHash(second, "alice", clientId) },
      }),
    );
    const refresh = signedIn.AuthenticationResult!.RefreshToken!;
    for (const s of [secret, second]) {
      const out = await t.cognito.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh, ClientSecret: s }),
      );
      expect(out.AuthenticationResult!.AccessToken).toBeTruthy();
    }
    await expect(
      t.cognito.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: clientId,
          RefreshToken: refresh,
          ClientSecret: "w".repeat(52),
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });
});

describe("client secrets at /oauth2/token", () => {
  let h: Hosted;
  afterEach(async () => h?.close());

  it("client_credentials authenticates with either secret, by Basic and by form", async () => {
    h = await hostedTwin();
    await h.api("CreateResourceServer", {
      UserPoolId: h.poolId,
      Identifier: "api",
      Name: "api",
      Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
    });
    const m2m = await h.api("CreateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientName: "m2m",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: ["api/read"],
    });
    const { ClientId: id, ClientSecret: first } = m2m.UserPoolClient as { ClientId: string; ClientSecret: string };
    const added = await h.api("AddUserPoolClientSecret", { UserPoolId: h.poolId, ClientId: id });
    const second = (added.ClientSecretDescriptor as { ClientSecretValue: string }).ClientSecretValue;
    const token = (headers: Record<string, string>, form: Record<string, string> = {}) =>
      postForm(h.twin, `${h.base}/oauth2/token`, { grant_type: "client_credentials", ...form }, headers);
    for (const s of [first, second]) {
      expect((await token(basic(id, s))).status).toBe(200);
      expect((await token({}, { client_id: id, client_secret: s })).status).toBe(200);
    }
    const wrong = await token(basic(id, "not-a-secret-of-this-client"));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_client");
  });
});

describe("client secrets survive a restart", () => {
  it("keeps both secrets and their ids", async () => {
    const dir = await mkdtemp(join(tmpdir(), "twin-secrets-"));
    const a = await startTwin({ dataDir: dir });
    const { poolId, clientId } = await confidentialClient(a);
    await call(a.twin, "AddUserPoolClientSecret", { UserPoolId: poolId, ClientId: clientId });
    const before = await call(a.twin, "ListUserPoolClientSecrets", { UserPoolId: poolId, ClientId: clientId });
    await a.close();
    const b = await twin({ dataDir: dir });
    running.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const after = await call(b.twin, "ListUserPoolClientSecrets", { UserPoolId: poolId, ClientId: clientId });
    expect(after.body).toEqual(before.body);
    expect((after.body.ClientSecrets as unknown[]).length).toBe(2);
  });
});
