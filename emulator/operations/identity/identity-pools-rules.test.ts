// Identity pools' role choice and login checks through SDK v3's @aws-sdk/client-cognito-identity
// (docs/identity-pools.md): Token mappings by cognito:preferred_role alone, Rules mappings with
// StartsWith and NotEqual, AmbiguousRoleResolution's fallbacks, another pool's OpenID token, logins
// of two identities (ResourceConflictException) and a token under another provider's key.
import {
  type CognitoIdentityClient,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  type RoleMapping,
  SetIdentityPoolRolesCommand,
} from "@aws-sdk/client-cognito-identity";
import { AdminAddUserToGroupCommand, CreateGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { claimsOf, createClient, createPool, createUser, signIn } from "../../../test-support/auth-fixtures.js";
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
import type { TestTwin } from "../../../test-support/twin.js";

const it = identityTest;

/** Role ARNs of this file's groups and rules (any ARN-shaped string does). */
const ROLE = {
  lead: "arn:aws:iam::123456789012:role/twin-lead",
  crew: "arn:aws:iam::123456789012:role/twin-crew",
  eng: "arn:aws:iam::123456789012:role/twin-eng",
  staff: "arn:aws:iam::123456789012:role/twin-staff",
} as const;

/** The OpenID token's Logins key (the developer-authenticated flow's login). */
const OPEN_ID = "cognito-identity.amazonaws.com";

/** A confirmed user of the pool in these groups (made here; names must be new in the file). */
async function userInGroups(
  t: TestTwin,
  poolId: string,
  username: string,
  groups: readonly { name: string; roleArn?: string; precedence?: number }[],
): Promise<void> {
  await createUser(t, poolId, username);
  for (const g of groups) {
    await t.cognito.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: g.name, RoleArn: g.roleArn, Precedence: g.precedence }),
    );
    await t.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: g.name }));
  }
}

/** The role of the credentials GetId + GetCredentialsForIdentity give for these logins. */
async function roleOf(t: TestTwin, ci: CognitoIdentityClient, identityPoolId: string, logins: Record<string, string>) {
  const { credentials } = await credentialsFor(ci, identityPoolId, logins);
  return (await credentialsOwner(t.url, credentials.AccessKeyId!))?.roleArn;
}

/** Sets the pool's roles again with this one role mapping. */
async function setMapping(ci: CognitoIdentityClient, identityPoolId: string, key: string, mapping: RoleMapping) {
  await ci.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: identityPoolId,
      Roles: { authenticated: ROLES.authenticated, unauthenticated: ROLES.unauthenticated },
      RoleMappings: { [key]: mapping },
    }),
  );
}

describe("Token role mappings", () => {
  it("takes cognito:preferred_role without CustomRoleArn; no role in the token falls back per AmbiguousRoleResolution", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const key = `${providerOf(poolId)}:${clientId}`;
    const id = await createIdentityPool(
      ci,
      { poolId, clientId },
      {},
      { RoleMappings: { [key]: { Type: "Token", AmbiguousRoleResolution: "AuthenticatedRole" } } },
    );
    // Two roles in the token: only cognito:preferred_role (lowest Precedence) can choose one.
    await userInGroups(t, poolId, "token-lead", [
      { name: "token-crew", roleArn: ROLE.crew, precedence: 5 },
      { name: "token-lead", roleArn: ROLE.lead, precedence: 1 },
    ]);
    const { IdToken } = await signIn(t, clientId, "token-lead");
    expect(claimsOf(IdToken)).toMatchObject({ "cognito:preferred_role": ROLE.lead });
    expect(new Set(claimsOf(IdToken)["cognito:roles"] as string[])).toEqual(new Set([ROLE.lead, ROLE.crew]));
    const Logins = loginsOf(poolId, IdToken);
    const { identityId, credentials } = await credentialsFor(ci, id, Logins);
    expect(await credentialsOwner(t.url, credentials.AccessKeyId!)).toMatchObject({
      identityId,
      identityPoolId: id,
      roleArn: ROLE.lead,
      authenticated: true,
    });

    // A user in no group: no cognito:roles, no cognito:preferred_role.
    const plain = loginsOf(poolId, (await signIn(t, clientId, username)).IdToken);
    expect(claimsOf(plain[providerOf(poolId)]!)).not.toHaveProperty("cognito:preferred_role");
    expect(await roleOf(t, ci, id, plain)).toBe(ROLES.authenticated);
    await setMapping(ci, id, key, { Type: "Token", AmbiguousRoleResolution: "Deny" });
    expect(await refusal(roleOf(t, ci, id, plain))).toEqual({
      name: "NotAuthorizedException",
      message: `The ambiguous role mapping rules for: ${key} denied this request.`,
      status: 400,
    });
    // Deny refuses only what the token cannot choose for.
    expect(await roleOf(t, ci, id, Logins)).toBe(ROLE.lead);
  });
});

