import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandInput,
  GetUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createPool, PASSWORD, secretHash } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { call } from "../../test-support/twin.js";

// The file's pool, client and user "alice" (test-support/fixtures.ts), and AdminInitiateAuth
// with them filled in.
const it = authTest.extend(
  "adminAuth",
  { scope: "file" },
  ({ t, poolId, clientId }) =>
    (input: Partial<AdminInitiateAuthCommandInput>) =>
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          ...input,
        } as AdminInitiateAuthCommandInput),
      ),
);

describe("AdminInitiateAuth", () => {
  it("signs in with ADMIN_USER_PASSWORD_AUTH and with the legacy ADMIN_NO_SRP_AUTH", async ({
    t,
    username,
    adminAuth,
  }) => {
    for (const AuthFlow of ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] as const) {
      const out = await adminAuth({ AuthFlow, AuthParameters: { USERNAME: username, PASSWORD } });
      expect(out.ChallengeParameters).toEqual({});
      expect(out.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
      await expect(
        t.cognito.send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! })),
      ).resolves.toMatchObject({ Username: username });
    }
  });

  it("accepts a client created with the legacy ADMIN_NO_SRP_AUTH flow name", async ({
    t,
    poolId,
    username,
    adminAuth,
  }) => {
    const { clientId: legacy } = await createClient(t, poolId, { ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH" as never] });
    await expect(
      adminAuth({ ClientId: legacy, AuthParameters: { USERNAME: username, PASSWORD } }),
    ).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses a flow the client does not allow, naming the flow as sent", async ({
    t,
    poolId,
    username,
    adminAuth,
  }) => {
    const { clientId: userOnly } = await createClient(t, poolId, { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] });
    for (const AuthFlow of ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] as const) {
      await expect(
        adminAuth({ ClientId: userOnly, AuthFlow, AuthParameters: { USERNAME: username, PASSWORD } }),
      ).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: `${AuthFlow} flow not enabled for this client`,
      });
    }
  });

  it("refuses USER_PASSWORD_AUTH, which belongs to InitiateAuth", async ({ username, adminAuth }) => {
    await expect(
      adminAuth({ AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Initiate Auth method not supported.",
    });
  });

  it("answers wrong passwords, unknown users and missing parameters as InitiateAuth does", async ({
    username,
    adminAuth,
  }) => {
    await expect(
      adminAuth({ AuthParameters: { USERNAME: username, PASSWORD: "Wrong-passw0rd" } }),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    await expect(adminAuth({ AuthParameters: { USERNAME: "nobody", PASSWORD } })).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await expect(adminAuth({ AuthParameters: { USERNAME: username } })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Missing required parameter PASSWORD",
    });
  });

  it("refuses a client of another pool, and an unknown pool", async ({ t, clientId, username, adminAuth }) => {
    const otherPool = await createPool(t);
    await expect(
      adminAuth({ UserPoolId: otherPool, AuthParameters: { USERNAME: username, PASSWORD } }),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: `User pool client ${clientId} does not exist.`,
    });
    await expect(
      adminAuth({ UserPoolId: "us-east-1_nothere1", AuthParameters: { USERNAME: username, PASSWORD } }),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere1 does not exist.",
    });
  });

  it("checks SECRET_HASH for a client with a secret", async ({ t, poolId, username, adminAuth }) => {
    const { clientId: sc, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
    await expect(adminAuth({ ClientId: sc, AuthParameters: { USERNAME: username, PASSWORD } })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: `Client ${sc} is configured with secret but SECRET_HASH was not received`,
    });
    await expect(
      adminAuth({
        ClientId: sc,
        AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: secretHash(clientSecret!, username, sc) },
      }),
    ).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refreshes with REFRESH_TOKEN_AUTH", async ({ username, adminAuth }) => {
    const first = await adminAuth({ AuthParameters: { USERNAME: username, PASSWORD } });
    const out = await adminAuth({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult!.RefreshToken! },
    });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it("opens NEW_PASSWORD_REQUIRED for an admin-created user", async ({ t, poolId, adminAuth }) => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "newbie",
        TemporaryPassword: "Temp-passw0rd",
        MessageAction: "SUPPRESS",
      }),
    );
    const out = await adminAuth({ AuthParameters: { USERNAME: "newbie", PASSWORD: "Temp-passw0rd" } });
    expect(out.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    expect(out.Session).toBeTruthy();
    expect(out.AuthenticationResult).toBeUndefined();
  });

  it("is SigV4-signed: refused without an Authorization header", async ({ t, poolId, clientId, username }) => {
    const res = await call(
      t.twin,
      "AdminInitiateAuth",
      {
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      },
      { authorization: "" },
    );
    expect(res.body.__type).toBe("MissingAuthenticationTokenException");
  });
});
