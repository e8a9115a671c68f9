// docs/faults.md's container recipe, through the image: fault rules set on the started container
// (addFault, getFaults, clearFaults), the SDK's retries getting past two throttles, and the quota
// mode turned on with withQuotas. Skipped without a Docker engine, except under CI=true.
import { fileURLToPath } from "node:url";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  TooManyRequestsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, requireDockerUnlessLocal, TEST_IMAGE } from "../test-support/docker.js";
import { CognitoTwinContainer, type StartedCognitoTwinContainer } from "./testcontainers.js";

const runs = await requireDockerUnlessLocal("docker/container-faults.test.ts");
const SEED = fileURLToPath(new URL("./seed.example.json", import.meta.url));

beforeAll(async () => {
  if (runs) await ensureImage();
}, 600_000);

describe.skipIf(!runs)("fault rules in the container", () => {
  let twin: StartedCognitoTwinContainer;
  const clients: CognitoIdentityProviderClient[] = [];

  beforeAll(async () => {
    twin = await new CognitoTwinContainer(TEST_IMAGE).withConfigFile(SEED).withQuotas({ UserPoolRead: 1 }).start();
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await twin?.stop();
  });

  it("the SDK's retries sign in through two throttles set with addFault", async () => {
    const [rule] = await twin.addFault({ operation: "InitiateAuth", action: "throttle", count: 2 });
    const cognito = new CognitoIdentityProviderClient(twin.getClientConfig());
    clients.push(cognito);
    const out = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: "exampleclient0000000000001",
        AuthParameters: { USERNAME: "test@example.com", PASSWORD: "Test123!" },
      }),
    );
    expect(out.$metadata.attempts).toBe(3);
    expect((await twin.getFaults()).find((r) => r.id === rule!.id)).toMatchObject({ fired: 2, spent: true });
    await twin.clearFaults();
    expect(await twin.getFaults()).toEqual([]);
  });

  it("withQuotas: past the category's rate in a second, TooManyRequestsException", async () => {
    const cognito = new CognitoIdentityProviderClient({ ...twin.getClientConfig(), maxAttempts: 1 });
    clients.push(cognito);
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(
        await cognito.send(new ListUserPoolsCommand({ MaxResults: 1 })).then(
          () => "ok",
          (e: unknown) => (e instanceof TooManyRequestsException ? `throttled: ${e.message}` : String(e)),
        ),
      );
    expect(outcomes[0]).toBe("ok");
    expect(outcomes).toContain("throttled: Rate exceeded");
  });
});
