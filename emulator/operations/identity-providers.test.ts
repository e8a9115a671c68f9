// Identity providers end to end through SDK v3: CreateIdentityProvider, DescribeIdentityProvider,
// UpdateIdentityProvider, DeleteIdentityProvider, ListIdentityProviders,
// GetIdentityProviderByIdentifier, the ProviderDetails each type takes and echoes, and the app
// clients' SupportedIdentityProviders.
import {
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  CreateUserPoolClientCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  paginateListIdentityProviders,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../../test-support/auth-fixtures.js";
import { createSamlIdp } from "../../test-support/saml-idp.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";
import { createApp } from "../app.js";
import { ManualClock } from "../core/clock.js";

const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
let t: TestTwin;
let poolId: string;
beforeAll(async () => {
  t = await startTwin({}, { clock });
  poolId = await createPool(t, { Schema: [{ Name: "department", AttributeDataType: "String", Mutable: true }] });
});
afterAll(() => t.close());

const create = (input: Partial<CreateIdentityProviderCommandInput> & { ProviderName: string }, pool = poolId) =>
  t.cognito.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool,
      ProviderType: "OIDC",
      ProviderDetails: OIDC_DETAILS,
      ...input,
    } as CreateIdentityProviderCommandInput),
  );

const describeProvider = (name: string, pool = poolId) =>
  t.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: name }));

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

const OIDC_DETAILS = {
  client_id: "upstream-client",
  client_secret: "upstream-secret",
  attributes_request_method: "GET",
  oidc_issuer: "http://127.0.0.1:4000/issuer",
  authorize_scopes: "openid email profile",
};
const GOOGLE_DETAILS = {
  client_id: "1example23456789.apps.googleusercontent.com",
  client_secret: "provider-app-client-secret",
  authorize_scopes: "email profile openid",
};

