// Identity pools beside the user pool (docs/identity-pools.md): a signed-in user exchanges the
// ID token for AWS credentials of the authenticated role, and a user in the admin group gets the
// admin role by a role mapping rule. Emulators only: whose credentials they are is read from the
// emulator's GET /_twin/identity-credentials, and live Cognito would need real IAM roles.
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from "@aws-sdk/client-cognito-identity";
import { check, equal, ok } from "./expect.js";
import type { Scenario, ScenarioContext, ScenarioUser } from "./types.js";

const ROLES = {
  authenticated: "arn:aws:iam::123456789012:role/scenario-authenticated",
  unauthenticated: "arn:aws:iam::123456789012:role/scenario-guest",
  admin: "arn:aws:iam::123456789012:role/scenario-admin",
};

/** The user's ID token, from a sign-in through the seed app's client. */
async function idToken(ctx: ScenarioContext, user: ScenarioUser): Promise<string> {
  const outcome = ok(await ctx.client.login(user.email, user.password), "sign-in");
  check(outcome.kind === "tokens", "sign-in answered a challenge instead of tokens");
  return outcome.tokens.idToken;
}

const identityPoolRoles: Scenario = {
  name: "identity-pool-roles",
  description:
    "a signed-in user gets credentials for the identity pool's authenticated role; a user in the admin group gets the admin role by rule",
  async run(ctx) {
    const endpoint = await ctx.cognito.config.endpoint?.();
    if (!endpoint)
      return ctx.skip("live Cognito: the credentials' role would need real IAM roles, and no test control says it");
    const base = `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ""}`;
    const identity = new CognitoIdentityClient({
      region: ctx.region,
      endpoint: base,
      credentials: ctx.cognito.config.credentials,
      maxAttempts: 1,
    });
    const provider = `cognito-idp.${ctx.region}.amazonaws.com/${ctx.poolId}`;
    let identityPoolId: string | undefined;
    try {
      identityPoolId = await ctx.step(
        "an identity pool on the user pool's client, with a rule for admins",
        async () => {
          const out = await identity.send(
            new CreateIdentityPoolCommand({
              IdentityPoolName: "scenario_identities",
              AllowUnauthenticatedIdentities: false,
              CognitoIdentityProviders: [{ ProviderName: provider, ClientId: ctx.clientId }],
            }),
          );
          await identity.send(
            new SetIdentityPoolRolesCommand({
              IdentityPoolId: out.IdentityPoolId!,
              Roles: { authenticated: ROLES.authenticated, unauthenticated: ROLES.unauthenticated },
              RoleMappings: {
                [`${provider}:${ctx.clientId}`]: {
                  Type: "Rules",
                  AmbiguousRoleResolution: "AuthenticatedRole",
                  RulesConfiguration: {
                    Rules: [{ Claim: "cognito:groups", MatchType: "Contains", Value: "admins", RoleARN: ROLES.admin }],
                  },
                },
              },
            }),
          );
          return out.IdentityPoolId!;
        },
      );
      const pool = identityPoolId;

      /** GetId + GetCredentialsForIdentity as Amplify makes them; answers the credentials' role. */
      const roleFor = async (token: string): Promise<string> => {
        const Logins = { [provider]: token };
        const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: pool, Logins }));
        const out = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
        const keyId = out.Credentials?.AccessKeyId;
        check(keyId?.startsWith("ASIA"), `AccessKeyId ${keyId} is not a session key`);
        const res = await fetch(`${base}/_twin/identity-credentials?accessKeyId=${keyId}`);
        if (res.status === 401 || res.status === 403) ctx.skip("the emulator's test controls need a control token");
        equal(res.status, 200, "GET /_twin/identity-credentials");
        const who = (await res.json()) as { identityId: string; roleArn: string };
        equal(who.identityId, IdentityId, "the credentials' identity");
        return who.roleArn;
      };

      const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
      await ctx.step("signed in: credentials for the authenticated role", async () => {
        equal(await roleFor(await idToken(ctx, user)), ROLES.authenticated, "role");
      });
      await ctx.step("in the admins group: credentials for the admin role, by rule", async () => {
        await ctx.admin.addToGroup(user.sub ?? user.email, "admins");
        equal(await roleFor(await idToken(ctx, user)), ROLES.admin, "role");
      });
    } finally {
      if (identityPoolId) await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: identityPoolId }));
      identity.destroy();
    }
  },
};

/** The identity pool scenarios. */
export const identityPoolScenarios: readonly Scenario[] = [identityPoolRoles];
