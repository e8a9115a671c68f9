// The messages Cognito sends and the custom message trigger, through the SDK: the pool's templates
// and Cognito's default texts, the event each source sends (exact shape), the function's message
// and subject with the code and username in, the answers Cognito does not send (the template goes
// instead), each way the function can fail (the operation fails and nothing is issued), and a
// sign-up confirmation link.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  CreateUserPoolDomainCommand,
  type CreateUserPoolRequest,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  type SignUpCommandInput,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CustomMessageTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../../test-support/auth-fixtures.js";
import { recordTrigger } from "../../../test-support/trigger-events.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";
import { fillMessage } from "./custom-message.js";

const MESSAGE = "arn:aws:lambda:us-east-1:123456789012:function:custom-message";
const PREFILLED = { smsMessage: null, emailMessage: null, emailSubject: null };

let t: TestTwin;
beforeAll(async () => {
  // A short timeout, so that the timeout test waits a fraction of a second rather than Cognito's 5.
  t = await startTwin({}, { clock: new ManualClock(), triggerTimeoutMs: 300 });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

/** A pool (email auto-verified) whose LambdaConfig names the custom message function, and a client. */
async function poolWithTrigger(input: Partial<CreateUserPoolRequest> = {}) {
  const poolId = await createPool(t, { LambdaConfig: { CustomMessage: MESSAGE }, ...input });
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

/** Sets the custom message handler; answers the events it was called with. */
function onCustomMessage(
  respond: (event: CustomMessageTriggerEvent) => unknown = (event) => event,
): CustomMessageTriggerEvent[] {
  return recordTrigger(t.twin.triggers, "custom-message", respond);
}

/** A handler that writes its own text, naming the source, with the placeholders the event gives. */
function rewriting(event: CustomMessageTriggerEvent) {
  const { codeParameter, usernameParameter } = event.request;
  const who = usernameParameter ? ` for ${usernameParameter}` : "";
  event.response.emailSubject = `Subject of ${event.triggerSource}`;
  event.response.emailMessage = `${event.triggerSource}${who}: ${codeParameter}`;
  event.response.smsMessage = `SMS ${event.triggerSource}${who}: ${codeParameter}`;
  return event;
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
const lastTo = (poolId: string, username: string) => messagesTo(poolId, username).at(-1)!;

describe("the pool's own texts", () => {
  it("sends Cognito's default verification and invitation texts when the pool sets none", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    await signUp(clientId, "dana");
    const m = lastTo(poolId, "dana");
    expect(m.subject).toBe("Your verification code");
    expect(m.message).toBe(`Your verification code is ${m.code}. `);
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "erin",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "erin@example.com" }],
      }),
    );
    const invite = lastTo(poolId, "erin");
    expect(invite.subject).toBe("Your temporary password");
    expect(invite.message).toBe(`Your username is erin and temporary password is ${invite.temporaryPassword}. `);
  });

  it("fills the pool's templates: verification by email and SMS, the invitation, SMS MFA", async () => {
    const poolId = await createPool(t, {
      AutoVerifiedAttributes: ["email", "phone_number"],
      VerificationMessageTemplate: { EmailSubject: "Welcome", EmailMessage: "Code: {####}", SmsMessage: "SMS {####}" },
      AdminCreateUserConfig: {
        InviteMessageTemplate: {
          EmailSubject: "Hi",
          EmailMessage: "{username} / {####}",
          SMSMessage: "{username}:{####}",
        },
      },
      SmsAuthenticationMessage: "Sign in with {####}",
      SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns", ExternalId: "x" },
    });
    const { clientId } = await createClient(t, poolId);
    await signUp(clientId, "fay");
    const code = lastTo(poolId, "fay");
    expect([code.subject, code.message]).toEqual(["Welcome", `Code: ${code.code}`]);
    // A pool that verifies phone numbers sends the SMS template.
    const phonePool = await createPool(t, {
      AutoVerifiedAttributes: ["phone_number"],
      VerificationMessageTemplate: { SmsMessage: "SMS {####}" },
    });
    const phoneClient = await createClient(t, phonePool);
    await signUp(phoneClient.clientId, "gus", { UserAttributes: [{ Name: "phone_number", Value: "+15550001111" }] });
    expect(lastTo(phonePool, "gus").message).toBe(`SMS ${lastTo(phonePool, "gus").code}`);
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "hal",
        DesiredDeliveryMediums: ["EMAIL", "SMS"],
        UserAttributes: [
          { Name: "email", Value: "hal@example.com" },
          { Name: "phone_number", Value: "+15550002222" },
        ],
      }),
    );
    const [email, sms] = messagesTo(poolId, "hal");
    expect([email!.subject, email!.message]).toEqual(["Hi", `hal / ${email!.temporaryPassword}`]);
    expect([sms!.subject, sms!.message]).toEqual([undefined, `hal:${sms!.temporaryPassword}`]);

    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "ON",
        SmsMfaConfiguration: {
          SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns", ExternalId: "x" },
        },
      }),
    );
    await createUser(t, poolId, "ivy", { attributes: { phone_number: "+15550003333", phone_number_verified: "true" } });
    const challenge = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ivy", PASSWORD },
      }),
    );
    expect(challenge.ChallengeName).toBe("SMS_MFA");
    expect(lastTo(poolId, "ivy").message).toBe(`Sign in with ${lastTo(poolId, "ivy").code}`);
  });
});

