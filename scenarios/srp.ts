// The client side of USER_SRP_AUTH, for scenarios and tests that drive the API through SDK v3:
// the math is amazon-cognito-identity-js's own AuthenticationHelper (what Amplify grew from), and
// the signature is built exactly as CognitoUser.authenticateUserDefaultAuth builds it, so a target
// is checked against the real client rather than against itself. Callers choose the timestamp.
import { createRequire } from "node:module";

interface JsbnBigInteger {
  toString(radix: number): string;
}
interface AuthenticationHelperInstance {
  getLargeAValue(cb: (err: unknown, A: JsbnBigInteger) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, B: JsbnBigInteger, salt: JsbnBigInteger, cb: (err: unknown, hkdf: Uint8Array) => void): void;
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
const BigInteger = (libRequire("./BigInteger.js") as { default: new (hex: string, radix: number) => JsbnBigInteger }).default;
const { Sha256 } = libRequire("@aws-crypto/sha256-js") as { Sha256: new (key?: Uint8Array) => Sha256Instance };

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A TIMESTAMP as the library writes it (`ddd MMM D HH:mm:ss UTC YYYY`) for a given time. */
export function srpTimestamp(ms: number = Date.now()): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The library's own timestamp for now (what a real client sends). */
export function libraryTimestamp(): string {
  return new lib.DateHelper().getNowString();
}

/** One client-side SRP exchange for a pool. */
export class SrpClient {
  private readonly helper: AuthenticationHelperInstance;
  constructor(private readonly poolId: string) {
    this.helper = new lib.AuthenticationHelper(poolId.split("_")[1]!);
  }

  /** SRP_A, as the library sends it. */
  get A(): string {
    let A = "";
    this.helper.getLargeAValue((err, value) => {
      if (err) throw err;
      A = value.toString(16);
    });
    return A;
  }

  /**
   * The PASSWORD_VERIFIER ChallengeResponses for `password` given the challenge parameters:
   * USERNAME is USER_ID_FOR_SRP, as the library answers.
   */
  answer(params: Record<string, string>, password: string, timestamp: string = libraryTimestamp()): Record<string, string> {
    const userId = params.USER_ID_FOR_SRP!;
    let key: Uint8Array | undefined;
    this.helper.getPasswordAuthenticationKey(userId, password, new BigInteger(params.SRP_B!, 16), new BigInteger(params.SALT!, 16), (err, hkdf) => {
      if (err) throw err;
      key = hkdf;
    });
    const hmac = new Sha256(key);
    hmac.update(Buffer.concat([Buffer.from(this.poolId.split("_")[1]!, "utf8"), Buffer.from(userId, "utf8"), Buffer.from(params.SECRET_BLOCK!, "base64"), Buffer.from(timestamp, "utf8")]));
    return {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: Buffer.from(hmac.digestSync()).toString("base64"),
    };
  }
}
