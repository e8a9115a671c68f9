// Who may use the emulator over HTTP (docs/security.md): the Host allow-list on every route,
// CORS only on the Cognito API and the pools' public documents, and on /_twin/* the control
// token and JSON-only POSTs; plus the clock control's range and the SigV4 scope's region.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, fakeSigV4 } from "../../test-support/twin.js";
import { createApp, type TwinApp } from "../app.js";
import { crossOriginPath } from "./cors.js";
import { exposureWarning, HostAllowList, hostNameOf, listensOnLoopback } from "./guard.js";
import { listen, type RunningServer } from "./server.js";

const LOCAL = { host: "127.0.0.1" } as const;

describe("hostNameOf", () => {
  it("drops the port and case, and writes IPv6 addresses one way", () => {
    expect(hostNameOf("LocalHost:9229")).toBe("localhost");
    expect(hostNameOf("example.com.")).toBe("example.com");
    expect(hostNameOf("[0:0:0:0:0:0:0:1]:80")).toBe("[::1]");
    expect(hostNameOf("127.0.0.1")).toBe("127.0.0.1");
  });

  it("is undefined for what is not a host", () => {
    for (const bad of ["", ":9229", "localhost:", "a b", "evil.com@localhost", "[nope]", "http://localhost", "."])
      expect(hostNameOf(bad), bad).toBeUndefined();
  });
});

describe("HostAllowList", () => {
  it("accepts loopback names and addresses, whatever the port or case", () => {
    const hosts = new HostAllowList(LOCAL);
    for (const ok of [
      "localhost",
      "LOCALHOST:9229",
      "app.localhost:3000",
      "127.0.0.1:9229",
      "127.8.9.10",
      "[::1]:9229",
    ])
      expect(hosts.allowedHost(ok), ok).toBe(true);
  });

  it("refuses other names, so a DNS name rebound to 127.0.0.1 is not answered", () => {
    const hosts = new HostAllowList(LOCAL);
    for (const bad of [
      "evil.example",
      "evil.example:9229",
      "127.0.0.1.evil.example",
      "localhost.evil.example",
      "10.0.0.5:9229",
      "0.0.0.0:9229",
      "",
      "localhost:abc",
    ])
      expect(hosts.allowedHost(bad), bad).toBe(false);
  });

  it("accepts the listen address, the public URL's host and --allowed-hosts (.suffix: that name and below)", () => {
    const hosts = new HostAllowList({
      host: "192.168.1.20",
      publicUrl: "http://Twin.Test:9229",
      allowedHosts: ["cognito", ".svc.cluster.local"],
    });
    for (const ok of [
      "192.168.1.20:9229",
      "twin.test",
      "cognito:9229",
      "COGNITO",
      "svc.cluster.local",
      "twin.default.svc.cluster.local:9229",
    ])
      expect(hosts.allowedHost(ok), ok).toBe(true);
    for (const bad of ["192.168.1.21", "xsvc.cluster.local", "cognito.evil.example", "twin.test.evil.example"])
      expect(hosts.allowedHost(bad), bad).toBe(false);
    expect(new HostAllowList({ host: "::1" }).allowedHost("[::1]:1")).toBe(true);
    expect(new HostAllowList({ host: "devbox.lan" }).allowedHost("DevBox.lan:9229")).toBe(true);
  });

  it("listening on 0.0.0.0 or :: (a container), accepts any IP address but still no unknown name", () => {
    for (const host of ["0.0.0.0", "::"]) {
      const hosts = new HostAllowList({ host });
      for (const ok of ["172.17.0.2:9229", "10.1.2.3", "[fd00::1]:9229", "localhost"])
        expect(hosts.allowedHost(ok), ok).toBe(true);
      for (const bad of ["evil.example", "cognito:9229"]) expect(hosts.allowedHost(bad), bad).toBe(false);
    }
  });

  it("asks the pools' domains afresh, and takes names added later", () => {
    const domains = new Set<string>();
    const hosts = new HostAllowList(LOCAL, (name) => domains.has(name));
    const name = "my-app.auth.eu-west-1.amazoncognito.com";
    expect(hosts.allowedHost(name)).toBe(false);
    domains.add(name);
    expect(hosts.allowedHost(`${name}:443`)).toBe(true);
    expect(hosts.allowedHost(name.toUpperCase())).toBe(true);
    domains.delete(name);
    expect(hosts.allowedHost(name)).toBe(false);
    expect(hosts.allowedHost("auth.example.com")).toBe(false);
    hosts.allow("auth.example.com");
    expect(hosts.allowedHost("auth.example.com")).toBe(true);
  });
});

