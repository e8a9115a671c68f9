// The server side is checked against the real client library (amazon-cognito-identity-js, which
// Amplify uses), driving exchanges exactly as CognitoUser.authenticateUser builds them.
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createVerifier,
  formatTimestamp,
  g,
  isTimestampFresh,
  isValidA,
  k,
  modPowN,
  N,
  newSecretBlock,
  type PasswordClaim,
  padHex,
  parseTimestamp,
  passwordExponent,
  poolNameOf,
  powG,
  scramble,
  serverSharedSecret,
  sessionKey,
  simulatedSalt,
  simulatedUserIdForSrp,
  simulatedVerifier,
  startChallenge,
  TIMESTAMP_TOLERANCE_MS,
  verifyClaim,
} from "./srp.js";

// The library ships no types for these internals; describe the parts the test uses.
interface JsbnBigInteger {
  toString(radix: number): string;
}
interface AuthenticationHelperInstance {
  N: JsbnBigInteger;
  g: JsbnBigInteger;
  k: JsbnBigInteger;
  smallAValue: JsbnBigInteger;
  largeAValue: JsbnBigInteger | undefined;
  UValue: JsbnBigInteger;
  padHex(n: JsbnBigInteger): string;
  getLargeAValue(cb: (err: unknown, A: JsbnBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: JsbnBigInteger,
    salt: JsbnBigInteger,
    cb: (err: unknown, hkdf: Uint8Array) => void,
  ): void;
  calculateS(x: JsbnBigInteger, B: JsbnBigInteger, cb: (err: unknown, S: JsbnBigInteger) => void): void;
}
interface CognitoLib {
  AuthenticationHelper: new (poolName: string) => AuthenticationHelperInstance;
  DateHelper: new () => { getNowString(): string };
}
interface Sha256Instance {
  update(data: Uint8Array): void;
  digestSync(): Uint8Array;
}

const require = createRequire(import.meta.url);
const lib = require("amazon-cognito-identity-js") as CognitoLib;
const libRequire = createRequire(require.resolve("amazon-cognito-identity-js"));
const BigInteger = (libRequire("./BigInteger.js") as { default: new (hex: string, radix: number) => JsbnBigInteger })
  .default;
const { Sha256 } = libRequire("@aws-crypto/sha256-js") as { Sha256: new (key?: Uint8Array) => Sha256Instance };

const big = (hex: string): JsbnBigInteger => new BigInteger(hex, 16);

const POOL_ID = "us-east-1_SrpTest01";
const POOL_NAME = "SrpTest01";

/** The client's half of an exchange, as CognitoUser.authenticateUserDefaultAuth does it. */
class Client {
  readonly helper: AuthenticationHelperInstance;
  constructor(poolId: string, smallAHex?: string) {
    this.helper = new lib.AuthenticationHelper(poolNameOf(poolId));
    if (smallAHex !== undefined) {
      this.helper.smallAValue = big(smallAHex);
      this.helper.largeAValue = undefined;
    }
  }

  /** SRP_A as the library sends it: `aValue.toString(16)`. */
  get A(): string {
    let A = "";
    this.helper.getLargeAValue((err, value) => {
      if (err) throw err;
      A = value.toString(16);
    });
    return A;
  }

  /** The HKDF key the library derives from the challenge parameters. */
  key(userIdForSrp: string, password: string, B: string, salt: string): Uint8Array {
    let key: Uint8Array | undefined;
    this.helper.getPasswordAuthenticationKey(userIdForSrp, password, big(B), big(salt), (err, hkdf) => {
      if (err) throw err;
      key = hkdf;
    });
    if (!key) throw new Error("no key");
    return key;
  }

