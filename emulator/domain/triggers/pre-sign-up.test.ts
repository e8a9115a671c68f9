// The pre sign-up trigger through the SDK: the event SignUp and AdminCreateUser send, each flag of
// the response, each way the function can fail (and that no user is left behind), the managed
// login sign-up page, and the federated source called directly.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CreateUserPoolRequest,
  InitiateAuthCommand,
  SignUpCommand,
  type SignUpCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, PASSWORD } from "../../../test-support/auth-fixtures.js";
import { CALLBACK, callbackQuery, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { recordTrigger } from "../../../test-support/trigger-events.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";
import { preSignUpForExternalProvider } from "./pre-sign-up.js";

const PRE = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
const POST = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";
const PREFILLED = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

let t: TestTwin;
beforeAll(async () => {
  // A short timeout, so that the timeout test waits a fraction of a second rather than Cognito's 5.
  t = await startTwin({}, { clock: new ManualClock(), triggerTimeoutMs: 300 });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

/** A pool whose LambdaConfig names the pre sign-up function (email auto-verified), and a client. */
async function poolWithTrigger(input: Partial<CreateUserPoolRequest> = {}) {
  const poolId = await createPool(t, { LambdaConfig: { PreSignUp: PRE }, ...input });
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

/** Sets the pre sign-up handler; answers the events it was called with. */
function onPreSignUp(respond: (event: PreSignUpTriggerEvent) => unknown = (event) => event): PreSignUpTriggerEvent[] {
  return recordTrigger(t.twin.triggers, "pre-signup", respond);
}

function signUp(clientId: string, username: string, extra: Partial<SignUpCommandInput> = {}) {
  return t.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      ...extra,
    }),
  );
}

const messagesTo = (poolId: string, username: string) => t.twin.services.inbox.list({ userPoolId: poolId, username });

describe("PreSignUp_SignUp", () => {
  it("sends the new user's attributes, ValidationData and ClientMetadata, with the response pre-filled", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onPreSignUp();
    const out = await signUp(clientId, "carol", {
      ValidationData: [{ Name: "invite", Value: "abc123" }],
      ClientMetadata: { source: "landing-page" },
    });
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "PreSignUp_SignUp",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "carol",
        callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
        request: {
          userAttributes: { email: "carol@example.com" },
          validationData: { invite: "abc123" },
          clientMetadata: { source: "landing-page" },
        },
        response: PREFILLED,
      },
    ]);
    // Nothing set: an ordinary sign-up, with its confirmation code.
    expect(out.UserConfirmed).toBe(false);
    expect(out.CodeDeliveryDetails?.AttributeName).toBe("email");
    expect(t.twin.services.store.getUser(poolId, "carol")?.status).toBe("UNCONFIRMED");
    expect(messagesTo(poolId, "carol")).toHaveLength(1);
  });

  it("sends validationData null and no clientMetadata when the request has neither", async () => {
    const { clientId } = await poolWithTrigger();
    const events = onPreSignUp();
    await signUp(clientId, "dave");
    expect(events[0]!.request).toEqual({ userAttributes: { email: "dave@example.com" }, validationData: null });
  });

  it("names the new user by their UUID in an email-as-username pool", async () => {
    const { clientId } = await poolWithTrigger({ UsernameAttributes: ["email"] });
    const events = onPreSignUp();
    const out = await signUp(clientId, "erin@example.com", { UserAttributes: [] });
    expect(events[0]!.userName).toBe(out.UserSub);
    expect(events[0]!.request.userAttributes).toEqual({ email: "erin@example.com" });
  });

  it("autoConfirmUser: the user is CONFIRMED at once, is sent no code, and can sign in", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    onPreSignUp((event) => {
      event.response.autoConfirmUser = true;
      return event;
    });
    const out = await signUp(clientId, "frank");
    expect(out.UserConfirmed).toBe(true);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    expect(messagesTo(poolId, "frank")).toEqual([]);
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "frank" }));
    expect(user.UserStatus).toBe("CONFIRMED");
    // Confirmed without proof of the email: it stays unverified.
    expect(user.UserAttributes?.find((a) => a.Name === "email_verified")).toBeUndefined();
    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "frank", PASSWORD },
      }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("autoVerifyEmail and autoVerifyPhone with autoConfirmUser: both are stored as verified", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    onPreSignUp((event) => ({
      ...event,
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
    }));
    await signUp(clientId, "gina", {
      UserAttributes: [
        { Name: "email", Value: "gina@example.com" },
        { Name: "phone_number", Value: "+15555550100" },
      ],
    });
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "gina" }));
    expect(user.UserStatus).toBe("CONFIRMED");
    const attrs = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({ email_verified: "true", phone_number_verified: "true" });
    expect(messagesTo(poolId, "gina")).toEqual([]);
  });

  it("refuses auto-verifying without auto-confirming, and creates no user", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    onPreSignUp((event) => ({ ...event, response: { ...PREFILLED, autoVerifyEmail: true } }));
    await expect(signUp(clientId, "hank")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Phone or email cannot be auto verified, when user is not being auto confirmed.",
    });
    expect(t.twin.services.store.getUser(poolId, "hank")).toBeUndefined();
    expect(messagesTo(poolId, "hank")).toEqual([]);
  });

  it("refuses auto-verifying a phone number the user does not have, and creates no user", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    onPreSignUp((event) => ({
      ...event,
      response: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: true },
    }));
    await expect(signUp(clientId, "ivy")).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Phone number cannot be auto verified, when the user has no phone_number.",
    });
    expect(t.twin.services.store.getUser(poolId, "ivy")).toBeUndefined();
  });

  it("is not invoked for input SignUp refuses first: a weak password, a name already taken", async () => {
    const { clientId } = await poolWithTrigger();
    const events = onPreSignUp();
    await expect(signUp(clientId, "jack", { Password: "short" })).rejects.toMatchObject({
      name: "InvalidPasswordException",
    });
    expect(events).toEqual([]);
    await signUp(clientId, "jack");
    expect(events).toHaveLength(1);
    await expect(signUp(clientId, "jack")).rejects.toMatchObject({ name: "UsernameExistsException" });
    expect(events).toHaveLength(1);
  });
});

