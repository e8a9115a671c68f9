import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeSigV4 } from "../../test-support/twin.js";
import { createApp, type TwinApp } from "../app.js";
import { ConfigError, readConfig, type TwinConfig } from "../config.js";
import { ManualClock } from "../core/clock.js";
import { OPERATION_NAMES } from "../model/index.js";
import { poolOfToken } from "../protocol/dispatch.js";
import { TOO_DEEP } from "../protocol/mask.js";
import type { RequestLogEntry } from "../services/request-log.js";
import { isoTime } from "./request-logging.js";

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const TIME = "2026-01-02T03:04:05.678Z";
const PASSWORD = "Corr3ct-Horse!";

let twin: TwinApp | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

/** An emulator whose log lines are collected; the request lines are the ones that start with the time. */
async function start(config: Partial<TwinConfig> = {}) {
  const lines: string[] = [];
  twin = await createApp(config, {
    clock: new ManualClock(NOW),
    logger: { info: (l) => lines.push(l), debug: (l) => lines.push(l), error: (l) => lines.push(l) },
  });
  const t = twin;
  const api = async (operation: string, input: unknown, headers: Record<string, string> = {}) => {
    const res = await t.app.request("/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        authorization: fakeSigV4(),
        ...headers,
      },
      body: JSON.stringify(input),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the tests read answers' fields loosely.
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const requestLines = () => lines.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l) || l.startsWith("{"));
  return { twin: t, lines, requestLines, api };
}