describe("CreateIdentityProvider and DescribeIdentityProvider", () => {
  it("echoes a Google provider with the endpoints and username mapping Cognito adds", async () => {
    const pool = await createPool(t);
    const { IdentityProvider } = await create(
      {
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: GOOGLE_DETAILS,
        AttributeMapping: { email: "email" },
      },
      pool,
    );
    const expected = {
      UserPoolId: pool,
      ProviderName: "Google",
      ProviderType: "Google",
      // AWS's API reference: the Google describe response.
      ProviderDetails: {
        attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
        attributes_url_add_attributes: "true",
        authorize_scopes: "email profile openid",
        authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
        client_id: "1example23456789.apps.googleusercontent.com",
        client_secret: "provider-app-client-secret",
        oidc_issuer: "https://accounts.google.com",
        token_request_method: "POST",
        token_url: "https://www.googleapis.com/oauth2/v4/token",
      },
      AttributeMapping: { email: "email", username: "sub" },
      IdpIdentifiers: [],
      CreationDate: new Date(clock.now()),
      LastModifiedDate: new Date(clock.now()),
    };
    expect(IdentityProvider).toEqual(expected);
    expect((await describeProvider("Google", pool)).IdentityProvider).toEqual(expected);
    // Keys in Cognito's order (alphabetical), as the captured outputs list them.
    expect(Object.keys(IdentityProvider!.ProviderDetails!)).toEqual(Object.keys(expected.ProviderDetails).sort());
  });

  it("echoes Facebook with its Graph API version in every URL, and username mapped to id", async () => {
    const pool = await createPool(t);
    const { IdentityProvider } = await create(
      {
        ProviderName: "Facebook",
        ProviderType: "Facebook",
        ProviderDetails: { ...GOOGLE_DETAILS, authorize_scopes: "public_profile, email", api_version: "v17.0" },
      },
      pool,
    );
    expect(IdentityProvider!.ProviderDetails).toEqual({
      api_version: "v17.0",
      attributes_url: "https://graph.facebook.com/v17.0/me?fields=",
      attributes_url_add_attributes: "true",
      authorize_scopes: "public_profile, email",
      authorize_url: "https://www.facebook.com/v17.0/dialog/oauth",
      client_id: GOOGLE_DETAILS.client_id,
      client_secret: GOOGLE_DETAILS.client_secret,
      token_request_method: "GET",
      token_url: "https://graph.facebook.com/v17.0/oauth/access_token",
    });
    expect(IdentityProvider!.AttributeMapping).toEqual({ username: "id" });
  });

  it("echoes Login with Amazon (username from user_id) and Sign in with Apple without its private key", async () => {
    const pool = await createPool(t);
    const amazon = await create(
      { ProviderName: "LoginWithAmazon", ProviderType: "LoginWithAmazon", ProviderDetails: GOOGLE_DETAILS },
      pool,
    );
    expect(amazon.IdentityProvider!.ProviderDetails).toEqual({
      attributes_url: "https://api.amazon.com/user/profile",
      attributes_url_add_attributes: "false",
      authorize_scopes: GOOGLE_DETAILS.authorize_scopes,
      authorize_url: "https://www.amazon.com/ap/oa",
      client_id: GOOGLE_DETAILS.client_id,
      client_secret: GOOGLE_DETAILS.client_secret,
      token_request_method: "POST",
      token_url: "https://api.amazon.com/auth/o2/token",
    });
    expect(amazon.IdentityProvider!.AttributeMapping).toEqual({ username: "user_id" });
    const apple = await create(
      {
        ProviderName: "SignInWithApple",
        ProviderType: "SignInWithApple",
        ProviderDetails: {
          authorize_scopes: "email name",
          client_id: "com.example.cognito",
          private_key: "-----BEGIN PRIVATE KEY-----x",
          key_id: "2EXAMPLE",
          team_id: "3EXAMPLE",
        },
      },
      pool,
    );
    expect(apple.IdentityProvider!.ProviderDetails).toEqual({
      attributes_url_add_attributes: "false",
      authorize_scopes: "email name",
      authorize_url: "https://appleid.apple.com/auth/authorize",
      client_id: "com.example.cognito",
      key_id: "2EXAMPLE",
      oidc_issuer: "https://appleid.apple.com",
      team_id: "3EXAMPLE",
      token_request_method: "POST",
      token_url: "https://appleid.apple.com/auth/token",
    });
    expect(apple.IdentityProvider!.AttributeMapping).toEqual({ username: "sub" });
  });

  it("keeps an OIDC provider's details as given (endpoints come from discovery), plus attributes_url_add_attributes", async () => {
    const { IdentityProvider } = await create({
      ProviderName: "MyOIDC",
      AttributeMapping: { email: "email", "custom:department": "dept" },
      IdpIdentifiers: ["example.com"],
    });
    expect(IdentityProvider).toMatchObject({
      ProviderType: "OIDC",
      ProviderDetails: { ...OIDC_DETAILS, attributes_url_add_attributes: "false" },
      AttributeMapping: { "custom:department": "dept", email: "email", username: "sub" },
      IdpIdentifiers: ["example.com"],
    });
    expect(Object.keys(IdentityProvider!.ProviderDetails!)).not.toContain("authorize_url");
  });

  it("takes a SAML provider with a metadata file and its flags, and maps no username", async () => {
    const idp = await createSamlIdp();
    const { IdentityProvider } = await create({
      ProviderName: "CorpSAML",
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: idp.metadata, IDPSignout: "false", IDPInit: "true" },
      AttributeMapping: { email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
    });
    expect(IdentityProvider!.ProviderDetails).toMatchObject({
      MetadataFile: idp.metadata,
      IDPSignout: "false",
      IDPInit: "true",
    });
    expect(IdentityProvider!.AttributeMapping).toEqual({
      email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    });
    // Sign-out at the IdP needs a SingleLogoutService in the metadata (this IdP has none).
    await expectError(
      create({
        ProviderName: "CorpSLO",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: idp.metadata, IDPSignout: "true" },
      }),
      "InvalidParameterException",
      /requires a SingleLogoutService/,
    );
  });

  it("keeps a username mapping the request gives", async () => {
    const { IdentityProvider } = await create({ ProviderName: "ByEmail", AttributeMapping: { username: "email" } });
    expect(IdentityProvider!.AttributeMapping).toEqual({ username: "email" });
  });

  it("refuses a name the pool has, COGNITO, and a social provider named otherwise than its type", async () => {
    await create({ ProviderName: "Twice" });
    await expectError(
      create({ ProviderName: "Twice" }),
      "DuplicateProviderException",
      `Twice already exists in user pool ${poolId}`,
    );
    await expectError(create({ ProviderName: "COGNITO" }), "InvalidParameterException", /reserved/);
    await expectError(
      create({ ProviderName: "MyGoogle", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS }),
      "InvalidParameterException",
      "The ProviderName of a Google identity provider must be Google.",
    );
  });

  it("refuses missing ProviderDetails with Cognito's message for each type", async () => {
    await expectError(
      create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: { client_id: "x" } }),
      "InvalidParameterException",
      "client_id, client_secret and authorize_scopes are all required idp details.",
    );
    await expectError(
      create({ ProviderName: "SignInWithApple", ProviderType: "SignInWithApple", ProviderDetails: { client_id: "x" } }),
      "InvalidParameterException",
      "client_id, private_key, team_id, and key_id are all required idp details.",
    );
    const { oidc_issuer: _gone, ...noIssuer } = OIDC_DETAILS;
    await expectError(
      create({ ProviderName: "NoIssuer", ProviderDetails: noIssuer }),
      "InvalidParameterException",
      "client_id, authorize_scopes, oidc_issuer and attributes_request_method are all required idp details.",
    );
    await expectError(
      create({ ProviderName: "NoMetadata", ProviderType: "SAML", ProviderDetails: { IDPSignout: "true" } }),
      "InvalidParameterException",
      /MetadataFile or MetadataURL/,
    );
    await expectError(
      create({
        ProviderName: "BothMetadata",
        ProviderType: "SAML",
        ProviderDetails: { MetadataURL: "https://idp.example.com/m", MetadataFile: "<EntityDescriptor/>" },
      }),
      "InvalidParameterException",
      /MetadataFile or MetadataURL/,
    );
  });

  it("refuses unknown keys and bad values in ProviderDetails", async () => {
    await expectError(
      create({ ProviderName: "Extra", ProviderDetails: { ...OIDC_DETAILS, api_version: "v1" } }),
      "InvalidParameterException",
      "ProviderDetails key api_version is not supported for OIDC identity providers.",
    );
    await expectError(
      create({ ProviderName: "Method", ProviderDetails: { ...OIDC_DETAILS, attributes_request_method: "PUT" } }),
      "InvalidParameterException",
      "ProviderDetails attributes_request_method must be GET or POST.",
    );
    await expectError(
      create({
        ProviderName: "PlainHttp",
        ProviderDetails: { ...OIDC_DETAILS, oidc_issuer: "http://idp.example.com" },
      }),
      "InvalidParameterException",
      /ProviderDetails oidc_issuer must be an https URL/,
    );
    await expectError(
      create({
        ProviderName: "Algo",
        ProviderType: "SAML",
        ProviderDetails: { MetadataURL: "https://idp.example.com/m", RequestSigningAlgorithm: "rsa-sha1" },
      }),
      "InvalidParameterException",
      "ProviderDetails RequestSigningAlgorithm must be rsa-sha256.",
    );
  });

  it("refuses an AttributeMapping onto attributes the pool does not have, and sub", async () => {
    await expectError(
      create({ ProviderName: "Unknown", AttributeMapping: { "custom:nope": "x" } }),
      "InvalidParameterException",
      /custom:nope/,
    );
    await expectError(
      create({ ProviderName: "Sub", AttributeMapping: { sub: "sub" } }),
      "InvalidParameterException",
      /sub/,
    );
  });

  it("keeps IdpIdentifiers unique in the pool", async () => {
    await create({ ProviderName: "First", IdpIdentifiers: ["first.example"] });
    await expectError(
      create({ ProviderName: "Second", IdpIdentifiers: ["first.example"] }),
      "DuplicateProviderException",
      /first\.example/,
    );
    await expectError(
      create({ ProviderName: "Third", IdpIdentifiers: ["dup", "dup"] }),
      "DuplicateProviderException",
      /dup/,
    );
  });

  it("refuses a pool that does not exist, and the 301st provider", async () => {
    await expectError(create({ ProviderName: "Xyz" }, "us-east-1_nope"), "ResourceNotFoundException");
    const pool = await createPool(t);
    const store = t.twin.services.store;
    const record = store.getPool(pool)!;
    const many = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [
        `P${i}`,
        { provider: { ProviderName: `P${i}`, ProviderType: "OIDC" as const } },
      ]),
    );
    store.putPool({ ...record, identityProviders: many });
    await expectError(create({ ProviderName: "OneTooMany" }, pool), "LimitExceededException", /300/);
  });

  it("DescribeIdentityProvider refuses a provider the pool does not have", async () => {
    await expectError(
      describeProvider("Nobody"),
      "ResourceNotFoundException",
      "Identity provider Nobody does not exist.",
    );
  });
});

