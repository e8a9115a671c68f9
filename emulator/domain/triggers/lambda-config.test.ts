// What CreateUserPool and UpdateUserPool accept in LambdaConfig, and how DescribeUserPool shows it.
import type { LambdaConfigType } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../../test-support/twin.js";
import { createApp, type TwinApp } from "../../app.js";
import { ManualClock } from "../../core/clock.js";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

let twin: TwinApp;
beforeAll(async () => {
  twin = await createApp({ logLevel: "silent" }, { clock: new ManualClock(Date.UTC(2026, 0, 1)) });
});
afterAll(() => twin.close());

async function create(LambdaConfig: unknown) {
  return call(twin, "CreateUserPool", { PoolName: "lambda-config", LambdaConfig });
}

async function described(poolId: string): Promise<LambdaConfigType> {
  const res = await call(twin, "DescribeUserPool", { UserPoolId: poolId });
  return (res.body.UserPool as { LambdaConfig: LambdaConfigType }).LambdaConfig;
}

async function createdConfig(LambdaConfig: unknown): Promise<LambdaConfigType> {
  const res = await create(LambdaConfig);
  expect(res.status).toBe(200);
  const pool = res.body.UserPool as { Id: string; LambdaConfig: LambdaConfigType };
  // CreateUserPool answers what DescribeUserPool will.
  expect(await described(pool.Id)).toEqual(pool.LambdaConfig);
  return pool.LambdaConfig;
}

describe("LambdaConfig at CreateUserPool", () => {
  it("keeps the plain triggers as given", async () => {
    const config = {
      PreSignUp: fn("pre-signup"),
      PostConfirmation: fn("post-confirmation"),
      CustomMessage: fn("custom-message"),
      UserMigration: fn("migrate"),
    };
    expect(await createdConfig(config)).toEqual(config);
    expect(await createdConfig(undefined)).toEqual({});
  });

  it("shows PreTokenGenerationConfig (V1_0) beside a PreTokenGeneration given alone", async () => {
    expect(await createdConfig({ PreTokenGeneration: fn("pre-token") })).toEqual({
      PreTokenGeneration: fn("pre-token"),
      PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: fn("pre-token") },
    });
  });

  it("shows PreTokenGeneration beside a PreTokenGenerationConfig given alone, and accepts both when they agree", async () => {
    const both = {
      PreTokenGeneration: fn("pre-token"),
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: fn("pre-token") },
    };
    expect(await createdConfig({ PreTokenGenerationConfig: both.PreTokenGenerationConfig })).toEqual(both);
    expect(await createdConfig(both)).toEqual(both);
    const v3 = { PreTokenGenerationConfig: { LambdaVersion: "V3_0", LambdaArn: fn("m2m") } };
    expect(await createdConfig(v3)).toEqual({ PreTokenGeneration: fn("m2m"), ...v3 });
  });

  it("refuses PreTokenGeneration and PreTokenGenerationConfig naming different functions", async () => {
    const res = await create({
      PreTokenGeneration: fn("one"),
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: fn("two") },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "InvalidParameterException",
      message: "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function ARN.",
    });
  });

  it("refuses a LambdaVersion the model does not list, and a versioned config without one", async () => {
    for (const config of [
      { PreTokenGenerationConfig: { LambdaVersion: "V4_0", LambdaArn: fn("x") } },
      { CustomEmailSender: { LambdaVersion: "V2_0", LambdaArn: fn("x") }, KMSKeyID: KEY },
      { CustomSMSSender: { LambdaArn: fn("x") }, KMSKeyID: KEY },
    ]) {
      const res = await create(config);
      expect(res.status).toBe(400);
      expect(res.body.__type).toMatch(/^(InvalidParameterException|ValidationException)$/);
    }
  });

  it("needs KMSKeyID with a custom email or SMS sender", async () => {
    for (const trigger of ["CustomEmailSender", "CustomSMSSender"]) {
      const sender = { LambdaVersion: "V1_0", LambdaArn: fn(trigger) };
      const refused = await create({ [trigger]: sender });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        __type: "InvalidParameterException",
        message: `KMSKeyID is required when ${trigger} is configured.`,
      });
      expect(await createdConfig({ [trigger]: sender, KMSKeyID: KEY })).toEqual({ [trigger]: sender, KMSKeyID: KEY });
    }
  });

  it("keeps InboundFederation (V1_0), which runs on federated sign-ins (inbound-federation.test.ts)", async () => {
    const config = {
      PreSignUp: fn("pre-signup"),
      InboundFederation: { LambdaVersion: "V1_0", LambdaArn: fn("federation") },
    };
    expect(await createdConfig(config)).toEqual(config);
    // The model lists only V1_0.
    const res = await create({ InboundFederation: { LambdaVersion: "V2_0", LambdaArn: fn("federation") } });
    expect(res.status).toBe(400);
  });
});

describe("LambdaConfig at UpdateUserPool", () => {
  it("makes the same checks and leaves the pool as it was when they fail", async () => {
    const created = await create({ PreSignUp: fn("pre-signup") });
    const poolId = (created.body.UserPool as { Id: string }).Id;
    for (const LambdaConfig of [
      { CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: fn("sms") } },
      { PreTokenGeneration: fn("one"), PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: fn("two") } },
    ]) {
      const res = await call(twin, "UpdateUserPool", { UserPoolId: poolId, LambdaConfig });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      expect(await described(poolId)).toEqual({ PreSignUp: fn("pre-signup") });
    }
  });

  it("replaces the triggers, completing the pre token generation pair", async () => {
    const created = await create({ PreSignUp: fn("pre-signup") });
    const poolId = (created.body.UserPool as { Id: string }).Id;
    const res = await call(twin, "UpdateUserPool", {
      UserPoolId: poolId,
      LambdaConfig: { PreTokenGeneration: fn("pre-token") },
    });
    expect(res.status).toBe(200);
    expect(await described(poolId)).toEqual({
      PreTokenGeneration: fn("pre-token"),
      PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: fn("pre-token") },
    });
    // Left out, LambdaConfig goes back to its default: no triggers.
    await call(twin, "UpdateUserPool", { UserPoolId: poolId });
    expect(await described(poolId)).toEqual({});
  });
});
