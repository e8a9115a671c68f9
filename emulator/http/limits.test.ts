// Limits that protect the process, each refused with a clear error: request head size, slow
// clients (headers and body), users per pool; and the settings that configure them.

import * as net from "node:net";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, PASSWORD } from "../../test-support/auth-fixtures.js";
import { assertStoreInvariants } from "../../test-support/store-invariants.js";
import { fakeSigV4, startTwin, type TestTwin } from "../../test-support/twin.js";
import { ConfigError, readConfig, resolveConfig, USAGE } from "../config.js";

describe("limit settings", () => {
  it("default to Node's own limits and a million users per pool", () => {
    expect(resolveConfig()).toMatchObject({
      maxHeaderBytes: 16384,
      maxUsersPerPool: 1_000_000,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 300_000,
    });
  });

  it("come from flags, which win over the environment", () => {
    const env = {
      COGNITO_TWIN_MAX_HEADER_SIZE: "4096",
      COGNITO_TWIN_MAX_USERS_PER_POOL: "10",
      COGNITO_TWIN_HEADERS_TIMEOUT: "1000",
      COGNITO_TWIN_REQUEST_TIMEOUT: "2000",
    };
    expect(readConfig([], env)).toMatchObject({
      maxHeaderBytes: 4096,
      maxUsersPerPool: 10,
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    });
    expect(
      readConfig(
        [
          "--max-header-size",
          "8192",
          "--max-users-per-pool",
          "5",
          "--headers-timeout",
          "500",
          "--request-timeout",
          "900",
        ],
        env,
      ),
    ).toMatchObject({
      maxHeaderBytes: 8192,
      maxUsersPerPool: 5,
      headersTimeoutMs: 500,
      requestTimeoutMs: 900,
    });
    for (const flag of ["--max-header-size", "--max-users-per-pool", "--headers-timeout", "--request-timeout"])
      expect(USAGE).toContain(flag);
  });

  it("refuse values the server could not use", () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error("expected a ConfigError");
    };
    expect(message(() => readConfig(["--max-users-per-pool", "0"], {}))).toBe(
      "max-users-per-pool must be an integer of at least 1, not 0",
    );
    expect(message(() => readConfig(["--max-header-size", "100"], {}))).toBe(
      "max-header-size must be an integer of at least 1024, not 100",
    );
    expect(message(() => readConfig(["--headers-timeout", "abc"], {}))).toBe(
      'headers-timeout must be an integer, not "abc"',
    );
    expect(message(() => resolveConfig({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }))).toBe(
      "headers-timeout (5000 ms) must not exceed request-timeout (1000 ms)",
    );
  });
});

/** Sends raw bytes on a new connection; resolves with what came back once the server closed it. */
function rawExchange(
  url: string,
  send: (socket: net.Socket) => void,
): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname, () => send(socket));
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve({ text, closedAfterMs: Date.now() - started }));
  });
}

function parseResponse(text: string): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
}

