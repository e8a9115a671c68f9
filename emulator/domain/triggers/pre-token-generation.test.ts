// The pre token generation trigger, event versions 1, 2 and 3, through SDK v3 and the OAuth
// endpoints: the event of each trigger source, every member of the answer applied to the
// decoded tokens, the claims Cognito protects left alone, and failures that issue nothing.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreTokenGenerationTriggerEvent, PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  PASSWORD,
  signIn,
} from "../../../test-support/auth-fixtures.js";
import { fileClock } from "../../../test-support/fixtures.js";
import { basic, CALLBACK, callbackQuery, hostedTwin, postForm } from "../../../test-support/hosted-fixtures.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const V1 = "arn:aws:lambda:us-east-1:123456789012:function:tokens-v1";
const V2 = "arn:aws:lambda:us-east-1:123456789012:function:tokens-v2";
const V3 = "arn:aws:lambda:us-east-1:123456789012:function:tokens-v3";
const ROLE_A = "arn:aws:iam::123456789012:role/admins";
const ROLE_B = "arn:aws:iam::123456789012:role/readers";

let t: TestTwin;
const clock = fileClock(() => t?.twin);
/** A pool with the legacy PreTokenGeneration ARN (version 1) and one with PreTokenGenerationConfig V2_0. */
const pools = { v1: { poolId: "", clientId: "" }, v2: { poolId: "", clientId: "", rotatingClientId: "" } };

async function groups(poolId: string): Promise<void> {
  await t.cognito.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName: "readers", Precedence: 5, RoleArn: ROLE_B }),
  );
  await t.cognito.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", Precedence: 1, RoleArn: ROLE_A }),
  );
  for (const GroupName of ["readers", "admins"])
    await t.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "alice", GroupName }));
}

beforeAll(async () => {
  t = await startTwin({}, { clock, triggerTimeoutMs: 200 });
  pools.v1.poolId = await createPool(t, { LambdaConfig: { PreTokenGeneration: V1 } });
  pools.v1.clientId = (await createClient(t, pools.v1.poolId)).clientId;
  pools.v2.poolId = await createPool(t, {
    LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: V2 } },
  });
  pools.v2.clientId = (await createClient(t, pools.v2.poolId)).clientId;
  pools.v2.rotatingClientId = (
    await createClient(t, pools.v2.poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    })
  ).clientId;
  for (const { poolId } of [pools.v1, pools.v2]) {
    await createUser(t, poolId, "alice");
    await groups(poolId);
  }
});
afterAll(() => t.close());
afterEach(() => {
  t.twin.triggers.clear();
  t.twin.triggers.forgetInvocations();
});

function events(): Record<string, unknown>[] {
  return t.twin.triggers.invocations.map((i) => i.event as Record<string, unknown>);
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err as { name: string; message: string },
  );
  expect(e, "expected the call to fail").toBeDefined();
  return { name: e!.name, message: e!.message };
}

function subOf(poolId: string): string {
  return t.twin.services.store.getUser(poolId, "alice")!.sub;
}