describe("when the function fails, SignUp answers Cognito's error and creates no user", () => {
  const cases: {
    what: string;
    handler?: (event: PreSignUpTriggerEvent) => unknown;
    error: { name: string; message: unknown };
  }[] = [
    {
      what: "it throws",
      handler: () => {
        throw new Error("Sign-ups are closed");
      },
      error: { name: "UserLambdaValidationException", message: "PreSignUp failed with error Sign-ups are closed." },
    },
    {
      what: "a flag has the wrong type",
      handler: (event) => ({ ...event, response: { ...PREFILLED, autoConfirmUser: "yes" } }),
      error: { name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" },
    },
    {
      what: "it answers no event",
      handler: () => null,
      error: { name: "InvalidLambdaResponseException", message: "Invalid lambda function output : Invalid JSON" },
    },
    {
      what: "it gives no answer in time",
      handler: () => new Promise(() => undefined),
      error: {
        name: "UnexpectedLambdaException",
        message: "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
      },
    },
    {
      what: "nothing runs the ARN",
      error: {
        name: "UnexpectedLambdaException",
        // Lambda's refusal, whose name the trigger service chooses (docs/decisions/0017, "Errors").
        message: expect.stringMatching(/^PreSignUp invocation failed due to error [A-Za-z]+Exception\.$/),
      },
    },
  ];
  for (const c of cases) {
    it(`${c.what}`, async () => {
      const { poolId, clientId } = await poolWithTrigger();
      if (c.handler) onPreSignUp(c.handler);
      await expect(signUp(clientId, "kim")).rejects.toMatchObject(c.error);
      expect(t.twin.services.store.getUser(poolId, "kim")).toBeUndefined();
      expect(t.twin.services.store.countUsers(poolId)).toBe(0);
      expect(messagesTo(poolId, "kim")).toEqual([]);
    });
  }

  it("and the name stays free: the same sign-up succeeds once the function lets it", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    let open = false;
    onPreSignUp((event) => {
      if (!open) throw new Error("Not yet");
      return event;
    });
    await expect(signUp(clientId, "lena")).rejects.toMatchObject({ name: "UserLambdaValidationException" });
    open = true;
    await expect(signUp(clientId, "lena")).resolves.toMatchObject({ UserConfirmed: false });
    expect(t.twin.services.store.getUser(poolId, "lena")?.status).toBe("UNCONFIRMED");
  });
});