  /** PASSWORD_CLAIM_SIGNATURE over the message CognitoUser builds. */
  static sign(key: Uint8Array, poolId: string, userIdForSrp: string, secretBlock: string, timestamp: string): string {
    const hmac = new Sha256(key);
    hmac.update(
      Buffer.concat([
        Buffer.from(poolNameOf(poolId), "utf8"),
        Buffer.from(userIdForSrp, "utf8"),
        Buffer.from(secretBlock, "base64"),
        Buffer.from(timestamp, "utf8"),
      ]),
    );
    return Buffer.from(hmac.digestSync()).toString("base64");
  }
}

interface Exchange {
  claim: PasswordClaim;
  clientKey: Uint8Array;
}

/** One complete exchange: verifier stored for `stored`, the client typing `typed`. */
function exchange(opts: {
  stored: string;
  typed: string;
  userIdForSrp?: string;
  poolId?: string;
  salt?: string;
  timestamp?: string;
}): Exchange {
  const poolId = opts.poolId ?? POOL_ID;
  const userIdForSrp = opts.userIdForSrp ?? "alice";
  const { salt, verifier } = createVerifier(poolId, userIdForSrp, opts.stored, opts.salt);
  const client = new Client(poolId);
  const A = client.A;
  const { b, B } = startChallenge(verifier);
  const secretBlock = newSecretBlock();
  const clientKey = client.key(userIdForSrp, opts.typed, B, salt);
  const timestamp = opts.timestamp ?? new lib.DateHelper().getNowString();
  const signature = Client.sign(clientKey, poolId, userIdForSrp, secretBlock, timestamp);
  return { claim: { poolId, userIdForSrp, A, B, b, verifier, secretBlock, timestamp, signature }, clientKey };
}

/** Square-and-multiply over BigInt: slow, obviously correct, independent of OpenSSL. */
function slowModPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = ((base % m) + m) % m;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

const randomBig = (bytes: number): bigint => BigInt(`0x${randomBytes(bytes).toString("hex")}`);

describe("group parameters", () => {
  it("N, g and k are the library's", () => {
    const helper = new lib.AuthenticationHelper(POOL_NAME);
    expect(N.toString(16)).toBe(helper.N.toString(16));
    expect(g.toString(16)).toBe(helper.g.toString(16));
    expect(k.toString(16)).toBe(helper.k.toString(16));
  });

  it("padHex pads to even length and prepends 00 when the top bit is set", () => {
    expect(padHex(0x14n)).toBe("14");
    expect(padHex(0xabcn)).toBe("0abc");
    expect(padHex(0x80n)).toBe("0080");
    expect(padHex(0xecn)).toBe("00ec");
    expect(padHex(0xc8n)).toBe("00c8");
    expect(padHex(0n)).toBe("00");
    expect(padHex(N).slice(0, 4)).toBe("00ff");
    expect(() => padHex(-1n)).toThrow(RangeError);
  });

  it("padHex agrees with the library's on small, top-bit and random values", () => {
    const helper = new lib.AuthenticationHelper(POOL_NAME);
    const values = [1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffn, 0x8000n, N, N - 1n, 2n ** 3071n, 2n ** 3072n - 1n];
    for (let i = 0; i < 40; i++)
      values.push(randomBig(1 + (i % 48)) | (i % 2 === 0 ? 0n : 1n << BigInt(8 * (1 + (i % 48)) - 1)));
    for (const v of values) expect(padHex(v), v.toString(16)).toBe(helper.padHex(big(v.toString(16))));
  });

  it("modPowN and powG agree with square-and-multiply, edge bases included", () => {
    const bases = [0n, 1n, 2n, 3n, N - 1n, N, N + 5n, 2n * N + 1n, randomBig(384), randomBig(200)];
    const exponents = [0n, 1n, 2n, 3n, randomBig(32), randomBig(128), N + 7n];
    for (const base of bases) {
      for (const e of exponents) expect(modPowN(base, e), `${base} ^ ${e}`).toBe(slowModPow(base, e, N));
    }
    for (const e of exponents) expect(powG(e)).toBe(slowModPow(g, e, N));
    expect(() => modPowN(2n, -1n)).toThrow(RangeError);
  });

  it("the pool name is the part of the pool id after the underscore", () => {
    expect(poolNameOf("us-east-1_AbC123xyz")).toBe("AbC123xyz");
    expect(poolNameOf("eu-west-2_Q")).toBe("Q");
  });
});

describe("exchange with amazon-cognito-identity-js", () => {
  it("accepts the client's claim for the right password", () => {
    const { claim } = exchange({ stored: "Correct-Horse-9!", typed: "Correct-Horse-9!" });
    expect(verifyClaim(claim)).toBe(true);
    expect(isTimestampFresh(claim.timestamp, Date.now())).toBe(true);
  });

  it("refuses a wrong password", () => {
    const { claim } = exchange({ stored: "Correct-Horse-9!", typed: "Correct-Horse-8!" });
    expect(verifyClaim(claim)).toBe(false);
  });

  it("refuses the right password of another user or another pool", () => {
    const other = exchange({ stored: "Pw-123456!", typed: "Pw-123456!" });
    expect(verifyClaim({ ...other.claim, userIdForSrp: "mallory" })).toBe(false);
    expect(verifyClaim({ ...other.claim, poolId: "us-east-1_OtherPool" })).toBe(false);
  });

  it("works for UUID user ids, unicode passwords and the salts clients re-canonicalise", () => {
    const salts = [
      `00${randomBytes(15).toString("hex")}`,
      `0000${randomBytes(14).toString("hex")}`,
      `f${randomBytes(16).toString("hex").slice(1)}`,
      `8${randomBytes(16).toString("hex").slice(1)}`,
    ];
    for (const salt of salts) {
      const { claim } = exchange({
        stored: "Pässwörd-✓-1",
        typed: "Pässwörd-✓-1",
        userIdForSrp: "5e7a2c1b-96d4-4f0a-8c3b-1f2e3d4c5b6a",
        salt,
      });
      expect(verifyClaim(claim), salt).toBe(true);
    }
  });

  describe("a tampered answer", () => {
    const good = exchange({ stored: "Tamper-Proof-1", typed: "Tamper-Proof-1" });

    it("is accepted untampered (control)", () => {
      expect(verifyClaim(good.claim)).toBe(true);
    });

    it("refuses another secret block", () => {
      const bytes = Buffer.from(good.claim.secretBlock, "base64");
      bytes[0] = bytes[0]! ^ 1;
      expect(verifyClaim({ ...good.claim, secretBlock: bytes.toString("base64") })).toBe(false);
      expect(verifyClaim({ ...good.claim, secretBlock: newSecretBlock() })).toBe(false);
    });

    it("refuses another timestamp", () => {
      const when = parseTimestamp(good.claim.timestamp)!;
      expect(verifyClaim({ ...good.claim, timestamp: formatTimestamp(new Date(when.getTime() + 1000)) })).toBe(false);
      expect(verifyClaim({ ...good.claim, timestamp: "not a timestamp" })).toBe(false);
    });

    it("refuses a flipped, truncated or empty signature", () => {
      const sig = Buffer.from(good.claim.signature, "base64");
      sig[sig.length - 1] = sig[sig.length - 1]! ^ 0x80;
      expect(verifyClaim({ ...good.claim, signature: sig.toString("base64") })).toBe(false);
      expect(verifyClaim({ ...good.claim, signature: sig.subarray(0, 31).toString("base64") })).toBe(false);
      expect(verifyClaim({ ...good.claim, signature: "" })).toBe(false);
    });

    it("refuses another B or b than the exchange's", () => {
      const again = startChallenge(good.claim.verifier);
      expect(verifyClaim({ ...good.claim, B: again.B })).toBe(false);
      expect(verifyClaim({ ...good.claim, b: again.b })).toBe(false);
    });

    it("refuses values that are not hex", () => {
      expect(verifyClaim({ ...good.claim, A: "xyz" })).toBe(false);
      expect(verifyClaim({ ...good.claim, B: "" })).toBe(false);
      expect(verifyClaim({ ...good.claim, verifier: "0x12" })).toBe(false);
    });
  });

  it("refuses timestamps a client signed in non-canonical form, as Cognito does", () => {
    // Cognito signs its own rendering of the parsed time, so a zero-padded day or a wrong
    // weekday never verifies even when the client signed exactly what it sent.
    const at = new Date(Date.UTC(2025, 8, 5, 7, 3, 9)); // Fri Sep 5 07:03:09 UTC 2025
    expect(formatTimestamp(at)).toBe("Fri Sep 5 07:03:09 UTC 2025");
    for (const [timestamp, ok] of [
      ["Fri Sep 5 07:03:09 UTC 2025", true],
      ["Fri Sep 05 07:03:09 UTC 2025", false],
      ["Mon Sep 5 07:03:09 UTC 2025", false],
      ["Fri Sep 5 7:03:09 UTC 2025", false],
    ] as const) {
      const { claim } = exchange({ stored: "Canonical-1", typed: "Canonical-1", timestamp });
      expect(verifyClaim(claim), timestamp).toBe(ok);
    }
  });

  it("refuses A = 0, A = N and A = 2N (they force S = 0 whatever the password)", () => {
    const { claim } = exchange({ stored: "Zero-Key-1", typed: "Zero-Key-1" });
    for (const A of [0n, N, 2n * N]) {
      const hex = A.toString(16);
      expect(isValidA(hex)).toBe(false);
      expect(serverSharedSecret({ ...claim, A: hex })).toBeUndefined();
      // With A = 0 mod N the server's S is 0, so a forger knows K without the password.
      const forgedKey = sessionKey(0n, scramble(A, BigInt(`0x${claim.B}`)));
      const signature = Client.sign(forgedKey, claim.poolId, claim.userIdForSrp, claim.secretBlock, claim.timestamp);
      expect(verifyClaim({ ...claim, A: hex, signature })).toBe(false);
    }
    expect(isValidA(claim.A)).toBe(true);
    expect(isValidA("not hex")).toBe(false);
  });
});

describe("known answer: fixed a, b, salt and password", () => {
  const poolId = "us-east-1_KatPool01";
  const userIdForSrp = "kat-user";
  const password = "Correct-Horse-9!";
  const salt = "7b3c1d2e4f5061728394a5b6c7d8e9f0";
  const smallA = BigInt(`0x${createHash("sha512").update("client a").digest("hex").repeat(2)}`);
  const bOf = (i: number): bigint => BigInt(`0x${createHash("sha256").update(`server b ${i}`).digest("hex")}`);

  // Each b was picked so that one padding case occurs; the test checks it still does.
  const fixtures = [
    {
      i: 1,
      name: "S with the top bit clear",
      check: (S: bigint, _u: bigint) => S.toString(16).length === 768 && !/^[89a-f]/.test(S.toString(16)),
    },
    {
      i: 2,
      name: "S with the top bit set (padHex prepends 00)",
      check: (S: bigint, _u: bigint) => /^[89a-f]/.test(S.toString(16)),
    },
    { i: 49, name: "u with a leading zero byte", check: (_S: bigint, u: bigint) => u.toString(16).length <= 62 },
    { i: 56, name: "S with a leading zero byte", check: (S: bigint, _u: bigint) => S.toString(16).length <= 766 },
  ];

  for (const f of fixtures) {
    it(`client and server agree on S and K: ${f.name}`, () => {
      const { verifier } = createVerifier(poolId, userIdForSrp, password, salt);
      const v = BigInt(`0x${verifier}`);
      const b = bOf(f.i);
      // B computed here independently: (k*v + g^b) mod N.
      const B = (k * v + slowModPow(g, b, N)) % N;

      const client = new Client(poolId, smallA.toString(16));
      const A = client.A;
      expect(BigInt(`0x${A}`)).toBe(slowModPow(g, smallA, N));
      const clientKey = client.key(userIdForSrp, password, B.toString(16), salt);

      const server = serverSharedSecret({ A, B: B.toString(16), b: b.toString(16), verifier })!;
      expect(f.check(server.S, server.u)).toBe(true);
      expect(server.u.toString(16)).toBe(client.helper.UValue.toString(16));

      // Client S through the library's own calculateS.
      const x = passwordExponent(poolId, userIdForSrp, password, salt);
      let libraryS = "";
      client.helper.calculateS(big(x.toString(16)), big(B.toString(16)), (err, S) => {
        if (err) throw err;
        libraryS = S.toString(16);
      });
      expect(libraryS).toBe(server.S.toString(16));

      // And through the textbook client formula, written out here: (B - k*g^x)^(a + u*x) mod N.
      const xIndependent = BigInt(
        `0x${createHash("sha256")
          .update(
            Buffer.from(
              padHex(BigInt(`0x${salt}`)) +
                createHash("sha256").update(`KatPool01${userIdForSrp}:${password}`).digest("hex"),
              "hex",
            ),
          )
          .digest("hex")}`,
      );
      expect(xIndependent).toBe(x);
      const clientS = slowModPow(B - k * slowModPow(g, x, N), smallA + server.u * x, N);
      expect(clientS).toBe(server.S);

      expect(Buffer.from(clientKey).toString("hex")).toBe(server.key.toString("hex"));

      const secretBlock = newSecretBlock();
      const timestamp = "Wed Apr 5 22:42:34 UTC 2017";
      const signature = Client.sign(clientKey, poolId, userIdForSrp, secretBlock, timestamp);
      expect(
        verifyClaim({
          poolId,
          userIdForSrp,
          A,
          B: B.toString(16),
          b: b.toString(16),
          verifier,
          secretBlock,
          timestamp,
          signature,
        }),
      ).toBe(true);
    });
  }
});

describe("timestamps", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("formatTimestamp renders what the library's DateHelper renders", () => {
    const dates = [
      "2017-04-05T22:42:34Z",
      "2024-02-29T00:00:00Z",
      "2023-12-31T23:59:59Z",
      "2026-01-01T09:05:03Z",
      "2025-09-10T12:00:07Z",
      "2000-03-01T01:01:01.999Z",
      "2038-01-19T03:14:07Z",
    ];
    vi.useFakeTimers({ toFake: ["Date"] });
    for (const iso of dates) {
      vi.setSystemTime(new Date(iso));
      expect(formatTimestamp(new Date(iso)), iso).toBe(new lib.DateHelper().getNowString());
    }
    expect(formatTimestamp(new Date("2017-04-05T22:42:34Z"))).toBe("Wed Apr 5 22:42:34 UTC 2017");
    expect(formatTimestamp(new Date("2026-01-01T09:05:03Z"))).toBe("Thu Jan 1 09:05:03 UTC 2026");
  });

  it("parseTimestamp reads the canonical form back to the same second", () => {
    for (const iso of ["2017-04-05T22:42:34Z", "2024-02-29T00:00:00Z", "2026-01-01T09:05:03Z"]) {
      const text = formatTimestamp(new Date(iso));
      expect(parseTimestamp(text)?.toISOString()).toBe(new Date(iso).toISOString().replace(/\.\d{3}Z$/, ".000Z"));
      expect(formatTimestamp(parseTimestamp(text)!)).toBe(text);
    }
  });

  it("parseTimestamp reads lenient forms (zero-padded day, any case, GMT) but they do not re-render the same", () => {
    const padded = parseTimestamp("Wed Apr 05 22:42:34 UTC 2017");
    expect(padded?.toISOString()).toBe("2017-04-05T22:42:34.000Z");
    expect(formatTimestamp(padded!)).not.toBe("Wed Apr 05 22:42:34 UTC 2017");
    expect(parseTimestamp("wed APR 5 22:42:34 GMT 2017")?.toISOString()).toBe("2017-04-05T22:42:34.000Z");
  });

  it("parseTimestamp refuses what it cannot read", () => {
    for (const text of [
      "",
      "2017-04-05T22:42:34Z",
      "Wed Apr 5 22:42:34 +05:30 2017",
      "Wed Apr 5 22:42:34 IST 2017",
      "Wed Foo 5 22:42:34 UTC 2017",
      "Xyz Apr 5 22:42:34 UTC 2017",
      "Wed Apr 5 22:42 UTC 2017",
      " Wed Apr 5 22:42:34 UTC 2017",
    ]) {
      expect(parseTimestamp(text), text).toBeUndefined();
    }
  });

  it("isTimestampFresh allows the tolerance either way and no more", () => {
    const now = Date.UTC(2025, 0, 15, 12, 0, 0);
    const at = (ms: number) => formatTimestamp(new Date(now + ms));
    expect(TIMESTAMP_TOLERANCE_MS).toBe(300_000);
    expect(isTimestampFresh(at(0), now)).toBe(true);
    expect(isTimestampFresh(at(-300_000), now)).toBe(true);
    expect(isTimestampFresh(at(300_000), now)).toBe(true);
    expect(isTimestampFresh(at(-301_000), now)).toBe(false);
    expect(isTimestampFresh(at(301_000), now)).toBe(false);
    expect(isTimestampFresh(at(-60_000), now, 30_000)).toBe(false);
    expect(isTimestampFresh("garbage", now)).toBe(false);
  });
});

