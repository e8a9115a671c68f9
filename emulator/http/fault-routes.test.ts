// The fault rules' test control and what the rules do to API calls and a pool's domain, in
// process (app.request). Dropped and held connections over a real socket: protocol/faults-http.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hostedTwin } from "../../test-support/hosted-fixtures.js";
import { call, fakeSigV4 } from "../../test-support/twin.js";
import { createApp, type TwinApp } from "../app.js";
import { ManualClock } from "../core/clock.js";
import { DroppedConnection } from "../protocol/faults.js";

async function control(twin: TwinApp, method: string, path: string, body?: unknown) {
  const res = await twin.app.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let twin: TwinApp;
let poolId: string;

beforeEach(async () => {
  twin = await createApp({ logLevel: "silent" });
  poolId = (
    (await call(twin, "CreateUserPool", { PoolName: "faults" })).body.UserPool as {
      Id: string;
    }
  ).Id;
});
afterEach(() => twin.close());

describe("/_twin/faults", () => {
  it("POST adds a rule (201), GET lists it with its fire count, DELETE removes it", async () => {
    const added = await control(twin, "POST", "/_twin/faults", {
      operation: "ListUsers",
      action: "throttle",
      count: 1,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ operation: "ListUsers", action: "throttle", count: 1, fired: 0, spent: false });
    const id = added.body.id as string;

    expect((await call(twin, "ListUsers", { UserPoolId: poolId })).status).toBe(400);
    expect((await call(twin, "ListUsers", { UserPoolId: poolId })).status).toBe(200);
    const listed = await control(twin, "GET", "/_twin/faults");
    expect(listed.body.faults).toEqual([expect.objectContaining({ id, fired: 1, spent: true })]);
    expect(listed.body.quotas).toBeUndefined();
    expect((await control(twin, "GET", `/_twin/faults/${id}`)).body).toMatchObject({ id, fired: 1 });

    expect(await control(twin, "DELETE", `/_twin/faults/${id}`)).toEqual({ status: 200, body: { deleted: 1 } });
    expect((await control(twin, "DELETE", `/_twin/faults/${id}`)).status).toBe(404);
    expect((await control(twin, "GET", `/_twin/faults/${id}`)).status).toBe(404);
  });

  it("POST takes a list (all or none); DELETE without an id clears them all", async () => {
    const bad = await control(twin, "POST", "/_twin/faults", [
      { operation: "ListUsers", action: "throttle" },
      { operation: "ListUsers", action: "delay", latencyMs: 120_000 },
    ]);
    expect(bad).toEqual({
      status: 400,
      body: { field: "[1].latencyMs", message: expect.stringMatching(/^rule 1: latencyMs must be a whole number/) },
    });
    expect((await control(twin, "GET", "/_twin/faults")).body.faults).toEqual([]);

    const good = await control(twin, "POST", "/_twin/faults", [
      { operation: "ListUsers", action: "throttle" },
      { operation: "GetGroup", action: "http500" },
    ]);
    expect(good.status).toBe(201);
    expect(good.body.faults).toHaveLength(2);
    expect(await control(twin, "DELETE", "/_twin/faults")).toEqual({ status: 200, body: { faults: [], deleted: 2 } });
    expect((await call(twin, "ListUsers", { UserPoolId: poolId })).status).toBe(200);
  });

  it("bad bodies and rules: 400 naming the field, and the API goes on answering", async () => {
    expect(await control(twin, "POST", "/_twin/faults", "{not json")).toMatchObject({
      status: 400,
      body: { field: "" },
    });
    const cases: [unknown, string][] = [
      [{ operation: "NoSuchOperation", action: "throttle" }, "operation"],
      [{ operation: "ListUsers", action: "error", error: "UserNotConfirmedException" }, "error"],
      [{ operation: "ListUsers", action: "delay", latencyMs: -1 }, "latencyMs"],
      [{ operation: "ListUsers", action: "delay", latencyMs: 1e12 }, "latencyMs"],
      [{ operation: "ListUsers", action: "throttle", probability: 2 }, "probability"],
      [{ operation: "ListUsers", action: "throttle", probability: Number.NaN }, "probability"],
      [null, ""],
      [[1], "[0]"],
    ];
    for (const [rule, field] of cases) {
      const res = await control(twin, "POST", "/_twin/faults", rule);
      expect(res.status, JSON.stringify(rule)).toBe(400);
      expect(res.body.field).toBe(field);
      expect(typeof res.body.message).toBe("string");
    }
    expect((await control(twin, "GET", "/_twin/faults")).body.faults).toEqual([]);
    expect((await call(twin, "ListUsers", { UserPoolId: poolId })).status).toBe(200);
  });

  it("reset clears the rules", async () => {
    await control(twin, "POST", "/_twin/faults", { operation: "ListUserPools", action: "throttle" });
    await twin.reset();
    expect(twin.faults.list()).toEqual([]);
    expect(twin.faults.armed).toBe(false);
  });
});

describe("what the rules answer on the API", () => {
  it("an error the model lists, in Cognito's shape and headers", async () => {
    twin.faults.add({
      operation: "DescribeUserPool",
      action: "error",
      error: "NotAuthorizedException",
      message: "No.",
    });
    const res = await call(twin, "DescribeUserPool", { UserPoolId: poolId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "NotAuthorizedException", message: "No." });
    expect(res.headers.get("x-amzn-errortype")).toBe("NotAuthorizedException:");
    expect(res.headers.get("x-amzn-errormessage")).toBe("No.");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("InternalErrorException is HTTP 500; throttling is TooManyRequestsException: Rate exceeded", async () => {
    twin.faults.add({ operation: "DescribeUserPool", action: "error", error: "InternalErrorException", count: 1 });
    twin.faults.add({ operation: "DescribeUserPool", action: "throttle", count: 1 });
    const internal = await call(twin, "DescribeUserPool", { UserPoolId: poolId });
    expect(internal.status).toBe(500);
    expect(internal.body).toEqual({
      __type: "InternalErrorException",
      message: "This exception is thrown when Amazon Cognito encounters an internal error.",
    });
    const throttled = await call(twin, "DescribeUserPool", { UserPoolId: poolId });
    expect(throttled).toMatchObject({
      status: 400,
      body: { __type: "TooManyRequestsException", message: "Rate exceeded" },
    });
    expect(throttled.headers.get("x-amzn-errortype")).toBe("TooManyRequestsException:");
    expect((await call(twin, "DescribeUserPool", { UserPoolId: poolId })).status).toBe(200);
  });

  it("http500 and http503 answer as AWS's front door", async () => {
    twin.faults.add({ operation: "ListGroups", action: "http500", count: 1 });
    twin.faults.add({ operation: "ListGroups", action: "http503", count: 1 });
    expect(await call(twin, "ListGroups", { UserPoolId: poolId })).toMatchObject({
      status: 500,
      body: { __type: "InternalFailure" },
    });
    const unavailable = await call(twin, "ListGroups", { UserPoolId: poolId });
    expect(unavailable).toMatchObject({ status: 503, body: { __type: "ServiceUnavailable" } });
    expect(unavailable.headers.get("x-amzn-errortype")).toBe("ServiceUnavailable:");
  });

  it("the request is validated first: a bad one gets its own error, and the rule does not fire", async () => {
    twin.faults.add({ id: "r", operation: "DescribeUserPool", action: "throttle" });
    const res = await call(twin, "DescribeUserPool", {});
    expect(res.body.__type).toBe("InvalidParameterException");
    expect(twin.faults.get("r")?.fired).toBe(0);
  });

  it("a rule fires before the operation, so nothing is half-done: the call can be made again", async () => {
    twin.faults.add({ operation: "CreateGroup", action: "http503", count: 1 });
    expect((await call(twin, "CreateGroup", { UserPoolId: poolId, GroupName: "g" })).status).toBe(503);
    expect((await call(twin, "CreateGroup", { UserPoolId: poolId, GroupName: "g" })).status).toBe(200);
  });

  it("pool rules match the pool a client or an access token belongs to", async () => {
    const other = ((await call(twin, "CreateUserPool", { PoolName: "other" })).body.UserPool as { Id: string }).Id;
    const client = (
      await call(twin, "CreateUserPoolClient", {
        UserPoolId: poolId,
        ClientName: "c",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      })
    ).body.UserPoolClient as { ClientId: string };
    twin.faults.add({ operation: "*", userPoolId: poolId, action: "http503" });
    expect((await call(twin, "DescribeUserPool", { UserPoolId: other })).status).toBe(200);
    const signUp = await call(twin, "SignUp", { ClientId: client.ClientId, Username: "u", Password: "Passw0rd!" });
    expect(signUp.status).toBe(503);
  });

  it("delay: the call is answered after the latency, as usual", async () => {
    twin.faults.add({ id: "slow", operation: "DescribeUserPool", action: "delay", latencyMs: 50 });
    const started = performance.now();
    expect((await call(twin, "DescribeUserPool", { UserPoolId: poolId })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(twin.faults.get("slow")?.fired).toBe(1);
  });

  it("drop: in process, the request fails as a reset connection (ECONNRESET)", async () => {
    twin.faults.add({ operation: "DescribeUserPool", action: "drop" });
    await expect(call(twin, "DescribeUserPool", { UserPoolId: poolId })).rejects.toBeInstanceOf(DroppedConnection);
    await expect(call(twin, "DescribeUserPool", { UserPoolId: poolId })).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("hang: held until the client gives up, then no answer", async () => {
    twin.faults.add({ operation: "DescribeUserPool", action: "hang" });
    const aborter = new AbortController();
    const pending = twin.app.request(
      new Request("http://localhost/", {
        method: "POST",
        signal: aborter.signal,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.DescribeUserPool",
          authorization: fakeSigV4(),
        },
        body: JSON.stringify({ UserPoolId: poolId }),
      }),
    );
    setTimeout(() => aborter.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(DroppedConnection);
  });

  it("close lets held requests go", async () => {
    twin.faults.add({ operation: "DescribeUserPool", action: "hang" });
    const pending = call(twin, "DescribeUserPool", { UserPoolId: poolId });
    setTimeout(() => void twin.close(), 20);
    await expect(pending).rejects.toBeInstanceOf(DroppedConnection);
  });
});

describe("the config file's Faults", () => {
  it("are set at start and again after a reset", async () => {
    const seeded = await createApp({
      logLevel: "silent",
      seed: {
        UserPools: [{ Id: "us-east-1_Faults01", PoolName: "seeded" }],
        Faults: [{ id: "seeded", operation: "DescribeUserPool", userPoolId: "us-east-1_Faults01", action: "http503" }],
      },
    });
    try {
      expect((await call(seeded, "DescribeUserPool", { UserPoolId: "us-east-1_Faults01" })).status).toBe(503);
      seeded.faults.clear();
      expect((await call(seeded, "DescribeUserPool", { UserPoolId: "us-east-1_Faults01" })).status).toBe(200);
      await seeded.reset();
      expect(seeded.faults.list()).toEqual([expect.objectContaining({ id: "seeded", fired: 0 })]);
    } finally {
      await seeded.close();
    }
  });

  it("are checked as strictly as the test control checks them, each problem named by its path", async () => {
    await expect(
      createApp({
        logLevel: "silent",
        seed: {
          Faults: [
            { operation: "GetUser", action: "throttle" },
            { operation: "GetUser", action: "delay", latencyMs: -3 },
            { path: "/nowhere", action: "throttle" },
          ],
        } as never,
      }),
    ).rejects.toThrow(/Faults\[1\]\.latencyMs'.*\n?.*Faults\[2\]\.path'|Faults\[1\]\.latencyMs/s);
    await expect(
      createApp({ logLevel: "silent", seed: { Faults: { operation: "GetUser" } } as never }),
    ).rejects.toThrow(/'Faults' must be an array/);
  });
});

describe("the quota mode", () => {
  it("is off by default: no count, nothing refused", async () => {
    for (let i = 0; i < 60; i++) expect((await call(twin, "ListUsers", { UserPoolId: poolId })).status).toBe(200);
    expect(twin.faults.armed).toBe(false);
  });

  it("refuses calls past a category's rate in one second of the emulator's clock", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const limited = await createApp({ logLevel: "silent", quotas: { UserList: 3 } }, { clock });
    try {
      const pool = ((await call(limited, "CreateUserPool", { PoolName: "q" })).body.UserPool as { Id: string }).Id;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(limited, "ListUsers", { UserPoolId: pool })).status);
      expect(statuses).toEqual([200, 200, 200, 400, 400]);
      const refused = await call(limited, "ListUsersInGroup", { UserPoolId: pool, GroupName: "g" });
      expect(refused.body).toEqual({ __type: "TooManyRequestsException", message: "Rate exceeded" });
      // Another category is not affected; the next second lets the calls through again.
      expect((await call(limited, "DescribeUserPool", { UserPoolId: pool })).status).toBe(200);
      clock.advance(1);
      expect((await call(limited, "ListUsers", { UserPoolId: pool })).status).toBe(200);
      const listing = await control(limited, "GET", "/_twin/faults");
      expect(listing.body.quotas).toMatchObject({
        rates: { UserList: 3, UserAuthentication: 120 },
        refused: { UserList: 3 },
      });
      await limited.reset();
      expect((await control(limited, "GET", "/_twin/faults")).body.quotas).toMatchObject({ refused: {} });
    } finally {
      await limited.close();
    }
  });
});

describe("rules on a pool's domain", () => {
  it("the token endpoint answers OAuth errors, throttling (429) and the front door's 503", async () => {
    const h = await hostedTwin();
    try {
      const token = (headers: Record<string, string> = {}) =>
        h.twin.app.request(`${h.base}/oauth2/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: new URLSearchParams({ grant_type: "authorization_code", client_id: h.clientId, code: "x" }).toString(),
        });
      h.twin.faults.add({
        path: "/oauth2/token",
        clientId: h.clientId,
        action: "error",
        error: "invalid_grant",
        count: 1,
      });
      h.twin.faults.add({ path: "/oauth2/token", action: "throttle", count: 1 });
      h.twin.faults.add({ path: "/oauth2/token", action: "http503", count: 1 });
      const refused = await token();
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ error: "invalid_grant" });
      expect(refused.headers.get("cache-control")).toBe("no-store");
      const throttled = await token();
      expect(throttled.status).toBe(429);
      expect(await throttled.json()).toEqual({ error: "too_many_requests", error_description: "Rate exceeded" });
      const down = await token();
      expect(down.status).toBe(503);
      expect(down.headers.get("x-cache")).toBe("Error from cloudfront");
      expect(await down.text()).toContain("503 ERROR");
      // The rules are spent: the endpoint answers for itself (this request lacks a redirect_uri).
      const own = await token();
      expect(own.status).toBe(400);
      expect(await own.json()).toEqual({ error: "invalid_request" });
      expect(h.twin.faults.list().map((r) => r.fired)).toEqual([1, 1, 1]);
    } finally {
      await h.close();
    }
  });

  it("a page answers an error page, in both addressing forms", async () => {
    const h = await hostedTwin();
    try {
      h.twin.faults.add({
        path: "/login",
        action: "error",
        error: "temporarily_unavailable",
        message: "Come back later.",
      });
      const byPath = await h.twin.app.request(h.authorizeUrl().replace("/oauth2/authorize", "/login"));
      expect(byPath.status).toBe(503);
      expect(byPath.headers.get("content-type")).toMatch(/text\/html/);
      expect(await byPath.text()).toContain("Come back later.");
      const byHost = await h.twin.app.request(`http://${h.hostname}/login?client_id=${h.clientId}`);
      expect(byHost.status).toBe(503);
      expect(h.twin.faults.list()[0]?.fired).toBe(2);
    } finally {
      await h.close();
    }
  });

  it("a rule for another client or pool leaves the page alone", async () => {
    const h = await hostedTwin();
    try {
      h.twin.faults.add({ path: "/oauth2/authorize", clientId: "someoneelse", action: "http500" });
      h.twin.faults.add({ path: "/oauth2/authorize", userPoolId: "us-east-1_Elsewhere", action: "http500" });
      const res = await h.twin.app.request(h.authorizeUrl());
      expect(res.status).toBe(302);
    } finally {
      await h.close();
    }
  });
});
