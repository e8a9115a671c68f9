// docs/faults.md's recipe "test that my app backs off when Cognito throttles", as written there
// (imports from the package's entry point, emulator/index.ts, instead of "cognito-twin").
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import seed from "../../docker/seed.example.json" with { type: "json" };
import { createApp, listen, type RunningServer, type SeedFile, type TwinApp } from "../index.js";

let twin: TwinApp;
let server: RunningServer;
beforeAll(async () => {
  twin = await createApp({ logLevel: "silent", seed: seed as SeedFile });
  server = await listen(twin, { port: 0 });
});
afterEach(() => twin.faults.clear());
afterAll(async () => {
  await server.close();
  await twin.close();
});

it("signs in through two throttles", async () => {
  twin.faults.add({ id: "throttle", operation: "InitiateAuth", action: "throttle", count: 2 });
  // The app's client, as the app makes it: standard retries, 3 attempts.
  const cognito = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: server.url,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const out = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: "exampleclient0000000000001",
      AuthParameters: { USERNAME: "test@example.com", PASSWORD: "Test123!" },
    }),
  );
  expect(out.$metadata.attempts).toBe(3);
  expect(out.$metadata.totalRetryDelay).toBeGreaterThan(0); // it waited between the attempts
  expect(twin.faults.get("throttle")).toMatchObject({ fired: 2, spent: true });
  cognito.destroy();
});