/** A pool with a password client and a confirmed user. */
async function poolWithUser(api: Awaited<ReturnType<typeof start>>["api"]) {
  const poolId = (await api("CreateUserPool", { PoolName: "p" })).body.UserPool.Id as string;
  const clientId = (
    await api("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "c",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })
  ).body.UserPoolClient.ClientId as string;
  const signUp = await api("SignUp", {
    ClientId: clientId,
    Username: "alice",
    Password: PASSWORD,
    UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
  });
  expect(signUp.status).toBe(200);
  await api("AdminConfirmSignUp", { UserPoolId: poolId, Username: "alice" });
  return { poolId, clientId };
}

describe("one line per request at log level info", () => {
  it("names time, operation, pool, status and duration; the pool also from a ClientId or an AccessToken", async () => {
    const t = await start();
    const { poolId, clientId } = await poolWithUser(t.api);
    const auth = await t.api("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: "alice", PASSWORD },
    });
    await t.api("GetUser", { AccessToken: auth.body.AuthenticationResult.AccessToken });
    const lines = t.requestLines();
    expect(lines[0]).toMatch(/^2026-01-02T03:04:05\.678Z CreateUserPool - 200 \d+\.\dms$/);
    expect(lines.map((l) => l.split(" ").slice(1, 4).join(" "))).toEqual([
      "CreateUserPool - 200",
      `CreateUserPoolClient ${poolId} 200`,
      `SignUp ${poolId} 200`,
      `AdminConfirmSignUp ${poolId} 200`,
      `InitiateAuth ${poolId} 200`,
      `GetUser ${poolId} 200`,
    ]);
    // Nothing of the body at info.
    expect(lines.join("\n")).not.toContain(PASSWORD);
    const entries = t.twin.requestLog.entries();
    expect(entries.at(-1)).toMatchObject({ operation: "GetUser", poolId, status: 200, time: TIME });
    expect(entries.at(-2)).toMatchObject({ operation: "InitiateAuth", poolId, clientId });
    expect(entries.every((e) => e.request === undefined && e.response === undefined)).toBe(true);
  });

  it("adds the error type of an error answer", async () => {
    const t = await start();
    const { poolId, clientId } = await poolWithUser(t.api);
    const again = await t.api("SignUp", { ClientId: clientId, Username: "alice", Password: PASSWORD });
    expect(again.status).toBe(400);
    const unknownPool = await t.api("DescribeUserPool", { UserPoolId: "us-east-1_nope" });
    expect(unknownPool.status).toBe(400);
    const badInput = await t.api("DescribeUserPool", {});
    expect(badInput.status).toBe(400);
    const lines = t.requestLines().slice(-3);
    expect(lines[0]).toMatch(new RegExp(`^${TIME} SignUp ${poolId} 400 UsernameExistsException \\d+\\.\\dms$`));
    expect(lines[1]).toMatch(/ DescribeUserPool us-east-1_nope 400 ResourceNotFoundException /);
    expect(lines[2]).toMatch(/ DescribeUserPool - 400 InvalidParameterException /);
    expect(t.twin.requestLog.entries().at(-3)?.errorType).toBe("UsernameExistsException");
  });

  it("names other routes METHOD /path, logs the guard's refusals, and leaves out /health and reads of the log", async () => {
    const t = await start({ controlToken: "tok" });
    await t.twin.app.request("/health");
    const refused = await t.twin.app.request("/_twin/messages");
    expect(refused.status).toBe(401);
    const moved = await t.twin.app.request("/_twin/clock", {
      method: "POST",
      headers: { "content-type": "application/json", "x-twin-control-token": "tok" },
      body: JSON.stringify({ advanceSeconds: 60 }),
    });
    expect(moved.status).toBe(200);
    await t.twin.app.request("/_twin/requests", { headers: { "x-twin-control-token": "tok" } });
    await t.twin.app.request("/no/such/route");
    const ops = t.requestLines().map((l) => l.split(" ").slice(1, 5).join(" "));
    expect(ops).toEqual(["GET /_twin/messages - 401", "POST /_twin/clock - 200", "GET /no/such/route - 404"]);
    // The line after the clock moved tells the emulator's time.
    expect(t.requestLines()[2]).toMatch(/^2026-01-02T03:05:05\.678Z /);
  });

  it("names the pool of a managed login page", async () => {
    const t = await start();
    const { poolId, clientId } = await poolWithUser(t.api);
    await t.api("CreateUserPoolDomain", { UserPoolId: poolId, Domain: "log-test" });
    await t.twin.app.request(`/_domain/log-test/login?client_id=${clientId}&response_type=code`);
    const last = t.twin.requestLog.entries().at(-1)!;
    expect(last).toMatchObject({ operation: "GET /_domain/log-test/login", poolId, clientId });
  });

  it("escapes a path that would break the line", async () => {
    const t = await start();
    await t.twin.app.request("/x%0A2026-01-01T00:00:00.000Z%20SignUp%20forged");
    const lines = t.requestLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("GET /x%0a2026-01-01T00:00:00.000Z%20SignUp%20forged - 404");
  });

  it("writes nothing at log level silent, and still keeps the entries", async () => {
    const t = await start({ logLevel: "silent" });
    await t.api("ListUserPools", { MaxResults: 1 });
    expect(t.lines).toEqual([]);
    expect(t.twin.requestLog.entries().map((e) => e.operation)).toEqual(["ListUserPools"]);
  });
});

