import { ChangePasswordCommand, GetUserCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let clientId: string;
let n = 0;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t);
  ({ clientId } = await createClient(t, poolId));
});
afterAll(() => t.close());

async function freshUser() {
  const username = `changer${++n}`;
  await createUser(t, poolId, username);
  return { username, ...(await signIn(t, clientId, username)) };
}
const change = (AccessToken: string, PreviousPassword: string | undefined, ProposedPassword: string) =>
  t.cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));
const login = (USERNAME: string, PASSWORD_: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME, PASSWORD: PASSWORD_ },
    }),
  );

describe("ChangePassword", () => {
  it("changes the password: the new one signs in, the old one does not", async () => {
    const u = await freshUser();
    await change(u.AccessToken, PASSWORD, "Changed-passw0rd");
    await expect(login(u.username, "Changed-passw0rd")).resolves.toHaveProperty("AuthenticationResult");
    await expect(login(u.username, PASSWORD)).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("leaves existing sessions signed in, as Cognito does", async () => {
    const u = await freshUser();
    await change(u.AccessToken, PASSWORD, "Changed-passw0rd");
    await expect(t.cognito.send(new GetUserCommand({ AccessToken: u.AccessToken }))).resolves.toMatchObject({
      Username: u.username,
    });
  });

  it("refuses a wrong previous password", async () => {
    const u = await freshUser();
    await expect(change(u.AccessToken, "Not-my-passw0rd", "Changed-passw0rd")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    await expect(login(u.username, PASSWORD)).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses a missing previous password", async () => {
    const u = await freshUser();
    await expect(change(u.AccessToken, undefined, "Changed-passw0rd")).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });

  it("refuses a new password the policy rejects, with the policy's words", async () => {
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

  it("refuses revoked and expired access tokens", async () => {
    const u = await freshUser();
    t.twin.services.clock.advance(3601);
    try {
      await expect(change(u.AccessToken, PASSWORD, "Changed-passw0rd")).rejects.toMatchObject({
        name: "NotAuthorizedException",
        message: "Access Token has expired",
      });
    } finally {
      t.twin.services.clock.advance(-3601);
    }
    const { store } = t.twin.services;
    const user = store.getUser(poolId, u.username)!;
    store.putUser({ ...user, enabled: false });
    await expect(change(u.AccessToken, PASSWORD, "Changed-passw0rd")).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });
});
