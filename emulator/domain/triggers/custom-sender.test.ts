// The custom email and SMS sender triggers through the SDK: the event (exact shape), the code
// encrypted with the AWS Encryption SDK under the emulator's raw AES key (a handler decrypts it
// and it is the code that confirms the sign-up, or the temporary password that signs in), the
// custom message trigger left out, a failing sender that does not fail the call (Cognito invokes
// senders asynchronously), and the key served for handlers in other processes.

import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from "@aws-crypto/client-node";
import {
  AdminCreateUserCommand,
  ConfirmSignUpCommand,
  type CreateUserPoolRequest,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CustomEmailSenderTriggerEvent, CustomSMSSenderTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, PASSWORD } from "../../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";
import { SENDER_KEY_NAME, SENDER_KEY_NAMESPACE } from "./custom-sender.js";

const EMAIL_SENDER = "arn:aws:lambda:us-east-1:123456789012:function:email-sender";
const SMS_SENDER = "arn:aws:lambda:us-east-1:123456789012:function:sms-sender";
const MESSAGE = "arn:aws:lambda:us-east-1:123456789012:function:custom-message";
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin({}, { clock: new ManualClock() });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

type SenderEvent = CustomEmailSenderTriggerEvent | CustomSMSSenderTriggerEvent;

/** Sets a sender's handler; answers the next event it gets (a sender runs after the call answers). */
function nextEvent(name: string, handle: (event: SenderEvent) => unknown = () => undefined): Promise<SenderEvent> {
  return new Promise((resolve) => {
    t.twin.triggers.set(name, async (event: SenderEvent) => {
      resolve(structuredClone(event));
      return handle(event);
    });
  });
}

/** What a handler does with `request.code`: the Encryption SDK's decrypt, with the emulator's key. */
async function decrypt(code: string): Promise<string> {
  const keyring = new RawAesKeyringNode({
    keyNamespace: SENDER_KEY_NAMESPACE,
    keyName: SENDER_KEY_NAME,
    unencryptedMasterKey: new Uint8Array(t.twin.triggers.senderKey),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const { plaintext } = await decrypt(keyring, Buffer.from(code, "base64"));
  return plaintext.toString("utf8");
}

async function poolWith(
  lambda: NonNullable<CreateUserPoolRequest["LambdaConfig"]>,
  input: Partial<CreateUserPoolRequest> = {},
) {
  const poolId = await createPool(t, { LambdaConfig: { KMSKeyID: KMS_KEY, ...lambda }, ...input });
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

const messagesTo = (poolId: string, username: string) => t.twin.services.inbox.list({ userPoolId: poolId, username });

describe("CustomEmailSender", () => {
  it("gets the encrypted code, which decrypts to the code that confirms the sign-up", async () => {
    const { poolId, clientId } = await poolWith({
      CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: EMAIL_SENDER },
      // Cognito sends no message of its own, so there is nothing for the custom message trigger to do.
      CustomMessage: MESSAGE,
    });
    const customMessages: unknown[] = [];
    t.twin.triggers.set("custom-message", (event: unknown) => {
      customMessages.push(event);
      return event;
    });
    const received = nextEvent("email-sender");
    const out = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ada",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ada@example.com" }],
        ClientMetadata: { locale: "fr" },
      }),
    );
    const event = await received;
    expect(event).toEqual({
      version: "1",
      triggerSource: "CustomEmailSender_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "ada",
      callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
      request: {
        type: "customEmailSenderRequestV1",
        code: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
        clientMetadata: { locale: "fr" },
        userAttributes: { sub: out.UserSub, email: "ada@example.com", "cognito:user_status": "UNCONFIRMED" },
      },
    });
    const code = await decrypt(event.request.code!);
    expect(code).toMatch(/^\d{6}$/);
    // The inbox still has the code, marked as handed to the sender, with no text of Cognito's.
    const [m] = messagesTo(poolId, "ada");
    expect(m).toMatchObject({ code, sentBy: "CustomEmailSender", deliveryMedium: "EMAIL" });
    expect(m).not.toHaveProperty("message");
    expect(customMessages).toEqual([]);
    await t.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "ada", ConfirmationCode: code }));
  });

  it("does not fail the call when the sender fails: Cognito invokes it asynchronously", async () => {
    const { poolId, clientId } = await poolWith({
      CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: EMAIL_SENDER },
    });
    const received = nextEvent("email-sender", () => {
      throw new Error("mail provider down");
    });
    const out = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "bea",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "bea@example.com" }],
      }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "b***@e***",
    });
    await received;
    await expect
      .poll(
        () =>
          t.twin.triggers.invocations.find(
            (i) =>
              i.triggerSource === "CustomEmailSender_SignUp" &&
              (i.event as { userPoolId: string }).userPoolId === poolId,
          )?.outcome,
      )
      .toEqual({ kind: "function-error", errorType: "Error", errorMessage: "mail provider down" });
    expect(messagesTo(poolId, "bea")).toHaveLength(1);
  });
});