describe("Rules role mappings", () => {
  it("chooses by StartsWith and NotEqual, first rule first, and falls back per AmbiguousRoleResolution", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const key = `${providerOf(poolId)}:${clientId}`;
    const rules: RoleMapping = {
      Type: "Rules",
      AmbiguousRoleResolution: "AuthenticatedRole",
      RulesConfiguration: {
        Rules: [
          { Claim: "cognito:groups", MatchType: "StartsWith", Value: "eng-", RoleARN: ROLE.eng },
          { Claim: "cognito:groups", MatchType: "NotEqual", Value: "contractors", RoleARN: ROLE.staff },
        ],
      },
    };
    const id = await createIdentityPool(ci, { poolId, clientId }, {}, { RoleMappings: { [key]: rules } });
    await userInGroups(t, poolId, "rules-eng", [{ name: "eng-backend" }]);
    await userInGroups(t, poolId, "rules-sales", [{ name: "sales-eng" }]);
    await userInGroups(t, poolId, "rules-contractor", [{ name: "contractors" }]);
    const login = async (user: string) => loginsOf(poolId, (await signIn(t, clientId, user)).IdToken);
    const eng = await login("rules-eng");
    const sales = await login("rules-sales");
    const contractor = await login("rules-contractor");
    const nobody = await login(username);

    // eng-backend starts with "eng-" (the NotEqual rule would match too: the first rule wins).
    expect(await roleOf(t, ci, id, eng)).toBe(ROLE.eng);
    // sales-eng has "eng" but does not start with "eng-"; it is not "contractors".
    expect(await roleOf(t, ci, id, sales)).toBe(ROLE.staff);
    // contractors matches neither rule; a token without cognito:groups matches no rule, NotEqual included.
    expect(await roleOf(t, ci, id, contractor)).toBe(ROLES.authenticated);
    expect(claimsOf(nobody[providerOf(poolId)]!)).not.toHaveProperty("cognito:groups");
    expect(await roleOf(t, ci, id, nobody)).toBe(ROLES.authenticated);

    await setMapping(ci, id, key, { ...rules, AmbiguousRoleResolution: "Deny" });
    const denied = {
      name: "NotAuthorizedException",
      message: `The ambiguous role mapping rules for: ${key} denied this request.`,
      status: 400,
    };
    expect(await refusal(roleOf(t, ci, id, contractor))).toEqual(denied);
    expect(await refusal(roleOf(t, ci, id, nobody))).toEqual(denied);
    expect(await roleOf(t, ci, id, eng)).toBe(ROLE.eng);
    expect(await roleOf(t, ci, id, sales)).toBe(ROLE.staff);
  });
});

describe("another identity pool's OpenID token", () => {
  it("refuses a developer identity's token of another pool: Incorrect token audience", async ({ t, ci }) => {
    const x = await createIdentityPool(ci, undefined, { DeveloperProviderName: "dev.x" });
    const y = await createIdentityPool(ci, undefined, { DeveloperProviderName: "dev.y" });
    const fromX = await ci.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: x, Logins: { "dev.x": "user-1" } }),
    );
    const fromY = await ci.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: y, Logins: { "dev.y": "user-1" } }),
    );
    expect(claimsOf(fromX.Token!).aud).toBe(x);
    const wrongAudience = {
      name: "NotAuthorizedException",
      message: "Invalid login token. Incorrect token audience.",
      status: 400,
    };
    // Y's identity with X's token, and X's token given to Y's GetId.
    expect(
      await refusal(
        ci.send(
          new GetCredentialsForIdentityCommand({ IdentityId: fromY.IdentityId, Logins: { [OPEN_ID]: fromX.Token! } }),
        ),
      ),
    ).toEqual(wrongAudience);
    expect(
      await refusal(ci.send(new GetIdCommand({ IdentityPoolId: y, Logins: { [OPEN_ID]: fromX.Token! } }))),
    ).toEqual(wrongAudience);
    // Each token does for its own pool's identity.
    for (const { IdentityId, Token } of [fromX, fromY]) {
      const out = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [OPEN_ID]: Token! } }));
      expect(await credentialsOwner(t.url, out.Credentials!.AccessKeyId!)).toMatchObject({
        identityId: IdentityId,
        roleArn: ROLES.authenticated,
        authenticated: true,
      });
    }
  });
});

