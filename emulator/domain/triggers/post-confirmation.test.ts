// The post confirmation trigger through the SDK: the event each confirming call sends
// (ConfirmSignUp, AdminConfirmSignUp, a sign-up auto-confirmed by pre sign-up, ConfirmForgotPassword),
// and what a failing function leaves: the change stays, the call answers the error.
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  type CreateUserPoolRequest,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD } from "../../../test-support/auth-fixtures.js";
import { recordTrigger } from "../../../test-support/trigger-events.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";

const PRE = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
const POST = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";
const NEW_PASSWORD = "N3w-Passw0rd!";

let t: TestTwin;
beforeAll(async () => {
  // A short timeout, so that the timeout test waits a fraction of a second rather than Cognito's 5.
  t = await startTwin({}, { clock: new ManualClock(), triggerTimeoutMs: 300 });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

/** A pool whose LambdaConfig names the post confirmation function (email auto-verified), and a client. */
async function poolWithTrigger(input: Partial<CreateUserPoolRequest> = {}) {
  const poolId = await createPool(t, { LambdaConfig: { PostConfirmation: POST }, ...input });
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

/** Sets the post confirmation handler; answers the events it was called with. */
function onPostConfirmation(
  respond: (event: PostConfirmationTriggerEvent) => unknown = (event) => event,
): PostConfirmationTriggerEvent[] {
  return recordTrigger(t.twin.triggers, "post-confirmation", respond);
}

async function signUp(clientId: string, username: string) {
  return t.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );
}

function lastCode(poolId: string, username: string): string {
  const code = t.twin.services.inbox.list({ userPoolId: poolId, username }).at(-1)?.code;
  if (!code) throw new Error(`no code for ${username}`);
  return code;
}

const SDK = expect.stringMatching(/^aws-sdk-js-3\./);

describe("PostConfirmation_ConfirmSignUp", () => {
  it("ConfirmSignUp: the confirmed user's attributes with their status, and ClientMetadata", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onPostConfirmation();
    const { UserSub } = await signUp(clientId, "ada");
    expect(events).toEqual([]);
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "ada",
        ConfirmationCode: lastCode(poolId, "ada"),
        ClientMetadata: { campaign: "spring" },
      }),
    );
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "PostConfirmation_ConfirmSignUp",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "ada",
        callerContext: { awsSdkVersion: SDK, clientId },
        request: {
          userAttributes: {
            sub: UserSub,
            "cognito:user_status": "CONFIRMED",
            email: "ada@example.com",
            email_verified: "true",
          },
          clientMetadata: { campaign: "spring" },
        },
        response: {},
      },
    ]);
    // Keys in Cognito's order: sub, then the status, then the attributes.
    expect(Object.keys(events[0]!.request.userAttributes).slice(0, 2)).toEqual(["sub", "cognito:user_status"]);
  });

  it("lists a verified email the pool accepts as an alias as cognito:email_alias", async () => {
    const { poolId, clientId } = await poolWithTrigger({ AliasAttributes: ["email"] });
    const events = onPostConfirmation();
    await signUp(clientId, "bo");
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "bo", ConfirmationCode: lastCode(poolId, "bo") }),
    );
    expect(events[0]!.request.userAttributes).toMatchObject({ "cognito:email_alias": "bo@example.com" });
    expect(events[0]!.request).not.toHaveProperty("clientMetadata");
  });

  it("AdminConfirmSignUp: no client, the administrator's ClientMetadata", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onPostConfirmation();
    await signUp(clientId, "cy");
    await t.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "cy", ClientMetadata: { by: "admin" } }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmSignUp",
      userName: "cy",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: { userAttributes: { "cognito:user_status": "CONFIRMED" }, clientMetadata: { by: "admin" } },
    });
  });

  it("a sign-up that pre sign-up auto-confirms: after the user is stored, with SignUp's ClientMetadata", async () => {
    const { poolId, clientId } = await poolWithTrigger({ LambdaConfig: { PreSignUp: PRE, PostConfirmation: POST } });
    t.twin.triggers.set("pre-signup", (event: { response: Record<string, boolean> }) => {
      event.response.autoConfirmUser = true;
      return event;
    });
    let storedWhenCalled: string | undefined;
    const events = onPostConfirmation((event) => {
      storedWhenCalled = t.twin.services.store.getUser(poolId, "dee")?.status;
      return event;
    });
    const out = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "dee",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "dee@example.com" }],
        ClientMetadata: { plan: "free" },
      }),
    );
    expect(out.UserConfirmed).toBe(true);
    expect(storedWhenCalled).toBe("CONFIRMED");
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "PostConfirmation_ConfirmSignUp",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "dee",
        callerContext: { awsSdkVersion: SDK, clientId },
        request: {
          userAttributes: { sub: out.UserSub, "cognito:user_status": "CONFIRMED", email: "dee@example.com" },
          clientMetadata: { plan: "free" },
        },
        response: {},
      },
    ]);
  });

  it("is not invoked for a sign-up left to confirm, nor for AdminCreateUser", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onPostConfirmation();
    await signUp(clientId, "eli");
    await t.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "fay", MessageAction: "SUPPRESS" }),
    );
    expect(events).toEqual([]);
  });

  it("lets the function call the API about the user it is told of (no lock is held)", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    let seen: string | undefined;
    onPostConfirmation(async (event) => {
      const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: event.userName }));
      seen = user.UserStatus;
      return event;
    });
    await signUp(clientId, "gus");
    await t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "gus" }));
    expect(seen).toBe("CONFIRMED");
  });
});

