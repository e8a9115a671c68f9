import {
  DeleteUserCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { describe, expect, authTest as it } from "../../test-support/fixtures.js";

describe("DeleteUser", () => {
  it("deletes the user; their tokens and refresh tokens stop working and the name is free again", async ({
    t,
    poolId,
    clientId,
  }) => {
    await createUser(t, poolId, "leaver");
    const one = await signIn(t, clientId, "leaver");
    const two = await signIn(t, clientId, "leaver");
    await t.cognito.send(new DeleteUserCommand({ AccessToken: one.AccessToken }));
    expect(t.twin.services.store.getUser(poolId, "leaver")).toBeUndefined();
    for (const token of [one.AccessToken, two.AccessToken]) {
      await expect(t.cognito.send(new GetUserCommand({ AccessToken: token }))).rejects.toMatchObject({
        name: "UserNotFoundException",
        message: "User does not exist.",
      });
    }
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: two.RefreshToken },
        }),
      ),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token.",
    });
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "leaver", PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
    await expect(
      t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: "leaver", Password: PASSWORD })),
    ).resolves.toHaveProperty("UserSub");
  });

  it("refuses an invalid token", async ({ t }) => {
    await expect(t.cognito.send(new DeleteUserCommand({ AccessToken: "garbage" }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });

  it("refuses a revoked token and keeps the user", async ({ t, poolId, clientId }) => {
    await createUser(t, poolId, "stayer");
    const s = await signIn(t, clientId, "stayer");
    const { store } = t.twin.services;
    for (const session of store.sessionsOf(poolId, store.getUser(poolId, "stayer")!.sub))
      store.putSession({ ...session, revoked: true });
    await expect(t.cognito.send(new DeleteUserCommand({ AccessToken: s.AccessToken }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    expect(store.getUser(poolId, "stayer")).toBeDefined();
  });
});
