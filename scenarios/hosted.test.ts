// The hosted scenarios beyond the plain memory run (scenarios.test.ts runs them there): with a
// client secret, with a local issuer, what they leave behind on a running emulator, and the aws
// target's skip without a domain.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainOfName } from "../emulator/domain/oauth/addressing.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { hostedScenarios } from "./hosted.js";
import { runScenarios } from "./runner.js";
import { openAwsTarget } from "./targets/aws.js";
import { openMemoryTarget } from "./targets/memory.js";
import type { OpenTarget, TargetOpening } from "./targets/types.js";
import { openUrlTarget } from "./targets/url.js";
import type { RunResult } from "./types.js";

/** How many hosted scenarios there are: each of them passes, or is skipped, in every run below. */
const n = hostedScenarios.length;

function opened(o: TargetOpening): OpenTarget {
  if (!o.available) throw new Error(o.reason);
  return o.target;
}

function explain(run: RunResult): string {
  return run.scenarios
    .flatMap((r) =>
      r.steps.filter((s) => s.status !== "passed").map((s) => `${r.name} › ${s.name}: ${s.error ?? s.reason}`),
    )
    .join("\n");
}

describe.each([
  ["a client secret", { clientOverrides: { GenerateSecret: true } }],
  ["a local issuer", { twin: { issuer: "local" as const } }],
])("the hosted scenarios with %s", (_label, options) => {
  let target: OpenTarget;
  beforeAll(async () => {
    target = opened(await openMemoryTarget(options));
  });
  afterAll(() => target.close());

  it("pass, every step", async () => {
    const run = await runScenarios(target, hostedScenarios);
    expect(run.summary, explain(run)).toEqual({ passed: n, failed: 0, skipped: 0, total: n });
  });
});

describe("the hosted scenarios on a running emulator", () => {
  let t: TestTwin;
  beforeAll(async () => {
    t = await startTwin();
  });
  afterAll(() => t.close());

  it("leave only the run's client, and the run's domain goes with its pool", async () => {
    const target = opened(await openUrlTarget(t.url));
    expect("base" in target.domain! && target.domain.base).toMatch(/\/_domain\/scn-[0-9a-f]{8}$/);
    const name = new URL((target.domain as { base: string }).base).pathname.split("/")[2]!;
    const run = await runScenarios(target, hostedScenarios);
    expect(run.summary, explain(run)).toMatchObject({ passed: n, failed: 0 });
    const store = t.twin.services.store;
    expect(store.listClients(target.poolId).map((c) => c.client.ClientId)).toEqual([target.clientId]);
    expect(store.countUsers(target.poolId)).toBe(0);
    expect(Object.keys(store.getPool(target.poolId)?.resourceServers ?? {})).toEqual([]);
    expect(domainOfName(store, name)).toBeDefined();
    await target.close();
    expect(domainOfName(store, name)).toBeUndefined();
    expect(store.getPool(target.poolId)).toBeUndefined();
  });
});

describe("the hosted scenarios on live Cognito", () => {
  const env = {
    AWS_REGION: "eu-west-1",
    COGNITO_USER_POOL_ID: "eu-west-1_AbCdEf123",
    COGNITO_APP_CLIENT_ID: "1example23456789",
    AWS_ACCESS_KEY_ID: "AKIAQQQQQQQQQQQQQQQQ",
    AWS_SECRET_ACCESS_KEY: "s".repeat(40),
    COGNITO_TWIN_LIVE: "1",
  };
  // Never sends: the scenarios skip before their first call.
  const sdk = new CognitoIdentityProviderClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIAQQQQQQQQQQQQQQQQ", secretAccessKey: "s".repeat(40) },
  });
  afterAll(() => sdk.destroy());

  it("skip with the reason without COGNITO_DOMAIN", async () => {
    const target = opened(await openAwsTarget({ env, sdk }));
    const run = await runScenarios(target, hostedScenarios);
    expect(run.summary).toEqual({ passed: 0, failed: 0, skipped: n, total: n });
    expect(run.scenarios[0]!.reason).toBe(
      "no domain is configured for the aws target: set COGNITO_DOMAIN to the pool's domain (https://<prefix>.auth.<region>.amazoncognito.com) to run the hosted scenarios on live Cognito",
    );
  });

  it("take the domain from COGNITO_DOMAIN, and the discovery document from the pool's issuer", async () => {
    const target = opened(
      await openAwsTarget({ env: { ...env, COGNITO_DOMAIN: "https://myapp.auth.eu-west-1.amazoncognito.com/" }, sdk }),
    );
    expect(target.domain).toEqual({
      base: "https://myapp.auth.eu-west-1.amazoncognito.com",
      discoveryUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration",
    });
    const bad = opened(await openAwsTarget({ env: { ...env, COGNITO_DOMAIN: "http://x.example/path" }, sdk }));
    expect(bad.domain).toEqual({
      unavailable: 'COGNITO_DOMAIN "http://x.example/path" is not a domain\'s base URL (https://<host>, no path)',
    });
  });
});
