// The seed guide's flow end to end through SDK v3: register, confirm with the inbox code,
// log in, check the token, and the failures on the way.
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../test-support/twin.js";

let t: TestTwin;
let clientId: string;
let poolId: string;

beforeAll(async () => {
  t = await startTwin();
  const pool = await t.cognito.send(
    new CreateUserPoolCommand({
      PoolName: "Legatera-UserPool",
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Schema: [
        { Name: "email", Required: true, Mutable: true },
        { Name: "name", Required: true, Mutable: true },
      ],
      MfaConfiguration: "OFF",
    }),
  );
  poolId = pool.UserPool!.Id!;
  const client = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "legatera-app-client",
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      SupportedIdentityProviders: ["COGNITO"],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
});
afterAll(() => t.close());

describe("seed flow", () => {
  it("registers, refuses the unconfirmed login, confirms, logs in, and reads the user", async () => {
    const email = "test@example.com";
    const signUp = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: "Test123!",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "name", Value: "Test User" },
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
          AuthParameters: { USERNAME: email, PASSWORD: "Test123!" },
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
        AuthParameters: { USERNAME: email, PASSWORD: "Test123!" },
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
        { Name: "name", Value: "Test User" },
        { Name: "sub", Value: signUp.UserSub },
      ]),
    );

    const [h, p, s] = access.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), username: "admin" })).toString("base64url")}.${s}`;
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: tampered }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });

    t.twin.services.clock.advance(3601);
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
