import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandInput,
  GetUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD, secretHash } from "../../test-support/auth-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t);
  ({ clientId } = await createClient(t, poolId));
  await createUser(t, poolId, "alice");
});
afterAll(() => t.close());

const adminAuth = (input: Partial<AdminInitiateAuthCommandInput>) =>
  t.cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      ...input,
    } as AdminInitiateAuthCommandInput),
  );

describe("AdminInitiateAuth", () => {
  it("signs in with ADMIN_USER_PASSWORD_AUTH and with the legacy ADMIN_NO_SRP_AUTH", async () => {
    for (const AuthFlow of ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] as const) {
      const out = await adminAuth({ AuthFlow, AuthParameters: { USERNAME: "alice", PASSWORD } });
      expect(out.ChallengeParameters).toEqual({});
      expect(out.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
      await expect(
        t.cognito.send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! })),
      ).resolves.toMatchObject({ Username: "alice" });
    }
  });

  it("accepts a client created with the legacy ADMIN_NO_SRP_AUTH flow name", async () => {
    const { clientId: legacy } = await createClient(t, poolId, { ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH" as never] });
    await expect(
      adminAuth({ ClientId: legacy, AuthParameters: { USERNAME: "alice", PASSWORD } }),
    ).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses a flow the client does not allow, naming the flow as sent", async () => {
    const { clientId: userOnly } = await createClient(t, poolId, { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] });
    for (const AuthFlow of ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] as const) {
      await expect(
        adminAuth({ ClientId: userOnly, AuthFlow, AuthParameters: { USERNAME: "alice", PASSWORD } }),
      ).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: `${AuthFlow} flow not enabled for this client`,
      });
    }
  });

  it("refuses USER_PASSWORD_AUTH, which belongs to InitiateAuth", async () => {
    await expect(
      adminAuth({ AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alice", PASSWORD } }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Initiate Auth method not supported.",
    });
  });

  it("answers wrong passwords, unknown users and missing parameters as InitiateAuth does", async () => {
    await expect(
      adminAuth({ AuthParameters: { USERNAME: "alice", PASSWORD: "Wrong-passw0rd" } }),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    await expect(adminAuth({ AuthParameters: { USERNAME: "nobody", PASSWORD } })).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await expect(adminAuth({ AuthParameters: { USERNAME: "alice" } })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Missing required parameter PASSWORD",
    });
  });

  it("refuses a client of another pool, and an unknown pool", async () => {
    const otherPool = await createPool(t);
    await expect(
      adminAuth({ UserPoolId: otherPool, AuthParameters: { USERNAME: "alice", PASSWORD } }),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: `User pool client ${clientId} does not exist.`,
    });
    await expect(
      adminAuth({ UserPoolId: "us-east-1_nothere1", AuthParameters: { USERNAME: "alice", PASSWORD } }),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere1 does not exist.",
    });
  });

  it("checks SECRET_HASH for a client with a secret", async () => {
    const { clientId: sc, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
    await expect(adminAuth({ ClientId: sc, AuthParameters: { USERNAME: "alice", PASSWORD } })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: `Client ${sc} is configured with secret but SECRET_HASH was not received`,
    });
    await expect(
      adminAuth({
        ClientId: sc,
        AuthParameters: { USERNAME: "alice", PASSWORD, SECRET_HASH: secretHash(clientSecret!, "alice", sc) },
      }),
    ).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refreshes with REFRESH_TOKEN_AUTH", async () => {
    const first = await adminAuth({ AuthParameters: { USERNAME: "alice", PASSWORD } });
    const out = await adminAuth({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult!.RefreshToken! },
    });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it("opens NEW_PASSWORD_REQUIRED for an admin-created user", async () => {
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

  it("is SigV4-signed: refused without an Authorization header", async () => {
    const res = await call(
      t.twin,
      "AdminInitiateAuth",
      {
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD },
      },
      { authorization: "" },
    );
    expect(res.body.__type).toBe("MissingAuthenticationTokenException");
  });
});