describe("logins of other identities and of other providers", () => {
  it("refuses logins of two identities, a login of another identity, and a token under another provider's key", async ({
    t,
    ci,
    poolId,
    clientId,
    username,
  }) => {
    const poolB = await createPool(t);
    const { clientId: clientB } = await createClient(t, poolB);
    await createUser(t, poolB, "bob");
    const dev = "dev.conflicts";
    const pool = await createIdentityPool(ci, undefined, {
      DeveloperProviderName: dev,
      CognitoIdentityProviders: [
        { ProviderName: providerOf(poolId), ClientId: clientId },
        { ProviderName: providerOf(poolB), ClientId: clientB },
      ],
    });
    const alice = (await signIn(t, clientId, username)).IdToken;
    const bob = (await signIn(t, clientB, "bob")).IdToken;
    const ofAlice = (await ci.send(new GetIdCommand({ IdentityPoolId: pool, Logins: loginsOf(poolId, alice) })))
      .IdentityId!;
    const ofBob = (await ci.send(new GetIdCommand({ IdentityPoolId: pool, Logins: loginsOf(poolB, bob) }))).IdentityId!;
    expect(ofBob).not.toBe(ofAlice);

    // GetId: logins found on two identities, whether user pools' or a developer identity's token.
    const twoIdentities = {
      name: "ResourceConflictException",
      message: "The logins given are linked to different identities.",
      status: 400,
    };
    const both = { ...loginsOf(poolId, alice), ...loginsOf(poolB, bob) };
    expect(await refusal(ci.send(new GetIdCommand({ IdentityPoolId: pool, Logins: both })))).toEqual(twoIdentities);
    const devUser = await ci.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: pool, Logins: { [dev]: "dev-user" } }),
    );
    expect(
      await refusal(
        ci.send(
          new GetIdCommand({ IdentityPoolId: pool, Logins: { ...loginsOf(poolId, alice), [OPEN_ID]: devUser.Token! } }),
        ),
      ),
    ).toEqual(twoIdentities);

    // An identity named with a login linked to another: GetCredentialsForIdentity for a guest,
    // GetOpenIdTokenForDeveloperIdentity for a developer user's identity.
    const anotherIdentity = {
      name: "ResourceConflictException",
      message: "A login given is already linked to a different identity.",
      status: 400,
    };
    const guest = (await ci.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId!;
    expect(
      await refusal(
        ci.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, Logins: loginsOf(poolId, alice) })),
      ),
    ).toEqual(anotherIdentity);
    expect(
      await refusal(
        ci.send(
          new GetOpenIdTokenForDeveloperIdentityCommand({
            IdentityPoolId: pool,
            Logins: { [dev]: "dev-user", ...loginsOf(poolB, bob) },
          }),
        ),
      ),
    ).toEqual(anotherIdentity);
    // Nothing was linked by the refused calls.
    for (const [identityId, logins] of [
      [ofAlice, [providerOf(poolId)]],
      [ofBob, [providerOf(poolB)]],
      [guest, []],
      [devUser.IdentityId!, [dev]],
    ] as const) {
      expect((await ci.send(new DescribeIdentityCommand({ IdentityId: identityId }))).Logins).toEqual(logins);
    }

    // User pool A's token under user pool B's key: its iss names A.
    const issuerMismatch = {
      name: "NotAuthorizedException",
      message: "Invalid login token. Issuer doesn't match providerName",
      status: 400,
    };
    const misnamed = { [providerOf(poolB)]: alice };
    expect(await refusal(ci.send(new GetIdCommand({ IdentityPoolId: pool, Logins: misnamed })))).toEqual(
      issuerMismatch,
    );
    expect(
      await refusal(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: ofBob, Logins: misnamed }))),
    ).toEqual(issuerMismatch);
  });
});