describe("version 1 (the legacy PreTokenGeneration ARN)", () => {
  it("sends the user's attributes and groups, and customises the id token and both tokens' groups", async () => {
    const { poolId, clientId } = pools.v1;
    const handler = async (event: PreTokenGenerationTriggerEvent) => {
      event.response.claimsOverrideDetails = {
        claimsToAddOrOverride: { tenant: "acme", email: "other@example.com", sub: "hijack", "cognito:username": "x" },
        claimsToSuppress: ["email_verified", "iss", "tenant2", "exp"],
        groupOverrideDetails: { groupsToOverride: ["g1"], iamRolesToOverride: [ROLE_B], preferredRole: ROLE_B },
      };
      return event;
    };
    t.twin.triggers.set(V1, handler);
    const tokens = await signIn(t, clientId, "alice");
    expect(events()).toEqual([
      {
        version: "1",
        triggerSource: "TokenGeneration_Authentication",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "alice",
        callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-/), clientId },
        request: {
          userAttributes: {
            sub: subOf(poolId),
            "cognito:user_status": "CONFIRMED",
            email: "alice@example.com",
            email_verified: "true",
          },
          groupConfiguration: {
            groupsToOverride: ["admins", "readers"],
            iamRolesToOverride: [ROLE_A, ROLE_B],
            preferredRole: ROLE_A,
          },
        },
        response: { claimsOverrideDetails: null },
      },
    ]);
    const id = claimsOf(tokens.IdToken);
    expect(id).toMatchObject({
      tenant: "acme",
      email: "other@example.com",
      sub: subOf(poolId),
      "cognito:username": "alice",
      "cognito:groups": ["g1"],
      "cognito:roles": [ROLE_B],
      "cognito:preferred_role": ROLE_B,
    });
    expect(id.email_verified).toBeUndefined();
    expect(typeof id.iss).toBe("string");
    expect(typeof id.exp).toBe("number");
    // Version 1 leaves the access token's claims alone, but its groups follow the override.
    const access = claimsOf(tokens.AccessToken);
    expect(access.tenant).toBeUndefined();
    expect(access["cognito:groups"]).toEqual(["g1"]);
    expect(access["cognito:roles"]).toBeUndefined();
  });

  it("keeps the groups when the answer leaves groupOverrideDetails out, removes them when it is empty", async () => {
    const { clientId } = pools.v1;
    t.twin.triggers.set(V1, async (event: { response: Record<string, unknown> }) => {
      event.response.claimsOverrideDetails = { claimsToAddOrOverride: { both: "x" }, claimsToSuppress: ["both"] };
      return event;
    });
    const kept = claimsOf((await signIn(t, clientId, "alice")).IdToken);
    expect(kept["cognito:groups"]).toEqual(["admins", "readers"]);
    // Added and suppressed: suppressed.
    expect(kept.both).toBeUndefined();
    t.twin.triggers.set(V1, async (event: { response: Record<string, unknown> }) => {
      event.response.claimsOverrideDetails = { groupOverrideDetails: {} };
      return event;
    });
    const tokens = await signIn(t, clientId, "alice");
    expect(claimsOf(tokens.IdToken)["cognito:groups"]).toBeUndefined();
    expect(claimsOf(tokens.AccessToken)["cognito:groups"]).toBeUndefined();
  });

  it("refuses a claim value that is not a string, and a failing function, with no session opened", async () => {
    const { poolId, clientId } = pools.v1;
    const before = t.twin.services.store.sessionsOf(poolId, subOf(poolId)).length;
    t.twin.triggers.set(V1, async (event: { response: Record<string, unknown> }) => {
      event.response.claimsOverrideDetails = { claimsToAddOrOverride: { roles: ["a", "b"] } };
      return event;
    });
    expect(await failure(signIn(t, clientId, "alice"))).toEqual({
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
    t.twin.triggers.set(V1, async () => {
      throw new Error("no tokens for you");
    });
    expect(await failure(signIn(t, clientId, "alice"))).toEqual({
      name: "UserLambdaValidationException",
      message: "PreTokenGeneration failed with error no tokens for you.",
    });
    t.twin.triggers.set(V1, () => new Promise(() => undefined));
    expect((await failure(signIn(t, clientId, "alice"))).name).toBe("UnexpectedLambdaException");
    t.twin.triggers.clear();
    expect((await failure(signIn(t, clientId, "alice"))).name).toBe("UnexpectedLambdaException");
    expect(t.twin.services.store.sessionsOf(poolId, subOf(poolId)).length).toBe(before);
  });
});