describe("the start-up warning", () => {
  it("recommends the control token when other machines can reach the emulator", () => {
    expect(exposureWarning({ host: "0.0.0.0" })).toMatch(/listening on 0\.0\.0\.0.*--control-token/);
    expect(exposureWarning({ host: "::" })).toMatch(/--control-token/);
    expect(exposureWarning({ host: "192.168.1.20" })).toMatch(/--control-token/);
    expect(exposureWarning({ host: "0.0.0.0", controlToken: "t0ken" })).toBeUndefined();
    for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) {
      expect(listensOnLoopback(host), host).toBe(true);
      expect(exposureWarning({ host }), host).toBeUndefined();
    }
  });
});

describe("crossOriginPath", () => {
  it("is the Cognito API and the pools' JWKS and discovery documents, never /_twin/*", () => {
    for (const p of ["/", "/us-east-1_Abc/.well-known/jwks.json", "/us-east-1_Abc/.well-known/openid-configuration"])
      expect(crossOriginPath(p), p).toBe(true);
    for (const p of ["/_twin/state", "/_twin/ui", "/_twin/.well-known/jwks.json", "/health", "/x/y"])
      expect(crossOriginPath(p), p).toBe(false);
  });
});

/** An in-process request, with a Host header unless `host` is null. */
async function req(
  twin: TwinApp,
  path: string,
  init: { method?: string; host?: string | null; headers?: Record<string, string>; body?: string } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.host !== null) headers.host = init.host ?? "127.0.0.1:9229";
  const res = await twin.app.request(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe("the Host allow-list on every route", () => {
  let twin: TwinApp;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent" });
  });
  afterAll(() => twin.close());

  it("answers loopback hosts, and a request with no Host header by its URL", async () => {
    expect((await req(twin, "/health", { host: "localhost:9229" })).status).toBe(200);
    expect((await req(twin, "/health", { host: null })).status).toBe(200);
  });

  it("refuses any other host with 403 and a JSON message, on /health, /_twin/* and the OIDC documents", async () => {
    for (const path of [
      "/health",
      "/_twin/state",
      "/_twin/messages",
      "/us-east-1_Nope/.well-known/openid-configuration",
    ]) {
      const res = await req(twin, path, { host: "rebound.evil.example:9229" });
      expect(res.status, path).toBe(403);
      expect(res.body.message, path).toMatch(
        /^Host "rebound\.evil\.example:9229" is not a name this emulator answers to/,
      );
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }
    const reset = await req(twin, "/_twin/reset", {
      method: "POST",
      host: "evil.example",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(reset.status).toBe(403);
  });

  it("refuses it on the Cognito API in Cognito's error shape", async () => {
    const res = await req(twin, "/", {
      method: "POST",
      host: "evil.example",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
        authorization: fakeSigV4(),
      },
      body: JSON.stringify({ MaxResults: 1 }),
    });
    expect(res.status).toBe(403);
    expect(res.body.__type).toBe("ForbiddenException");
    expect(res.body.message).toMatch(/Host "evil\.example"/);
    expect(res.headers.get("x-amzn-errortype")).toBe("ForbiddenException:");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers a pool's domain names once the pool has them, and stops when they are deleted", async () => {
    const { body } = await call(twin, "CreateUserPool", { PoolName: "with-domains" });
    const poolId = (body.UserPool as { Id: string }).Id;
    const prefixHost = `guard-test.auth.${poolId.split("_")[0]}.amazoncognito.com`;
    const health = (host: string) => req(twin, "/health", { host }).then((r) => r.status);
    expect(await health(prefixHost)).toBe(403);
    expect((await call(twin, "CreateUserPoolDomain", { UserPoolId: poolId, Domain: "guard-test" })).status).toBe(200);
    expect(await health(`${prefixHost}:443`)).toBe(200);
    expect(await health("guard-test.auth.eu-north-1.amazoncognito.com")).toBe(403);
    expect((await call(twin, "DeleteUserPoolDomain", { UserPoolId: poolId, Domain: "guard-test" })).status).toBe(200);
    expect(await health(prefixHost)).toBe(403);
    await call(twin, "DeleteUserPool", { UserPoolId: poolId });
  });

  it("is what a real socket sees: a rebound name is refused, 127.0.0.1 answered", async () => {
    const server = await listen(twin, { host: "127.0.0.1", port: 0 });
    try {
      const get = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const r = httpRequest(`${server.url}/_twin/state`, { headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          r.once("error", reject);
          r.end();
        });
      expect(await get(`attacker.example:${server.port}`)).toBe(403);
      expect(await get(`127.0.0.1:${server.port}`)).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("CORS", () => {
  let twin: TwinApp;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent" });
  });
  afterAll(() => twin.close());
  const origin = { origin: "https://some-page.example" };

  it("grants nothing on /_twin/*: no Access-Control-Allow-Origin, no preflight answer", async () => {
    for (const path of ["/_twin/state", "/_twin/messages", "/_twin/clock"]) {
      const res = await req(twin, path, { headers: origin });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }
    for (const path of ["/_twin/reset", "/_twin/state", "/_twin/clock", "/_twin/ui"]) {
      const pre = await req(twin, path, {
        method: "OPTIONS",
        headers: {
          ...origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      expect(pre.status, path).not.toBe(204);
      expect(pre.headers.get("access-control-allow-origin"), path).toBeNull();
      expect(pre.headers.get("access-control-allow-methods"), path).toBeNull();
    }
  });

  it("keeps it on the Cognito API (and its preflight) and the pools' public documents", async () => {
    const pre = await req(twin, "/", {
      method: "OPTIONS",
      headers: { ...origin, "access-control-request-method": "POST", "access-control-request-headers": "x-amz-target" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    const api = await req(twin, "/", { method: "POST", headers: origin, body: "{}" });
    expect(api.body.__type).toBe("UnknownOperationException");
    expect(api.headers.get("access-control-allow-origin")).toBe("*");
    const jwks = await req(twin, "/us-east-1_Nope/.well-known/jwks.json", { headers: origin });
    expect(jwks.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("POSTs to /_twin/* take only application/json", () => {
  let twin: TwinApp;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent" });
  });
  afterAll(() => twin.close());

  it("answers 415 with a JSON message to text/plain, form and body-less POSTs, and changes nothing", async () => {
    twin.services.clock.advance(60);
    for (const path of ["/_twin/reset", "/_twin/clock", "/_twin/state"]) {
      for (const headers of [
        { "content-type": "text/plain;charset=UTF-8" },
        { "content-type": "application/x-www-form-urlencoded" },
        { "content-type": "multipart/form-data; boundary=x" },
        {},
      ] as Record<string, string>[]) {
        const res = await req(twin, path, { method: "POST", headers, body: JSON.stringify({ advanceSeconds: 1 }) });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(415);
        expect(res.body.message).toMatch(/takes Content-Type: application\/json/);
      }
    }
    expect(twin.services.clock.offsetSeconds).toBe(60);
  });

  it("serves them as application/json (any case, with parameters); DELETE needs no body", async () => {
    const res = await req(twin, "/_twin/reset", {
      method: "POST",
      headers: { "content-type": "Application/JSON; charset=utf-8" },
      body: "{}",
    });
    expect(res).toMatchObject({ status: 200, body: { reset: true } });
    expect(twin.services.clock.offsetSeconds).toBe(0);
    expect((await req(twin, "/_twin/messages", { method: "DELETE" })).status).toBe(200);
  });
});

describe("the control token", () => {
  const TOKEN = "test-control-t0ken";
  let twin: TwinApp;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent", controlToken: TOKEN });
  });
  afterAll(() => twin.close());

  it("is required on every /_twin/* route: 401 with a JSON message without it or with a wrong one", async () => {
    for (const headers of [
      {},
      { "x-twin-control-token": "wrong" },
      { "x-twin-control-token": `${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(1)}` },
      { authorization: `Basic ${TOKEN}` },
    ] as Record<string, string>[]) {
      for (const [method, path] of [
        ["GET", "/_twin/state"],
        ["GET", "/_twin/messages"],
        ["GET", "/_twin/clock"],
        ["DELETE", "/_twin/messages"],
        ["POST", "/_twin/reset"],
        ["GET", "/_twin/anything"],
      ] as const) {
        const res = await req(twin, path, {
          method,
          headers: { ...headers, "content-type": "application/json" },
          ...(method === "POST" ? { body: "{}" } : {}),
        });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.body.message).toMatch(/control token/);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
    }
  });

  it("is accepted as X-Twin-Control-Token or as a Bearer token", async () => {
    expect((await req(twin, "/_twin/state", { headers: { "x-twin-control-token": TOKEN } })).status).toBe(200);
    expect((await req(twin, "/_twin/clock", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const reset = await req(twin, "/_twin/reset", {
      method: "POST",
      headers: { authorization: `bearer ${TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(reset.status).toBe(200);
    // With the token, the content-type rule still applies.
    const plain = await req(twin, "/_twin/reset", {
      method: "POST",
      headers: { "x-twin-control-token": TOKEN, "content-type": "text/plain" },
      body: "{}",
    });
    expect(plain.status).toBe(415);
  });

  it("leaves /health, the Cognito API and the OIDC documents open", async () => {
    expect((await req(twin, "/health")).status).toBe(200);
    expect((await req(twin, "/", { method: "POST", body: "{}" })).body.__type).toBe("UnknownOperationException");
    expect((await req(twin, "/us-east-1_Nope/.well-known/jwks.json")).status).toBe(404);
  });
});

describe("POST /_twin/clock", () => {
  let twin: TwinApp;
  let server: RunningServer;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent" });
    server = await listen(twin, { host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await twin.close();
  });

  const advance = (body: string) =>
    fetch(`${server.url}/_twin/clock`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("refuses values that would take the clock outside the years 1970-9999 (or a Date), naming the field", async () => {
    for (const value of ["1e300", "-1e300", "8.64e12", "-8.64e12", "2.6e11", `${-(Date.now() / 1000 + 10)}`]) {
      const res = await advance(`{"advanceSeconds": ${value}}`);
      expect(res.status, value).toBe(400);
      expect(((await res.json()) as { message: string }).message, value).toMatch(
        /^advanceSeconds must keep the emulator's clock between 1970 and 9999/,
      );
    }
    // JSON reads 1e999 as Infinity; NaN is not JSON at all.
    for (const body of ['{"advanceSeconds": 1e999}', '{"advanceSeconds": NaN}', '{"advanceSeconds": "Infinity"}']) {
      const res = await advance(body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/advanceSeconds/);
    }
    expect(twin.services.clock.offsetSeconds).toBe(0);
    const clock = (await (await fetch(`${server.url}/_twin/clock`)).json()) as { now: number };
    expect(Number.isFinite(clock.now)).toBe(true);
  });

  it("still moves it by anything that stays a date: a century ahead, and back", async () => {
    const century = 100 * 365 * 86400;
    expect((await advance(JSON.stringify({ advanceSeconds: century }))).status).toBe(200);
    expect(new Date(twin.services.clock.now()).getUTCFullYear()).toBeGreaterThan(2100);
    expect((await advance(JSON.stringify({ advanceSeconds: -century }))).status).toBe(200);
    expect(twin.services.clock.offsetSeconds).toBe(0);
  });
});

describe("the SigV4 credential scope's region", () => {
  let twin: TwinApp;
  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent" });
  });
  afterAll(() => twin.close());

  const createPool = (region: string) =>
    req(twin, "/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.CreateUserPool",
        authorization: fakeSigV4(region),
      },
      body: JSON.stringify({ PoolName: "region-check" }),
    });

  it("must be a region name: a malformed one is InvalidSignatureException, as AWS answers, and makes no pool", async () => {
    for (const region of ["x".repeat(3000), `us-${"a".repeat(3000)}-1`, "us-east-1-extra", "1-2-3", "us-east-12"]) {
      const res = await createPool(region);
      expect(res.status, region.slice(0, 20)).toBe(400);
      expect(res.body.__type).toBe("InvalidSignatureException");
      expect(res.body.message).toMatch(/^Credential should be scoped to a valid region, not '/);
      expect((res.body.message as string).length).toBeLessThan(200);
    }
    expect([...twin.services.store.listPools()]).toEqual([]);
  });
});
