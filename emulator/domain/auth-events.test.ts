// The pure parts of threat protection: the plan rule, CIDR ranges, the bound on events kept.
import { describe, expect, it } from "vitest";
import type { StoredPool, UserRecord } from "../store/types.js";
import {
  AUTH_EVENTS_KEPT,
  checkRiskExceptions,
  checkThreatProtectionTier,
  compromisedPasswordHash,
  isCompromisedPassword,
  noteWrongPassword,
  riskConfigurationFor,
} from "./auth-events.js";

const pool = (over: Partial<StoredPool> = {}): StoredPool =>
  ({
    id: "us-east-1_test",
    pool: { Id: "us-east-1_test", UserPoolTier: "PLUS", UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } },
    tags: {},
    mfa: { MfaConfiguration: "OFF" },
    ...over,
  }) as StoredPool;

describe("checkThreatProtectionTier", () => {
  it("allows threat protection on Plus only, and OFF anywhere", () => {
    expect(() =>
      checkThreatProtectionTier({ UserPoolTier: "PLUS", UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" } }),
    ).not.toThrow();
    expect(() =>
      checkThreatProtectionTier({ UserPoolTier: "LITE", UserPoolAddOns: { AdvancedSecurityMode: "OFF" } }),
    ).not.toThrow();
    expect(() => checkThreatProtectionTier({ UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } })).toThrow(
      /ESSENTIALS/,
    );
    expect(() =>
      checkThreatProtectionTier({
        UserPoolTier: "ESSENTIALS",
        UserPoolAddOns: { AdvancedSecurityMode: "OFF", AdvancedSecurityAdditionalFlows: { CustomAuthMode: "AUDIT" } },
      }),
    ).toThrow(/Threat protection/);
  });
});

describe("checkRiskExceptions", () => {
  it("accepts IPv4 and IPv6 CIDR ranges and refuses anything else", () => {
    expect(() =>
      checkRiskExceptions({
        BlockedIPRangeList: ["10.0.0.0/8", "192.0.2.1/32"],
        SkippedIPRangeList: ["2001:db8::/32", "::1/128"],
      }),
    ).not.toThrow();
    for (const bad of [
      "10.0.0.0",
      "10.0.0.0/",
      "/8",
      "10.0.0.0/33",
      "10.0.0.0/-1",
      "10.0.0/8",
      "2001:db8::/129",
      "x/8",
      "",
    ]) {
      expect(() => checkRiskExceptions({ SkippedIPRangeList: [bad] }), bad).toThrow(/CIDR/);
    }
  });
});

describe("risk state", () => {
  it("a client's configuration replaces the pool's for that client only", () => {
    const p = pool({
      risk: { pool: { LastModifiedDate: 1 }, clients: { abc: { LastModifiedDate: 2 } } },
    });
    expect(riskConfigurationFor(p, "abc")?.LastModifiedDate).toBe(2);
    expect(riskConfigurationFor(p, "other")?.LastModifiedDate).toBe(1);
    expect(riskConfigurationFor(p)?.LastModifiedDate).toBe(1);
    // Object's own members are not clients.
    expect(riskConfigurationFor(p, "constructor")?.LastModifiedDate).toBe(1);
  });

  it("knows compromised passwords by their hash only", () => {
    const p = pool({ risk: { compromisedPasswords: [compromisedPasswordHash("hunter2")] } });
    expect(isCompromisedPassword(p, "hunter2")).toBe(true);
    expect(isCompromisedPassword(p, "hunter3")).toBe(false);
    expect(isCompromisedPassword(pool(), "hunter2")).toBe(false);
  });

  it("keeps the newest AUTH_EVENTS_KEPT events of a user", () => {
    const user = { sub: "s", authEvents: [] } as unknown as UserRecord;
    let now = 0;
    const ctx = { clock: { now: () => ++now } } as never;
    for (let i = 0; i < AUTH_EVENTS_KEPT + 5; i++) noteWrongPassword(ctx, pool(), user);
    expect(user.authEvents).toHaveLength(AUTH_EVENTS_KEPT);
    expect(user.authEvents![0]!.createdAt).toBe(AUTH_EVENTS_KEPT + 5);
    // Nothing is recorded while threat protection is off.
    const off = { sub: "s" } as unknown as UserRecord;
    noteWrongPassword(ctx, pool({ pool: { Id: "x" } } as Partial<StoredPool>), off);
    expect(off.authEvents).toBeUndefined();
  });
});
