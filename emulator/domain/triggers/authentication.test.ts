// The pre authentication and post authentication triggers through SDK v3: the events they get
// (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH, NEW_PASSWORD_REQUIRED), when they
// run (before the password check; after every proof, before tokens), users hidden by
// PreventUserExistenceErrors, and that a failing function ends the sign-in with nothing issued.
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PostAuthenticationTriggerEvent, PreAuthenticationTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../../test-support/auth-fixtures.js";
import { fileClock } from "../../../test-support/fixtures.js";
import { CALLBACK, callbackQuery, hostedTwin, postForm } from "../../../test-support/hosted-fixtures.js";
import { srpSignIn } from "../../../test-support/srp-client.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const PRE = "arn:aws:lambda:us-east-1:123456789012:function:pre-auth";
const POST = "arn:aws:lambda:us-east-1:123456789012:function:post-auth";
const FLOWS = [
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
] as const;

let t: TestTwin;
const clock = fileClock(() => t?.twin);
let poolId: string;
let clientId: string;
let hidingClientId: string;

beforeAll(async () => {
  t = await startTwin({}, { clock, triggerTimeoutMs: 200 });
  poolId = await createPool(t, { LambdaConfig: { PreAuthentication: PRE, PostAuthentication: POST } });
  clientId = (await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] })).clientId;
  hidingClientId = (
    await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: "ENABLED" })
  ).clientId;
  await createUser(t, poolId, "alice");
});
afterAll(() => t.close());
afterEach(() => {
  t.twin.triggers.clear();
  t.twin.triggers.forgetInvocations();
});

/** Handlers that return the event (the pass-through every trigger accepts). */
function passThrough(): void {
  const pre = async (event: PreAuthenticationTriggerEvent) => event;
  const post = async (event: PostAuthenticationTriggerEvent) => event;
  t.twin.triggers.set(PRE, pre);
  t.twin.triggers.set(POST, post);
}

/** What each invocation was, in order: trigger source and event. */
function invoked(): { source: string; event: Record<string, unknown> }[] {
  return t.twin.triggers.invocations.map((i) => ({
    source: i.triggerSource,
    event: i.event as Record<string, unknown>,
  }));
}

function sub(): string {
  return t.twin.services.store.getUser(poolId, "alice")!.sub;
}

function sessions(): number {
  return [...t.twin.services.store.sessionsOf(poolId, sub())].length;
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err as { name: string; message: string },
  );
  expect(e, "expected the call to fail").toBeDefined();
  return { name: e!.name, message: e!.message };
}

const aliceAttributes = () => ({
  sub: sub(),
  "cognito:user_status": "CONFIRMED",
  email: "alice@example.com",
  email_verified: "true",
});

