// CUSTOM_AUTH through SDK v3 with in-process define, create and verify auth challenge handlers:
// a passwordless code flow, wrong answers ending in failAuthentication, SRP first and then a
// custom challenge, the admin operations, unknown users behind PreventUserExistenceErrors, the
// answers define may not give, and each trigger failing (throw, timeout, unmapped, bad output)
// with the session used up and no tokens issued.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  PASSWORD,
  secretHash,
} from "../../../test-support/auth-fixtures.js";
import { fileClock } from "../../../test-support/fixtures.js";
import { SrpClient } from "../../../test-support/srp-client.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const DEFINE = "arn:aws:lambda:us-east-1:123456789012:function:define-auth";
const CREATE = "arn:aws:lambda:us-east-1:123456789012:function:create-auth";
const VERIFY = "arn:aws:lambda:us-east-1:123456789012:function:verify-auth";
const FLOWS = ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;

let t: TestTwin;
const clock = fileClock(() => t?.twin);
let poolId: string;
let clientId: string;
let hidingClientId: string;
let secretClient: { clientId: string; clientSecret?: string };

beforeAll(async () => {
  t = await startTwin({}, { clock, triggerTimeoutMs: 200 });
  poolId = await createPool(t, {
    LambdaConfig: { DefineAuthChallenge: DEFINE, CreateAuthChallenge: CREATE, VerifyAuthChallengeResponse: VERIFY },
  });
  clientId = (await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] })).clientId;
  hidingClientId = (
    await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: "ENABLED" })
  ).clientId;
  secretClient = await createClient(t, poolId, { ExplicitAuthFlows: [...FLOWS], GenerateSecret: true });
  await createUser(t, poolId, "alice");
});
afterAll(() => t.close());
afterEach(() => {
  t.twin.triggers.clear();
  t.twin.triggers.forgetInvocations();
});

/** The codes the create handler "sent", newest last. */
let sent: string[] = [];

/**
 * The passwordless sample's three functions: a code per challenge, three tries, then failure;
 * define issues tokens once the last custom challenge was answered right.
 */
function passwordless(tries = 3): void {
  sent = [];
  t.twin.triggers.set(DEFINE, async (event: DefineAuthChallengeTriggerEvent) => {
    const session = event.request.session;
    const last = session.at(-1);
    if (last?.challengeName === "SRP_A") {
      event.response.challengeName = "PASSWORD_VERIFIER";
      event.response.issueTokens = false;
      event.response.failAuthentication = false;
    } else if (last?.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult) {
      event.response.issueTokens = true;
      event.response.failAuthentication = false;
    } else if (session.filter((s) => s.challengeName === "CUSTOM_CHALLENGE").length >= tries) {
      event.response.issueTokens = false;
      event.response.failAuthentication = true;
    } else {
      event.response.challengeName = "CUSTOM_CHALLENGE";
      event.response.issueTokens = false;
      event.response.failAuthentication = false;
    }
    return event;
  });
  t.twin.triggers.set(CREATE, async (event: CreateAuthChallengeTriggerEvent) => {
    const code = String(100000 + sent.length);
    sent.push(code);
    event.response.publicChallengeParameters = { email: event.request.userAttributes.email ?? "" };
    event.response.privateChallengeParameters = { code };
    event.response.challengeMetadata = `CODE-${code}`;
    return event;
  });
  t.twin.triggers.set(VERIFY, async (event: VerifyAuthChallengeResponseTriggerEvent) => {
    event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.code;
    return event;
  });
}

function start(username = "alice", client = clientId, extra: Record<string, string> = {}) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: { USERNAME: username, ...extra },
    }),
  );
}

function answer(session: string | undefined, text: string, username = "alice", client = clientId, extra = {}) {
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: client,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: username, ANSWER: text, ...extra },
      ClientMetadata: { app: "tests" },
    }),
  );
}

/** The events of the invocations so far of one trigger source, in order. */
function events(source: string): Record<string, unknown>[] {
  return t.twin.triggers.invocations
    .filter((i) => i.triggerSource === source)
    .map((i) => i.event as Record<string, unknown>);
}

function requestOf(event: Record<string, unknown> | undefined): Record<string, unknown> {
  return (event?.request ?? {}) as Record<string, unknown>;
}

