// The user lifecycle through SDK v3: sign-up codes and their resending, password resets by the
// user (ForgotPassword) and by an administrator, confirmation, and the messages Cognito answers
// on each path, including with PreventUserExistenceErrors ENABLED.
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  inbox,
  PASSWORD,
  secretHash,
  signIn,
} from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
/** Email as username, email auto-verified, `name` required. */
let emailPool: string;
let emailClient: string;
/** The same pool, behind a client that hides whether users exist. */
let hidingClient: string;
/** Plain usernames (case-insensitive), email auto-verified. */
let namePool: string;
let nameClient: string;

beforeAll(async () => {
  t = await startTwin();
  emailPool = await createPool(t, {
    UsernameAttributes: ["email"],
    Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
  });
  ({ clientId: emailClient } = await createClient(t, emailPool));
  ({ clientId: hidingClient } = await createClient(t, emailPool, { PreventUserExistenceErrors: "ENABLED" }));
  namePool = await createPool(t);
  ({ clientId: nameClient } = await createClient(t, namePool));
});
afterAll(() => t.close());

const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

async function signUpEmail(email: string, clientId = emailClient) {
  return t.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: "name", Value: "Someone" }],
    }),
  );
}

async function lastCode(poolId: string, username: string, reason?: string): Promise<string> {
  const messages = (await inbox(t, poolId, username)).filter((m) => reason === undefined || m.reason === reason);
  expect(messages.length).toBeGreaterThan(0);
  return messages[messages.length - 1]!.code!;
}

