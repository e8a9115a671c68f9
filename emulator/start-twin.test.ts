// The programmatic API as a team's test uses it: startTwin, the controls over HTTP, connectTwin
// from a URL alone, and the vitest and Jest global setups.
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setup as jestSetup, teardown as jestTeardown } from "./jest-setup.js";
import { connectTwin, type StartedTwin, startTwin, TwinCallError } from "./start-twin.js";
import { cognitoTwinSetup } from "./vitest-setup.js";

describe("startTwin", () => {
  let twin: StartedTwin;
  beforeAll(async () => {
    twin = await startTwin({ region: "eu-west-1" });
  });
  afterAll(() => twin.stop());

  it("listens on a free loopback port and hands SDKs their config", () => {
    expect(twin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(twin.port).toBeGreaterThan(0);
    expect(twin.clientConfig).toEqual({
      endpoint: twin.url,
      region: "eu-west-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });

  it("creates a pool, signs a user up through the SDK, reads the code and signs in", async () => {
    const { userPoolId, clientId } = await twin.createPool({
      pool: { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] },
    });
    expect(userPoolId).toMatch(/^eu-west-1_/);
    const cognito = new CognitoIdentityProviderClient(twin.clientConfig);
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ana@example.com",
        Password: "Passw0rd!",
        UserAttributes: [{ Name: "email", Value: "ana@example.com" }],
      }),
    );
    const code = await twin.latestCode({ userPoolId, username: "ana@example.com" });
    expect(code).toMatch(/^\d{6}$/);
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "ana@example.com", ConfirmationCode: code }),
    );
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ana@example.com", PASSWORD: "Passw0rd!" },
      }),
    );
    expect(signedIn.AuthenticationResult?.IdToken).toBeTruthy();
    cognito.destroy();
  });

  it("creates users who can sign in at once, and answers Cognito's errors as TwinCallError", async () => {
    const { userPoolId, clientId } = await twin.createPool({ name: "second" });
    await twin.createUser(userPoolId, "bo", "Passw0rd!", { email: "bo@example.com" });
    const answer = await twin.call<{ AuthenticationResult: { AccessToken: string } }>("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "bo", PASSWORD: "Passw0rd!" },
    });
    expect(answer.AuthenticationResult.AccessToken).toBeTruthy();
    const wrong = await twin
      .call("InitiateAuth", {
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "bo", PASSWORD: "nope" },
      })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TwinCallError);
    expect(wrong).toMatchObject({
      type: "NotAuthorizedException",
      status: 400,
      message: "Incorrect username or password.",
    });
  });

  it("says what it looked for when no code was sent", async () => {
    await expect(twin.latestCode({ username: "nobody@example.com" })).rejects.toThrow(
      "no message with a code for nobody@example.com (0 without one)",
    );
  });

  it("moves the clock and resets", async () => {
    const before = twin.twin.services.clock.now();
    const after = await twin.advanceClock(3600);
    expect(after - before).toBeGreaterThanOrEqual(3600_000);
    expect(after - before).toBeLessThan(3660_000);
    await twin.reset();
    expect(twin.twin.services.clock.now() - before).toBeLessThan(60_000);
    expect(await twin.messages()).toEqual([]);
    expect(await twin.call("ListUserPools", { MaxResults: 10 })).toEqual({ UserPools: [] });
  });
});

describe("connectTwin", () => {
  it("drives a running emulator from its URL alone, with its control token", async () => {
    await using running = await startTwin({ controlToken: "s3cret" });
    const refused = connectTwin(running.url);
    await expect(refused.reset()).rejects.toThrow(/answered 401/);
    const remote = connectTwin(`${running.url}/`, { controlToken: "s3cret" });
    expect(remote.url).toBe(running.url);
    const { userPoolId } = await remote.createPool();
    expect(await remote.clearMessages({ userPoolId })).toBe(0);
    await remote.reset();
    expect(running.twin.services.store.getPool(userPoolId)).toBeUndefined();
  });

  it("stops once however often stop is called", async () => {
    const running = await startTwin();
    await Promise.all([running.stop(), running.stop()]);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });
});

describe("the test runners' global setups", () => {
  it("vitest: provides the URL and region, and its teardown stops the emulator", async () => {
    const provided = new Map<string, string>();
    const teardown = await cognitoTwinSetup({ region: "ap-south-1" })({
      provide: (key, value) => provided.set(key, value),
    });
    const url = provided.get("cognitoTwinUrl")!;
    expect(provided.get("cognitoTwinRegion")).toBe("ap-south-1");
    expect(process.env.COGNITO_TWIN_URL).toBe(url);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await teardown();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("Jest: setup sets COGNITO_TWIN_URL for the workers; teardown stops it", async () => {
    await jestSetup();
    const url = process.env.COGNITO_TWIN_URL!;
    const { userPoolId } = await connectTwin(url).createPool();
    expect(userPoolId).toMatch(/^us-east-1_/);
    await jestTeardown();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await jestTeardown();
  });
});