describe("pre and post authentication on USER_PASSWORD_AUTH", () => {
  it("sends Cognito's events, pre before the password check and post before the tokens", async () => {
    passThrough();
    const out = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD },
        ClientMetadata: { app: "web" },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    const [pre, post, ...rest] = invoked();
    expect(rest).toEqual([]);
    expect(pre).toEqual({
      source: "PreAuthentication_Authentication",
      event: {
        version: "1",
        triggerSource: "PreAuthentication_Authentication",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "alice",
        callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-\d/), clientId },
        request: { userAttributes: aliceAttributes(), validationData: { app: "web" } },
        response: {},
      },
    });
    // InitiateAuth's ClientMetadata is the pre authentication trigger's only.
    expect(post).toEqual({
      source: "PostAuthentication_Authentication",
      event: {
        version: "1",
        triggerSource: "PostAuthentication_Authentication",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "alice",
        callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-\d/), clientId },
        request: { userAttributes: aliceAttributes(), newDeviceUsed: false },
        response: {},
      },
    });
  });

  it("a failing pre authentication ends the sign-in before the password is looked at", async () => {
    t.twin.triggers.set(PRE, async () => {
      throw new Error("Sign-in is closed");
    });
    const before = sessions();
    const e = await failure(signIn(t, clientId, "alice", "wrong-password"));
    expect(e).toEqual({
      name: "UserLambdaValidationException",
      message: "PreAuthentication failed with error Sign-in is closed.",
    });
    expect(invoked().map((i) => i.source)).toEqual(["PreAuthentication_Authentication"]);
    expect(sessions()).toBe(before);
    // The wrong password was never checked: no failed attempt was counted.
    expect(t.twin.services.store.getUser(poolId, "alice")!.failedSignIns).toBe(0);
  });

  it("a failing post authentication issues no tokens and opens no session", async () => {
    t.twin.triggers.set(PRE, async (event: unknown) => event);
    t.twin.triggers.set(POST, async () => {
      throw new Error("audit log unavailable");
    });
    const before = sessions();
    const e = await failure(signIn(t, clientId, "alice"));
    expect(e).toEqual({
      name: "UserLambdaValidationException",
      message: "PostAuthentication failed with error audit log unavailable.",
    });
    expect(sessions()).toBe(before);
  });

  it("runs neither on a refresh", async () => {
    passThrough();
    const { RefreshToken } = await signIn(t, clientId, "alice");
    t.twin.triggers.forgetInvocations();
    const out = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: RefreshToken },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    expect(invoked()).toEqual([]);
  });

  it("answers Cognito's errors for a timeout, an unmapped function and an answer that is no event", async () => {
    t.twin.triggers.set(PRE, () => new Promise(() => undefined));
    expect(await failure(signIn(t, clientId, "alice"))).toEqual({
      name: "UnexpectedLambdaException",
      message: "PreAuthentication invocation failed due to error Socket timeout while invoking Lambda function.",
    });
    t.twin.triggers.clear();
    const unmapped = await failure(signIn(t, clientId, "alice"));
    expect(unmapped.name).toBe("UnexpectedLambdaException");
    expect(unmapped.message).toMatch(/^PreAuthentication invocation failed due to error /);
    t.twin.triggers.set(PRE, async () => "not an event");
    expect(await failure(signIn(t, clientId, "alice"))).toEqual({
      name: "InvalidLambdaResponseException",
      message: "Invalid lambda function output : Invalid JSON",
    });
    // A post authentication answer that is not an event fails the sign-in too.
    t.twin.triggers.set(PRE, async (event: unknown) => event);
    t.twin.triggers.set(POST, async (event: { response: unknown }) => ({ ...event, response: "done" }));
    expect(await failure(signIn(t, clientId, "alice"))).toEqual({
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
  });
});

describe("unknown users", () => {
  it("runs pre authentication with userNotFound only where the client hides users", async () => {
    passThrough();
    const hidden = await failure(signIn(t, hidingClientId, "nobody"));
    expect(hidden).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    expect(invoked()).toEqual([
      {
        source: "PreAuthentication_Authentication",
        event: expect.objectContaining({
          userName: "nobody",
          request: { userAttributes: {}, validationData: {}, userNotFound: true },
        }),
      },
    ]);
    t.twin.triggers.forgetInvocations();
    expect((await failure(signIn(t, clientId, "nobody"))).name).toBe("UserNotFoundException");
    expect(invoked()).toEqual([]);
    // A user that exists is `userNotFound: false` for a client that hides users.
    await signIn(t, hidingClientId, "alice");
    expect(invoked()[0]!.event.request).toEqual({
      userAttributes: aliceAttributes(),
      validationData: {},
      userNotFound: false,
    });
  });
});