describe("log level debug", () => {
  it("adds the bodies with passwords, codes, sessions and tokens masked", async () => {
    const t = await start({ logLevel: "debug" });
    const { poolId, clientId } = await poolWithUser(t.api);
    const auth = await t.api("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: "alice", PASSWORD },
    });
    const { AccessToken, IdToken, RefreshToken } = auth.body.AuthenticationResult as Record<string, string>;
    await t.api("RespondToAuthChallenge", {
      ClientId: clientId,
      ChallengeName: "SMS_MFA",
      Session: "a-session-string-that-is-long-enough",
      ChallengeResponses: { USERNAME: "alice", SMS_MFA_CODE: "246813" },
    });
    await t.api("ConfirmSignUp", { ClientId: clientId, Username: "alice", ConfirmationCode: "135792" });

    const entries = t.twin.requestLog.entries();
    const signUp = entries.find((e) => e.operation === "SignUp")!;
    expect(signUp.request).toEqual({
      ClientId: clientId,
      Username: "alice",
      Password: "***",
      UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
    });
    expect(signUp.response).toMatchObject({ UserConfirmed: false });
    const initiate = entries.find((e) => e.operation === "InitiateAuth")!;
    expect(initiate.request).toMatchObject({ AuthParameters: { USERNAME: "alice", PASSWORD: "***" } });
    expect(initiate.response).toMatchObject({
      AuthenticationResult: { AccessToken: "***", IdToken: "***", RefreshToken: "***", TokenType: "Bearer" },
    });
    const respond = entries.find((e) => e.operation === "RespondToAuthChallenge")!;
    expect(respond.request).toMatchObject({
      Session: "***",
      ChallengeResponses: { USERNAME: "alice", SMS_MFA_CODE: "***" },
    });
    // An error's answer is its body, read off the rendered error.
    expect(respond.response).toMatchObject({ __type: respond.errorType });
    expect(entries.find((e) => e.operation === "ConfirmSignUp")!.request).toMatchObject({ ConfirmationCode: "***" });

    // The debug lines carry the same, and none of the secrets.
    const lines = t.requestLines();
    const signUpLine = lines.find((l) => l.includes(" SignUp "))!;
    expect(signUpLine).toContain(`client=${clientId} id=${signUp.requestId} request={`);
    expect(signUpLine).toContain('"Password":"***"');
    for (const secret of [PASSWORD, AccessToken, IdToken, RefreshToken, "246813", "135792", "a-session-string"])
      expect(lines.join("\n")).not.toContain(secret);
    expect(lines.some((l) => l.includes(poolId))).toBe(true);
  });

  it("masks the form fields and query of a managed login post", async () => {
    const t = await start({ logLevel: "debug" });
    const { poolId, clientId } = await poolWithUser(t.api);
    await t.api("CreateUserPoolDomain", { UserPoolId: poolId, Domain: "log-form" });
    await t.twin.app.request(`/_domain/log-form/login?client_id=${clientId}&response_type=code&code=query-code`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "alice", password: PASSWORD }).toString(),
    });
    const entry = t.twin.requestLog.entries().at(-1)!;
    expect(entry.operation).toBe("POST /_domain/log-form/login");
    expect(entry.request).toEqual({
      query: { client_id: clientId, response_type: "code", code: "***" },
      body: { username: "alice", password: "***" },
    });
    expect(entry.response).toBeDefined();
    expect(t.requestLines().join("\n")).not.toContain(PASSWORD);
  });
});

