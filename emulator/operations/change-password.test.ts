import { ChangePasswordCommand, GetUserCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { cloneUser } from "../domain/users/records.js";

let n = 0;
// The file's pool and client (test-support/fixtures.ts); a new signed-in user for each test
// that changes a password, and the calls with them.
const it = authTest
  .extend("freshUser", { scope: "file" }, ({ t, poolId, clientId }) => async () => {
    const username = `changer${++n}`;
    await createUser(t, poolId, username);
    return { username, ...(await signIn(t, clientId, username)) };
  })
  .extend(
    "change",
    { scope: "file" },
    ({ t }) =>
      (AccessToken: string, PreviousPassword: string | undefined, ProposedPassword: string) =>
        t.cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword })),
  )
  .extend(
    "login",
    { scope: "file" },
    ({ t, clientId }) =>
      (USERNAME: string, PASSWORD_: string) =>
        t.cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME, PASSWORD: PASSWORD_ },
          }),
        ),
  );

describe("ChangePassword", () => {
  it("changes the password: the new one signs in, the old one does not", async ({ freshUser, change, login }) => {
    const u = await freshUser();
    await change(u.AccessToken, PASSWORD, "Changed-passw0rd");
    await expect(login(u.username, "Changed-passw0rd")).resolves.toHaveProperty("AuthenticationResult");
    await expect(login(u.username, PASSWORD)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("leaves existing sessions signed in, as Cognito does", async ({ t, freshUser, change }) => {
    const u = await freshUser();
    await change(u.AccessToken, PASSWORD, "Changed-passw0rd");
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: u.AccessToken }))).resolves.toMatchObject({
      Username: u.username,
    });
  });

  it("refuses a wrong previous password", async ({ freshUser, change, login }) => {
    const u = await freshUser();
    await expect(change(u.AccessToken, "Not-my-passw0rd", "Changed-passw0rd")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    await expect(login(u.username, PASSWORD)).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses a missing previous password", async ({ freshUser, change }) => {
    const u = await freshUser();
    await expect(change(u.AccessToken, undefined, "Changed-passw0rd")).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });

  it("refuses a new password the policy rejects, with the policy's words", async ({ freshUser, change }) => {
    const u = await freshUser();
    const cases: [string, string][] = [
      ["Sh0rt!", "Password not long enough"],
      ["nouppercase1!", "Password must have uppercase characters"],
      ["NOLOWERCASE1!", "Password must have lowercase characters"],
      ["No-numbers-here!", "Password must have numeric characters"],
      ["NoSymbols123", "Password must have symbol characters"],
    ];
    for (const [proposed, problem] of cases) {
      await expect(change(u.AccessToken, PASSWORD, proposed)).rejects.toMatchObject({
        name: "InvalidPasswordException",
        message: `Password does not conform to policy: ${problem}`,
      });
    }
  });

  it("refuses revoked and expired access tokens", async ({ t, clock, poolId, freshUser, change }) => {
    const u = await freshUser();
    clock.advance(3601);
    await expect(change(u.AccessToken, PASSWORD, "Changed-passw0rd")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
    clock.advance(-3601);
    const { store } = t.twin.services;
    const user = cloneUser(store.getUser(poolId, u.username)!);
    store.putUser({ ...user, enabled: false });
    await expect(change(u.AccessToken, PASSWORD, "Changed-passw0rd")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });
});