describe("the other sign-in flows", () => {
  it("ADMIN_USER_PASSWORD_AUTH passes AdminInitiateAuth's ClientMetadata as validationData", async () => {
    passThrough();
    await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD },
        ClientMetadata: { from: "admin" },
      }),
    );
    expect(invoked().map((i) => [i.source, (i.event.request as { validationData?: unknown }).validationData])).toEqual([
      ["PreAuthentication_Authentication", { from: "admin" }],
      ["PostAuthentication_Authentication", undefined],
    ]);
  });

  it("USER_SRP_AUTH runs pre authentication at InitiateAuth and post authentication after PASSWORD_VERIFIER", async () => {
    passThrough();
    const out = await srpSignIn(t.cognito, { poolId, clientId }, "alice", PASSWORD);
    expect(out.AuthenticationResult?.IdToken).toBeDefined();
    expect(invoked().map((i) => i.source)).toEqual([
      "PreAuthentication_Authentication",
      "PostAuthentication_Authentication",
    ]);
    t.twin.triggers.set(PRE, async () => {
      throw new Error("no SRP today");
    });
    const e = await failure(srpSignIn(t.cognito, { poolId, clientId }, "alice", PASSWORD));
    expect(e).toEqual({
      name: "UserLambdaValidationException",
      message: "PreAuthentication failed with error no SRP today.",
    });
  });

  it("NEW_PASSWORD_REQUIRED: post authentication once the new password is set, with the answer's ClientMetadata", async () => {
    passThrough();
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
    expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    expect(invoked().map((i) => i.source)).toEqual(["PreAuthentication_Authentication"]);
    await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: started.Session,
        ChallengeResponses: { USERNAME: "newbie", NEW_PASSWORD: "Perman3nt!" },
        ClientMetadata: { step: "new-password" },
      }),
    );
    const post = invoked()[1]!;
    expect(post.source).toBe("PostAuthentication_Authentication");
    expect(post.event.request).toEqual({
      userAttributes: expect.objectContaining({ "cognito:user_status": "CONFIRMED" }),
      newDeviceUsed: false,
      clientMetadata: { step: "new-password" },
    });
  });
});

describe("the managed login pages", () => {
  it("run pre and post authentication at the sign-in, and the token trigger only at the token endpoint", async () => {
    const TOKENS = "arn:aws:lambda:us-east-1:123456789012:function:tokens";
    const h = await hostedTwin({
      pool: { LambdaConfig: { PreAuthentication: PRE, PostAuthentication: POST, PreTokenGeneration: TOKENS } },
    });
    try {
      await h.user("ann");
      for (const arn of [PRE, POST, TOKENS]) h.twin.triggers.set(arn, async (event: unknown) => event);
      const browser = h.browser();
      const login = await browser.open(h.authorizeUrl({ scope: "openid" }));
      const done = await browser.submit(login, { username: "ann", password: PASSWORD });
      expect(h.twin.triggers.invocations.map((i) => i.triggerSource)).toEqual([
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
      ]);
      expect((h.twin.triggers.invocations[0]!.event as { request: unknown }).request).toEqual({
        userAttributes: expect.objectContaining({ "cognito:user_status": "CONFIRMED", email: "ann@example.com" }),
        validationData: {},
      });
      const redeemed = await postForm(h.twin, `${h.base}/oauth2/token`, {
        grant_type: "authorization_code",
        client_id: h.clientId,
        code: callbackQuery(done.location).get("code")!,
        redirect_uri: CALLBACK,
      });
      expect(redeemed.status).toBe(200);
      expect(h.twin.triggers.invocations.map((i) => i.triggerSource)).toEqual([
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
        "TokenGeneration_HostedAuth",
      ]);
      // A failing pre authentication shows its message on the sign-in page, and no code is issued.
      h.twin.triggers.set(PRE, async () => {
        throw new Error("Maintenance window");
      });
      const again = h.browser();
      const page = await again.open(h.authorizeUrl({ scope: "openid" }));
      const refused = await again.submit(page, { username: "ann", password: PASSWORD });
      expect(refused.status).toBe(200);
      expect(refused.body).toContain("PreAuthentication failed with error Maintenance window.");
    } finally {
      await h.close();
    }
  });
});
