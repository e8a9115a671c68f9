// Server-side SRP cost: `npx tsx bench/srp.ts [seconds per case]`. Prints ops/s for each step of
// USER_SRP_AUTH on the server, and the OpenSSL modPow against BigInt square-and-multiply.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import {
  createVerifier,
  formatTimestamp,
  modPowN,
  N,
  newSecretBlock,
  type PasswordClaim,
  poolNameOf,
  startChallenge,
  verifyClaim,
} from "../emulator/crypto/srp.js";

const seconds = Number(process.argv[2] ?? 2);

function bench(name: string, fn: () => unknown): void {
  for (let i = 0; i < 20; i++) fn();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) {
    fn();
    n++;
  }
  const ms = (performance.now() - start) / n;
  console.log(`${name.padEnd(44)} ${(1000 / ms).toFixed(0).padStart(7)} ops/s  ${ms.toFixed(3).padStart(8)} ms/op`);
}

function slowModPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

// One real claim from the client library, so verifyClaim is timed on its success path.
interface Helper {
  getLargeAValue(cb: (err: unknown, A: { toString(radix: number): string }) => void): void;
  getPasswordAuthenticationKey(
    u: string,
    p: string,
    B: unknown,
    s: unknown,
    cb: (err: unknown, k: Uint8Array) => void,
  ): void;
}
const require = createRequire(import.meta.url);
const lib = require("amazon-cognito-identity-js") as { AuthenticationHelper: new (pool: string) => Helper };
const libRequire = createRequire(require.resolve("amazon-cognito-identity-js"));
const BigInteger = (libRequire("./BigInteger.js") as { default: new (hex: string, radix: number) => unknown }).default;
const { Sha256 } = libRequire("@aws-crypto/sha256-js") as {
  Sha256: new (key?: Uint8Array) => { update(d: Uint8Array): void; digestSync(): Uint8Array };
};

const poolId = "us-east-1_BenchPool";
const user = "bench-user";
const password = "Bench-Password-1!";
const { salt, verifier } = createVerifier(poolId, user, password);
const helper = new lib.AuthenticationHelper(poolNameOf(poolId));
let A = "";
helper.getLargeAValue((_e, value) => (A = value.toString(16)));
const { b, B } = startChallenge(verifier);
let key: Uint8Array = new Uint8Array();
helper.getPasswordAuthenticationKey(
  user,
  password,
  new BigInteger(B, 16),
  new BigInteger(salt, 16),
  (_e, k) => (key = k),
);
const secretBlock = newSecretBlock();
const timestamp = formatTimestamp(new Date());
const hmac = new Sha256(key);
hmac.update(
  Buffer.concat([
    Buffer.from(poolNameOf(poolId)),
    Buffer.from(user),
    Buffer.from(secretBlock, "base64"),
    Buffer.from(timestamp),
  ]),
);
const claim: PasswordClaim = {
  poolId,
  userIdForSrp: user,
  A,
  B,
  b,
  verifier,
  secretBlock,
  timestamp,
  signature: Buffer.from(hmac.digestSync()).toString("base64"),
};
if (!verifyClaim(claim)) throw new Error("the benchmark claim does not verify");

const base = BigInt(`0x${randomBytes(384).toString("hex")}`) % N;
const exponent = BigInt(`0x${randomBytes(32).toString("hex")}`);

console.log(`node ${process.version}, ${seconds}s per case`);
bench("modPow 3072-bit, 256-bit exponent (OpenSSL)", () => modPowN(base, exponent));
bench("modPow 3072-bit, 256-bit exponent (BigInt)", () => slowModPow(base, exponent, N));
bench("createVerifier (sign-up / set password)", () => createVerifier(poolId, user, password));
bench("startChallenge (InitiateAuth)", () => startChallenge(verifier));
bench("verifyClaim (RespondToAuthChallenge)", () => verifyClaim(claim));
bench("startChallenge + verifyClaim (one sign-in)", () => {
  startChallenge(verifier);
  verifyClaim(claim);
});
