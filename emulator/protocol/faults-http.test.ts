// Fault rules through a real server and the AWS SDK v3 as an app uses it: its retries get past
// throttling, front-door errors and dropped connections; a held request ends in the client's
// timeout; the emulator still closes promptly.
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ListUsersCommand,
  NotAuthorizedException,
  TooManyRequestsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPool } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
const clients: CognitoIdentityProviderClient[] = [];

/** An SDK client as an app makes one: retries on (3 attempts), unless told otherwise. */
function appClient(options: { maxAttempts?: number; requestTimeout?: number } = {}) {
  const client = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: t.url,
    credentials: { accessKeyId: "AKIDAPP", secretAccessKey: "app" },
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    // The handler's options as an object: the SDK builds its Node handler with them (without
    // throwOnRequestTimeout, a request over its time is only warned about).
    ...(options.requestTimeout
      ? { requestHandler: { requestTimeout: options.requestTimeout, throwOnRequestTimeout: true } }
      : {}),
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t.close();
});
beforeEach(() => {
  t.twin.faults.clear();
});

describe("the AWS SDK v3 against fault rules", () => {
  it("its retries succeed after two injected throttles", async () => {
    t.twin.faults.add({ id: "throttle", operation: "DescribeUserPool", action: "throttle", count: 2 });
    const out = await appClient().send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(out.UserPool?.Id).toBe(poolId);
    expect(out.$metadata.attempts).toBe(3);
    expect(t.twin.faults.get("throttle")).toMatchObject({ fired: 2, spent: true });
  });

  it("without retries, it sees TooManyRequestsException: Rate exceeded", async () => {
    t.twin.faults.add({ operation: "DescribeUserPool", action: "throttle" });
    const e = await appClient({ maxAttempts: 1 })
      .send(new DescribeUserPoolCommand({ UserPoolId: poolId }))
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TooManyRequestsException);
    expect((e as TooManyRequestsException).message).toBe("Rate exceeded");
    expect((e as TooManyRequestsException).$metadata.httpStatusCode).toBe(400);
  });

  it("an injected error the model lists is the SDK's own exception class, not retried", async () => {
    t.twin.faults.add({ id: "no", operation: "ListUsers", action: "error", error: "NotAuthorizedException" });
    const e = await appClient()
      .send(new ListUsersCommand({ UserPoolId: poolId }))
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(NotAuthorizedException);
    expect((e as NotAuthorizedException).$metadata.attempts).toBe(1);
    expect(t.twin.faults.get("no")?.fired).toBe(1);
  });

  it("the front door's 503 is retried as a transient error", async () => {
    t.twin.faults.add({ operation: "DescribeUserPool", action: "http503", count: 1 });
    const out = await appClient().send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(out.$metadata.attempts).toBe(2);
  });

  it("a dropped connection is a network error, and retried", async () => {
    t.twin.faults.add({ id: "drop", operation: "DescribeUserPool", action: "drop", count: 1 });
    const once = await appClient({ maxAttempts: 1 })
      .send(new DescribeUserPoolCommand({ UserPoolId: poolId }))
      .catch((err: unknown) => err as Error & { code?: string });
    expect(once).toBeInstanceOf(Error);
    expect(`${(once as { code?: string }).code} ${(once as Error).message}`).toMatch(/ECONNRESET|socket hang up/);
    // The request log says what happened to it.
    expect(t.twin.requestLog.entries({}).at(-1)).toMatchObject({
      operation: "DescribeUserPool",
      status: 499,
      errorType: "DroppedConnection",
    });

    t.twin.faults.add({ operation: "DescribeUserPool", action: "drop", count: 1 });
    const out = await appClient().send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(out.$metadata.attempts).toBe(2);
  });

  it("a held request ends in the client's timeout, and the emulator goes on answering", async () => {
    t.twin.faults.add({ id: "hang", operation: "DescribeUserPool", action: "hang", count: 1 });
    const started = performance.now();
    const e = await appClient({ maxAttempts: 1, requestTimeout: 300 })
      .send(new DescribeUserPoolCommand({ UserPoolId: poolId }))
      .catch((err: unknown) => err as Error);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toMatch(/TimeoutError/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(t.twin.faults.get("hang")?.fired).toBe(1);
    const out = await appClient().send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(out.UserPool?.Id).toBe(poolId);
  });

  it("latency slows the answer down by about that much", async () => {
    t.twin.faults.add({ operation: "DescribeUserPool", action: "delay", latencyMs: 200, count: 1 });
    const started = performance.now();
    await appClient().send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe("closing with a request held", () => {
  it("the server closes promptly and the client sees the connection go", async () => {
    const own = await startTwin();
    const pool = await createPool(own);
    own.twin.faults.add({ operation: "DescribeUserPool", action: "hang" });
    const client = new CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint: own.url,
      credentials: { accessKeyId: "AKIDAPP", secretAccessKey: "app" },
      maxAttempts: 1,
    });
    try {
      const pending = client.send(new DescribeUserPoolCommand({ UserPoolId: pool })).catch((err: unknown) => err);
      await new Promise((r) => setTimeout(r, 100));
      const started = performance.now();
      await own.close();
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await pending).toBeInstanceOf(Error);
    } finally {
      client.destroy();
    }
  });
});
