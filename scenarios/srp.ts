// The client side of USER_SRP_AUTH for scenarios and SDK-level tests: the same public SRP-6a math
// as amazon-cognito-identity-js's AuthenticationHelper (RFC 5054 3072-bit group, its padHex and
// HKDF), with the 3072-bit exponentiations in OpenSSL instead of the library's pure-JS jsbn
// (a second or more per sign-in on a busy machine, against milliseconds here).
//
// Written on its own, not on the emulator's emulator/crypto/srp.ts: scenarios also run against real
// Cognito, and a client that shared the server's helpers could hide a bug in them (both sides
// would agree with each other and not with Amplify). srp.test.ts proves it byte-equal to the real
// AuthenticationHelper on fixed inputs; the real library itself still signs in against the
// emulator in test-support/srp-client.ts (LibrarySrpClient), identity-js.test.ts and amplify.test.ts.
import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
const N = BigInt(`0x${N_HEX}`);
const N_BYTES = Buffer.from(N_HEX, "hex");
const G_BYTES = Buffer.from([2]);
const INFO = Buffer.from("Caldera Derived Key", "utf8");

// The library's padHex for non-negative values (all it ever hashes): even length, and a 00 byte
// in front when the top bit is set, as Java's BigInteger.toByteArray() writes it.
function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return hex;
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

const hexHash = (hex: string): string => sha256Hex(Buffer.from(hex, "hex"));
const k = BigInt(`0x${hexHash(padHex(N) + padHex(2n))}`);

function bytes(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex");
}

const fromBytes = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt(`0x${b.toString("hex")}`));

/** g^e mod N: DiffieHellman's public key for the private key e. */
function powG(e: bigint): bigint {
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(bytes(e));
  return fromBytes(dh.generateKeys());
}

