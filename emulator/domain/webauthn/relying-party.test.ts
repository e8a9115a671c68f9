// The relying party's pure rules: which origins speak for an RP ID, which RP IDs SetUserPoolMfaConfig
// takes, the RP ID a pool defaults to, and when a passkey stands for MFA.
import { describe, expect, it } from "vitest";
import type { StoredPool, UserRecord } from "../../store/types.js";
import { checkRelyingPartyId, originAllowed, passkeyIsMfa, relyingParty, webAuthnEnabled } from "./relying-party.js";

const pool = (over: { webAuthn?: object; domains?: object[]; tier?: string; factors?: string[] } = {}) =>
  ({
    id: "eu-west-1_Abc",
    pool: {
      UserPoolTier: over.tier ?? "ESSENTIALS",
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: over.factors ?? ["PASSWORD", "WEB_AUTHN"] } },
    },
    mfa: { MfaConfiguration: "OFF", ...(over.webAuthn ? { WebAuthnConfiguration: over.webAuthn } : {}) },
    tags: {},
    domains: over.domains,
  }) as unknown as StoredPool;

describe("originAllowed", () => {
  it.each([
    ["https://example.com", "example.com", true],
    ["https://auth.example.com", "example.com", true],
    ["https://auth.example.com:8443", "example.com", true],
    ["http://localhost:5173", "localhost", true],
    ["http://app.localhost", "localhost", true],
    ["http://example.com", "example.com", false],
    ["https://notexample.com", "example.com", false],
    ["https://example.com.evil.net", "example.com", false],
    ["https://example.com/path", "example.com", false],
    ["android:apk-key-hash:abc", "example.com", false],
    ["not a url", "example.com", false],
    ["", "example.com", false],
  ])("%s for %s: %s", (origin, rpId, expected) => {
    expect(originAllowed(origin, rpId)).toBe(expected);
  });
});

describe("checkRelyingPartyId", () => {
  it("takes host names and refuses the rest", () => {
    for (const ok of ["localhost", "example.com", "auth.example.co.uk", "a-b.example"]) {
      expect(() => checkRelyingPartyId(ok)).not.toThrow();
    }
    for (const bad of ["https://example.com", "Example.com", "10.0.0.1", "a..b", "-a.example", "ex ample.com", ""]) {
      expect(() => checkRelyingPartyId(bad)).toThrow(/is not a valid domain name/);
    }
  });
});

describe("relyingParty and webAuthnEnabled", () => {
  it("defaults to the custom domain, then the prefix domain, with preferred user verification", () => {
    const prefix = { domain: "myapp", custom: false, managedLoginVersion: 2, createdAt: 0 };
    const custom = { domain: "login.example.com", custom: true, managedLoginVersion: 2, createdAt: 0 };
    expect(relyingParty(pool({ domains: [prefix] }))).toEqual({
      id: "myapp.auth.eu-west-1.amazoncognito.com",
      userVerification: "preferred",
    });
    expect(relyingParty(pool({ domains: [prefix, custom] })).id).toBe("login.example.com");
    expect(
      relyingParty(
        pool({ domains: [custom], webAuthn: { RelyingPartyId: "example.com", UserVerification: "required" } }),
      ),
    ).toEqual({ id: "example.com", userVerification: "required" });
    expect(() => relyingParty(pool())).toThrow(
      expect.objectContaining({ type: "WebAuthnConfigurationMissingException" }),
    );
  });

  it("is on with WEB_AUTHN among the first factors, off on the Lite plan", () => {
    expect(webAuthnEnabled(pool())).toBe(true);
    expect(webAuthnEnabled(pool({ factors: ["PASSWORD"] }))).toBe(false);
    expect(webAuthnEnabled(pool({ tier: "LITE" }))).toBe(false);
  });
});

describe("passkeys as MFA", () => {
  const multi = { RelyingPartyId: "localhost", FactorConfiguration: "MULTI_FACTOR_WITH_USER_VERIFICATION" };
  const user = (webAuthn?: boolean) =>
    ({ mfa: { sms: true, totp: false, email: false, ...(webAuthn === undefined ? {} : { webAuthn }) } }) as UserRecord;

  it("requires user verification in every ceremony of a pool whose passkeys may be MFA", () => {
    expect(relyingParty(pool({ webAuthn: { ...multi, UserVerification: "preferred" } })).userVerification).toBe(
      "required",
    );
    expect(relyingParty(pool({ webAuthn: { RelyingPartyId: "localhost" } })).userVerification).toBe("preferred");
  });

  it("needs both the pool's FactorConfiguration and the user's setting", () => {
    expect(passkeyIsMfa(pool({ webAuthn: multi }), user(true))).toBe(true);
    expect(passkeyIsMfa(pool({ webAuthn: multi }), user(false))).toBe(false);
    expect(passkeyIsMfa(pool({ webAuthn: multi }), user())).toBe(false);
    expect(passkeyIsMfa(pool({ webAuthn: { ...multi, FactorConfiguration: "SINGLE_FACTOR" } }), user(true))).toBe(
      false,
    );
    expect(passkeyIsMfa(pool(), user(true))).toBe(false);
  });
});