describe("version 2 (PreTokenGenerationConfig V2_0)", () => {
  const v2 = async (event: PreTokenGenerationV2TriggerEvent) => {
    event.response.claimsAndScopeOverrideDetails = {
      idTokenGeneration: {
        claimsToAddOrOverride: { roles: ["a", "b"], profile: { tier: 1 }, flag: true, email_verified: ["no"] } as never,
        claimsToSuppress: ["email"],
      },
      accessTokenGeneration: {
        claimsToAddOrOverride: { tenant: "acme", aud: event.callerContext.clientId, username: "evil", client_id: "x" },
        claimsToSuppress: ["auth_time", "username", "origin_jti"],
        scopesToAdd: ["https://api.example.com/read", "has space"],
        scopesToSuppress: ["aws.cognito.signin.user.admin"],
      },
    };
    return event;
  };

  it("sends the scopes and customises both tokens, JSON values and scopes included", async () => {
    const { poolId, clientId } = pools.v2;
    t.twin.triggers.set(V2, v2);
    const tokens = await signIn(t, clientId, "alice");
    const [event] = events();
    expect(event).toMatchObject({
      version: "2",
      triggerSource: "TokenGeneration_Authentication",
      userPoolId: poolId,
      request: {
        userAttributes: expect.objectContaining({ sub: subOf(poolId) }),
        scopes: ["aws.cognito.signin.user.admin"],
        groupConfiguration: { groupsToOverride: ["admins", "readers"] },
      },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(Object.keys(event!.request as object)).toEqual(["userAttributes", "scopes", "groupConfiguration"]);
    const id = claimsOf(tokens.IdToken);
    expect(id).toMatchObject({ roles: ["a", "b"], profile: { tier: 1 }, flag: true, email_verified: true });
    expect(id.email).toBeUndefined();
    const access = claimsOf(tokens.AccessToken);
    expect(access).toMatchObject({
      tenant: "acme",
      aud: clientId,
      username: "alice",
      client_id: clientId,
      scope: "https://api.example.com/read",
      "cognito:groups": ["admins", "readers"],
    });
    expect(typeof access.auth_time).toBe("number");
    expect(typeof access.origin_jti).toBe("string");
  });

  it("runs on REFRESH_TOKEN_AUTH as TokenGeneration_RefreshTokens, and on GetTokensFromRefreshToken with its ClientMetadata", async () => {
    const { clientId, rotatingClientId } = pools.v2;
    t.twin.triggers.set(V2, async (event: unknown) => event);
    const { RefreshToken } = await signIn(t, clientId, "alice");
    t.twin.triggers.set(V2, v2);
    t.twin.triggers.forgetInvocations();
    const out = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: RefreshToken },
        ClientMetadata: { ignored: "yes" },
      }),
    );
    expect(claimsOf(out.AuthenticationResult!.AccessToken!).tenant).toBe("acme");
    expect(events()[0]).toMatchObject({ triggerSource: "TokenGeneration_RefreshTokens" });
    expect((events()[0]!.request as Record<string, unknown>).clientMetadata).toBeUndefined();

    const rotating = await signIn(t, rotatingClientId, "alice");
    t.twin.triggers.forgetInvocations();
    const refreshed = await t.cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: rotatingClientId,
        RefreshToken: rotating.RefreshToken,
        ClientMetadata: { device: "tv" },
      }),
    );
    expect(claimsOf(refreshed.AuthenticationResult!.IdToken!).flag).toBe(true);
    const refresh = events().find((e) => e.triggerSource === "TokenGeneration_RefreshTokens")!;
    expect((refresh.request as Record<string, unknown>).clientMetadata).toEqual({ device: "tv" });

    // A failing function refreshes nothing: the rotating session keeps its refresh token.
    t.twin.triggers.set(V2, async () => {
      throw new Error("refresh refused");
    });
    const token = refreshed.AuthenticationResult!.RefreshToken!;
    expect(
      await failure(
        t.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotatingClientId, RefreshToken: token })),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PreTokenGeneration failed with error refresh refused.",
    });
    t.twin.triggers.set(V2, async (event: unknown) => event);
    const again = await t.cognito.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: rotatingClientId, RefreshToken: token }),
    );
    expect(again.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("NEW_PASSWORD_REQUIRED mints with TokenGeneration_NewPasswordChallenge and the answer's ClientMetadata", async () => {
    const { poolId, clientId } = pools.v2;
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "newbie",
        TemporaryPassword: "Temp0rary!",
        MessageAction: "SUPPRESS",
      }),
    );
    const started = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "newbie", PASSWORD: "Temp0rary!" },
      }),
    );
    t.twin.triggers.set(V2, async (event: unknown) => event);
    await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: started.Session,
        ChallengeResponses: { USERNAME: "newbie", NEW_PASSWORD: PASSWORD },
        ClientMetadata: { step: "2" },
      }),
    );
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({
      triggerSource: "TokenGeneration_NewPasswordChallenge",
      userName: "newbie",
      request: { clientMetadata: { step: "2" }, groupConfiguration: { groupsToOverride: [], preferredRole: null } },
    });
  });
});