describe("CustomMessage_SignUp", () => {
  it("sends the user's attributes and the placeholders, and what it answers is sent with the code in", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onCustomMessage(rewriting);
    const out = await signUp(clientId, "jay", { ClientMetadata: { campaign: "spring" } });
    expect(events).toEqual([
      {
        version: "1",
        triggerSource: "CustomMessage_SignUp",
        region: "us-east-1",
        userPoolId: poolId,
        userName: "jay",
        callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
        request: {
          userAttributes: { sub: out.UserSub, email: "jay@example.com", "cognito:user_status": "UNCONFIRMED" },
          codeParameter: "{####}",
          linkParameter: "{##Click Here##}",
          usernameParameter: null,
          clientMetadata: { campaign: "spring" },
        },
        response: PREFILLED,
      },
    ]);
    const m = lastTo(poolId, "jay");
    expect(m.code).toMatch(/^\d{6}$/);
    expect([m.subject, m.message]).toEqual(["Subject of CustomMessage_SignUp", `CustomMessage_SignUp: ${m.code}`]);
    // The code in the message is the one that confirms the sign-up.
    await t.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "jay", ConfirmationCode: m.code }));
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "jay" }));
    expect(user.UserStatus).toBe("CONFIRMED");
  });

  it("leaves out clientMetadata when the request had none, and sends the pool's text for an event returned as is", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onCustomMessage();
    await signUp(clientId, "kim");
    expect(events[0]!.request).not.toHaveProperty("clientMetadata");
    const m = lastTo(poolId, "kim");
    expect([m.subject, m.message, m.note]).toEqual([
      "Your verification code",
      `Your verification code is ${m.code}. `,
      undefined,
    ]);
  });

  it("sends the SMS message to a phone number", async () => {
    const { poolId, clientId } = await poolWithTrigger({ AutoVerifiedAttributes: ["phone_number"] });
    onCustomMessage(rewriting);
    await signUp(clientId, "lee", { UserAttributes: [{ Name: "phone_number", Value: "+15550004444" }] });
    const m = lastTo(poolId, "lee");
    expect([m.deliveryMedium, m.subject, m.message]).toEqual(["SMS", undefined, `SMS CustomMessage_SignUp: ${m.code}`]);
  });
});

