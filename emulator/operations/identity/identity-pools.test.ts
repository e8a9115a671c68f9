// The identity pools' API through SDK v3's @aws-sdk/client-cognito-identity (and
// fromCognitoIdentityPool of @aws-sdk/credential-providers): pool administration, GetId and
// GetCredentialsForIdentity for guests and signed-in users, role mappings, the classic flow's
// OpenID token, developer-authenticated identities, and the refusals of bad logins.
import {
  DeleteIdentitiesCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetIdentityPoolRolesCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  GetPrincipalTagAttributeMapCommand,
  ListIdentitiesCommand,
  ListIdentityPoolsCommand,
  ListTagsForResourceCommand,
  LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  type SetIdentityPoolRolesInput,
  SetPrincipalTagAttributeMapCommand,
  TagResourceCommand,
  UnlinkDeveloperIdentityCommand,
  UnlinkIdentityCommand,
  UntagResourceCommand,
  UpdateIdentityPoolCommand,
} from "@aws-sdk/client-cognito-identity";
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  CreateGroupCommand,
  GlobalSignOutCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { claimsOf, createUser, headerOf, signIn } from "../../../test-support/auth-fixtures.js";
import { describe, expect } from "../../../test-support/fixtures.js";
import {
  createIdentityPool,
  credentialsFor,
  credentialsOwner,
  identityTest,
  loginsOf,
  providerOf,
  ROLES,
} from "../../../test-support/identity-fixtures.js";
import { refusal } from "../../../test-support/refusal.js";

const it = identityTest;

describe("identity pool administration", () => {
  it("creates, describes, updates, lists, tags and deletes an identity pool", async ({ t, ci, poolId, clientId }) => {
    const id = await createIdentityPool(ci, { poolId, clientId }, { IdentityPoolTags: { team: "web" } });
    expect(id).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const described = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }));
    expect(described).toMatchObject({
      IdentityPoolId: id,
      IdentityPoolName: "twin_identities",
      AllowUnauthenticatedIdentities: true,
      CognitoIdentityProviders: [{ ProviderName: providerOf(poolId), ClientId: clientId, ServerSideTokenCheck: false }],
      IdentityPoolTags: { team: "web" },
    });
    await ci.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: id,
        IdentityPoolName: "renamed",
        AllowUnauthenticatedIdentities: false,
        AllowClassicFlow: false,
        DeveloperProviderName: "login.example.app",
      }),
    );
    const updated = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }));
    expect(updated).toMatchObject({
      IdentityPoolName: "renamed",
      AllowClassicFlow: false,
      IdentityPoolTags: { team: "web" },
    });
    expect(updated.CognitoIdentityProviders).toBeUndefined();
    expect(
      await refusal(
        ci.send(
          new UpdateIdentityPoolCommand({
            IdentityPoolId: id,
            IdentityPoolName: "renamed",
            AllowUnauthenticatedIdentities: false,
            DeveloperProviderName: "other.provider",
          }),
        ),
      ),
    ).toMatchObject({ name: "InvalidParameterException" });

    const listed = await ci.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
    expect(listed.IdentityPools).toContainEqual({ IdentityPoolId: id, IdentityPoolName: "renamed" });

    const arn = `arn:aws:cognito-identity:us-east-1:${t.twin.services.config.accountId}:identitypool/${id}`;
    await ci.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: "test" } }));
    await ci.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team"] }));
    expect((await ci.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({ env: "test" });

    const roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
    expect(roles).toMatchObject({ IdentityPoolId: id, Roles: { authenticated: ROLES.authenticated } });

    await ci.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id }));
    expect(await refusal(ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })))).toEqual({
      name: "ResourceNotFoundException",
      message: `IdentityPool '${id}' not found.`,
      status: 400,
    });
  });

  it("refuses role mappings for providers the pool lacks, or without AmbiguousRoleResolution", async ({
    ci,
    poolId,
    clientId,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const mapping = (RoleMappings: SetIdentityPoolRolesInput["RoleMappings"]) =>
      refusal(
        ci.send(
          new SetIdentityPoolRolesCommand({
            IdentityPoolId: id,
            Roles: { authenticated: ROLES.authenticated },
            RoleMappings,
          }),
        ),
      );
    expect(await mapping({ "accounts.google.com": { Type: "Token", AmbiguousRoleResolution: "Deny" } })).toMatchObject({
      name: "InvalidParameterException",
      message: "accounts.google.com is not a valid RoleMapping ProviderName or is not a configured provider.",
    });
    expect(await mapping({ [`${providerOf(poolId)}:${clientId}`]: { Type: "Token" } })).toMatchObject({
      name: "InvalidParameterException",
    });
  });
});