describe("the OAuth endpoints", () => {
  it("a managed login sign-in runs TokenGeneration_HostedAuth at the token endpoint, with aws_client_metadata", async () => {
    const h = await hostedTwin({
      pool: { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: V2 } } },
      client: { ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    try {
      await h.user("ann");
      h.twin.triggers.set(V2, async (event: { request: { scopes: string[] }; response: Record<string, unknown> }) => {
        event.response.claimsAndScopeOverrideDetails = {
          accessTokenGeneration: { claimsToAddOrOverride: { seen: event.request.scopes.join(",") } },
        };
        return event;
      });
      const browser = h.browser();
      const login = await browser.open(h.authorizeUrl({ scope: "openid email" }));
      const done = await browser.submit(login, { username: "ann", password: PASSWORD });
      const code = callbackQuery(done.location).get("code")!;
      // Nothing is minted at the sign-in: the code is.
      expect(h.twin.triggers.invocations).toEqual([]);
      const redeemed = await postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "authorization_code",
        client_id: h.clientId,
        code,
        redirect_uri: CALLBACK,
        aws_client_metadata: JSON.stringify({ campaign: "spring" }),
      });
      expect(redeemed.status).toBe(200);
      expect(claimsOf(redeemed.body.access_token as string).seen).toBe("openid,email");
      const [hosted] = h.twin.triggers.invocations;
      expect(hosted!.triggerSource).toBe("TokenGeneration_HostedAuth");
      expect((hosted!.event as { request: unknown }).request).toMatchObject({
        scopes: ["openid", "email"],
        clientMetadata: { campaign: "spring" },
      });
      const refreshed = await postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "refresh_token",
        client_id: h.clientId,
        refresh_token: redeemed.body.refresh_token as string,
      });
      expect(claimsOf(refreshed.body.access_token as string).seen).toBe("openid,email");
      expect(h.twin.triggers.invocations.map((i) => i.triggerSource)).toEqual([
        "TokenGeneration_HostedAuth",
        "TokenGeneration_RefreshTokens",
      ]);
      // A failing function spends the code and issues nothing.
      h.twin.triggers.set(V2, async () => {
        throw new Error("closed");
      });
      const again = await browser.open(h.authorizeUrl({ scope: "openid" }));
      const second = callbackQuery(again.location).get("code")!;
      const refused = await postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "authorization_code",
        client_id: h.clientId,
        code: second,
        redirect_uri: CALLBACK,
      });
      expect(refused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    } finally {
      await h.close();
    }
  });

  it("client_credentials runs a version 3 trigger (TokenGeneration_ClientCredentials), and no version 2 one", async () => {
    for (const [version, arn] of [
      ["V3_0", V3],
      ["V2_0", V2],
    ] as const) {
      const h = await hostedTwin({
        pool: { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: version, LambdaArn: arn } } },
      });
      try {
        await h.api("CreateResourceServer", {
          UserPoolId: h.poolId,
          Identifier: "https://api.example.com",
          Name: "api",
          Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
        });
        const m2m = await h.api("CreateUserPoolClient", {
          UserPoolId: h.poolId,
          ClientName: "m2m",
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: ["https://api.example.com/read"],
        });
        const { ClientId: id, ClientSecret: secret } = m2m.UserPoolClient as { ClientId: string; ClientSecret: string };
        h.twin.triggers.set(arn, async (event: { response: Record<string, unknown> }) => {
          event.response.claimsAndScopeOverrideDetails = {
            idTokenGeneration: { claimsToAddOrOverride: { ignored: "yes" } },
            accessTokenGeneration: {
              claimsToAddOrOverride: { tenant: "acme", sub: "someone" },
              scopesToAdd: ["https://api.example.com/extra"],
            },
          };
          return event;
        });
        const out = await postForm(
          h.twin,
          `${h.base}/oauth2/token`,
          { grant_type: "client_credentials", aws_client_metadata: JSON.stringify({ job: "nightly" }) },
          basic(id, secret),
        );
        expect(out.status).toBe(200);
        const access = claimsOf(out.body.access_token as string);
        if (version === "V2_0") {
          expect(h.twin.triggers.invocations).toEqual([]);
          expect(access.tenant).toBeUndefined();
          continue;
        }
        expect(h.twin.triggers.invocations.map((i) => i.event)).toEqual([
          {
            version: "3",
            triggerSource: "TokenGeneration_ClientCredentials",
            region: "us-east-1",
            userPoolId: h.poolId,
            userName: id,
            callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: id },
            request: {
              userAttributes: {},
              scopes: ["https://api.example.com/read"],
              groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
              clientMetadata: { job: "nightly" },
            },
            response: { claimsAndScopeOverrideDetails: null },
          },
        ]);
        expect(access).toMatchObject({
          sub: id,
          tenant: "acme",
          scope: "https://api.example.com/read https://api.example.com/extra",
        });
        expect(access.ignored).toBeUndefined();
      } finally {
        await h.close();
      }
    }
  });
});
