// The started container's fault methods (addFault, getFaults, clearFaults) and withQuotas, against
// an emulator in this process: they are HTTP calls to /_twin/faults, the same with or without a
// container (docker/container.test.ts runs the image itself).
import { DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { StartedTestContainer } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { CognitoTwinContainer, StartedCognitoTwinContainer } from "./testcontainers.js";

let t: TestTwin;
let poolId: string;
let container: StartedCognitoTwinContainer;

beforeAll(async () => {
  t = await startTwin({ controlToken: "faults-token" });
  poolId = await createPool(t);
  // Only the endpoint and the control token matter to these methods; no container runs.
  container = new StartedCognitoTwinContainer(
    {} as StartedTestContainer,
    () => t.url,
    "us-east-1",
    "aws",
    "faults-token",
  );
});
afterAll(() => t.close());

describe("StartedCognitoTwinContainer's fault methods", () => {
  it("addFault sets a rule, getFaults lists it with how often it fired, clearFaults removes it", async () => {
    const [rule] = await container.addFault({ operation: "DescribeUserPool", action: "throttle", count: 1 });
    expect(rule).toMatchObject({ operation: "DescribeUserPool", action: "throttle", fired: 0 });
    await expect(t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).rejects.toThrow("Rate exceeded");
    expect(await container.getFaults()).toEqual([expect.objectContaining({ id: rule!.id, fired: 1, spent: true })]);
    await container.clearFaults(rule!.id);
    expect(await container.getFaults()).toEqual([]);
  });

  it("takes a list, and clearFaults() without an id removes them all", async () => {
    const rules = await container.addFault([
      { operation: "ListUsers", action: "http503" },
      { path: "/oauth2/token", action: "throttle" },
    ]);
    expect(rules.map((r) => r.action)).toEqual(["http503", "throttle"]);
    await container.clearFaults();
    expect(await container.getFaults()).toEqual([]);
  });

  it("a rule the emulator refuses throws with the field and the reason", async () => {
    await expect(container.addFault({ operation: "ListUsers", action: "delay", latencyMs: -1 })).rejects.toThrow(
      /refused the fault rule \(latencyMs\): latencyMs must be a whole number/,
    );
  });
});

describe("CognitoTwinContainer.withQuotas", () => {
  it("sets COGNITO_TWIN_QUOTAS: aws, or the rates given", () => {
    const env = (c: CognitoTwinContainer) =>
      (c as unknown as { createOpts: { Env?: string[] } }).createOpts?.Env ??
      (c as unknown as { environment: Record<string, string> }).environment;
    const aws = env(new CognitoTwinContainer().withQuotas());
    const rates = env(new CognitoTwinContainer().withQuotas({ UserAuthentication: 5, UserCreation: 2 }));
    expect(JSON.stringify(aws)).toContain("aws");
    expect(JSON.stringify(rates)).toContain("UserAuthentication=5,UserCreation=2");
  });
});