describe("UpdateIdentityProvider", () => {
  it("changes what it is given, keeps the rest, and moves LastModifiedDate", async () => {
    const created = await create({
      ProviderName: "Updated",
      AttributeMapping: { email: "email" },
      IdpIdentifiers: ["u1"],
    });
    clock.advance(60);
    const { IdentityProvider } = await t.cognito.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Updated",
        ProviderDetails: { ...OIDC_DETAILS, attributes_request_method: "POST" },
      }),
    );
    expect(IdentityProvider).toEqual({
      ...created.IdentityProvider,
      ProviderDetails: { ...OIDC_DETAILS, attributes_request_method: "POST", attributes_url_add_attributes: "false" },
      LastModifiedDate: new Date(clock.now()),
    });
    const again = await t.cognito.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Updated",
        AttributeMapping: { name: "name" },
        IdpIdentifiers: ["u1", "u2"],
      }),
    );
    expect(again.IdentityProvider).toMatchObject({
      AttributeMapping: { name: "name", username: "sub" },
      IdpIdentifiers: ["u1", "u2"],
    });
    expect((await describeProvider("Updated")).IdentityProvider).toEqual(again.IdentityProvider);
  });

  it("checks the new details against the provider's type, and refuses unknown providers and COGNITO", async () => {
    await create({ ProviderName: "Checked" });
    await expectError(
      t.cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Checked",
          ProviderDetails: { client_id: "x" },
        }),
      ),
      "InvalidParameterException",
      /are all required idp details/,
    );
    await expectError(
      t.cognito.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Nobody" })),
      "ResourceNotFoundException",
    );
    await expectError(
      t.cognito.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "COGNITO" })),
      "UnsupportedIdentityProviderException",
    );
  });
});