async function status(poolId: string, username: string) {
  return (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;
}

const passwordLogin = (clientId: string, username: string, password: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

describe("SignUp and AdminCreateUser messages", () => {
  it("refuses a second account for the same email, name or username", async () => {
    await signUpEmail("dup@example.com");
    await expect(signUpEmail("dup@example.com")).rejects.toMatchObject({
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
    // Usernames are case-insensitive by default.
    await t.cognito.send(new SignUpCommand({ ClientId: nameClient, Username: "Bob", Password: PASSWORD }));
    await expect(
      t.cognito.send(new SignUpCommand({ ClientId: nameClient, Username: "bob", Password: PASSWORD })),
    ).rejects.toMatchObject({
      name: "UsernameExistsException",
      message: "User already exists",
    });
    await expect(
      t.cognito.send(new AdminCreateUserCommand({ UserPoolId: namePool, Username: "BOB", MessageAction: "SUPPRESS" })),
    ).rejects.toMatchObject({
      name: "UsernameExistsException",
      message: "User account already exists",
    });
  });

  it("refuses a non-email username and a missing required attribute", async () => {
    await expect(
      t.cognito.send(
        new SignUpCommand({
          ClientId: emailClient,
          Username: "not-an-email",
          Password: PASSWORD,
          UserAttributes: [{ Name: "name", Value: "X" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });
    await expect(
      t.cognito.send(new SignUpCommand({ ClientId: emailClient, Username: "noname@example.com", Password: PASSWORD })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid attributes given, name is missing",
    });
  });

  it("words weak-password errors the way each operation does", async () => {
    await expect(
      t.cognito.send(new SignUpCommand({ ClientId: nameClient, Username: "weak1", Password: "Sh0rt!" })),
    ).rejects.toMatchObject({
      name: "InvalidPasswordException",
      message: "Password did not conform with policy: Password not long enough",
    });
    await expect(
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: namePool,
          Username: "weak2",
          TemporaryPassword: "nouppercase1!",
          MessageAction: "SUPPRESS",
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidPasswordException",
      message: "Password did not conform with password policy: Password must have uppercase characters",
    });
    await createUser(t, namePool, "weak3");
    await expect(
      t.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: namePool,
          Username: "weak3",
          Password: "NoNumbers!",
          Permanent: true,
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password must have numeric characters",
    });
  });
});

describe("ResendConfirmationCode", () => {
  it("sends a fresh sign-up code that replaces the old one", async () => {
    const { UserSub } = await signUpEmail("resend@example.com");
    const first = await lastCode(emailPool, UserSub!, "SignUp");
    const out = await t.cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: emailClient, Username: "resend@example.com" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "r***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const messages = await inbox(t, emailPool, UserSub!);
    expect(messages.map((m) => m.reason)).toEqual(["SignUp", "ResendCode"]);
    const second = messages[1]!.code!;
    if (first !== second) {
      await expect(
        t.cognito.send(
          new ConfirmSignUpCommand({ ClientId: emailClient, Username: "resend@example.com", ConfirmationCode: first }),
        ),
      ).rejects.toMatchObject({
        name: "CodeMismatchException",
        message: "Invalid verification code provided, please try again.",
      });
    }
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: emailClient, Username: "resend@example.com", ConfirmationCode: second }),
    );
    expect(await status(emailPool, "resend@example.com")).toBe("CONFIRMED");
    await expect(
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: emailClient, Username: "resend@example.com" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "User is already confirmed.",
    });
  });

  it("lets a sign-up code expire after 24 hours, and a resent one work", async () => {
    const { UserSub } = await signUpEmail("late@example.com");
    const code = await lastCode(emailPool, UserSub!);
    t.twin.services.clock.advance(24 * 3600 + 1);
    await expect(
      t.cognito.send(
        new ConfirmSignUpCommand({ ClientId: emailClient, Username: "late@example.com", ConfirmationCode: code }),
      ),
    ).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: emailClient, Username: "late@example.com" }));
    t.twin.services.clock.advance(23 * 3600);
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: emailClient,
        Username: "late@example.com",
        ConfirmationCode: await lastCode(emailPool, UserSub!, "ResendCode"),
      }),
    );
  });

  it("answers unknown users by the client's PreventUserExistenceErrors", async () => {
    await expect(
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: emailClient, Username: "ghost@example.com" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    const hidden = await t.cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: hidingClient, Username: "ghost@example.com" }),
    );
    expect(hidden.CodeDeliveryDetails).toEqual({
      Destination: "g***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    expect(await inbox(t, emailPool, "ghost@example.com")).toEqual([]);
  });

  it("has nothing to resend in a pool that verifies nothing", async () => {
    const pool = await createPool(t, { AutoVerifiedAttributes: [] });
    const { clientId } = await createClient(t, pool);
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "quiet",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "quiet@example.com" }],
      }),
    );
    await expect(
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "quiet" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot resend codes. Auto verification not turned on.",
    });
  });

  it("needs the SECRET_HASH of a client with a secret", async () => {
    const { clientId, clientSecret } = await createClient(t, namePool, { GenerateSecret: true });
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "secretive",
        Password: PASSWORD,
        SecretHash: secretHash(clientSecret!, "secretive", clientId),
        UserAttributes: [{ Name: "email", Value: "s@example.com" }],
      }),
    );
    await expect(
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "secretive" })),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    const out = await t.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: clientId,
        Username: "secretive",
        SecretHash: secretHash(clientSecret!, "secretive", clientId),
      }),
    );
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
  });
});