function sessions(): number {
  const user = t.twin.services.store.getUser(poolId, "alice")!;
  return [...t.twin.services.store.sessionsOf(poolId, user.sub)].length;
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err as { name: string; message: string },
  );
  expect(e, "expected the call to fail").toBeDefined();
  return { name: e!.name, message: e!.message };
}

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const UNRECOGNIZABLE = { name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" };

describe("a passwordless flow: define, create (a code), verify", () => {
  it("answers CUSTOM_CHALLENGE with the public parameters and USERNAME, then tokens for the right code", async () => {
    passwordless();
    const before = sessions();
    const first = await start();
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.Session).toEqual(expect.any(String));
    expect(first.ChallengeParameters).toEqual({ email: "alice@example.com", USERNAME: "alice" });
    expect(first.AuthenticationResult).toBeUndefined();

    const done = await answer(first.Session, sent[0]!);
    expect(done.ChallengeName).toBeUndefined();
    expect(claimsOf(done.AuthenticationResult!.IdToken!)["cognito:username"]).toBe("alice");
    expect(done.AuthenticationResult!.RefreshToken).toEqual(expect.any(String));
    expect(sessions()).toBe(before + 1);
  });

  it("sends each trigger Cognito's event", async () => {
    passwordless();
    const first = await start();
    await answer(first.Session, sent[0]!);
    const user = t.twin.services.store.getUser(poolId, "alice")!;
    const userAttributes = {
      sub: user.sub,
      "cognito:user_status": "CONFIRMED",
      email: "alice@example.com",
      email_verified: "true",
    };
    const common = {
      version: "1",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "alice",
      callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-/), clientId },
    };
    const [define1, define2] = events("DefineAuthChallenge_Authentication");
    // InitiateAuth passes no ClientMetadata to define or create; the challenge answer passes its own.
    expect(define1).toEqual({
      ...common,
      triggerSource: "DefineAuthChallenge_Authentication",
      request: { userAttributes, session: [] },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    expect(events("CreateAuthChallenge_Authentication")).toEqual([
      {
        ...common,
        triggerSource: "CreateAuthChallenge_Authentication",
        request: { userAttributes, challengeName: "CUSTOM_CHALLENGE", session: [] },
        response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
      },
    ]);
    expect(events("VerifyAuthChallengeResponse_Authentication")).toEqual([
      {
        ...common,
        triggerSource: "VerifyAuthChallengeResponse_Authentication",
        request: {
          userAttributes,
          privateChallengeParameters: { code: sent[0] },
          challengeAnswer: sent[0],
          clientMetadata: { app: "tests" },
        },
        response: { answerCorrect: null },
      },
    ]);
    expect(define2).toEqual({
      ...common,
      triggerSource: "DefineAuthChallenge_Authentication",
      request: {
        userAttributes,
        session: [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: `CODE-${sent[0]}` }],
        clientMetadata: { app: "tests" },
      },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
  });

  it("asks again after a wrong answer, with a new Session, and fails after the third", async () => {
    passwordless(3);
    const first = await start();
    const second = await answer(first.Session, "000000");
    expect(second.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(second.Session).not.toBe(first.Session);
    // The session is single use: the first one is gone, even for the right code.
    expect(await failure(answer(first.Session, sent[0]!))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
    const third = await answer(second.Session, "000000");
    expect(third.ChallengeName).toBe("CUSTOM_CHALLENGE");
    const before = sessions();
    expect(await failure(answer(third.Session, "000000"))).toEqual(INCORRECT);
    expect(sessions()).toBe(before);

    const lastDefine = events("DefineAuthChallenge_Authentication").at(-1);
    expect(requestOf(lastDefine).session).toEqual(
      sent.map((code) => ({
        challengeName: "CUSTOM_CHALLENGE",
        challengeResult: false,
        challengeMetadata: `CODE-${code}`,
      })),
    );
    // Create sees the results so far, as define does.
    expect(requestOf(events("CreateAuthChallenge_Authentication")[1]).session).toEqual([
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: `CODE-${sent[0]}` },
    ]);
  });

  it("signs in after a wrong answer and then the right one", async () => {
    passwordless(3);
    const first = await start();
    const second = await answer(first.Session, "nope");
    const done = await answer(second.Session, sent[1]!);
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it("expires a challenge after the client's AuthSessionValidity (3 minutes)", async () => {
    passwordless();
    const first = await start();
    clock.advance(3 * 60_000 + 1000);
    expect(await failure(answer(first.Session, sent[0]!))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
  });

  it("refuses an answer naming another user, and leaves the session usable", async () => {
    passwordless();
    await createUser(t, poolId, "bob");
    const first = await start();
    expect(await failure(answer(first.Session, sent[0]!, "bob"))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
    expect((await answer(first.Session, sent[0]!)).AuthenticationResult).toBeDefined();
  });

  it("needs ANSWER", async () => {
    passwordless();
    const first = await start();
    const e = await failure(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: first.Session,
          ChallengeResponses: { USERNAME: "alice" },
        }),
      ),
    );
    expect(e.name).toBe("InvalidParameterException");
  });

  it("checks SECRET_HASH at both steps for a client with a secret", async () => {
    passwordless();
    const { clientId: id, clientSecret } = secretClient;
    expect((await failure(start("alice", id))).name).toBe("NotAuthorizedException");
    const hash = secretHash(clientSecret!, "alice", id);
    const first = await start("alice", id, { SECRET_HASH: hash });
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(await failure(answer(first.Session, sent[0]!, "alice", id))).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${id} is configured with secret but SECRET_HASH was not received`,
    });
    const done = await answer(first.Session, sent[0]!, "alice", id, { SECRET_HASH: hash });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it("refuses a disabled user before any trigger runs", async () => {
    passwordless();
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "alice" }));
    try {
      expect(await failure(start())).toEqual({ name: "NotAuthorizedException", message: "User is disabled." });
      expect(t.twin.triggers.invocations).toEqual([]);
    } finally {
      await t.cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: "alice" }));
    }
  });
});

describe("the admin operations", () => {
  it("run the same flow through AdminInitiateAuth and AdminRespondToAuthChallenge", async () => {
    passwordless();
    const first = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "alice" },
        ClientMetadata: { ignored: "by define" },
      }),
    );
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.ChallengeParameters?.USERNAME).toBe("alice");
    const done = await t.cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "alice", ANSWER: sent[0]! },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    const define = events("DefineAuthChallenge_Authentication");
    expect(define).toHaveLength(2);
    expect(requestOf(define[0]).clientMetadata).toBeUndefined();
    expect(define[0]!.callerContext).toEqual({ awsSdkVersion: expect.any(String), clientId });
  });
});

describe("SRP first, then a custom challenge", () => {
  async function srpStart(client: SrpClient, username = "alice", id = clientId): Promise<InitiateAuthCommandOutput> {
    return t.cognito.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: username, SRP_A: client.A, CHALLENGE_NAME: "SRP_A" },
      }),
    );
  }

  function passwordVerifier(client: SrpClient, started: InitiateAuthCommandOutput, password = PASSWORD) {
    return t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        Session: started.Session,
        ChallengeResponses: client.answer(started.ChallengeParameters!, password),
      }),
    );
  }

  it("runs define on SRP_A, verifies the password, then define on PASSWORD_VERIFIER and the custom challenge", async () => {
    passwordless();
    const srp = new SrpClient(poolId);
    const started = await srpStart(srp);
    expect(started.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(Object.keys(started.ChallengeParameters!).sort()).toEqual(
      ["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"].sort(),
    );
    expect(requestOf(events("DefineAuthChallenge_Authentication")[0]).session).toEqual([
      { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
    ]);

    const custom = await passwordVerifier(srp, started);
    expect(custom.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(requestOf(events("DefineAuthChallenge_Authentication")[1]).session).toEqual([
      { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
      { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
    ]);
    const done = await answer(custom.Session, sent[0]!);
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(requestOf(events("DefineAuthChallenge_Authentication")[2]).session).toEqual([
      { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
      { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: `CODE-${sent[0]}` },
    ]);
  });

  it("ends a wrong password with Incorrect username or password., without asking define again", async () => {
    passwordless();
    const srp = new SrpClient(poolId);
    const started = await srpStart(srp);
    expect(await failure(passwordVerifier(srp, started, "Wr0ng-password!"))).toEqual(INCORRECT);
    expect(events("DefineAuthChallenge_Authentication")).toHaveLength(1);
    expect(events("CreateAuthChallenge_Authentication")).toHaveLength(0);
  });

  it("lets define skip the password and go straight to its challenge", async () => {
    passwordless();
    t.twin.triggers.set(DEFINE, async (event: DefineAuthChallengeTriggerEvent) => {
      const last = event.request.session.at(-1);
      if (last?.challengeName === "CUSTOM_CHALLENGE") event.response.issueTokens = last.challengeResult;
      else event.response.challengeName = "CUSTOM_CHALLENGE";
      event.response.failAuthentication = false;
      return event;
    });
    const started = await srpStart(new SrpClient(poolId));
    expect(started.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(requestOf(events("CreateAuthChallenge_Authentication")[0]).session).toEqual([
      { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
    ]);
  });

  it("refuses PASSWORD_VERIFIER from define when the flow did not start with SRP_A", async () => {
    passwordless();
    t.twin.triggers.set(DEFINE, async (event: DefineAuthChallengeTriggerEvent) => {
      event.response.challengeName = "PASSWORD_VERIFIER";
      return event;
    });
    expect(await failure(start())).toEqual(UNRECOGNIZABLE);
  });

  it("answers a temporary password with NEW_PASSWORD_REQUIRED, then tokens without define", async () => {
    passwordless();
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "dave",
        TemporaryPassword: "Temp0rary-pass!",
        MessageAction: "SUPPRESS",
      }),
    );
    const srp = new SrpClient(poolId);
    const started = await srpStart(srp, "dave");
    const next = await passwordVerifier(srp, started, "Temp0rary-pass!");
    expect(next.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const done = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: next.Session,
        ChallengeResponses: { USERNAME: "dave", NEW_PASSWORD: "Brand-new-pass1!" },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(events("DefineAuthChallenge_Authentication")).toHaveLength(1);
    expect(requestOf(events("DefineAuthChallenge_Authentication")[0]).userAttributes).toMatchObject({
      "cognito:user_status": "FORCE_CHANGE_PASSWORD",
    });
  });

  it("runs the password step for a user whose password was set after creation", async () => {
    passwordless();
    await createUser(t, poolId, "carol");
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "carol",
        Password: "An0ther-pass!",
        Permanent: true,
      }),
    );
    const srp = new SrpClient(poolId);
    const started = await srpStart(srp, "carol");
    const custom = await passwordVerifier(srp, started, "An0ther-pass!");
    expect(custom.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(custom.ChallengeParameters?.USERNAME).toBe("carol");
  });
});

describe("who may start", () => {
  it("needs ALLOW_CUSTOM_AUTH on the client", async () => {
    passwordless();
    const { clientId: id } = await createClient(t, poolId, { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] });
    expect(await failure(start("alice", id))).toEqual({
      name: "InvalidParameterException",
      message: "CUSTOM_AUTH flow not enabled for this client",
    });
  });

  it("needs a define auth challenge function in the pool", async () => {
    const bare = await createPool(t);
    const { clientId: id } = await createClient(t, bare, { ExplicitAuthFlows: [...FLOWS] });
    await createUser(t, bare, "alice");
    expect(await failure(start("alice", id))).toEqual({
      name: "InvalidParameterException",
      message: "Custom auth lambda trigger is not configured for the user pool.",
    });
  });

  it("answers User does not exist. for an unknown name when the client does not hide users", async () => {
    passwordless();
    expect(await failure(start("nobody"))).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
    expect(t.twin.triggers.invocations).toEqual([]);
  });

  it("runs the flow with userNotFound for an unknown name when the client hides users, never to tokens", async () => {
    passwordless();
    const first = await start("nobody", hidingClientId);
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.ChallengeParameters).toEqual({ email: "", USERNAME: "nobody" });
    const define = events("DefineAuthChallenge_Authentication")[0]!;
    expect(define.userName).toBe("nobody");
    expect(define.request).toEqual({ userAttributes: {}, session: [], userNotFound: true });
    // Even the "right" code (define says issueTokens) gives no tokens to nobody.
    expect(await failure(answer(first.Session, sent[0]!, "nobody", hidingClientId))).toEqual(INCORRECT);
    expect(requestOf(events("VerifyAuthChallengeResponse_Authentication")[0]).userNotFound).toBe(true);
  });

  it("tells the triggers userNotFound: false for a known user when the client hides users", async () => {
    passwordless();
    const first = await start("alice", hidingClientId);
    await answer(first.Session, sent[0]!, "alice", hidingClientId);
    for (const source of [
      "DefineAuthChallenge_Authentication",
      "CreateAuthChallenge_Authentication",
      "VerifyAuthChallengeResponse_Authentication",
    ]) {
      expect(requestOf(events(source)[0]).userNotFound, source).toBe(false);
    }
  });
});

describe("a pool that signs in with email", () => {
  it("shows the generated username as USERNAME, and takes the email in the answer", async () => {
    passwordless();
    const pool = await createPool(t, {
      UsernameAttributes: ["email"],
      LambdaConfig: { DefineAuthChallenge: DEFINE, CreateAuthChallenge: CREATE, VerifyAuthChallengeResponse: VERIFY },
    });
    const { clientId: id } = await createClient(t, pool, { ExplicitAuthFlows: [...FLOWS] });
    const { clientId: hiding } = await createClient(t, pool, {
      ExplicitAuthFlows: [...FLOWS],
      PreventUserExistenceErrors: "ENABLED",
    });
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: "erin@example.com",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "erin@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const first = await start("erin@example.com", id);
    const username = first.ChallengeParameters!.USERNAME!;
    expect(username).toMatch(uuid);
    expect(events("DefineAuthChallenge_Authentication")[0]!.userName).toBe(username);
    const done = await answer(first.Session, sent[0]!, "erin@example.com", id);
    expect(claimsOf(done.AuthenticationResult!.AccessToken!).username).toBe(username);

    // An unknown email shows a UUID too, the same one each time, so it does not stand out.
    const fake = await start("nobody@example.com", hiding);
    expect(fake.ChallengeParameters!.USERNAME).toMatch(uuid);
    expect((await start("nobody@example.com", hiding)).ChallengeParameters!.USERNAME).toBe(
      fake.ChallengeParameters!.USERNAME,
    );
  });
});

describe("what define may answer", () => {
  function defineAnswers(response: Record<string, unknown>): void {
    passwordless();
    t.twin.triggers.set(DEFINE, async (event: DefineAuthChallengeTriggerEvent) => ({
      ...event,
      response: { ...event.response, ...response },
    }));
  }

  it("signs in at once on issueTokens", async () => {
    defineAnswers({ issueTokens: true });
    const out = await start();
    expect(out.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(events("CreateAuthChallenge_Authentication")).toHaveLength(0);
  });

  it("fails on failAuthentication, which wins over issueTokens", async () => {
    defineAnswers({ failAuthentication: true, issueTokens: true });
    const before = sessions();
    expect(await failure(start())).toEqual(INCORRECT);
    expect(sessions()).toBe(before);
  });

  it.each([
    ["no decision at all", {}],
    ["a challenge other than CUSTOM_CHALLENGE", { challengeName: "SMS_MFA" }],
    ["a boolean that is a string", { issueTokens: "true" }],
    ["a challenge name that is not a string", { challengeName: 7 }],
  ])("refuses %s as unrecognizable", async (_what, response) => {
    defineAnswers(response);
    expect(await failure(start())).toEqual(UNRECOGNIZABLE);
  });
});

describe("when a trigger fails", () => {
  it("answers UserLambdaValidationException with the message of a define that throws", async () => {
    passwordless();
    t.twin.triggers.set(DEFINE, async () => {
      throw new Error("no sign-in today");
    });
    expect(await failure(start())).toEqual({
      name: "UserLambdaValidationException",
      message: "DefineAuthChallenge failed with error no sign-in today.",
    });
  });

  it("answers UnexpectedLambdaException when create gives no answer in time", async () => {
    passwordless();
    t.twin.triggers.set(CREATE, () => new Promise(() => {}));
    expect(await failure(start())).toEqual({
      name: "UnexpectedLambdaException",
      message: "CreateAuthChallenge invocation failed due to error Socket timeout while invoking Lambda function.",
    });
  });

  it("refuses create parameters that are not strings", async () => {
    passwordless();
    t.twin.triggers.set(CREATE, async (event: CreateAuthChallengeTriggerEvent) => ({
      ...event,
      response: { publicChallengeParameters: { attempts: { left: 2 } }, privateChallengeParameters: {} },
    }));
    expect(await failure(start())).toEqual(UNRECOGNIZABLE);
  });

  it("uses up the session when verify cannot be invoked, and issues nothing", async () => {
    passwordless();
    const first = await start();
    t.twin.triggers.clear(VERIFY);
    const before = sessions();
    expect(await failure(answer(first.Session, sent[0]!))).toEqual({
      name: "UnexpectedLambdaException",
      // The reason is what run.ts reports for a function nothing runs.
      message: expect.stringMatching(/^VerifyAuthChallengeResponse invocation failed due to error \w+\.$/),
    });
    passwordless();
    expect(await failure(answer(first.Session, sent[0]!))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
    expect(sessions()).toBe(before);
  });

  it("refuses a verify answer whose answerCorrect is not a boolean", async () => {
    passwordless();
    const first = await start();
    t.twin.triggers.set(VERIFY, async (event: VerifyAuthChallengeResponseTriggerEvent) => ({
      ...event,
      response: { answerCorrect: "true" },
    }));
    expect(await failure(answer(first.Session, sent[0]!))).toEqual(UNRECOGNIZABLE);
  });

  it("answers the not-configured error when define asks for a challenge and the pool has no create function", async () => {
    const pool = await createPool(t, { LambdaConfig: { DefineAuthChallenge: DEFINE } });
    const { clientId: id } = await createClient(t, pool, { ExplicitAuthFlows: [...FLOWS] });
    await createUser(t, pool, "alice");
    passwordless();
    expect(await failure(start("alice", id))).toEqual({
      name: "InvalidParameterException",
      message: "Custom auth lambda trigger is not configured for the user pool.",
    });
  });
});