describe("ListIdentityProviders and GetIdentityProviderByIdentifier", () => {
  it("lists name, type and dates, in pages", async () => {
    const pool = await createPool(t);
    for (const name of ["Charlie", "Alpha", "Bravo"]) await create({ ProviderName: name }, pool);
    const first = await t.cognito.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 2 }));
    expect(first.Providers).toEqual([
      {
        ProviderName: "Alpha",
        ProviderType: "OIDC",
        CreationDate: expect.any(Date),
        LastModifiedDate: expect.any(Date),
      },
      {
        ProviderName: "Bravo",
        ProviderType: "OIDC",
        CreationDate: expect.any(Date),
        LastModifiedDate: expect.any(Date),
      },
    ]);
    expect(first.NextToken).toBeDefined();
    const names: string[] = [];
    for await (const page of paginateListIdentityProviders({ client: t.cognito, pageSize: 1 }, { UserPoolId: pool }))
      names.push(...(page.Providers ?? []).map((p) => p.ProviderName!));
    expect(names).toEqual(["Alpha", "Bravo", "Charlie"]);
    const empty = await t.cognito.send(new ListIdentityProvidersCommand({ UserPoolId: await createPool(t) }));
    expect(empty).toMatchObject({ Providers: [] });
    expect(empty.NextToken).toBeUndefined();
  });

  it("finds a provider by one of its identifiers", async () => {
    const pool = await createPool(t);
    const { IdentityProvider } = await create({ ProviderName: "Corp", IdpIdentifiers: ["corp.example", "corp"] }, pool);
    const found = await t.cognito.send(
      new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: "corp" }),
    );
    expect(found.IdentityProvider).toEqual(IdentityProvider);
    await expectError(
      t.cognito.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: "other" })),
      "ResourceNotFoundException",
      "No identity provider has the identifier other.",
    );
  });
});

