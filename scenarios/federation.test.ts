// The federation scenario beyond the plain memory run (scenarios.test.ts runs it there): on a
// running emulator, where it must leave nothing behind (its pool, domain and users gone, the
// Google stand-in's automatic sign-in off), and its skip on live Cognito.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { federationScenarios } from "./federation.js";
import { runScenarios } from "./runner.js";
import { openAwsTarget } from "./targets/aws.js";
import type { OpenTarget, TargetOpening } from "./targets/types.js";
import { openUrlTarget } from "./targets/url.js";
import type { RunResult } from "./types.js";

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

describe("the federation scenario on a running emulator", () => {
  let t: TestTwin;
  beforeAll(async () => {
    t = await startTwin({ controlToken: "fed-scenario-t0ken" });
  });
  afterAll(() => t.close());

  it("passes every step and leaves no pool, domain or automatic sign-in behind", async () => {
    const target = opened(await openUrlTarget(t.url, { controlToken: "fed-scenario-t0ken" }));
    const poolsBefore = [...t.twin.services.store.listPools()].length;
    try {
      const run = await runScenarios(target, federationScenarios);
      expect(run.summary, explain(run)).toEqual({ passed: 1, failed: 0, skipped: 0, total: 1 });
      expect(run.scenarios[0]!.steps.map((s) => s.name)).toEqual([
        "make a pool with a domain, a Google provider and a client",
        "register a Google identity at the stand-in (autoSignIn)",
        "sign in through Google: authorize, the stand-in, idpresponse, the tokens",
        "the federated user: Google_<sub>, EXTERNAL_PROVIDER, the identities attribute",
        "sign in again with a changed name: the attribute follows",
        "make a native user",
        "link a second Google identity to it (AdminLinkProviderForUser)",
        "that identity's sign-in yields the native user",
        "delete the pool, its domain and its users",
      ]);
      expect([...t.twin.services.store.listPools()].length).toBe(poolsBefore);
      // The identities it registered stay known, but no longer sign anyone in by themselves.
      const listed = await fetch(`${t.url}/_twin/social/google/identities`, {
        headers: { "x-twin-control-token": "fed-scenario-t0ken" },
      });
      const body = (await listed.json()) as { identities: unknown[]; autoSignIn?: unknown };
      expect(body.identities.length).toBe(2);
      expect(JSON.stringify(body)).not.toMatch(/"autoSignIn":true/);
    } finally {
      await target.close();
    }
  });
});

describe("the federation scenario on live Cognito", () => {
  const sdk = new CognitoIdentityProviderClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIAQQQQQQQQQQQQQQQQ", secretAccessKey: "s".repeat(40) },
  });
  afterAll(() => sdk.destroy());

  it("skips with the reason, before any call", async () => {
    const env = {
      AWS_REGION: "eu-west-1",
      COGNITO_USER_POOL_ID: "eu-west-1_AbCdEf123",
      COGNITO_APP_CLIENT_ID: "1example23456789",
      COGNITO_DOMAIN: "https://myapp.auth.eu-west-1.amazoncognito.com",
      AWS_ACCESS_KEY_ID: "AKIAQQQQQQQQQQQQQQQQ",
      AWS_SECRET_ACCESS_KEY: "s".repeat(40),
      COGNITO_TWIN_LIVE: "1",
    };
    const run = await runScenarios(opened(await openAwsTarget({ env, sdk })), federationScenarios);
    expect(run.summary).toEqual({ passed: 0, failed: 0, skipped: 1, total: 1 });
    expect(run.scenarios[0]!.reason).toBe(
      "needs the emulator's Google stand-in (POST /_twin/social/google/identities); live Cognito signs in at Google itself",
    );
  });
});