describe("CustomSMSSender", () => {
  it("gets an invitation's temporary password, which signs the user in", async () => {
    const { poolId, clientId } = await poolWith({ CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: SMS_SENDER } });
    const received = nextEvent("sms-sender");
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "cal",
        UserAttributes: [{ Name: "phone_number", Value: "+15550006666" }],
      }),
    );
    const event = await received;
    expect(event).toMatchObject({
      triggerSource: "CustomSMSSender_AdminCreateUser",
      userName: "cal",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        type: "customSMSSenderRequestV1",
        userAttributes: { phone_number: "+15550006666", "cognito:user_status": "FORCE_CHANGE_PASSWORD" },
      },
    });
    expect(event).not.toHaveProperty("response");
    const temporaryPassword = await decrypt(event.request.code!);
    expect(messagesTo(poolId, "cal")).toMatchObject([{ temporaryPassword, sentBy: "CustomSMSSender" }]);
    const signIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "cal", PASSWORD: temporaryPassword },
      }),
    );
    expect(signIn.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("sends only the medium it is configured for: email goes by Cognito's own message", async () => {
    const { poolId, clientId } = await poolWith({ CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: SMS_SENDER } });
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "dee",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "dee@example.com" }],
      }),
    );
    const [m] = messagesTo(poolId, "dee");
    expect(m).not.toHaveProperty("sentBy");
    expect(m!.message).toBe(`Your verification code is ${m!.code}. `);
  });
});

describe("a call that stores nothing", () => {
  it("hands nothing to the sender: an invitation whose email message fails creates no user and sends no SMS", async () => {
    const { poolId } = await poolWith({
      CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: SMS_SENDER },
      CustomMessage: MESSAGE,
    });
    let senderCalls = 0;
    t.twin.triggers.set("sms-sender", async (event: SenderEvent) => {
      senderCalls += 1;
      return event;
    });
    t.twin.triggers.set("custom-message", async () => {
      throw new Error("no template for you");
    });
    await expect(
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "eve",
          DesiredDeliveryMediums: ["SMS", "EMAIL"],
          UserAttributes: [
            { Name: "phone_number", Value: "+15550007777" },
            { Name: "email", Value: "eve@example.com" },
          ],
        }),
      ),
    ).rejects.toThrow("CustomMessage failed with error no template for you.");
    // The sender would run on the next turn of the event loop; give it several.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(senderCalls).toBe(0);
    const forEve = t.twin.triggers.invocations.filter((i) => (i.event as { userName?: string }).userName === "eve");
    expect(forEve.map((i) => i.triggerSource)).toEqual(["CustomMessage_AdminCreateUser"]);
  });
});

describe("GET /_twin/triggers/sender-key", () => {
  it("serves the key and the keyring's names for a handler in another process", async () => {
    const res = await fetch(`${t.url}/_twin/triggers/sender-key`);
    expect(await res.json()).toEqual({
      keyNamespace: SENDER_KEY_NAMESPACE,
      keyName: SENDER_KEY_NAME,
      wrappingSuite: "AES256_GCM_IV12_TAG16_NO_PADDING",
      key: t.twin.triggers.senderKey.toString("base64"),
    });
    expect(t.twin.triggers.senderKey).toHaveLength(32);
  });
});