describe("app clients' SupportedIdentityProviders", () => {
  it("may list COGNITO and the pool's providers, not others; deleting a provider takes it off the clients", async () => {
    const pool = await createPool(t);
    await create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS }, pool);
    await expectError(
      t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool,
          ClientName: "web",
          SupportedIdentityProviders: ["Facebook"],
        }),
      ),
      "InvalidParameterException",
      `The provider Facebook does not exist for User Pool ${pool}`,
    );
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool,
        ClientName: "web",
        SupportedIdentityProviders: ["COGNITO", "Google"],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    expect(UserPoolClient!.SupportedIdentityProviders).toEqual(["COGNITO", "Google"]);
    await t.cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" }));
    const after = await t.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }));
    expect(after.UserPoolClient!.SupportedIdentityProviders).toEqual(["COGNITO"]);
    await expectError(describeProvider("Google", pool), "ResourceNotFoundException");
    await expectError(
      t.cognito.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: pool,
          ClientId: clientId,
          SupportedIdentityProviders: ["Google"],
        }),
      ),
      "InvalidParameterException",
      `The provider Google does not exist for User Pool ${pool}`,
    );
  });

  it("DeleteIdentityProvider refuses unknown providers and COGNITO", async () => {
    await expectError(
      t.cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Nobody" })),
      "ResourceNotFoundException",
    );
    await expectError(
      t.cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "COGNITO" })),
      "UnsupportedIdentityProviderException",
    );
  });
});

describe("the seed file's IdentityProviders", () => {
  it("creates them through CreateIdentityProvider, before the clients that list them", async () => {
    const app = await createApp({
      logLevel: "silent",
      seed: {
        UserPools: [
          {
            Id: "us-east-1_SeedIdp1",
            PoolName: "seeded",
            IdentityProviders: [{ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS }],
            Clients: [{ ClientName: "web", SupportedIdentityProviders: ["COGNITO", "Google"] }],
          },
        ],
      },
    });
    try {
      const pool = app.services.store.getPool("us-east-1_SeedIdp1")!;
      expect(pool.identityProviders?.Google?.provider).toMatchObject({
        ProviderType: "Google",
        AttributeMapping: { username: "sub" },
        ProviderDetails: { token_url: "https://www.googleapis.com/oauth2/v4/token" },
      });
      expect(app.services.store.listClients(pool.id)[0]!.client.SupportedIdentityProviders).toEqual([
        "COGNITO",
        "Google",
      ]);
    } finally {
      await app.close();
    }
    await expect(
      createApp({
        logLevel: "silent",
        seed: {
          UserPools: [
            {
              Id: "us-east-1_SeedIdp2",
              PoolName: "bad",
              IdentityProviders: [{ ProviderName: "Google", ProviderType: "Google", ProviderDetails: {} }],
            },
          ],
        },
      }),
    ).rejects.toThrow(/identity provider Google.*are all required idp details/);
  });
});