describe("ForgotPassword and ConfirmForgotPassword", () => {
  it("resets a password with the emailed code: the new one signs in, the old one no longer does", async () => {
    await createUser(t, namePool, "carol", { attributes: { email: "carol@example.com", email_verified: "true" } });
    const out = await t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "Carol" }));
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "c***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const [message] = await inbox(t, namePool, "carol");
    expect(message).toMatchObject({
      reason: "ForgotPassword",
      destination: "carol@example.com",
      attributeName: "email",
    });
    const code = message!.code!;
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: nameClient,
          Username: "carol",
          ConfirmationCode: code,
          Password: "short",
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password not long enough",
    });
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: nameClient,
          Username: "carol",
          ConfirmationCode: wrong(code),
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: nameClient,
        Username: "carol",
        ConfirmationCode: code,
        Password: "N3w-Passw0rd",
      }),
    );
    await signIn(t, nameClient, "carol", "N3w-Passw0rd");
    await expect(passwordLogin(nameClient, "carol", PASSWORD)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    // A code works once.
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: nameClient,
          Username: "carol",
          ConfirmationCode: code,
          Password: "An0ther-Pass",
        }),
      ),
    ).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("lets exactly one of two simultaneous confirmations with the same code win", async () => {
    await createUser(t, namePool, "race");
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "race" }));
    const code = await lastCode(namePool, "race", "ForgotPassword");
    const results = await Promise.allSettled(
      ["Fir5t-Passw0rd", "Sec0nd-Passw0rd"].map((Password) =>
        t.cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: nameClient,
            Username: "race",
            ConfirmationCode: code,
            Password,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { name: "ExpiredCodeException" } });
    const winner = results[0]!.status === "fulfilled" ? "Fir5t-Passw0rd" : "Sec0nd-Passw0rd";
    await signIn(t, nameClient, "race", winner);
  });

  it("lets a reset code expire after one hour", async () => {
    await createUser(t, namePool, "dave");
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "dave" }));
    const code = await lastCode(namePool, "dave", "ForgotPassword");
    t.twin.services.clock.advance(3601);
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: nameClient,
          Username: "dave",
          ConfirmationCode: code,
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("stops accepting codes after five wrong ones, until a new code is requested", async () => {
    await createUser(t, namePool, "erin");
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "erin" }));
    const code = await lastCode(namePool, "erin", "ForgotPassword");
    for (let i = 0; i < 5; i++) {
      await expect(
        t.cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: nameClient,
            Username: "erin",
            ConfirmationCode: wrong(code),
            Password: "N3w-Passw0rd",
          }),
        ),
      ).rejects.toMatchObject({
        name: "CodeMismatchException",
      });
    }
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: nameClient,
          Username: "erin",
          ConfirmationCode: code,
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "erin" }));
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: nameClient,
        Username: "erin",
        ConfirmationCode: await lastCode(namePool, "erin", "ForgotPassword"),
        Password: "N3w-Passw0rd",
      }),
    );
    await signIn(t, nameClient, "erin", "N3w-Passw0rd");
  });

  it("needs a verified email or phone to send the code to", async () => {
    const { UserSub } = await signUpEmail("unverified@example.com");
    await t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: emailPool, Username: "unverified@example.com" }));
    await expect(
      t.cognito.send(new ForgotPasswordCommand({ ClientId: emailClient, Username: "unverified@example.com" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    expect((await inbox(t, emailPool, UserSub!)).map((m) => m.reason)).toEqual(["SignUp"]);
  });

  it("confirms an UNCONFIRMED user whose email is verified", async () => {
    await signUpEmail("pending@example.com");
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: emailPool,
        Username: "pending@example.com",
        UserAttributes: [{ Name: "email_verified", Value: "true" }],
      }),
    );
    const out = await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: emailClient, Username: "pending@example.com" }),
    );
    expect(out.CodeDeliveryDetails?.Destination).toBe("p***@e***");
    const code = await lastCode(emailPool, "pending@example.com", "ForgotPassword");
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: emailClient,
        Username: "pending@example.com",
        ConfirmationCode: code,
        Password: "N3w-Passw0rd",
      }),
    );
    expect(await status(emailPool, "pending@example.com")).toBe("CONFIRMED");
    await signIn(t, emailClient, "pending@example.com", "N3w-Passw0rd");
  });

  it("refuses users who must first replace a temporary password, and disabled users", async () => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: namePool,
        Username: "fresh",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "fresh@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await expect(
      t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "fresh" })),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User password cannot be reset in the current state.",
    });
    await createUser(t, namePool, "frank");
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: namePool, Username: "frank" }));
    await expect(
      t.cognito.send(new ForgotPasswordCommand({ ClientId: nameClient, Username: "frank" })),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "User is disabled." });
  });

  it("sends the code by SMS when the recovery setting puts a verified phone first", async () => {
    const pool = await createPool(t, {
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: "verified_phone_number", Priority: 1 },
          { Name: "verified_email", Priority: 2 },
        ],
      },
    });
    const { clientId } = await createClient(t, pool);
    await createUser(t, pool, "phoebe", {
      attributes: {
        email: "phoebe@example.com",
        email_verified: "true",
        phone_number: "+15555550123",
        phone_number_verified: "true",
      },
    });
    const out = await t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "phoebe" }));
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "+*******0123",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });
    expect((await inbox(t, pool, "phoebe"))[0]).toMatchObject({
      deliveryMedium: "SMS",
      destination: "+15555550123",
      reason: "ForgotPassword",
    });
  });

  it("answers ExpiredCodeException when no code was requested", async () => {
    await createUser(t, namePool, "gina");
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: nameClient,
          Username: "gina",
          ConfirmationCode: "123456",
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "ExpiredCodeException",
    });
  });

  it("answers unknown users with UserNotFoundException (LEGACY) or believable answers (ENABLED)", async () => {
    await expect(
      t.cognito.send(new ForgotPasswordCommand({ ClientId: emailClient, Username: "nobody@example.com" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: emailClient,
          Username: "nobody@example.com",
          ConfirmationCode: "123456",
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
    const first = await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: hidingClient, Username: "nobody@example.com" }),
    );
    const again = await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: hidingClient, Username: "nobody@example.com" }),
    );
    expect(first.CodeDeliveryDetails).toEqual({
      Destination: "n***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    expect(again.CodeDeliveryDetails).toEqual(first.CodeDeliveryDetails);
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: hidingClient,
          Username: "nobody@example.com",
          ConfirmationCode: "123456",
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    // A real user behind the hiding client gets the real behaviour.
    await createUser(t, emailPool, "hidden@example.com", {
      attributes: { email: "hidden@example.com", email_verified: "true", name: "H" },
    });
    await expect(
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: hidingClient,
          Username: "hidden@example.com",
          ConfirmationCode: "123456",
          Password: "N3w-Passw0rd",
        }),
      ),
    ).rejects.toMatchObject({
      name: "ExpiredCodeException",
    });
  });
});

