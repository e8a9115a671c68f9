// AdminSetUserSettings and SetUserSettings, the legacy form of SMS MFA: MFAOptions SMS to
// phone_number turns the user's SMS MFA on (sign-in then asks for an SMS code), an empty list
// turns it off, and GetUser / AdminGetUser answer MFAOptions while it is on (docs/decisions/0026).
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const SMS = { DeliveryMedium: "SMS", AttributeName: "phone_number" } as const;
const PHONE = { phone_number: "+15555550123", phone_number_verified: "true" };

/** A pool offering SMS MFA (OPTIONAL), a password client, and user `username` with a phone. */
async function smsPool(username: string, attributes: Record<string, string> = PHONE) {
  const poolId = await createPool(t);
  await t.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: {
        SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sns", ExternalId: "x" },
      },
    }),
  );
  const { clientId } = await createClient(t, poolId);
  await createUser(t, poolId, username, { attributes });
  return { poolId, clientId };
}

const adminGet = (poolId: string, username: string) =>
  t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

describe("AdminSetUserSettings", () => {
  it("SMS to phone_number turns SMS MFA on: MFAOptions, UserMFASettingList, and an SMS_MFA challenge", async () => {
    const { poolId, clientId } = await smsPool("sam");
    expect((await adminGet(poolId, "sam")).MFAOptions).toBeUndefined();
    await t.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: "sam", MFAOptions: [SMS] }));
    const user = await adminGet(poolId, "sam");
    expect(user.MFAOptions).toEqual([SMS]);
    expect(user.UserMFASettingList).toEqual(["SMS_MFA"]);
    const started = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "sam", PASSWORD },
      }),
    );
    expect(started.ChallengeName).toBe("SMS_MFA");

    // An empty list turns it off again, and sign-in gives tokens.
    await t.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: "sam", MFAOptions: [] }));
    const off = await adminGet(poolId, "sam");
    expect(off.MFAOptions).toBeUndefined();
    expect(off.UserMFASettingList).toBeUndefined();
    expect((await signIn(t, clientId, "sam")).AccessToken).toBeTruthy();
  });

  it("MFAOptions shows SMS MFA however it was turned on, and an empty list clears an SMS preference", async () => {
    const { poolId } = await smsPool("pat");
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "pat",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    expect((await adminGet(poolId, "pat")).MFAOptions).toEqual([SMS]);
    await t.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: "pat", MFAOptions: [] }));
    const user = await adminGet(poolId, "pat");
    expect(user.PreferredMfaSetting).toBeUndefined();
    expect(user.UserMFASettingList).toBeUndefined();
  });

  it("refuses another attribute or EMAIL with Cognito's message, a user without a phone, unknown users", async () => {
    const { poolId } = await smsPool("eve", { email: "eve@example.com", email_verified: "true" });
    await expect(
      t.cognito.send(
        new AdminSetUserSettingsCommand({
          UserPoolId: poolId,
          Username: "eve",
          MFAOptions: [{ DeliveryMedium: "EMAIL", AttributeName: "email" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Only phone_number attribute is currently supported as a MFA option.",
    });
    await expect(
      t.cognito.send(
        new AdminSetUserSettingsCommand({
          UserPoolId: poolId,
          Username: "eve",
          MFAOptions: [{ DeliveryMedium: "EMAIL", AttributeName: "phone_number" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException", message: expect.stringMatching(/SMS delivery/) });
    await expect(
      t.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: "eve", MFAOptions: [SMS] })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "User does not have delivery config set to turn on SMS_MFA",
    });
    await expect(
      t.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: "nobody", MFAOptions: [SMS] })),
    ).rejects.toMatchObject({ name: "UserNotFoundException" });
    // Missing MFAOptions and a bad DeliveryMedium are the model's: validation, never a 5xx.
    const missing = await call(t.twin, "AdminSetUserSettings", { UserPoolId: poolId, Username: "eve" });
    expect(missing.status).toBe(400);
    const bogus = await call(t.twin, "AdminSetUserSettings", {
      UserPoolId: poolId,
      Username: "eve",
      MFAOptions: [{ DeliveryMedium: "PIGEON", AttributeName: "phone_number" }],
    });
    expect(bogus.status).toBe(400);
  });
});

describe("SetUserSettings", () => {
  it("the signed-in user turns SMS MFA on and off with an access token; GetUser answers MFAOptions", async () => {
    const { clientId } = await smsPool("ann");
    const { AccessToken } = await signIn(t, clientId, "ann");
    await t.cognito.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: [SMS] }));
    const on = await t.cognito.send(new GetUserCommand({ AccessToken }));
    expect(on.MFAOptions).toEqual([SMS]);
    expect(on.UserMFASettingList).toEqual(["SMS_MFA"]);
    await t.cognito.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: [] }));
    expect((await t.cognito.send(new GetUserCommand({ AccessToken }))).MFAOptions).toBeUndefined();
    await expect(
      t.cognito.send(new SetUserSettingsCommand({ AccessToken: "not.a.token", MFAOptions: [SMS] })),
    ).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });
});
