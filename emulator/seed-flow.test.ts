// The seed guide's flow end to end through SDK v3: register, confirm with the inbox code,
// log in, check the token, and the failures on the way.
import {
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { authTest, describe, expect } from "../test-support/fixtures.js";
import { GUIDE_CLIENT, GUIDE_POOL, GUIDE_USER } from "../test-support/seed-guide.js";

// The guide's pool and app client (section 2), made once for the file.
const it = authTest
  .extend("poolInput", { scope: "file" }, { ...GUIDE_POOL })
  .extend("clientInput", { scope: "file" }, { ...GUIDE_CLIENT });

describe("seed flow", () => {
  it("registers, refuses the unconfirmed login, confirms, logs in, and reads the user", async ({
    t,
    clock,
    poolId,
    clientId,
  }) => {
    const { email, password, name } = GUIDE_USER;
    const signUp = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "name", Value: name },
        ],
      }),
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(signUp.CodeDeliveryDetails).toEqual({
      Destination: "t***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });

    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    ).rejects.toMatchObject({ name: "UserNotConfirmedException", message: "User is not confirmed." });

    const inbox = (await (
      await fetch(`${t.url}/_twin/messages?userPoolId=${poolId}&username=${signUp.UserSub}`)
    ).json()) as { messages: { code: string; reason: string }[] };
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0]!.reason).toBe("SignUp");
    await expect(
      t.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: inbox.messages[0]!.code === "000000" ? "111111" : "000000",
        }),
      ),
    ).rejects.toMatchObject({
      name: "CodeMismatchException",
    });
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: inbox.messages[0]!.code }),
    );

    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: "Wrong123!" },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });

    const login = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    expect(login.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
    const access = login.AuthenticationResult!.AccessToken!;

    const me = await t.cognito.send(new GetUserCommand({ AccessToken: access }));
    expect(me.Username).toBe(signUp.UserSub);
    expect(me.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: "email", Value: email },
        { Name: "email_verified", Value: "true" },
        { Name: "name", Value: name },
        { Name: "sub", Value: signUp.UserSub },
      ]),
    );

    const [h, p, s] = access.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), username: "admin" })).toString("base64url")}.${s}`;
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: tampered }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });

    clock.advance(3600);
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: access }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });

    const refreshed = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: login.AuthenticationResult!.RefreshToken! },
      }),
    );
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    await t.cognito.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken! }));
  });
});
