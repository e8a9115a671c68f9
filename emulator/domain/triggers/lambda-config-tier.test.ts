// The feature-plan rule of a pool's LambdaConfig: pre token generation events of version 2 and 3
// customise access tokens, which the Lite plan does not include (ADR 0017, "Pre token generation").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../../test-support/twin.js";
import { createApp, type TwinApp } from "../../app.js";
import { ManualClock } from "../../core/clock.js";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const REFUSED = {
  __type: "FeatureUnavailableInTierException",
  message:
    "The following features need to be disabled for the LITE pricing tier configured: Access token customization",
};

let twin: TwinApp;
beforeAll(async () => {
  twin = await createApp({ logLevel: "silent" }, { clock: new ManualClock(Date.UTC(2026, 0, 1)) });
});
afterAll(() => twin.close());

const versioned = (LambdaVersion: string) => ({
  PreTokenGenerationConfig: { LambdaVersion, LambdaArn: fn("pre-token") },
});

async function describedPool(poolId: string) {
  const res = await call(twin, "DescribeUserPool", { UserPoolId: poolId });
  return res.body.UserPool as { UserPoolTier: string; LambdaConfig: Record<string, unknown> };
}

describe("pre token generation and the feature plan", () => {
  it("refuses V2_0 and V3_0 on a LITE pool at CreateUserPool, creating nothing", async () => {
    const before = [...twin.services.store.listPools()].length;
    for (const version of ["V2_0", "V3_0"]) {
      const res = await call(twin, "CreateUserPool", {
        PoolName: "lite",
        UserPoolTier: "LITE",
        LambdaConfig: versioned(version),
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(REFUSED);
    }
    expect([...twin.services.store.listPools()].length).toBe(before);
  });

  it("accepts V1_0 (and the legacy member alone) on LITE, and every version on ESSENTIALS and PLUS", async () => {
    for (const [UserPoolTier, LambdaConfig] of [
      ["LITE", versioned("V1_0")],
      ["LITE", { PreTokenGeneration: fn("pre-token") }],
      ["ESSENTIALS", versioned("V2_0")],
      ["PLUS", versioned("V3_0")],
      [undefined, versioned("V3_0")],
    ] as const) {
      const res = await call(twin, "CreateUserPool", { PoolName: "tiers", UserPoolTier, LambdaConfig });
      expect(res.status).toBe(200);
    }
  });

  it("refuses at UpdateUserPool a V2_0 trigger on a LITE pool, and a move to LITE that keeps one", async () => {
    const lite = await call(twin, "CreateUserPool", { PoolName: "lite", UserPoolTier: "LITE" });
    const liteId = (lite.body.UserPool as { Id: string }).Id;
    const added = await call(twin, "UpdateUserPool", { UserPoolId: liteId, LambdaConfig: versioned("V2_0") });
    expect(added.status).toBe(400);
    expect(added.body).toEqual(REFUSED);
    expect((await describedPool(liteId)).LambdaConfig).toEqual({});

    const essentials = await call(twin, "CreateUserPool", { PoolName: "ess", LambdaConfig: versioned("V2_0") });
    const id = (essentials.body.UserPool as { Id: string }).Id;
    // UpdateUserPool replaces LambdaConfig: kept in the request, the V2_0 trigger blocks the move.
    const moved = await call(twin, "UpdateUserPool", {
      UserPoolId: id,
      UserPoolTier: "LITE",
      LambdaConfig: versioned("V2_0"),
    });
    expect(moved.status).toBe(400);
    expect(moved.body).toEqual(REFUSED);
    expect((await describedPool(id)).UserPoolTier).toBe("ESSENTIALS");
    // As AWS's page says: replace it with a version one trigger, then switch.
    const switched = await call(twin, "UpdateUserPool", {
      UserPoolId: id,
      UserPoolTier: "LITE",
      LambdaConfig: versioned("V1_0"),
    });
    expect(switched.status).toBe(200);
    expect((await describedPool(id)).UserPoolTier).toBe("LITE");
  });

  it("answers a bad tier or version with a 4xx, never a 5xx", async () => {
    for (const input of [
      { PoolName: "x", UserPoolTier: "FREE", LambdaConfig: versioned("V2_0") },
      { PoolName: "x", UserPoolTier: "LITE", LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 2 } } },
    ]) {
      const res = await call(twin, "CreateUserPool", input);
      expect(res.status).toBe(400);
    }
  });
});