describe("GetId and GetCredentialsForIdentity", () => {
  it("gives a guest the unauthenticated role's credentials, well-formed, for an hour", async ({ t, ci, clock }) => {
    const id = await createIdentityPool(ci);
    const { identityId: IdentityId, credentials: c } = await credentialsFor(ci, id);
    expect(IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(c.SessionToken!.length).toBeGreaterThan(100);
    expect(c.Expiration!.getTime()).toBe(clock.now() + 3600_000);
    expect(await credentialsOwner(t.url, c.AccessKeyId!)).toMatchObject({
      identityId: IdentityId,
      identityPoolId: id,
      roleArn: ROLES.unauthenticated,
      authenticated: false,
      secretKey: c.SecretKey,
    });
    // An hour later they are nobody's.
    clock.advance(3600);
    expect(await credentialsOwner(t.url, c.AccessKeyId!)).toBeUndefined();
  });

  it("refuses guests when the pool does not allow them", async ({ ci }) => {
    const id = await createIdentityPool(ci, undefined, { AllowUnauthenticatedIdentities: false });
    expect(await refusal(ci.send(new GetIdCommand({ IdentityPoolId: id })))).toEqual({
      name: "NotAuthorizedException",
      message: "Unauthenticated access is not supported for this identity pool.",
      status: 400,
    });
  });

  it("gives a signed-in user one identity and the authenticated role", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const { IdToken } = await signIn(t, clientId, username);
    const Logins = loginsOf(poolId, IdToken);
    const first = await ci.send(new GetIdCommand({ IdentityPoolId: id, Logins }));
    // The second GetId finds the identity the first made.
    const again = await credentialsFor(ci, id, Logins);
    expect(again.identityId).toBe(first.IdentityId);
    const who = await credentialsOwner(t.url, again.credentials.AccessKeyId!);
    expect(who).toMatchObject({ roleArn: ROLES.authenticated, authenticated: true, logins: [providerOf(poolId)] });
    const described = await ci.send(new DescribeIdentityCommand({ IdentityId: first.IdentityId }));
    expect(described.Logins).toEqual([providerOf(poolId)]);
    // Without its login the identity is not anyone's to use.
    expect(await refusal(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: first.IdentityId })))).toEqual({
      name: "NotAuthorizedException",
      message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      status: 400,
    });
  });

  it("links a guest identity to the login given for it", async ({ t, ci, poolId, clientId, username }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: id }));
    const { IdToken } = await signIn(t, clientId, username);
    const Logins = loginsOf(poolId, IdToken);
    await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    expect((await ci.send(new GetIdCommand({ IdentityPoolId: id, Logins }))).IdentityId).toBe(IdentityId);
    await ci.send(new UnlinkIdentityCommand({ IdentityId, Logins, LoginsToRemove: [providerOf(poolId)] }));
    expect((await ci.send(new DescribeIdentityCommand({ IdentityId }))).Logins).toEqual([]);
  });

  it("answers fromCognitoIdentityPool's credentials, guest and signed in", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const clientConfig = { region: "us-east-1", endpoint: t.url, maxAttempts: 1 };
    const guest = await fromCognitoIdentityPool({ clientConfig, identityPoolId: id })();
    expect(guest.accessKeyId).toMatch(/^ASIA/);
    expect(guest.identityId).toMatch(/^us-east-1:/);
    const { IdToken } = await signIn(t, clientId, username);
    const user = await fromCognitoIdentityPool({
      clientConfig,
      identityPoolId: id,
      logins: loginsOf(poolId, IdToken),
    })();
    const who = await credentialsOwner(t.url, user.accessKeyId);
    expect(who).toMatchObject({ roleArn: ROLES.authenticated, identityId: user.identityId });
  });

  it("lists and deletes identities", async ({ ci }) => {
    const id = await createIdentityPool(ci);
    const a = (await ci.send(new GetIdCommand({ IdentityPoolId: id }))).IdentityId!;
    const b = (await ci.send(new GetIdCommand({ IdentityPoolId: id }))).IdentityId!;
    const page1 = await ci.send(new ListIdentitiesCommand({ IdentityPoolId: id, MaxResults: 1 }));
    expect(page1.Identities!.map((i) => i.IdentityId)).toEqual([a]);
    const page2 = await ci.send(
      new ListIdentitiesCommand({ IdentityPoolId: id, MaxResults: 1, NextToken: page1.NextToken }),
    );
    expect(page2.Identities!.map((i) => i.IdentityId)).toEqual([b]);
    expect(page2.NextToken).toBeUndefined();
    const out = await ci.send(
      new DeleteIdentitiesCommand({ IdentityIdsToDelete: [a, "us-east-1:00000000-0000-0000-0000-000000000000"] }),
    );
    expect(out.UnprocessedIdentityIds).toEqual([]);
    expect(await refusal(ci.send(new DescribeIdentityCommand({ IdentityId: a })))).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Identity '${a}' not found.`,
    });
  });
});

describe("roles by role mapping", () => {
  it("chooses the admin role by rule for a user in the admin group, and the default otherwise", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const mappingKey = `${providerOf(poolId)}:${clientId}`;
    const id = await createIdentityPool(
      ci,
      { poolId, clientId },
      {},
      {
        RoleMappings: {
          [mappingKey]: {
            Type: "Rules",
            AmbiguousRoleResolution: "AuthenticatedRole",
            RulesConfiguration: {
              Rules: [{ Claim: "cognito:groups", MatchType: "Contains", Value: "admins", RoleARN: ROLES.admin }],
            },
          },
        },
      },
    );
    const roleOf = async (idToken: string) => {
      const Logins = loginsOf(poolId, idToken);
      const { credentials } = await credentialsFor(ci, id, Logins);
      return (await credentialsOwner(t.url, credentials.AccessKeyId!))?.roleArn;
    };
    expect(await roleOf((await signIn(t, clientId, username)).IdToken)).toBe(ROLES.authenticated);
    await createUser(t, poolId, "root-user");
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins" }));
    await t.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "root-user", GroupName: "admins" }),
    );
    expect(await roleOf((await signIn(t, clientId, "root-user")).IdToken)).toBe(ROLES.admin);

    // Deny instead: a user no rule matches gets no credentials.
    await ci.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: id,
        Roles: { authenticated: ROLES.authenticated },
        RoleMappings: {
          [mappingKey]: {
            Type: "Rules",
            AmbiguousRoleResolution: "Deny",
            RulesConfiguration: {
              Rules: [{ Claim: "cognito:groups", MatchType: "Equals", Value: "admins", RoleARN: ROLES.admin }],
            },
          },
        },
      }),
    );
    expect(await refusal(roleOf((await signIn(t, clientId, username)).IdToken))).toEqual({
      name: "NotAuthorizedException",
      message: `The ambiguous role mapping rules for: ${mappingKey} denied this request.`,
      status: 400,
    });
  });

  it("takes the token's cognito:preferred_role with a Token mapping, and CustomRoleArn among cognito:roles", async ({
    t,
    ci,
    poolId,
    clientId,
  }) => {
    await t.cognito.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: "ops", RoleArn: ROLES.admin, Precedence: 1 }),
    );
    await createUser(t, poolId, "ops-user");
    await t.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "ops-user", GroupName: "ops" }),
    );
    const id = await createIdentityPool(
      ci,
      { poolId, clientId },
      {},
      {
        RoleMappings: { [`${providerOf(poolId)}:${clientId}`]: { Type: "Token", AmbiguousRoleResolution: "Deny" } },
      },
    );
    const Logins = loginsOf(poolId, (await signIn(t, clientId, "ops-user")).IdToken);
    const { identityId: IdentityId, credentials } = await credentialsFor(ci, id, Logins, ROLES.admin);
    const who = await credentialsOwner(t.url, credentials.AccessKeyId!);
    expect(who).toMatchObject({ roleArn: ROLES.admin });
    expect(
      await refusal(
        ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins, CustomRoleArn: ROLES.authenticated })),
      ),
    ).toMatchObject({ name: "NotAuthorizedException" });
  });

  it("refuses credentials when the pool has no role for the identity", async ({ ci }) => {
    const id = await createIdentityPool(ci, undefined, {}, { Roles: { authenticated: ROLES.authenticated } });
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: id }));
    expect(await refusal(ci.send(new GetCredentialsForIdentityCommand({ IdentityId })))).toEqual({
      name: "InvalidIdentityPoolConfigurationException",
      message: "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
      status: 400,
    });
  });

  it("puts the principal tag map's claims on the credentials", async ({ t, ci, poolId, clientId, username }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const provider = providerOf(poolId);
    await ci.send(
      new SetPrincipalTagAttributeMapCommand({
        IdentityPoolId: id,
        IdentityProviderName: provider,
        UseDefaults: true,
        PrincipalTags: { mail: "email" },
      }),
    );
    expect(
      await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: id, IdentityProviderName: provider })),
    ).toMatchObject({
      UseDefaults: true,
      PrincipalTags: { mail: "email" },
    });
    const { IdToken } = await signIn(t, clientId, username);
    const Logins = { [provider]: IdToken };
    const { credentials } = await credentialsFor(ci, id, Logins);
    const who = await credentialsOwner(t.url, credentials.AccessKeyId!);
    expect(who?.principalTags).toEqual({
      client: clientId,
      username: claimsOf(IdToken).sub,
      mail: `${username}@example.com`,
    });
  });
});

describe("OpenID tokens", () => {
  it("signs GetOpenIdToken's token with the pool's key, served at the JWKS URL, with Cognito's claims", async ({
    t,
    ci,
    clock,
    poolId,
    clientId,
    username,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId });
    const { IdToken } = await signIn(t, clientId, username);
    const provider = providerOf(poolId);
    const Logins = { [provider]: IdToken };
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: id, Logins }));
    const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
    expect(headerOf(Token!)).toMatchObject({ typ: "JWS", alg: "RS512" });
    const jwks = createRemoteJWKSet(new URL(`${t.url}/_identity/.well-known/jwks_uri`));
    const { payload } = await jwtVerify(Token!, jwks, {
      issuer: "https://cognito-identity.amazonaws.com",
      audience: id,
      currentDate: new Date(clock.now()),
    });
    const sub = claimsOf(IdToken).sub as string;
    expect(payload).toEqual({
      sub: IdentityId,
      aud: id,
      amr: ["authenticated", provider, `${provider}:CognitoSignIn:${sub}`],
      iss: "https://cognito-identity.amazonaws.com",
      "https://cognito-identity.amazonaws.com/identity-pool-arn": `arn:aws:cognito-identity:us-east-1:${t.twin.services.config.accountId}:identitypool/${id}`,
      exp: Math.floor(clock.now() / 1000) + 600,
      iat: Math.floor(clock.now() / 1000),
    });
    const guestId = (await ci.send(new GetIdCommand({ IdentityPoolId: id }))).IdentityId;
    const guest = await ci.send(new GetOpenIdTokenCommand({ IdentityId: guestId }));
    expect(claimsOf(guest.Token!).amr).toEqual(["unauthenticated"]);
  });

  it("refuses the classic flow when AllowClassicFlow is false", async ({ ci }) => {
    const id = await createIdentityPool(ci, undefined, { AllowClassicFlow: false });
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: id }));
    expect(await refusal(ci.send(new GetOpenIdTokenCommand({ IdentityId })))).toEqual({
      name: "InvalidParameterException",
      message: "Basic (classic) flow is not enabled, please use enhanced flow.",
      status: 400,
    });
  });
});

describe("developer-authenticated identities", () => {
  it("issues a token for a developer user, takes it back as a login, looks up, merges and unlinks", async ({
    t,
    ci,
    clock,
  }) => {
    const dev = "login.example.app";
    const id = await createIdentityPool(ci, undefined, {
      DeveloperProviderName: dev,
      AllowUnauthenticatedIdentities: false,
    });
    const first = await ci.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: id,
        Logins: { [dev]: "user-1" },
        TokenDuration: 120,
      }),
    );
    const claims = claimsOf(first.Token!);
    expect(claims).toMatchObject({
      sub: first.IdentityId,
      aud: id,
      amr: ["authenticated", dev, `${dev}:${id}:user-1`],
      exp: Math.floor(clock.now() / 1000) + 120,
    });
    const again = await ci.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: id, Logins: { [dev]: "user-1" } }),
    );
    expect(again.IdentityId).toBe(first.IdentityId);

    const out = await ci.send(
      new GetCredentialsForIdentityCommand({
        IdentityId: first.IdentityId,
        Logins: { "cognito-identity.amazonaws.com": first.Token! },
      }),
    );
    const who = await credentialsOwner(t.url, out.Credentials!.AccessKeyId!);
    expect(who).toMatchObject({ roleArn: ROLES.authenticated, authenticated: true });

    const second = await ci.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: id, Logins: { [dev]: "user-2" } }),
    );
    expect(second.IdentityId).not.toBe(first.IdentityId);
    // user-2 cannot join user-1's identity by naming it: it has one of its own.
    expect(
      await refusal(
        ci.send(
          new GetOpenIdTokenForDeveloperIdentityCommand({
            IdentityPoolId: id,
            IdentityId: first.IdentityId,
            Logins: { [dev]: "user-2" },
          }),
        ),
      ),
    ).toMatchObject({ name: "DeveloperUserAlreadyRegisteredException" });
    const merged = await ci.send(
      new MergeDeveloperIdentitiesCommand({
        IdentityPoolId: id,
        DeveloperProviderName: dev,
        SourceUserIdentifier: "user-2",
        DestinationUserIdentifier: "user-1",
      }),
    );
    expect(merged.IdentityId).toBe(first.IdentityId);
    const looked = await ci.send(
      new LookupDeveloperIdentityCommand({ IdentityPoolId: id, DeveloperUserIdentifier: "user-2" }),
    );
    expect(looked).toMatchObject({ IdentityId: first.IdentityId, DeveloperUserIdentifierList: ["user-1", "user-2"] });
    await ci.send(
      new UnlinkDeveloperIdentityCommand({
        IdentityPoolId: id,
        IdentityId: first.IdentityId,
        DeveloperProviderName: dev,
        DeveloperUserIdentifier: "user-2",
      }),
    );
    expect(
      await refusal(
        ci.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: id, DeveloperUserIdentifier: "user-2" })),
      ),
    ).toMatchObject({ name: "ResourceNotFoundException" });
    // The token of another pool's identity, or an expired one, vouches for nothing.
    clock.advance(121);
    expect(
      await refusal(
        ci.send(
          new GetCredentialsForIdentityCommand({
            IdentityId: first.IdentityId,
            Logins: { "cognito-identity.amazonaws.com": first.Token! },
          }),
        ),
      ),
    ).toMatchObject({
      name: "NotAuthorizedException",
      message: expect.stringMatching(/^Invalid login token. Token expired: \d+ >= \d+$/),
    });
  });
});

describe("bad logins", () => {
  it("refuses forged, expired, wrong-audience, access, revoked and unknown-provider tokens with Cognito Identity's errors", async ({
    t,
    ci,
    clock,
    poolId,
    clientId,
    username,
  }) => {
    const id = await createIdentityPool(ci, { poolId, clientId, serverSideTokenCheck: true });
    const provider = providerOf(poolId);
    const tokens = await signIn(t, clientId, username);
    const getId = (token: string, key = provider) =>
      ci.send(new GetIdCommand({ IdentityPoolId: id, Logins: { [key]: token } }));
    const [h, p, s] = tokens.IdToken.split(".");
    const forgedClaims = Buffer.from(JSON.stringify({ ...claimsOf(tokens.IdToken), sub: "someone-else" })).toString(
      "base64url",
    );
    expect(await refusal(getId(`${h}.${forgedClaims}.${s}`))).toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid login token. Couldn't verify signed token.",
    });
    expect(await refusal(getId(`${h}.${p}.${s!.slice(0, -4)}AAAA`))).toMatchObject({
      message: "Invalid login token. Couldn't verify signed token.",
    });
    expect(await refusal(getId("not-a-jwt"))).toMatchObject({
      message: "Invalid login token. Not a valid OpenId Connect identity token.",
    });
    expect(await refusal(getId(tokens.AccessToken))).toMatchObject({
      message: "Invalid login token. Missing a required claim: aud",
    });
    expect(
      await refusal(getId(tokens.IdToken, "cognito-idp.us-east-1.amazonaws.com/us-east-1_NotListed")),
    ).toMatchObject({
      message: "Token is not from a supported provider of this identity pool.",
    });
    expect(await refusal(getId(tokens.IdToken, "accounts.google.com"))).toMatchObject({
      name: "NotAuthorizedException",
      message: "Token is not from a supported provider of this identity pool.",
    });

    // Another client of the same user pool: the pool lists only the first.
    const other = await t.cognito.send(
      new (await import("@aws-sdk/client-cognito-identity-provider")).CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "other",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const otherTokens = await signIn(t, other.UserPoolClient!.ClientId!, username);
    expect(await refusal(getId(otherTokens.IdToken))).toMatchObject({
      message: "Invalid login token. Incorrect token audience.",
    });

    // Server-side token check: a global sign-out ends the token's standing.
    expect((await getId(tokens.IdToken)).IdentityId).toBeTruthy();
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    expect(await refusal(getId(tokens.IdToken))).toMatchObject({
      message: "Invalid login token. Token has been revoked.",
    });
    const fresh = await signIn(t, clientId, username);
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    expect(await refusal(getId(fresh.IdToken))).toMatchObject({
      message: "Invalid login token. Token has been revoked.",
    });
    await t.cognito.send(
      new (await import("@aws-sdk/client-cognito-identity-provider")).AdminEnableUserCommand({
        UserPoolId: poolId,
        Username: username,
      }),
    );

    // Expired on the emulator's clock, to the second.
    clock.advance(3600);
    const exp = claimsOf(fresh.IdToken).exp as number;
    expect(await refusal(getId(fresh.IdToken))).toMatchObject({
      message: `Invalid login token. Token expired: ${exp} >= ${exp}`,
    });
  });

  it("refuses a Google login clearly: the emulator cannot verify it", async ({ ci }) => {
    const id = await createIdentityPool(ci, undefined, {
      SupportedLoginProviders: { "accounts.google.com": "app-id" },
    });
    expect(
      await refusal(ci.send(new GetIdCommand({ IdentityPoolId: id, Logins: { "accounts.google.com": "eyJ.x.y" } }))),
    ).toMatchObject({
      name: "ExternalServiceException",
      message: expect.stringContaining("cannot verify tokens of accounts.google.com"),
    });
  });

  it("refuses unknown identities, another pool's identity and oversized Logins, never with a 5xx", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const a = await createIdentityPool(ci, { poolId, clientId });
    const b = await createIdentityPool(ci, undefined, { DeveloperProviderName: "dev.b" });
    const unknown = "us-east-1:11111111-2222-3333-4444-555555555555";
    expect(await refusal(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: unknown })))).toEqual({
      name: "ResourceNotFoundException",
      message: `Identity '${unknown}' not found.`,
      status: 400,
    });
    const { IdToken } = await signIn(t, clientId, username);
    const Logins = loginsOf(poolId, IdToken);
    const inA = (await ci.send(new GetIdCommand({ IdentityPoolId: a, Logins }))).IdentityId!;
    // Pool b does not take pool a's user pool, and does not know a's identity.
    expect(await refusal(ci.send(new GetIdCommand({ IdentityPoolId: b, Logins })))).toMatchObject({
      name: "NotAuthorizedException",
    });
    expect(
      await refusal(ci.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: b, IdentityId: inA }))),
    ).toMatchObject({ name: "ResourceNotFoundException", message: `Identity '${inA}' not found.` });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`provider${i}.example`, "token"]));
    expect(await refusal(ci.send(new GetIdCommand({ IdentityPoolId: a, Logins: eleven })))).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
    });
    const huge = loginsOf(poolId, "x".repeat(50_001));
    expect(await refusal(ci.send(new GetIdCommand({ IdentityPoolId: a, Logins: huge })))).toMatchObject({
      name: "InvalidParameterException",
      status: 400,
    });
  });
});