describe("every source", () => {
  it("names the occasion: resend, forgotten password (also AdminResetUserPassword), attribute update and verification, invitation", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    const events = onCustomMessage(rewriting);
    await signUp(clientId, "max");
    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "max" }));
    expect(lastTo(poolId, "max").message).toBe(`CustomMessage_ResendCode: ${lastTo(poolId, "max").code}`);

    await createUser(t, poolId, "ned");
    await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: "ned", ClientMetadata: { k: "v" } }),
    );
    await t.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "ned" }));
    const tokens = await createUserAndSignIn(poolId, clientId, "oli");
    await t.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: "email", Value: "oli.new@example.com" }],
      }),
    );
    await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: tokens.AccessToken, AttributeName: "email" }),
    );
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "ned",
        UserAttributes: [{ Name: "email", Value: "ned.new@example.com" }],
      }),
    );
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "pam",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "pam@example.com" }],
      }),
    );
    expect(events.map((e) => [e.triggerSource, e.userName, e.callerContext.clientId])).toEqual([
      ["CustomMessage_SignUp", "max", clientId],
      ["CustomMessage_ResendCode", "max", clientId],
      ["CustomMessage_ForgotPassword", "ned", clientId],
      ["CustomMessage_ForgotPassword", "ned", "CLIENT_ID_NOT_APPLICABLE"],
      ["CustomMessage_UpdateUserAttribute", "oli", clientId],
      ["CustomMessage_VerifyUserAttribute", "oli", clientId],
      ["CustomMessage_UpdateUserAttribute", "ned", "CLIENT_ID_NOT_APPLICABLE"],
      ["CustomMessage_AdminCreateUser", "pam", "CLIENT_ID_NOT_APPLICABLE"],
    ]);
    expect(events[2]!.request.clientMetadata).toEqual({ k: "v" });
    // The update's code goes to the new address, which the event already shows.
    expect(events[4]!.request.userAttributes).toMatchObject({ email: "oli.new@example.com", email_verified: "false" });
    const invitation = events.at(-1)!;
    expect(invitation.request).toMatchObject({
      usernameParameter: "{username}",
      userAttributes: { email: "pam@example.com", "cognito:user_status": "FORCE_CHANGE_PASSWORD" },
    });
    const m = lastTo(poolId, "pam");
    expect(m.message).toBe(`CustomMessage_AdminCreateUser for pam: ${m.temporaryPassword}`);
  });

  it("CustomMessage_Authentication: SMS MFA and email codes", async () => {
    const poolId = await createPool(t, { LambdaConfig: { CustomMessage: MESSAGE } });
    const { clientId } = await createClient(t, poolId);
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "ON",
        EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Sign-in code" },
      }),
    );
    await createUser(t, poolId, "quinn");
    const events = onCustomMessage(rewriting);
    const challenge = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "quinn", PASSWORD },
      }),
    );
    expect(challenge.ChallengeName).toBe("EMAIL_OTP");
    expect(events.map((e) => [e.triggerSource, e.callerContext.clientId])).toEqual([
      ["CustomMessage_Authentication", clientId],
    ]);
    expect(events[0]!.request.userAttributes["cognito:user_status"]).toBe("CONFIRMED");
    const m = lastTo(poolId, "quinn");
    expect(m.code).toMatch(/^\d{8}$/);
    expect([m.subject, m.message]).toEqual([
      "Subject of CustomMessage_Authentication",
      `CustomMessage_Authentication: ${m.code}`,
    ]);
  });
});

/** A confirmed user with a verified email, signed in. */
async function createUserAndSignIn(poolId: string, clientId: string, username: string) {
  await createUser(t, poolId, username);
  return signIn(t, clientId, username);
}

describe("answers Cognito does not send", () => {
  it("sends the pool's text instead of a message without {####}, or a subject over 140 characters", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    onCustomMessage((event) => ({
      ...event,
      response: { ...event.response, emailMessage: "No code here", emailSubject: "S".repeat(141) },
    }));
    await signUp(clientId, "rae");
    const m = lastTo(poolId, "rae");
    expect([m.subject, m.message]).toEqual(["Your verification code", `Your verification code is ${m.code}. `]);
    expect(m.note).toBe(
      "the custom message trigger's emailMessage does not contain {####}; emailSubject is longer than 140 characters: the pool's text was sent",
    );
  });

  it("sends the template for an SMS over 140 characters with the code in, or an invitation without {username}", async () => {
    const { poolId, clientId } = await poolWithTrigger({ AutoVerifiedAttributes: ["phone_number"] });
    onCustomMessage((event) => {
      event.response.smsMessage = `${"x".repeat(134)}${event.request.codeParameter}`; // 134 + 6 digits: fits
      event.response.emailMessage = `Temporary password ${event.request.codeParameter}`;
      return event;
    });
    await signUp(clientId, "sal", { UserAttributes: [{ Name: "phone_number", Value: "+15550005555" }] });
    expect(lastTo(poolId, "sal").message).toBe(`${"x".repeat(134)}${lastTo(poolId, "sal").code}`);
    onCustomMessage((event) => {
      event.response.smsMessage = `${"x".repeat(135)}${event.request.codeParameter}`;
      return event;
    });
    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "sal" }));
    const resent = lastTo(poolId, "sal");
    expect(resent.message).toBe(`Your verification code is ${resent.code}. `);
    expect(resent.note).toMatch(/smsMessage is 141 characters with the code in, more than the 140/);

    onCustomMessage((event) => {
      event.response.emailMessage = `Temporary password ${event.request.codeParameter}`;
      return event;
    });
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "ted",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "ted@example.com" }],
      }),
    );
    const invite = lastTo(poolId, "ted");
    expect(invite.message).toBe(`Your username is ted and temporary password is ${invite.temporaryPassword}. `);
    expect(invite.note).toMatch(/emailMessage does not contain \{username\}/);
  });
});

