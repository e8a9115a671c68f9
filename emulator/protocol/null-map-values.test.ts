// A null value in a map: AuthParameters and ChallengeResponses take it as no value (the
// `DEVICE_KEY: null` amazon-cognito-identity-js sends), every other map refuses it as before
// (docs/decisions/0021-passkeys.md, its 2026-12-02 section).
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test-support/twin.js";
import { createApp, type TwinApp } from "../app.js";

let twin: TwinApp;
let clientId: string;
beforeAll(async () => {
  twin = await createApp({ logLevel: "silent" });
  const pool = await call(twin, "CreateUserPool", { PoolName: "nulls" });
  const poolId = (pool.body.UserPool as { Id: string }).Id;
  const client = await call(twin, "CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "c",
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  clientId = (client.body.UserPoolClient as { ClientId: string }).ClientId;
});

describe("null map values", () => {
  it("drops a null in AuthParameters: the flow sees no DEVICE_KEY", async () => {
    const res = await call(twin, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "nobody", PASSWORD: "Passw0rd!", DEVICE_KEY: null },
    });
    // The sign-in goes on to the user lookup, past validation.
    expect(res.body.__type).toBe("UserNotFoundException");
  });

  it("drops a null in ChallengeResponses", async () => {
    const res = await call(twin, "RespondToAuthChallenge", {
      ClientId: clientId,
      ChallengeName: "SMS_MFA",
      Session: "x".repeat(40),
      ChallengeResponses: { USERNAME: "nobody", SMS_MFA_CODE: "123456", DEVICE_KEY: null },
    });
    expect(res.status).toBe(400);
    expect(String(res.body.message)).not.toContain("Member must not be null");
  });

  it("still refuses a null in other maps, and a null required parameter is missing", async () => {
    const metadata = await call(twin, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "nobody", PASSWORD: "Passw0rd!" },
      ClientMetadata: { source: null },
    });
    expect(metadata.body).toMatchObject({
      __type: "InvalidParameterException",
      message: expect.stringContaining("Value null at 'clientMetadata.source.member'"),
    });
    const missing = await call(twin, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "nobody", PASSWORD: null },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.__type).toBe("InvalidParameterException");
  });
});