describe("AdminResetUserPassword", () => {
  it("requires a reset: password sign-in is refused until the emailed code sets a new password", async () => {
    await createUser(t, namePool, "hank");
    await t.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: namePool, Username: "HANK" }));
    expect(await status(namePool, "hank")).toBe("RESET_REQUIRED");
    await expect(passwordLogin(nameClient, "hank", PASSWORD)).rejects.toMatchObject({
      name: "PasswordResetRequiredException",
      message: "Password reset required for the user",
    });
    const [message] = await inbox(t, namePool, "hank");
    expect(message).toMatchObject({
      reason: "AdminResetUserPassword",
      destination: "hank@example.com",
      deliveryMedium: "EMAIL",
    });
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: nameClient,
        Username: "hank",
        ConfirmationCode: message!.code!,
        Password: "N3w-Passw0rd",
      }),
    );
    expect(await status(namePool, "hank")).toBe("CONFIRMED");
    await signIn(t, nameClient, "hank", "N3w-Passw0rd");
  });

  it("refuses unknown users and users with nowhere to send the code", async () => {
    await expect(
      t.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: namePool, Username: "nobody" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await createUser(t, namePool, "ivan", { attributes: { email: "ivan@example.com" } });
    await expect(
      t.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: namePool, Username: "ivan" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    expect(await status(namePool, "ivan")).toBe("CONFIRMED");
  });
});

describe("AdminConfirmSignUp", () => {
  it("confirms without a code, once, and leaves the email unverified", async () => {
    const { UserSub } = await signUpEmail("admin-confirmed@example.com");
    await t.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: emailPool, Username: "Admin-Confirmed@example.com" }),
    );
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: emailPool, Username: UserSub! }));
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserAttributes?.find((a) => a.Name === "email_verified")).toBeUndefined();
    await signIn(t, emailClient, "admin-confirmed@example.com");
    await expect(
      t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: emailPool, Username: "admin-confirmed@example.com" })),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
    await expect(
      t.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: emailClient,
          Username: "admin-confirmed@example.com",
          ConfirmationCode: "123456",
        }),
      ),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
    await expect(
      t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: emailPool, Username: "ghost@example.com" })),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expect(
      t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: "us-east-1_nope", Username: "x" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nope does not exist.",
    });
  });
});
