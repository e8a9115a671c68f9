import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, newTotpSecret, totpCode, totpStep, verifyTotp } from "./totp.js";

const RFC_KEY = Buffer.from("12345678901234567890", "ascii");
const RFC_SECRET = base32Encode(RFC_KEY);

describe("base32", () => {
  it("matches the RFC 4648 vectors (unpadded)", () => {
    const vectors: Array<[string, string]> = [
      ["", ""],
      ["f", "MY"],
      ["fo", "MZXQ"],
      ["foo", "MZXW6"],
      ["foob", "MZXW6YQ"],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded)?.toString()).toBe(plain);
    }
    expect(RFC_SECRET).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  });

  it("decodes lower case, padding and spaces, and refuses foreign characters", () => {
    expect(base32Decode("mzxw 6ytb oi======")?.toString()).toBe("foobar");
    expect(base32Decode("MZXW1")).toBeUndefined();
    expect(base32Decode("MZ-XW")).toBeUndefined();
  });

  it("round-trips random bytes", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 0xff));
      expect(base32Decode(base32Encode(bytes))?.equals(bytes)).toBe(true);
    }
  });
});

describe("newTotpSecret", () => {
  it("is 20 random bytes in base32: 32 characters of SecretCodeType's alphabet", () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(a).toMatch(/^[A-Za-z0-9]+$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(a).not.toBe(b);
  });
});

describe("HOTP (RFC 4226 Appendix D)", () => {
  it("gives the published values for counters 0-9", () => {
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    for (const [counter, code] of expected.entries()) expect(hotp(RFC_KEY, counter), String(counter)).toBe(code);
  });
});

describe("TOTP (RFC 6238 Appendix B, SHA-1)", () => {
  const vectors: Array<[number, string, number]> = [
    [59, "94287082", 1],
    [1111111109, "07081804", 0x23523ec],
    [1111111111, "14050471", 0x23523ed],
    [1234567890, "89005924", 0x273ef07],
    [2000000000, "69279037", 0x3f940aa],
    [20000000000, "65353130", 0x27bc86aa],
  ];

  it("gives the published 8-digit values and steps", () => {
    for (const [seconds, code, step] of vectors) {
      expect(totpStep(seconds * 1000), String(seconds)).toBe(step);
      expect(totpCode(RFC_SECRET, seconds * 1000, { digits: 8 }), String(seconds)).toBe(code);
    }
  });

  it("6-digit codes are the last six digits of the 8-digit ones", () => {
    for (const [seconds, code] of vectors) expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code.slice(2));
  });

  it("verifyTotp accepts the published codes at their time and returns the step", () => {
    for (const [seconds, code, step] of vectors) {
      expect(verifyTotp(RFC_SECRET, code, seconds * 1000, 1, { digits: 8 })).toBe(step);
      expect(verifyTotp(RFC_SECRET, code.slice(2), seconds * 1000)).toBe(step);
    }
  });
});

describe("verifyTotp skew window", () => {
  // A fixed secret and time, so the five codes around t0 are known to differ (checked below).
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const t0 = 1_700_000_010_000; // 10 s into its step
  const step = totpStep(t0);
  const codeAt = (deltaSteps: number) => totpCode(secret, t0 + deltaSteps * 30_000);

  it("the fixture's codes around t0 are distinct", () => {
    expect(new Set([-2, -1, 0, 1, 2].map(codeAt)).size).toBe(5);
  });

  it("accepts the previous, current and next step by default", () => {
    expect(verifyTotp(secret, codeAt(0), t0)).toBe(step);
    expect(verifyTotp(secret, codeAt(-1), t0)).toBe(step - 1);
    expect(verifyTotp(secret, codeAt(1), t0)).toBe(step + 1);
  });

  it("refuses two steps away, unless the window is widened", () => {
    expect(verifyTotp(secret, codeAt(-2), t0)).toBeUndefined();
    expect(verifyTotp(secret, codeAt(2), t0)).toBeUndefined();
    expect(verifyTotp(secret, codeAt(-2), t0, 2)).toBe(step - 2);
    expect(verifyTotp(secret, codeAt(2), t0, 2)).toBe(step + 2);
  });

  it("a window of 0 accepts only the current step", () => {
    expect(verifyTotp(secret, codeAt(0), t0, 0)).toBe(step);
    expect(verifyTotp(secret, codeAt(1), t0, 0)).toBeUndefined();
    expect(verifyTotp(secret, codeAt(-1), t0, 0)).toBeUndefined();
  });

  it("the same code verifies to the same step while it is in the window, so callers can refuse reuse", () => {
    const code = codeAt(0);
    expect(verifyTotp(secret, code, t0)).toBe(step);
    expect(verifyTotp(secret, code, t0 + 15_000)).toBe(step);
    expect(verifyTotp(secret, code, t0 + 30_000)).toBe(step);
    expect(verifyTotp(secret, code, t0 + 60_000)).toBeUndefined();
  });

  it("refuses malformed codes and secrets", () => {
    const code = codeAt(0);
    expect(verifyTotp(secret, code.slice(1), t0)).toBeUndefined();
    expect(verifyTotp(secret, `${code}0`, t0)).toBeUndefined();
    expect(verifyTotp(secret, "12a456", t0)).toBeUndefined();
    expect(verifyTotp(secret, " 12345", t0)).toBeUndefined();
    expect(verifyTotp("not-base32!", code, t0)).toBeUndefined();
    expect(verifyTotp("", code, t0)).toBeUndefined();
    expect(() => totpCode("not-base32!", t0)).toThrow(RangeError);
  });

  it("a code of another secret does not verify", () => {
    const other = RFC_SECRET;
    const code = totpCode(other, t0);
    expect([-1, 0, 1].map(codeAt)).not.toContain(code);
    expect(verifyTotp(secret, code, t0)).toBeUndefined();
    expect(verifyTotp(other, code, t0)).toBe(step);
  });
});