describe("PostConfirmation_ConfirmForgotPassword", () => {
  it("ConfirmForgotPassword: the user's attributes after the reset, and ClientMetadata", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    await createUser(t, poolId, "hal");
    const events = onPostConfirmation();
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "hal" }));
    expect(events).toEqual([]);
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "hal",
        ConfirmationCode: lastCode(poolId, "hal"),
        Password: NEW_PASSWORD,
        ClientMetadata: { via: "app" },
      }),
    );
    const sub = t.twin.services.store.getUser(poolId, "hal")!.sub;
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "PostConfirmation_ConfirmForgotPassword",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "hal",
        callerContext: { awsSdkVersion: SDK, clientId },
        request: {
          userAttributes: {
            sub,
            "cognito:user_status": "CONFIRMED",
            email: "hal@example.com",
            email_verified: "true",
          },
          clientMetadata: { via: "app" },
        },
        response: {},
      },
    ]);
  });

  it("is not invoked when the code is wrong", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    await createUser(t, poolId, "ian");
    const events = onPostConfirmation();
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ian" }));
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: "ian",
          ConfirmationCode: "000000",
          Password: NEW_PASSWORD,
        }),
      ),
    ).rejects.toMatchObject({ name: "CodeMismatchException" });
    expect(events).toEqual([]);
  });
});

describe("when the function fails, the change stays and the call answers Cognito's error", () => {
  const failures: {
    what: string;
    handler?: (event: PostConfirmationTriggerEvent) => unknown;
    error: { name: string; message: unknown };
  }[] = [
    {
      what: "it throws",
      handler: () => {
        throw new Error("CRM is down");
      },
      error: { name: "UserLambdaValidationException", message: "PostConfirmation failed with error CRM is down." },
    },
    {
      what: "it gives no answer in time",
      handler: () => new Promise(() => undefined),
      error: {
        name: "UnexpectedLambdaException",
        message: "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function.",
      },
    },
    {
      what: "nothing runs the ARN",
      error: {
        name: "UnexpectedLambdaException",
        // Lambda's refusal, whose name the trigger service chooses (docs/decisions/0017, "Errors").
        message: expect.stringMatching(/^PostConfirmation invocation failed due to error [A-Za-z]+Exception\.$/),
      },
    },
    {
      what: "it answers no event",
      handler: () => "done",
      error: { name: "InvalidLambdaResponseException", message: "Invalid lambda function output : Invalid JSON" },
    },
  ];

  for (const f of failures) {
    it(`ConfirmSignUp, when ${f.what}: the user is confirmed all the same`, async () => {
      const { poolId, clientId } = await poolWithTrigger();
      await signUp(clientId, "jo");
      if (f.handler) onPostConfirmation(f.handler);
      const code = lastCode(poolId, "jo");
      await expect(
        t.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "jo", ConfirmationCode: code })),
      ).rejects.toMatchObject(f.error);
      const user = t.twin.services.store.getUser(poolId, "jo")!;
      expect(user.status).toBe("CONFIRMED");
      expect(user.attributes).toContainEqual({ Name: "email_verified", Value: "true" });
      // Confirming again is refused as for any confirmed user.
      await expect(
        t.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "jo", ConfirmationCode: code })),
      ).rejects.toMatchObject({ name: "NotAuthorizedException" });
    });
  }

  it("AdminConfirmSignUp: the user is confirmed all the same", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    await signUp(clientId, "kit");
    onPostConfirmation(() => {
      throw new Error("nope");
    });
    await expect(
      t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "kit" })),
    ).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error nope.",
    });
    expect(t.twin.services.store.getUser(poolId, "kit")?.status).toBe("CONFIRMED");
  });

  it("an auto-confirmed SignUp: the user exists, confirmed, and SignUp answers the error", async () => {
    const { poolId, clientId } = await poolWithTrigger({ LambdaConfig: { PreSignUp: PRE, PostConfirmation: POST } });
    t.twin.triggers.set("pre-signup", (event: { response: Record<string, boolean> }) => {
      event.response.autoConfirmUser = true;
      return event;
    });
    onPostConfirmation(() => {
      throw new Error("welcome mail failed");
    });
    await expect(signUp(clientId, "lou")).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error welcome mail failed.",
    });
    expect(t.twin.services.store.getUser(poolId, "lou")?.status).toBe("CONFIRMED");
  });

  it("ConfirmForgotPassword: the new password is set all the same", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    await createUser(t, poolId, "max");
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "max" }));
    onPostConfirmation(() => {
      throw new Error("audit log full");
    });
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: "max",
          ConfirmationCode: lastCode(poolId, "max"),
          Password: NEW_PASSWORD,
        }),
      ),
    ).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error audit log full.",
    });
    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "max", PASSWORD: NEW_PASSWORD },
      }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toBeDefined();
  });
});