describe("a failing function", () => {
  it("fails SignUp with its message, and no user is created and nothing sent", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    t.twin.triggers.set("custom-message", async () => {
      throw new Error("template service down");
    });
    await expect(signUp(clientId, "uma")).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: "CustomMessage failed with error template service down.",
    });
    await expect(
      t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "uma" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
    expect(messagesTo(poolId, "uma")).toEqual([]);
    // Once the function works, the same sign-up goes through.
    t.twin.triggers.clear();
    onCustomMessage(rewriting);
    await signUp(clientId, "uma");
    expect(lastTo(poolId, "uma").message).toMatch(/^CustomMessage_SignUp: \d{6}$/);
  });

  it("answers a member of the wrong type with InvalidLambdaResponseException", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    onCustomMessage((event) => ({ ...event, response: { ...event.response, smsMessage: 42 } }));
    await expect(signUp(clientId, "val")).rejects.toMatchObject({
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
    expect(messagesTo(poolId, "val")).toEqual([]);
  });

  it("answers a timeout and an unmapped function with UnexpectedLambdaException", async () => {
    const { poolId, clientId } = await poolWithTrigger();
    t.twin.triggers.set("custom-message", () => new Promise(() => undefined));
    await expect(signUp(clientId, "wes")).rejects.toMatchObject({
      name: "UnexpectedLambdaException",
      message: "CustomMessage invocation failed due to error Socket timeout while invoking Lambda function.",
    });
    t.twin.triggers.clear();
    await expect(signUp(clientId, "wes")).rejects.toMatchObject({
      name: "UnexpectedLambdaException",
      // Nothing maps the function: what Lambda answers Cognito then.
      message: expect.stringMatching(/^CustomMessage invocation failed due to error \w+Exception\.$/),
    });
    expect(messagesTo(poolId, "wes")).toEqual([]);
  });

  it("leaves no code behind on ForgotPassword, no user on AdminCreateUser, no challenge on sign-in", async () => {
    const poolId = await createPool(t, { LambdaConfig: { CustomMessage: MESSAGE } });
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "xan");
    t.twin.triggers.set("custom-message", async () => {
      throw new Error("no");
    });
    await expect(
      t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "xan" })),
    ).rejects.toMatchObject({
      name: "UserLambdaValidationException",
    });
    expect(t.twin.services.store.getUser(poolId, "xan")!.codes).toEqual({});
    await expect(
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "yul",
          DesiredDeliveryMediums: ["EMAIL"],
          UserAttributes: [{ Name: "email", Value: "yul@example.com" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "UserLambdaValidationException", message: "CustomMessage failed with error no." });
    await expect(
      t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "yul" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "ON",
        EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Sign-in code" },
      }),
    );
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "xan", PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: "UserLambdaValidationException" });
    expect(messagesTo(poolId, "xan")).toEqual([]);
    expect(messagesTo(poolId, "yul")).toEqual([]);
    // With the function working, the sign-in's challenge is answered with the one code sent.
    onCustomMessage(rewriting);
    const challenge = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "xan", PASSWORD },
      }),
    );
    const sent = messagesTo(poolId, "xan");
    expect(sent).toHaveLength(1);
    const done = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "EMAIL_OTP",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: "xan", EMAIL_OTP_CODE: sent[0]!.code! },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe("verification links", () => {
  it("puts the pool domain's confirmUser link in a sign-up email sent CONFIRM_WITH_LINK", async () => {
    const poolId = await createPool(t, {
      VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_LINK" },
    });
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "links-test" }));
    const { clientId } = await createClient(t, poolId);
    await signUp(clientId, "zed");
    const m = lastTo(poolId, "zed");
    const link = `https://links-test.auth.us-east-1.amazoncognito.com/confirmUser?client_id=${clientId}&amp;user_name=zed&amp;confirmation_code=${m.code}`;
    expect(m.subject).toBe("Your verification link");
    expect(m.message).toBe(
      `Please click the link below to verify your email address. <a href="${link}">Verify Email</a> `,
    );
  });
});

describe("fillMessage", () => {
  it("writes a secret holding $& or a placeholder as it is, in one pass", () => {
    const text = "Hi {username}, your password is {####}. {##Verify##}";
    expect(fillMessage(text, { secret: "a$&b{username}$1", username: "ted" })).toBe(
      "Hi ted, your password is a$&b{username}$1. {##Verify##}",
    );
    expect(fillMessage(text, { secret: "123456", username: "$'x", confirmLink: "https://d/confirmUser?a=1&b=2" })).toBe(
      'Hi $\'x, your password is 123456. <a href="https://d/confirmUser?a=1&amp;b=2">Verify</a>',
    );
  });
});
