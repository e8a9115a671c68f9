// The domain helpers the OAuth endpoints use: finding a pool from a domain name or a Host,
// hostnames, CloudFront names, and the scopes a client is granted.
import { describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import type { ClientRecord, PoolRecord } from "../store/types.js";
import {
  checkDomainName,
  cloudFrontDomain,
  domainHostname,
  poolByDomain,
  poolByHostname,
  poolRegion,
  poolWithDomains,
} from "./domains.js";
import { resolveScopes, scopeDefined } from "./oauth-config.js";

function pool(id: string, extra: Partial<PoolRecord> = {}): PoolRecord {
  return { id, pool: { Id: id, Name: id }, tags: {}, mfa: { MfaConfiguration: "OFF" }, ...extra };
}

function storeWith(...pools: PoolRecord[]): Store {
  const store = new Store();
  for (const p of pools) store.putPool(p);
  return store;
}

const EAST = pool("us-east-1_East1", {
  domains: [
    { domain: "east-app", custom: false, managedLoginVersion: 1, createdAt: 0 },
    {
      domain: "auth.example.com",
      custom: true,
      certificateArn: "arn:aws:acm:us-east-1:1:certificate/x",
      managedLoginVersion: 2,
      createdAt: 0,
    },
  ],
});
const WEST = pool("eu-west-1_West1", {
  domains: [{ domain: "west-app", custom: false, managedLoginVersion: 1, createdAt: 0 }],
});

describe("poolByDomain and poolByHostname", () => {
  const store = storeWith(EAST, WEST, pool("us-east-1_NoDomain"));

  it("find the pool of a prefix or a custom domain name, ignoring case", () => {
    expect(poolByDomain(store, "east-app")?.pool.id).toBe("us-east-1_East1");
    expect(poolByDomain(store, "AUTH.example.com")?.domain).toMatchObject({ custom: true, managedLoginVersion: 2 });
    expect(poolByDomain(store, "west-app")?.pool.id).toBe("eu-west-1_West1");
    expect(poolByDomain(store, "nobody")).toBeUndefined();
  });

  it("find the pool a Host names: the prefix in the pool's own region, or a custom domain", () => {
    expect(poolByHostname(store, "east-app.auth.us-east-1.amazoncognito.com")?.pool.id).toBe("us-east-1_East1");
    expect(poolByHostname(store, "East-App.auth.us-east-1.amazoncognito.com:9229")?.pool.id).toBe("us-east-1_East1");
    expect(poolByHostname(store, "west-app.auth.eu-west-1.amazoncognito.com.")?.pool.id).toBe("eu-west-1_West1");
    expect(poolByHostname(store, "auth.example.com:443")?.domain.domain).toBe("auth.example.com");
    // A prefix in another region's hostname, a prefix on its own, a custom name under the prefix form.
    expect(poolByHostname(store, "east-app.auth.eu-west-1.amazoncognito.com")).toBeUndefined();
    expect(poolByHostname(store, "east-app")).toBeUndefined();
    expect(poolByHostname(store, "127.0.0.1:9229")).toBeUndefined();
  });
});

describe("hostnames and descriptions", () => {
  it("domainHostname: prefix domains under auth.<region>.amazoncognito.com, custom ones as named", () => {
    expect(domainHostname({ domain: "myapp", custom: false }, "us-east-1")).toBe(
      "myapp.auth.us-east-1.amazoncognito.com",
    );
    expect(domainHostname({ domain: "auth.example.com", custom: true }, "us-east-1")).toBe("auth.example.com");
    expect(poolRegion({ id: "ap-southeast-2_Abc" })).toBe("ap-southeast-2");
  });

  it("cloudFrontDomain: stable, CloudFront-shaped, shared by a region's prefix domains", () => {
    const a = cloudFrontDomain({ id: "us-east-1_A" }, { domain: "one", custom: false });
    expect(a).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(cloudFrontDomain({ id: "us-east-1_B" }, { domain: "two", custom: false })).toBe(a);
    expect(cloudFrontDomain({ id: "eu-west-1_C" }, { domain: "one", custom: false })).not.toBe(a);
    const custom = cloudFrontDomain({ id: "us-east-1_A" }, { domain: "auth.example.com", custom: true });
    expect(custom).not.toBe(a);
    expect(cloudFrontDomain({ id: "us-west-2_Z" }, { domain: "auth.example.com", custom: true })).toBe(custom);
  });

  it("poolWithDomains mirrors the names into the pool's Domain and CustomDomain", () => {
    const withBoth = poolWithDomains(pool("us-east-1_X"), EAST.domains!);
    expect(withBoth.pool).toMatchObject({ Domain: "east-app", CustomDomain: "auth.example.com" });
    const none = poolWithDomains(withBoth, []);
    expect(none.pool.Domain).toBeUndefined();
    expect(none.pool.CustomDomain).toBeUndefined();
    expect(none.domains).toBeUndefined();
  });

  it("checkDomainName: labels of [a-z0-9-], reserved words as whole words of a prefix", () => {
    expect(() => checkDomainName("a", false)).not.toThrow();
    expect(() => checkDomainName("a".repeat(63), false)).not.toThrow();
    expect(() => checkDomainName("x-awsome-y", false)).not.toThrow();
    expect(() => checkDomainName("x-aws-y", false)).toThrow(/reserved word: aws/);
    expect(() => checkDomainName("login.aws-partner.com", true)).not.toThrow();
    expect(() => checkDomainName("a-.example.com", true)).toThrow(/invalid character/);
  });
});

describe("scopes", () => {
  const withServers = pool("us-east-1_S", {
    resourceServers: {
      "https://api.example.com/v1": {
        identifier: "https://api.example.com/v1",
        name: "api",
        scopes: [{ ScopeName: "read", ScopeDescription: "r" }],
      },
      orders: { identifier: "orders", name: "orders", scopes: [{ ScopeName: "write", ScopeDescription: "w" }] },
    },
  });
  const client = (scopes: string[]): ClientRecord => ({
    poolId: "us-east-1_S",
    client: {
      ClientId: "c",
      AllowedOAuthScopes: scopes,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
    },
  });

  it("scopeDefined: standard scopes, and <identifier>/<scope> of a resource server (identifiers may hold slashes)", () => {
    expect(scopeDefined(withServers, "openid")).toBe(true);
    expect(scopeDefined(withServers, "https://api.example.com/v1/read")).toBe(true);
    expect(scopeDefined(withServers, "orders/write")).toBe(true);
    expect(scopeDefined(withServers, "orders/read")).toBe(false);
    expect(scopeDefined(withServers, "constructor/x")).toBe(false);
    expect(scopeDefined(withServers, "/write")).toBe(false);
    expect(scopeDefined(withServers, "orders")).toBe(false);
  });

  it("resolveScopes: all allowed scopes when none are asked for, the asked ones when allowed", () => {
    const c = client(["openid", "email", "orders/write"]);
    expect(resolveScopes(withServers, c)).toEqual({ ok: true, scopes: ["openid", "email", "orders/write"] });
    expect(resolveScopes(withServers, c, "")).toEqual({ ok: true, scopes: ["openid", "email", "orders/write"] });
    expect(resolveScopes(withServers, c, "email  openid email")).toEqual({ ok: true, scopes: ["email", "openid"] });
    expect(resolveScopes(withServers, c, ["orders/write"])).toEqual({ ok: true, scopes: ["orders/write"] });
    expect(resolveScopes(withServers, c, "openid profile")).toEqual({ ok: false, invalidScope: "profile" });
  });
});