describe("bad input at debug", () => {
  it("answers a body nested 100,000 deep as the API does, never with a 500", async () => {
    const t = await start({ logLevel: "debug" });
    const depth = 100_000;
    const res = await t.twin.app.request("/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.SignUp",
      },
      body: `{"ClientId":"abc","Username":"a","Password":"p","X":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    });
    expect(res.status).toBe(400);
    const entry = t.twin.requestLog.entries().at(-1)!;
    expect(entry.errorType).toBe("ResourceNotFoundException");
    expect(JSON.stringify(entry.request)).toContain(TOO_DEEP);
    expect(t.lines.some((l) => l.includes("unexpected error"))).toBe(false);
  });

  it("answers junk sent to every operation as the API does, never with a 500", async () => {
    const t = await start({ logLevel: "debug" });
    const junk = [
      "null",
      "[]",
      '"text"',
      JSON.stringify({ UserPoolId: 5, ClientId: null, AccessToken: { a: [null] }, Username: [], X: [[{}]] }),
      JSON.stringify({ UserPoolId: "us-east-1_x", ClientId: "c", AccessToken: "a.b.c", AuthParameters: [1] }),
    ];
    for (const name of OPERATION_NAMES) {
      for (const body of junk) {
        const res = await t.twin.app.request("/", {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `AWSCognitoIdentityProviderService.${name}`,
            authorization: fakeSigV4(),
          },
          body,
        });
        if (res.status >= 500) throw new Error(`${name} ${body}: ${res.status} ${await res.text()}`);
      }
    }
    expect(t.twin.requestLog.lastSeq).toBe(OPERATION_NAMES.length * junk.length);
  });

  it("logs a form too large to copy by its type, and a JSON body that is not JSON by its size", async () => {
    const t = await start({ logLevel: "debug" });
    await t.twin.app.request("/_twin/clock", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(t.twin.requestLog.entries().at(-1)).toMatchObject({
      operation: "POST /_twin/clock",
      status: 400,
      request: { body: { contentType: "application/json", bytes: 9 } },
    });
    const big = await t.twin.app.request("/_twin/clock", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 1, pad: "x".repeat(70_000) }),
    });
    expect(big.status).toBe(200);
    expect(t.twin.requestLog.entries().at(-1)?.request).toEqual({ body: { contentType: "application/json" } });
  });
});

describe("--log-format json", () => {
  it("is read from the flag or COGNITO_TWIN_LOG_FORMAT, text by default, and nothing else", () => {
    const format = (argv: string[], env: Record<string, string> = {}) =>
      (readConfig(argv, env) as TwinConfig).logFormat;
    expect(format([])).toBe("text");
    expect(format(["--log-format", "json"])).toBe("json");
    expect(format([], { COGNITO_TWIN_LOG_FORMAT: "json" })).toBe("json");
    expect(format(["--log-format", "text"], { COGNITO_TWIN_LOG_FORMAT: "json" })).toBe("text");
    expect(() => readConfig(["--log-format", "xml"], {})).toThrow(ConfigError);
    expect(() => readConfig(["--log-format", "xml"], {})).toThrow("log format must be text or json");
  });

  it("writes one JSON object per request with the entry's fields", async () => {
    const t = await start({ logFormat: "json" });
    const { poolId } = await poolWithUser(t.api);
    await t.api("SignUp", { ClientId: "nosuchclient", Username: "bob", Password: PASSWORD });
    const parsed = t.requestLines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(5);
    const entries = t.twin.requestLog.entries();
    parsed.forEach((line, i) => {
      const { request: _r, response: _s, ...fields } = entries[i]!;
      expect(line).toEqual({ level: "info", ...fields });
    });
    expect(parsed[2]).toMatchObject({ time: TIME, operation: "SignUp", poolId, status: 200 });
    expect(parsed[4]).toMatchObject({ operation: "SignUp", status: 400, errorType: "ResourceNotFoundException" });
    expect(parsed[4]).not.toHaveProperty("poolId");
  });

  it("makes every other line of the default logger JSON too", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      twin = await createApp({ logFormat: "json" }, { clock: new ManualClock(NOW) });
      const headers = {
        "content-type": "application/x-amz-json-1.1",
        authorization: fakeSigV4(),
      };
      const call = (op: string, input: unknown) =>
        twin!.app.request("/", {
          method: "POST",
          headers: { ...headers, "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
          body: JSON.stringify(input),
        });
      const pool = (await (
        await call("CreateUserPool", { PoolName: "p", AutoVerifiedAttributes: ["email"] })
      ).json()) as {
        UserPool: { Id: string };
      };
      const client = (await (
        await call("CreateUserPoolClient", { UserPoolId: pool.UserPool.Id, ClientName: "c" })
      ).json()) as { UserPoolClient: { ClientId: string } };
      // SignUp sends a code: the inbox's line.
      await call("SignUp", {
        ClientId: client.UserPoolClient.ClientId,
        Username: "carol",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "carol@example.com" }],
      });
      // The lines of one turn go out together, at the next.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      spy.mockRestore();
    }
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.every((chunk) => chunk.endsWith("\n"))).toBe(true);
    const lines = written.join("").slice(0, -1).split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.filter((o) => "operation" in o).map((o) => o.operation)).toEqual([
      "CreateUserPool",
      "CreateUserPoolClient",
      "SignUp",
    ]);
    const inbox = objects.find((o) => "message" in o);
    expect(inbox).toMatchObject({ time: TIME, level: "info" });
    expect(String(inbox?.message)).toMatch(/^\[inbox\] /);
  });
});

describe("reset and GET /_twin/requests", () => {
  async function requests(t: TwinApp, query = "") {
    const res = await t.app.request(`/_twin/requests${query}`);
    return { status: res.status, body: (await res.json()) as { requests: RequestLogEntry[]; lastSeq: number } };
  }

  it("answers entries after a seq, the newest N, by pool and operation", async () => {
    const t = await start();
    const mark = (await requests(t.twin, "?limit=0")).body;
    expect(mark).toEqual({ requests: [], lastSeq: 0 });
    const { poolId } = await poolWithUser(t.api);
    await t.api("ListUserPools", { MaxResults: 5 });
    const all = (await requests(t.twin)).body;
    expect(all.requests.map((e) => e.operation)).toEqual([
      "CreateUserPool",
      "CreateUserPoolClient",
      "SignUp",
      "AdminConfirmSignUp",
      "ListUserPools",
    ]);
    expect(all.lastSeq).toBe(5);
    expect((await requests(t.twin, "?after=3")).body.requests.map((e) => e.seq)).toEqual([4, 5]);
    expect((await requests(t.twin, "?limit=2")).body.requests.map((e) => e.seq)).toEqual([4, 5]);
    expect((await requests(t.twin, `?userPoolId=${poolId}`)).body.requests.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect((await requests(t.twin, "?operation=SignUp")).body.requests.map((e) => e.seq)).toEqual([3]);
    for (const bad of ["?after=-1", "?limit=x", "?after=1e3", "?limit=1.5"]) {
      const res = await requests(t.twin, bad);
      expect(res.status).toBe(400);
    }
  });

  it("reset empties the log; the reset itself is the first entry after it, and numbers go on", async () => {
    const t = await start();
    await poolWithUser(t.api);
    const res = await t.twin.app.request("/_twin/reset", {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    const after = t.twin.requestLog.entries();
    expect(after.map((e) => [e.seq, e.operation])).toEqual([[5, "POST /_twin/reset"]]);
    await t.twin.reset();
    expect(t.twin.requestLog.entries()).toEqual([]);
  });
});

describe("poolOfToken", () => {
  const token = (payload: unknown) =>
    `e30.${Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64url")}.sig`;
  it("reads the pool from the issuer, and nothing from a token that is not a pool's", () => {
    expect(poolOfToken(token({ iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123" }))).toBe(
      "eu-west-1_AbC123",
    );
    expect(poolOfToken(token({ iss: "http://127.0.0.1:9229/us-east-1_x1" }))).toBe("us-east-1_x1");
    expect(poolOfToken(token({ iss: "https://evil/us-east-1_x\n2026 forged" }))).toBeUndefined();
    expect(poolOfToken(token('{"iss":"x/us-east-1_a\nb"}'))).toBeUndefined();
    expect(poolOfToken(token({ sub: "no issuer" }))).toBeUndefined();
    expect(poolOfToken("not-a-jwt")).toBeUndefined();
    expect(poolOfToken("a.%%%.c")).toBeUndefined();
  });
});

describe("isoTime", () => {
  it("formats as toISOString does, within a second, across seconds and at the ends of Date", () => {
    const base = Date.UTC(2026, 0, 2, 3, 4, 5, 0);
    for (const ms of [
      base,
      base + 7,
      base + 45,
      base + 999,
      base + 1000,
      base + 61_001,
      0,
      -1,
      8.64e15,
      253402300799999,
    ])
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(isoTime(base + 12.7)).toBe("2026-01-02T03:04:05.012Z");
  });
});