describe("request head size (--max-header-size)", () => {
  let t: TestTwin;
  beforeAll(async () => {
    t = await startTwin({ maxHeaderBytes: 2048 });
  });
  afterAll(() => t.close());

  const request = (extra: string) =>
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n` +
    `Authorization: ${fakeSigV4()}\r\nX-Padding: ${extra}\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{"MaxResults":1}`;

  it("serves a request under the limit", async () => {
    const { text } = await rawExchange(t.url, (s) => s.write(request("x".repeat(500))));
    expect(parseResponse(text).status).toBe(200);
  });

  it("answers 431 with a Cognito-shaped error naming the limit, and closes the connection", async () => {
    const { text } = await rawExchange(t.url, (s) => s.write(request("x".repeat(4000))));
    const res = parseResponse(text);
    expect(res.status).toBe(431);
    expect(res.body).toEqual({
      __type: "InvalidParameterException",
      message: "Request headers exceed the limit of 2048 bytes.",
    });
    expect(res.headers["x-amzn-errortype"]).toBe("InvalidParameterException:");
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
  });
});

describe("slow clients (--headers-timeout, --request-timeout)", () => {
  let t: TestTwin;
  const logged: string[] = [];
  beforeAll(async () => {
    t = await startTwin(
      { headersTimeoutMs: 400, requestTimeoutMs: 800 },
      { logger: { info: () => undefined, debug: () => undefined, error: (line) => logged.push(line) } },
    );
  });
  afterAll(async () => {
    await t.close();
    // A request abandoned half-way is the client's doing, not an internal error worth a stack.
    expect(logged).toEqual([]);
  });

  it("a client that sends half its headers and stops is answered 408 and disconnected", async () => {
    const { text, closedAfterMs } = await rawExchange(t.url, (s) =>
      s.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSCognito"),
    );
    const res = parseResponse(text);
    expect(res.status).toBe(408);
    expect(res.body).toMatchObject({ __type: "RequestTimeoutException" });
    expect(res.body.message).toContain("400 ms");
    // Closed by the server's timeout, not before it (and well before the test's own timeout).
    expect(closedAfterMs).toBeGreaterThanOrEqual(400);
    expect(closedAfterMs).toBeLessThan(10_000);
  });

  it("a client that sends its headers but only part of the body is disconnected", async () => {
    const head =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n` +
      `Authorization: ${fakeSigV4()}\r\nContent-Length: 100\r\n\r\n{"MaxRes`;
    const { text, closedAfterMs } = await rawExchange(t.url, (s) => s.write(head));
    expect(parseResponse(text).status).toBe(408);
    expect(closedAfterMs).toBeGreaterThanOrEqual(800);
    expect(closedAfterMs).toBeLessThan(10_000);
  });

  it("a client that sends nothing at all is disconnected", async () => {
    const { closedAfterMs } = await rawExchange(t.url, () => undefined);
    expect(closedAfterMs).toBeGreaterThanOrEqual(400);
    expect(closedAfterMs).toBeLessThan(10_000);
  });
});

describe("users per pool (--max-users-per-pool)", () => {
  let t: TestTwin;
  beforeAll(async () => {
    t = await startTwin({ maxUsersPerPool: 5 });
  });
  afterAll(() => t.close());

  it("refuses SignUp and AdminCreateUser beyond the limit with LimitExceededException, and has room again after a deletion", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    for (let i = 0; i < 3; i++)
      await t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: `u${i}`, Password: PASSWORD }));
    for (let i = 3; i < 5; i++)
      await t.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: `u${i}`, MessageAction: "SUPPRESS" }),
      );
    const message = `User pool ${poolId} has reached its limit of 5 users (cognito-twin --max-users-per-pool).`;
    await expect(
      t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: "u5", Password: PASSWORD })),
    ).rejects.toMatchObject({ name: "LimitExceededException", message });
    await expect(
      t.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: "u5", MessageAction: "SUPPRESS" })),
    ).rejects.toMatchObject({ name: "LimitExceededException", message });
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "u0" }));
    await expect(
      t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: "u5", Password: PASSWORD })),
    ).resolves.toHaveProperty("UserSub");
    // Other pools have their own count.
    const other = await createPool(t);
    await expect(
      t.cognito.send(new AdminCreateUserCommand({ UserPoolId: other, Username: "u0", MessageAction: "SUPPRESS" })),
    ).resolves.toHaveProperty("User");
  });

  it("holds exactly under 30 concurrent sign-ups", async () => {
    const poolId = await createPool(t);
    const { clientId } = await createClient(t, poolId);
    const settled = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: `c${i}`, Password: PASSWORD })),
      ),
    );
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(5);
    expect(
      settled.filter((s) => s.status === "rejected").map((s) => ((s as PromiseRejectedResult).reason as Error).name),
    ).toEqual(Array.from({ length: 25 }, () => "LimitExceededException"));
    expect(t.twin.services.store.countUsers(poolId)).toBe(5);
    assertStoreInvariants(t.twin.services.store);
  });
});