/** base^e mod N, base already in [0, N): DiffieHellman's shared secret with the public key base. */
function modPow(base: bigint, e: bigint): bigint {
  if (e === 0n) return 1n;
  // OpenSSL refuses 0, 1 and N-1 as peer keys; their powers are trivial.
  if (base === 0n || base === 1n) return base;
  if (base === N - 1n) return e % 2n === 0n ? 1n : base;
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(bytes(e));
  return fromBytes(dh.computeSecret(bytes(base)));
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A TIMESTAMP as the library writes it (`ddd MMM D HH:mm:ss UTC YYYY`) for a given time. */
export function srpTimestamp(ms: number = Date.now()): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** What the client derives from a PASSWORD_VERIFIER challenge; exposed for the equivalence test. */
export interface SrpClientSecret {
  /** u = H(padHex(A) || padHex(B)). */
  u: bigint;
  /** S = (B - k * g^x)^(a + u * x) mod N. */
  S: bigint;
  /** The 16-byte HKDF key the claim signature is keyed with. */
  key: Buffer;
}

/** One client-side SRP exchange for a pool. */
export class SrpClient {
  /** SRP_A as the library sends it: g^a mod N in lowercase hex, unpadded. */
  readonly A: string;
  private readonly a: bigint;
  private readonly largeA: bigint;
  private readonly poolName: string;

  /**
   * `a` (hex) fixes the secret exponent, for tests that compare with the library on the same
   * input; otherwise it is 128 random bytes, as the library draws it. `realm` replaces the pool
   * name: a device's SRP (DEVICE_SRP_AUTH) runs with its DeviceGroupKey there, as the library's
   * `new AuthenticationHelper(deviceGroupKey)` does.
   */
  constructor(poolId: string, options: { a?: string; realm?: string } = {}) {
    this.poolName = options.realm ?? poolId.split("_")[1]!;
    this.a = BigInt(`0x${options.a ?? randomBytes(128).toString("hex")}`);
    this.largeA = powG(this.a);
    if (this.largeA % N === 0n) throw new Error("Illegal paramater. A mod N cannot be 0.");
    this.A = this.largeA.toString(16);
  }

  /** u, S and the HMAC key for `userIdForSrp` and `password`, given the challenge's SRP_B and SALT (hex). */
  secret(userIdForSrp: string, password: string, hexB: string, hexSalt: string): SrpClientSecret {
    const B = BigInt(`0x${hexB}`);
    if (B % N === 0n) throw new Error("B cannot be zero.");
    const u = BigInt(`0x${hexHash(padHex(this.largeA) + padHex(B))}`);
    if (u === 0n) throw new Error("U cannot be zero.");
    // The salt is hashed as the integer it encodes, so a leading 00 or a set top bit is re-padded.
    const x = BigInt(
      `0x${hexHash(padHex(BigInt(`0x${hexSalt}`)) + sha256Hex(`${this.poolName}${userIdForSrp}:${password}`))}`,
    );
    const base = (((B - k * powG(x)) % N) + N) % N;
    const S = modPow(base, this.a + u * x);
    const key = Buffer.from(hkdfSync("sha256", Buffer.from(padHex(S), "hex"), Buffer.from(padHex(u), "hex"), INFO, 16));
    return { u, S, key };
  }

  /**
   * The PASSWORD_VERIFIER ChallengeResponses for `password` given the challenge parameters:
   * USERNAME is USER_ID_FOR_SRP, as the library answers, and the signature is built as
   * CognitoUser.authenticateUserDefaultAuth builds it.
   */
  answer(params: Record<string, string>, password: string, timestamp: string = srpTimestamp()): Record<string, string> {
    const userId = params.USER_ID_FOR_SRP!;
    const { key } = this.secret(userId, password, params.SRP_B!, params.SALT!);
    const signature = createHmac("sha256", key)
      .update(
        Buffer.concat([
          Buffer.from(this.poolName, "utf8"),
          Buffer.from(userId, "utf8"),
          Buffer.from(params.SECRET_BLOCK!, "base64"),
          Buffer.from(timestamp, "utf8"),
        ]),
      )
      .digest("base64");
    return {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: signature,
    };
  }
}

/** A device's secret as a client keeps it after ConfirmDevice, and what ConfirmDevice sends. */
export interface DeviceSecret {
  readonly deviceKey: string;
  readonly groupKey: string;
  /** The random password the device signs in with (never sent). */
  readonly password: string;
  /** ConfirmDevice's DeviceSecretVerifierConfig: base64 of the padded salt and verifier bytes. */
  readonly verifierConfig: { Salt: string; PasswordVerifier: string };
}

/**
 * A new device secret for NewDeviceMetadata's DeviceKey and DeviceGroupKey, made as
 * AuthenticationHelper.generateHashDevice makes it: a random password, a 16-byte salt, and
 * v = g^x with x = H(padHex(salt) || SHA256(groupKey || deviceKey || ":" || password)).
 */
export function newDeviceSecret(deviceKey: string, groupKey: string): DeviceSecret {
  const password = randomBytes(40).toString("base64");
  const salt = padHex(BigInt(`0x${randomBytes(16).toString("hex")}`));
  const x = BigInt(`0x${hexHash(salt + sha256Hex(`${groupKey}${deviceKey}:${password}`))}`);
  const verifier = padHex(powG(x));
  return {
    deviceKey,
    groupKey,
    password,
    verifierConfig: {
      Salt: Buffer.from(salt, "hex").toString("base64"),
      PasswordVerifier: Buffer.from(verifier, "hex").toString("base64"),
    },
  };
}

/**
 * The DEVICE_PASSWORD_VERIFIER ChallengeResponses for DEVICE_SRP_AUTH's answer (SRP_B, SALT,
 * SECRET_BLOCK), signed as CognitoUser.getDeviceResponse signs them. `client` is the SrpClient
 * (realm: the group key) whose A went into DEVICE_SRP_AUTH.
 */
export function deviceAnswer(
  client: SrpClient,
  device: DeviceSecret,
  username: string,
  params: Record<string, string>,
  timestamp: string = srpTimestamp(),
): Record<string, string> {
  const answer = client.answer({ ...params, USER_ID_FOR_SRP: device.deviceKey }, device.password, timestamp);
  return { ...answer, USERNAME: username, DEVICE_KEY: device.deviceKey };
}
