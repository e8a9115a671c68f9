// The fast SRP client (srp.ts) is the real amazon-cognito-identity-js client's math, byte for
// byte: on the same a, salt, B, user and password both give the same SRP_A, u, S, key and
// signature, including the padding edges (S or u with a leading zero byte, S with the top bit set,
// salts the client re-canonicalises) and a negative B - k*g^x. Then both sign in against the
// emulator through SDK v3.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, k, N, powG } from "../emulator/crypto/srp.js";
import { createClient, createPool, createUser, PASSWORD } from "../test-support/auth-fixtures.js";
import { LibrarySrpClient, srpSignIn } from "../test-support/srp-client.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { SrpClient, srpTimestamp } from "./srp.js";

const hex = (n: bigint): string => n.toString(16);

// The emulator's own known-answer inputs (emulator/auth/srp.test.ts): each b gives one padding case.
const poolId = "us-east-1_KatPool01";
const smallA = hex(BigInt(`0x${createHash("sha512").update("client a").digest("hex").repeat(2)}`));
const bOf = (i: number): bigint => BigInt(`0x${createHash("sha256").update(`server b ${i}`).digest("hex")}`);
const serverB = (verifier: string, b: bigint): string => hex((k * BigInt(`0x${verifier}`) + powG(b)) % N);

interface Case {
  name: string;
  user: string;
  password: string;
  salt: string;
  b: bigint;
  check?: (u: bigint, S: bigint) => boolean;
}

const kat = { user: "kat-user", password: "Correct-Horse-9!", salt: "7b3c1d2e4f5061728394a5b6c7d8e9f0" };
const cases: Case[] = [
  {
    name: "S with the top bit clear",
    ...kat,
    b: bOf(1),
    check: (_u, S) => hex(S).length === 768 && !/^[89a-f]/.test(hex(S)),
  },
  { name: "S with the top bit set (padHex prepends 00)", ...kat, b: bOf(2), check: (_u, S) => /^[89a-f]/.test(hex(S)) },
  { name: "u with a leading zero byte", ...kat, b: bOf(49), check: (u) => hex(u).length <= 62 },
  { name: "S with a leading zero byte", ...kat, b: bOf(56), check: (_u, S) => hex(S).length <= 766 },
  {
    name: "a salt with its top bit set",
    user: "alice",
    password: "Passw0rd!",
    salt: "f3c1d2e4f5061728394a5b6c7d8e9f00",
    b: bOf(3),
  },
  {
    name: "a salt with a leading 00 byte",
    user: "alice",
    password: "Passw0rd!",
    salt: "00c1d2e4f5061728394a5b6c7d8e9f00",
    b: bOf(4),
  },
  {
    name: "a UUID user id and a unicode password",
    user: "7d2a8c4e-1b3f-4a5d-9e6f-0a1b2c3d4e5f",
    password: "Pässwörd-✓-9!",
    salt: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    b: bOf(5),
  },
];

describe("the fast SRP client agrees with amazon-cognito-identity-js on fixed inputs", () => {
  for (const c of cases) {
    it(c.name, () => {
      const { verifier } = createVerifier(poolId, c.user, c.password, c.salt);
      const B = serverB(verifier, c.b);
      const fast = new SrpClient(poolId, { a: smallA });
      const library = new LibrarySrpClient(poolId, { a: smallA });
      expect(fast.A).toBe(library.A);

      const secret = fast.secret(c.user, c.password, B, c.salt);
      const libraryKey = library.key(c.user, c.password, B, c.salt);
      expect(hex(secret.u)).toBe(library.helper.UValue!.toString(16));
      expect(secret.key.toString("hex")).toBe(Buffer.from(libraryKey).toString("hex"));
      if (c.check) expect(c.check(secret.u, secret.S), "the input still hits its padding case").toBe(true);

      const params = {
        SALT: c.salt,
        SRP_B: B,
        SECRET_BLOCK: randomBytes(64).toString("base64"),
        USER_ID_FOR_SRP: c.user,
        USERNAME: c.user,
      };
      const timestamp = "Wed Apr 5 22:42:34 UTC 2017";
      const libraryAnswer = library.sign(libraryKey, params, timestamp);
      expect(fast.answer(params, c.password, timestamp)).toEqual(libraryAnswer);
      expect(fast.answer(params, `${c.password}x`, timestamp).PASSWORD_CLAIM_SIGNATURE).not.toBe(
        libraryAnswer.PASSWORD_CLAIM_SIGNATURE,
      );
    });
  }

  it("B - k*g^x is negative before the reduction in these cases (the sign the library handles in jsbn)", () => {
    const { verifier } = createVerifier(poolId, kat.user, kat.password, kat.salt);
    expect(BigInt(`0x${serverB(verifier, bOf(1))}`) < k * BigInt(`0x${verifier}`)).toBe(true);
  });

  it("a random a is 128 bytes, as the library draws it, and gives a fresh SRP_A each time", () => {
    const one = new SrpClient(poolId);
    const two = new SrpClient(poolId);
    expect(one.A).not.toBe(two.A);
    expect(BigInt(`0x${one.A}`) < N).toBe(true);
  });

  it("writes timestamps as the library's DateHelper does, day not zero-padded", () => {
    expect(srpTimestamp(Date.UTC(2017, 3, 5, 22, 42, 34))).toBe("Wed Apr 5 22:42:34 UTC 2017");
    expect(srpTimestamp(Date.UTC(2024, 0, 15, 3, 4, 5))).toBe("Mon Jan 15 03:04:05 UTC 2024");
  });
});

describe("both clients sign in against the emulator", () => {
  let t: TestTwin;
  let ids: { poolId: string; clientId: string };
  beforeAll(async () => {
    t = await startTwin();
    const pool = await createPool(t);
    ids = {
      poolId: pool,
      clientId: (
        await createClient(t, pool, { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] })
      ).clientId,
    };
    await createUser(t, pool, "alice");
  });
  afterAll(() => t.close());

  it.each([
    ["the fast client", false],
    ["amazon-cognito-identity-js", true],
  ])("%s: tokens for the right password, Incorrect username or password. for a wrong one", async (_name, library) => {
    const out = await srpSignIn(t.cognito, ids, "alice", PASSWORD, { library });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(srpSignIn(t.cognito, ids, "alice", `${PASSWORD}x`, { library })).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });
});