describe("simulated users (PreventUserExistenceErrors ENABLED)", () => {
  const secret = randomBytes(32);

  it("gives the same salt, verifier and user id for the same name, different ones otherwise", () => {
    const salt = simulatedSalt(POOL_ID, "ghost", secret);
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(simulatedSalt(POOL_ID, "ghost", secret)).toBe(salt);
    expect(simulatedSalt(POOL_ID, "ghost2", secret)).not.toBe(salt);
    expect(simulatedSalt("us-east-1_Other0001", "ghost", secret)).not.toBe(salt);
    expect(simulatedSalt(POOL_ID, "ghost", randomBytes(32))).not.toBe(salt);

    const id = simulatedUserIdForSrp(POOL_ID, "ghost@example.com", secret);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(simulatedUserIdForSrp(POOL_ID, "ghost@example.com", secret)).toBe(id);
    expect(simulatedUserIdForSrp(POOL_ID, "other@example.com", secret)).not.toBe(id);

    expect(simulatedVerifier(POOL_ID, "ghost", secret)).toBe(simulatedVerifier(POOL_ID, "ghost", secret));
    expect(simulatedVerifier(POOL_ID, "ghost", secret)).not.toBe(simulatedVerifier(POOL_ID, "ghost2", secret));
  });

  it("runs a normal-looking exchange that no password passes", () => {
    const username = "ghost";
    const salt = simulatedSalt(POOL_ID, username, secret);
    const verifier = simulatedVerifier(POOL_ID, username, secret);
    const { b, B } = startChallenge(verifier);
    expect(B).toMatch(/^[0-9a-f]+$/);
    const client = new Client(POOL_ID);
    const A = client.A;
    const secretBlock = newSecretBlock();
    const timestamp = formatTimestamp(new Date());
    for (const password of ["", "password", "Correct-Horse-9!"]) {
      const signature = Client.sign(client.key(username, password, B, salt), POOL_ID, username, secretBlock, timestamp);
      expect(
        verifyClaim({ poolId: POOL_ID, userIdForSrp: username, A, B, b, verifier, secretBlock, timestamp, signature }),
      ).toBe(false);
    }
  });
});