describe("PreSignUp_AdminCreateUser", () => {
  it("sends the attributes, ValidationData and ClientMetadata with no client, and ignores the flags", async () => {
    const { poolId } = await poolWithTrigger();
    const events = onPreSignUp((event) => ({
      ...event,
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
    }));
    const out = await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "mona",
        UserAttributes: [{ Name: "email", Value: "mona@example.com" }],
        ValidationData: [{ Name: "ticket", Value: "T-1" }],
        ClientMetadata: { by: "support" },
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "PreSignUp_AdminCreateUser",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "mona",
        callerContext: {
          awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./),
          clientId: "CLIENT_ID_NOT_APPLICABLE",
        },
        request: {
          userAttributes: { email: "mona@example.com" },
          validationData: { ticket: "T-1" },
          clientMetadata: { by: "support" },
        },
        response: PREFILLED,
      },
    ]);
    // Cognito ignores the three flags for AdminCreateUser.
    expect(out.User?.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(out.User?.Attributes?.find((a) => a.Name === "email_verified")).toBeUndefined();
    expect(messagesTo(poolId, "mona")).toHaveLength(1);
  });

  it("refuses the user when the function throws: no user, no invitation", async () => {
    const { poolId } = await poolWithTrigger();
    onPreSignUp(() => {
      throw new Error("Unknown employee");
    });
    await expect(
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "ned",
          UserAttributes: [{ Name: "email", Value: "ned@example.com" }],
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      ),
    ).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error Unknown employee.",
    });
    expect(t.twin.services.store.getUser(poolId, "ned")).toBeUndefined();
    expect(messagesTo(poolId, "ned")).toEqual([]);
  });

  it("is not invoked for a resent invitation, which creates no user", async () => {
    const { poolId } = await poolWithTrigger();
    const events = onPreSignUp();
    const create = (extra: { MessageAction?: "RESEND" }) =>
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "olga",
          UserAttributes: [{ Name: "email", Value: "olga@example.com" }],
          DesiredDeliveryMediums: ["EMAIL"],
          ...extra,
        }),
      );
    await create({});
    await create({ MessageAction: "RESEND" });
    expect(events.map((e) => e.triggerSource)).toEqual(["PreSignUp_AdminCreateUser"]);
  });
});

describe("PreSignUp_ExternalProvider (for federation)", () => {
  it("sends the mapped attributes and answers the flags and the verified attributes they ask for", async () => {
    const { poolId } = await poolWithTrigger();
    const events = onPreSignUp((event) => ({
      ...event,
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
    }));
    const pool = t.twin.services.store.getPool(poolId)!;
    const answer = await preSignUpForExternalProvider({ triggers: t.twin.triggers, userAgent: undefined }, pool, {
      userName: "Google_1234567890",
      clientId: "hosted-client",
      attributes: [{ Name: "email", Value: "pat@gmail.com" }],
    });
    expect(answer).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
      verified: { email_verified: "true" },
    });
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "PreSignUp_ExternalProvider",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "Google_1234567890",
        callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "hosted-client" },
        request: { userAttributes: { email: "pat@gmail.com" }, validationData: null },
        response: PREFILLED,
      },
    ]);
  });

  it("throws the function's error", async () => {
    const { poolId } = await poolWithTrigger();
    onPreSignUp(() => {
      throw new Error("No Google accounts");
    });
    const pool = t.twin.services.store.getPool(poolId)!;
    await expect(
      preSignUpForExternalProvider({ triggers: t.twin.triggers, userAgent: undefined }, pool, {
        userName: "Google_1",
        clientId: "c",
        attributes: [],
      }),
    ).rejects.toMatchObject({
      type: "UserLambdaValidationException",
      message: "PreSignUp failed with error No Google accounts.",
    });
  });
});

describe("the managed login sign-up page", () => {
  it("runs PreSignUp_SignUp; an auto-confirmed user is signed in and sent to the app with a code", async () => {
    const h = await hostedTwin({ pool: { LambdaConfig: { PreSignUp: PRE, PostConfirmation: POST } } });
    try {
      const sources: string[] = [];
      h.twin.triggers.set("pre-signup", (event: PreSignUpTriggerEvent) => {
        sources.push(event.triggerSource);
        event.response.autoConfirmUser = true;
        return event;
      });
      h.twin.triggers.set("post-confirmation", (event: { triggerSource: string }) => {
        sources.push(event.triggerSource);
        return event;
      });
      const browser = h.browser();
      const login = await browser.open(h.authorizeUrl({ state: "s" }));
      const signupHref = /href="([^"]*\/signup[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, "&");
      const signup = await browser.open(signupHref);
      const done = await browser.submit(signup, {
        username: "quinn",
        password: PASSWORD,
        "attr.email": "q@example.com",
      });
      expect(sources).toEqual(["PreSignUp_SignUp", "PostConfirmation_ConfirmSignUp"]);
      expect(done.location?.startsWith(`${CALLBACK}?code=`)).toBe(true);
      expect(callbackQuery(done.location).get("state")).toBe("s");
      expect(h.twin.services.store.getUser(h.poolId, "quinn")?.status).toBe("CONFIRMED");
    } finally {
      await h.close();
    }
  });

  it("shows the function's error on the page and creates no user", async () => {
    const h = await hostedTwin({ pool: { LambdaConfig: { PreSignUp: PRE } } });
    try {
      h.twin.triggers.set("pre-signup", () => {
        throw new Error("Invitation only");
      });
      const browser = h.browser();
      const login = await browser.open(h.authorizeUrl());
      const signupHref = /href="([^"]*\/signup[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, "&");
      const page = await browser.submit(await browser.open(signupHref), {
        username: "rita",
        password: PASSWORD,
        "attr.email": "r@example.com",
      });
      expect(page.body).toContain("PreSignUp failed with error Invitation only.");
      expect(h.twin.services.store.getUser(h.poolId, "rita")).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
