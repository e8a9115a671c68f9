// The user migration trigger through the JS SDK v3 (InitiateAuth, AdminInitiateAuth,
// ForgotPassword) and the managed login page: the event the function gets, each member of its
// answer applied to the user it creates (checked with AdminGetUser), each way it can fail, and
// that a failed migration creates nobody.
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderServiceException,
  ConfirmForgotPasswordCommand,
  type CreateUserPoolClientRequest,
  type CreateUserPoolRequest,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { UserMigrationTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, inbox, PASSWORD } from "../../../test-support/auth-fixtures.js";
import { CALLBACK, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { recordTrigger } from "../../../test-support/trigger-events.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";

const FUNCTION = "legacy-directory";
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`;
const OLD_PASSWORD = "from-the-old-system";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin({}, { clock: new ManualClock(Date.now()), triggerTimeoutMs: 300 });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

/** A migration function, as a test writes it: the event in, the event (or anything) out. */
type MigrationHandler = (event: UserMigrationTriggerEvent) => unknown;

/** Runs `handler` as the migration function; answers the events it was given. */
function migrate(handler: MigrationHandler): UserMigrationTriggerEvent[] {
  return recordTrigger(t.twin.triggers, FUNCTION, handler);
}

/** A function that answers `response` members for every user it is asked about. */
function answering(response: Record<string, unknown>): UserMigrationTriggerEvent[] {
  return migrate(async (event) => {
    Object.assign(event.response, response);
    return event;
  });
}

const CONFIRMED = {
  userAttributes: { email: "ann@example.com", email_verified: "true" },
  finalUserStatus: "CONFIRMED",
  messageAction: "SUPPRESS",
};

/** A pool with the migration trigger, and a password client (optionally hiding users). */
async function setup(
  pool: Partial<CreateUserPoolRequest> = {},
  client: Partial<CreateUserPoolClientRequest> = {},
): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(t, { LambdaConfig: { UserMigration: ARN }, ...pool });
  const { clientId } = await createClient(t, poolId, client);
  return { poolId, clientId };
}

function signIn(clientId: string, username: string, password = OLD_PASSWORD, meta?: Record<string, string>) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
      ...(meta ? { ClientMetadata: meta } : {}),
    }),
  );
}

function getUser(poolId: string, username: string) {
  return t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
}

/** The Cognito error a call failed with, as `{ name, message }`. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CognitoIdentityProviderServiceException) return { name: e.name, message: e.message };
    throw e;
  }
  throw new Error("the call succeeded");
}

/** Attribute name-to-value map of AdminGetUser's answer. */
function attributes(user: { UserAttributes?: { Name?: string; Value?: string }[] }): Record<string, string> {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
}

async function expectNoUser(poolId: string, username: string): Promise<void> {
  expect(await failure(getUser(poolId, username))).toEqual({
    name: "UserNotFoundException",
    message: "User does not exist.",
  });
}

describe("UserMigration_Authentication", () => {
  it("sends Cognito's event for the name typed, and signs in the CONFIRMED user it creates", async () => {
    const { poolId, clientId } = await setup();
    const events = answering(CONFIRMED);
    const out = await signIn(clientId, "ann", OLD_PASSWORD, { app: "web" });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      version: "1",
      triggerSource: "UserMigration_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "ann",
      callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
      request: { password: OLD_PASSWORD, validationData: { app: "web" }, clientMetadata: { app: "web" } },
      response: {
        userAttributes: {},
        finalUserStatus: null,
        messageAction: null,
        desiredDeliveryMediums: null,
        forceAliasCreation: null,
        enableSMSMFA: null,
      },
    });
    const user = await getUser(poolId, "ann");
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.Enabled).toBe(true);
    expect(attributes(user)).toEqual({ sub: expect.any(String), email: "ann@example.com", email_verified: "true" });
    // SUPPRESS: no welcome message.
    expect(await inbox(t, poolId)).toEqual([]);
  });

  it("never asks again once the user exists: the right password signs in, a wrong one is refused", async () => {
    const { clientId } = await setup();
    const events = answering(CONFIRMED);
    await signIn(clientId, "ann");
    expect((await signIn(clientId, "ann")).AuthenticationResult?.IdToken).toBeTruthy();
    expect(await failure(signIn(clientId, "ann", "not-the-password"))).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(events).toHaveLength(1);
  });

  it("never runs for a user the pool already has", async () => {
    const { poolId, clientId } = await setup();
    await createUser(t, poolId, "bob");
    const events = answering(CONFIRMED);
    expect(await failure(signIn(clientId, "bob", "wrong-password"))).toMatchObject({ name: "NotAuthorizedException" });
    expect((await signIn(clientId, "bob", PASSWORD)).AuthenticationResult).toBeTruthy();
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "bob" }));
    expect(events).toHaveLength(0);
  });

  it("migrates through AdminInitiateAuth; without CONFIRMED the user must reset the password", async () => {
    const { poolId, clientId } = await setup();
    const events = answering({ userAttributes: { email: "ann@example.com", email_verified: "true" } });
    const admin = () =>
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ann", PASSWORD: OLD_PASSWORD },
        }),
      );
    expect(await failure(admin())).toEqual({
      name: "PasswordResetRequiredException",
      message: "Password reset required for the user",
    });
    expect(events[0]?.callerContext.clientId).toBe(clientId);
    expect(events[0]?.request).toEqual({ password: OLD_PASSWORD, validationData: {}, clientMetadata: {} });
    expect((await getUser(poolId, "ann")).UserStatus).toBe("RESET_REQUIRED");
    // The user exists now: the same answer again, and no second migration.
    expect(await failure(admin())).toMatchObject({ name: "PasswordResetRequiredException" });
    expect(events).toHaveLength(1);
  });

  it("does not apply the pool's password policy to the old password", async () => {
    const { clientId } = await setup({ Policies: { PasswordPolicy: { MinimumLength: 20, RequireSymbols: true } } });
    answering(CONFIRMED);
    expect((await signIn(clientId, "ann", "short")).AuthenticationResult).toBeTruthy();
  });

  it("takes boolean and number attribute values as their text", async () => {
    const { poolId, clientId } = await setup({
      Schema: [{ Name: "level", AttributeDataType: "Number", Mutable: true }],
    });
    answering({ ...CONFIRMED, userAttributes: { email: "ann@example.com", email_verified: true, "custom:level": 3 } });
    await signIn(clientId, "ann");
    expect(attributes(await getUser(poolId, "ann"))).toMatchObject({ email_verified: "true", "custom:level": "3" });
  });

  it("in an email-as-username pool, creates a UUID username with the email typed", async () => {
    const { poolId, clientId } = await setup({ UsernameAttributes: ["email"] });
    const events = answering({ ...CONFIRMED, userAttributes: { email: "old@example.com", email_verified: "true" } });
    await signIn(clientId, "ann@example.com");
    expect(events[0]?.userName).toBe("ann@example.com");
    const user = await getUser(poolId, "ann@example.com");
    expect(user.Username).toMatch(/^[0-9a-f-]{36}$/);
    expect(attributes(user)).toEqual({ sub: user.Username, email: "ann@example.com", email_verified: "true" });
  });

  it("refuses a name that is not an email in an email-as-username pool", async () => {
    const { clientId } = await setup({ UsernameAttributes: ["email"] });
    answering(CONFIRMED);
    expect(await failure(signIn(clientId, "ann"))).toEqual({
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });
  });

  it("sends the welcome message unless SUPPRESS: by SMS by default, or to the mediums named", async () => {
    const { poolId, clientId } = await setup();
    answering({
      userAttributes: { email: "ann@example.com", email_verified: "true", phone_number: "+15550100" },
      finalUserStatus: "CONFIRMED",
    });
    await signIn(clientId, "ann");
    expect(await inbox(t, poolId, "ann")).toEqual([
      expect.objectContaining({ reason: "AdminCreateUser", destination: "+15550100", attributeName: "phone_number" }),
    ]);
    answering({ ...CONFIRMED, messageAction: null, desiredDeliveryMediums: ["EMAIL"] });
    await signIn(clientId, "cat");
    expect(await inbox(t, poolId, "cat")).toEqual([
      expect.objectContaining({ reason: "AdminCreateUser", destination: "ann@example.com", attributeName: "email" }),
    ]);
    // SMS by default, and no phone number: nothing is sent, and the user is created all the same.
    answering({ ...CONFIRMED, messageAction: null });
    await signIn(clientId, "dan");
    expect(await inbox(t, poolId, "dan")).toEqual([]);
  });

  it("refuses a welcome medium the user has no attribute for, and creates nobody", async () => {
    const { poolId, clientId } = await setup();
    answering({ ...CONFIRMED, messageAction: null, desiredDeliveryMediums: ["SMS"] });
    expect(await failure(signIn(clientId, "ann"))).toEqual({
      name: "InvalidParameterException",
      message: "User has no attribute matching desired delivery mediums",
    });
    await expectNoUser(poolId, "ann");
  });

  it("refuses an email alias another user holds, unless forceAliasCreation moves it", async () => {
    const { poolId, clientId } = await setup({ AliasAttributes: ["email"] });
    await createUser(t, poolId, "old-ann", { attributes: { email: "ann@example.com", email_verified: "true" } });
    answering(CONFIRMED);
    expect(await failure(signIn(clientId, "ann"))).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    await expectNoUser(poolId, "ann");
    expect(attributes(await getUser(poolId, "old-ann")).email_verified).toBe("true");

    answering({ ...CONFIRMED, forceAliasCreation: true });
    await signIn(clientId, "ann");
    expect(attributes(await getUser(poolId, "old-ann")).email_verified).toBe("false");
    // The email now signs the new user in.
    expect((await getUser(poolId, "ann@example.com")).Username).toBe("ann");
  });

  it("turns on SMS MFA with enableSMSMFA: the sign-in goes on to the SMS challenge", async () => {
    const { poolId, clientId } = await setup({
      MfaConfiguration: "OPTIONAL",
      SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sms", ExternalId: "x" },
    });
    answering({ ...CONFIRMED, enableSMSMFA: true, userAttributes: { phone_number: "+15550100" } });
    const out = await signIn(clientId, "ann");
    expect(out.ChallengeName).toBe("SMS_MFA");
    expect((await getUser(poolId, "ann")).UserMFASettingList).toEqual(["SMS_MFA"]);

    answering({ ...CONFIRMED, enableSMSMFA: true });
    expect(await failure(signIn(clientId, "bea"))).toEqual({
      name: "UserNotFoundException",
      message: "Error during migration: enableSMSMFA requires a phone_number attribute",
    });
    await expectNoUser(poolId, "bea");
  });

  it("does not run for USER_SRP_AUTH, which never sends the password", async () => {
    const { clientId } = await setup({}, { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] });
    const events = answering(CONFIRMED);
    const srp = t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "ann", SRP_A: "ab".repeat(192) },
      }),
    );
    expect(await failure(srp)).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
    expect(events).toHaveLength(0);
  });
});

describe("a failed migration creates nobody", () => {
  const cases: { what: string; handler: MigrationHandler; error: { name: string; message: string } }[] = [
    {
      what: "the function throws",
      handler: () => {
        throw new Error("Bad password");
      },
      error: { name: "UserLambdaValidationException", message: "UserMigration failed with error Bad password." },
    },
    {
      what: "the function answers no attributes",
      handler: (event) => event,
      error: { name: "UserNotFoundException", message: "User does not exist." },
    },
    {
      what: "finalUserStatus is not CONFIRMED or RESET_REQUIRED",
      handler: (event) => ({ ...event, response: { ...CONFIRMED, finalUserStatus: "FORCE_CHANGE_PASSWORD" } }),
      error: { name: "UserNotFoundException", message: "Error during migration: Invalid finalUserStatus" },
    },
    {
      what: "messageAction is not SUPPRESS",
      handler: (event) => ({ ...event, response: { ...CONFIRMED, messageAction: "SILENT" } }),
      error: { name: "UserNotFoundException", message: "Error during migration: Invalid messageAction" },
    },
    {
      what: "a delivery medium is not EMAIL or SMS",
      handler: (event) => ({ ...event, response: { ...CONFIRMED, desiredDeliveryMediums: ["FAX"] } }),
      error: { name: "UserNotFoundException", message: "Error during migration: Invalid desiredDeliveryMediums" },
    },
    {
      what: "an attribute is not in the schema",
      handler: (event) => ({
        ...event,
        response: { ...CONFIRMED, userAttributes: { email: "ann@example.com", favourite_colour: "green" } },
      }),
      error: {
        name: "UserNotFoundException",
        message: "Attributes did not conform to the schema: favourite_colour: Attribute does not exist in the schema.",
      },
    },
    {
      what: "an attribute is not writable (sub)",
      handler: (event) => ({ ...event, response: { ...CONFIRMED, userAttributes: { sub: "mine" } } }),
      error: { name: "InvalidParameterException", message: "Cannot modify an immutable attribute: sub" },
    },
    {
      what: "a member has the wrong type",
      handler: (event) => ({ ...event, response: { ...CONFIRMED, finalUserStatus: 5 } }),
      error: { name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" },
    },
    {
      what: "userAttributes is not a map",
      handler: (event) => ({ ...event, response: { ...CONFIRMED, userAttributes: "ann@example.com" } }),
      error: { name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" },
    },
    {
      what: "the function answers no event",
      handler: () => null,
      error: { name: "InvalidLambdaResponseException", message: "Invalid lambda function output : Invalid JSON" },
    },
  ];

  for (const c of cases) {
    it(`when ${c.what}`, async () => {
      const { poolId, clientId } = await setup();
      migrate(c.handler);
      expect(await failure(signIn(clientId, "ann"))).toEqual(c.error);
      await expectNoUser(poolId, "ann");
    });
  }

  it("when the function gives no answer in time", async () => {
    const { poolId, clientId } = await setup();
    migrate(() => new Promise(() => {}));
    expect(await failure(signIn(clientId, "ann"))).toEqual({
      name: "UserNotFoundException",
      message: `Exception migrating user in app client ${clientId}`,
    });
    await expectNoUser(poolId, "ann");
  });

  it("when nothing runs the function's ARN", async () => {
    const { poolId, clientId } = await setup();
    expect(await failure(signIn(clientId, "ann"))).toEqual({
      name: "UserNotFoundException",
      message: `Exception migrating user in app client ${clientId}`,
    });
    await expectNoUser(poolId, "ann");
  });

  it("with PreventUserExistenceErrors: a missing user is a wrong password, the function's own error is not hidden", async () => {
    const { poolId, clientId } = await setup({}, { PreventUserExistenceErrors: "ENABLED" });
    const incorrect = { name: "NotAuthorizedException", message: "Incorrect username or password." };
    migrate((event) => event);
    expect(await failure(signIn(clientId, "ann"))).toEqual(incorrect);
    answering({ ...CONFIRMED, finalUserStatus: "NOPE" });
    expect(await failure(signIn(clientId, "ann"))).toEqual(incorrect);
    t.twin.triggers.clear();
    expect(await failure(signIn(clientId, "ann"))).toEqual(incorrect);
    migrate(() => {
      throw new Error("Bad password");
    });
    expect(await failure(signIn(clientId, "ann"))).toEqual({
      name: "UserLambdaValidationException",
      message: "UserMigration failed with error Bad password.",
    });
    await expectNoUser(poolId, "ann");
  });
});

describe("UserMigration_ForgotPassword", () => {
  it("creates no user when the reset code cannot be sent (the custom message trigger fails)", async () => {
    const { poolId, clientId } = await setup({
      LambdaConfig: { UserMigration: ARN, CustomMessage: "arn:aws:lambda:us-east-1:123456789012:function:branding" },
    });
    answering({ userAttributes: { email: "ann@example.com", email_verified: "true" } });
    t.twin.triggers.set("branding", async () => {
      throw new Error("template store down");
    });
    const e = await failure(t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ann" })));
    expect(e).toEqual({
      name: "UserLambdaValidationException",
      message: "CustomMessage failed with error template store down.",
    });
    await expectNoUser(poolId, "ann");
  });

  it("sends no password, creates the user RESET_REQUIRED and sends the reset code", async () => {
    const { poolId, clientId } = await setup();
    const events = answering({ userAttributes: { email: "ann@example.com", email_verified: "true" } });
    const out = await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: "ann", ClientMetadata: { from: "reset-page" } }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    expect(events[0]).toMatchObject({
      triggerSource: "UserMigration_ForgotPassword",
      userName: "ann",
      callerContext: { clientId },
      request: { validationData: {}, clientMetadata: { from: "reset-page" } },
    });
    expect(events[0]?.request).not.toHaveProperty("password");
    expect((await getUser(poolId, "ann")).UserStatus).toBe("RESET_REQUIRED");
    // The welcome message (SMS by default) finds no phone number; the code goes to the email.
    const messages = await inbox(t, poolId, "ann");
    expect(messages.map((m) => m.reason)).toEqual(["ForgotPassword"]);

    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "ann",
        ConfirmationCode: messages[0]!.code!,
        Password: PASSWORD,
      }),
    );
    expect((await getUser(poolId, "ann")).UserStatus).toBe("CONFIRMED");
    expect((await signIn(clientId, "ann", PASSWORD)).AuthenticationResult).toBeTruthy();
    expect(events).toHaveLength(1);
  });

  it("creates nobody the code cannot reach (no verified email or phone)", async () => {
    const { poolId, clientId } = await setup();
    answering({ userAttributes: { email: "ann@example.com" } });
    expect(await failure(t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ann" })))).toEqual({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    await expectNoUser(poolId, "ann");
  });

  it("answers a function error as such, and a missing user as usual", async () => {
    const { poolId, clientId } = await setup();
    migrate(() => {
      throw new Error("not in the old directory");
    });
    const forgot = () => t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ann" }));
    expect(await failure(forgot())).toEqual({
      name: "UserLambdaValidationException",
      message: "UserMigration failed with error not in the old directory.",
    });
    migrate((event) => event);
    expect(await failure(forgot())).toEqual({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
    await expectNoUser(poolId, "ann");
  });

  it("with PreventUserExistenceErrors: a simulated delivery for a user it cannot create", async () => {
    const { poolId, clientId } = await setup({}, { PreventUserExistenceErrors: "ENABLED" });
    answering({ userAttributes: { email: "ann@example.com" } });
    const out = await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ann" }));
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBeDefined();
    await expectNoUser(poolId, "ann");
    expect(await inbox(t, poolId)).toEqual([]);
  });
});

describe("the managed login page", () => {
  it("migrates a user who signs in there, and lands on the callback", async () => {
    const h = await hostedTwin({ pool: { LambdaConfig: { UserMigration: ARN } } });
    try {
      const events: UserMigrationTriggerEvent[] = [];
      h.twin.triggers.set(FUNCTION, async (event: UserMigrationTriggerEvent) => {
        events.push(structuredClone(event));
        if (event.request.password !== OLD_PASSWORD) throw new Error("Bad password");
        event.response.userAttributes = { email: "ann@example.com", email_verified: "true" };
        event.response.finalUserStatus = "CONFIRMED";
        event.response.messageAction = "SUPPRESS";
        return event;
      });
      const browser = h.browser();
      const login = await browser.open(h.authorizeUrl({ state: "s" }));
      const wrong = await browser.submit(login, { username: "ann", password: "guess" });
      expect(wrong.body).toContain("UserMigration failed with error Bad password.");
      const done = await browser.submit(wrong, { username: "ann", password: OLD_PASSWORD });
      expect(done.status).toBe(302);
      expect(done.location!.startsWith(`${CALLBACK}?code=`)).toBe(true);
      expect(events.map((e) => [e.triggerSource, e.userName, e.callerContext.clientId])).toEqual([
        ["UserMigration_Authentication", "ann", h.clientId],
        ["UserMigration_Authentication", "ann", h.clientId],
      ]);
      const user = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "ann" });
      expect(user.UserStatus).toBe("CONFIRMED");
    } finally {
      await h.close();
    }
  });
});
