// SetLogDeliveryConfiguration and GetLogDeliveryConfiguration: checked as Cognito checks them
// (which event source takes which level and destination, the Plus plan for userAuthEvents),
// stored, described, kept across a restart, and said in the emulator's log, which is the only
// place anything goes: no logs are delivered offline (docs/decisions/0026).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetLogDeliveryConfigurationCommand,
  type LogConfigurationType,
  SetLogDeliveryConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../../test-support/auth-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";
import { createApp } from "../app.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/cognito";
const NOTIFICATIONS: LogConfigurationType = {
  EventSource: "userNotification",
  LogLevel: "ERROR",
  CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP },
};
const AUTH_EVENTS_S3: LogConfigurationType = {
  EventSource: "userAuthEvents",
  LogLevel: "INFO",
  S3Configuration: { BucketArn: "arn:aws:s3:::my-log-bucket" },
};

const set = (UserPoolId: string, LogConfigurations: LogConfigurationType[]) =>
  t.cognito.send(new SetLogDeliveryConfigurationCommand({ UserPoolId, LogConfigurations }));
const get = (UserPoolId: string) => t.cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId }));

describe("log delivery through SDK v3", () => {
  it("a pool never configured has none; a configuration is echoed, described, replaced and cleared", async () => {
    const poolId = await createPool(t, { UserPoolTier: "PLUS" });
    expect((await get(poolId)).LogDeliveryConfiguration).toEqual({ UserPoolId: poolId, LogConfigurations: [] });
    const out = await set(poolId, [NOTIFICATIONS, AUTH_EVENTS_S3]);
    expect(out.LogDeliveryConfiguration).toEqual({
      UserPoolId: poolId,
      LogConfigurations: [NOTIFICATIONS, AUTH_EVENTS_S3],
    });
    expect((await get(poolId)).LogDeliveryConfiguration!.LogConfigurations).toEqual([NOTIFICATIONS, AUTH_EVENTS_S3]);
    const firehose: LogConfigurationType = {
      EventSource: "userAuthEvents",
      LogLevel: "INFO",
      FirehoseConfiguration: { StreamArn: "arn:aws:firehose:us-east-1:123456789012:deliverystream/logs" },
    };
    await set(poolId, [firehose]);
    expect((await get(poolId)).LogDeliveryConfiguration!.LogConfigurations).toEqual([firehose]);
    await set(poolId, []);
    expect((await get(poolId)).LogDeliveryConfiguration!.LogConfigurations).toEqual([]);
  });

  it("refuses what Cognito refuses", async () => {
    const poolId = await createPool(t);
    const refused = async (configs: LogConfigurationType[], name: string, message?: RegExp) =>
      expect(set(poolId, configs)).rejects.toMatchObject({
        name,
        ...(message ? { message: expect.stringMatching(message) } : {}),
      });
    // userNotification: ERROR to CloudWatch Logs only.
    await refused([{ ...NOTIFICATIONS, LogLevel: "INFO" }], "InvalidParameterException", /LogLevel ERROR/);
    await refused(
      [{ EventSource: "userNotification", LogLevel: "ERROR", S3Configuration: { BucketArn: "arn:aws:s3:::b" } }],
      "InvalidParameterException",
      /CloudWatchLogsConfiguration/,
    );
    // Exactly one destination, of the right service.
    await refused([{ EventSource: "userNotification", LogLevel: "ERROR" }], "InvalidParameterException", /exactly one/);
    await refused(
      [{ ...NOTIFICATIONS, S3Configuration: { BucketArn: "arn:aws:s3:::b" } }],
      "InvalidParameterException",
      /exactly one/,
    );
    await refused(
      [
        {
          ...NOTIFICATIONS,
          CloudWatchLogsConfiguration: { LogGroupArn: "arn:aws:sns:us-east-1:123456789012:not-a-log-group" },
        },
      ],
      "InvalidParameterException",
      /LogGroupArn/,
    );
    await refused([{ ...NOTIFICATIONS, CloudWatchLogsConfiguration: {} }], "InvalidParameterException", /LogGroupArn/);
    // One configuration per event source.
    await refused(
      [NOTIFICATIONS, NOTIFICATIONS],
      "InvalidParameterException",
      /one log configuration per event source/,
    );
    // userAuthEvents needs the Plus plan (the pool is on ESSENTIALS), and INFO.
    await refused([AUTH_EVENTS_S3], "FeatureUnavailableInTierException", /PLUS/);
    const plus = await createPool(t, { UserPoolTier: "PLUS" });
    await expect(set(plus, [{ ...AUTH_EVENTS_S3, LogLevel: "ERROR" }])).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    // Nothing refused was stored.
    expect((await get(poolId)).LogDeliveryConfiguration!.LogConfigurations).toEqual([]);
    await expect(get("us-east-1_nope")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    // The model's own limits: at most two, enums, required members.
    expect((await call(t.twin, "SetLogDeliveryConfiguration", { UserPoolId: poolId })).status).toBe(400);
    const three = await call(t.twin, "SetLogDeliveryConfiguration", {
      UserPoolId: poolId,
      LogConfigurations: [NOTIFICATIONS, NOTIFICATIONS, NOTIFICATIONS],
    });
    expect(three.status).toBe(400);
    const bogus = await call(t.twin, "SetLogDeliveryConfiguration", {
      UserPoolId: poolId,
      LogConfigurations: [{ ...NOTIFICATIONS, EventSource: "everything" }],
    });
    expect(bogus.status).toBe(400);
  });
});

describe("log delivery is said in the emulator's log, and survives a restart", () => {
  it("logs what would be delivered, and that nothing is", async () => {
    const lines: string[] = [];
    const twin = await createApp(
      { logLevel: "info" },
      { logger: { info: (l: string) => lines.push(l), debug: () => {}, error: () => {} } },
    );
    try {
      const poolId = ((await call(twin, "CreateUserPool", { PoolName: "p" })).body.UserPool as { Id: string }).Id;
      expect(
        (await call(twin, "SetLogDeliveryConfiguration", { UserPoolId: poolId, LogConfigurations: [NOTIFICATIONS] }))
          .status,
      ).toBe(200);
      expect(lines.some((l) => l.includes(poolId) && l.includes(LOG_GROUP) && l.includes("delivers no logs"))).toBe(
        true,
      );
    } finally {
      await twin.close();
    }
  });

  it("keeps the configuration across a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "twin-logs-"));
    try {
      const a = await startTwin({ dataDir: dir });
      const poolId = ((await call(a.twin, "CreateUserPool", { PoolName: "p" })).body.UserPool as { Id: string }).Id;
      await call(a.twin, "SetLogDeliveryConfiguration", { UserPoolId: poolId, LogConfigurations: [NOTIFICATIONS] });
      await a.close();
      const b = await startTwin({ dataDir: dir });
      const got = await call(b.twin, "GetLogDeliveryConfiguration", { UserPoolId: poolId });
      await b.close();
      expect(got.body).toEqual({
        LogDeliveryConfiguration: { UserPoolId: poolId, LogConfigurations: [NOTIFICATIONS] },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
