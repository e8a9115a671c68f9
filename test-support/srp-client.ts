// USER_SRP_AUTH through SDK v3 for tests. Two clients with the same interface: SrpClient
// (scenarios/srp.ts: the public SRP math with OpenSSL exponentiation, milliseconds per sign-in,
// the default) and LibrarySrpClient (amazon-cognito-identity-js's own AuthenticationHelper, about
// a second per sign-in in pure JS), kept so tests can still drive the API with the real library's
// math (`srpSignIn(..., { library: true })`) and so scenarios/srp.test.ts can prove the two equal.

import { createRequire } from "node:module";
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { SrpClient } from "../scenarios/srp.js";
import { secretHash } from "./auth-fixtures.js";

export { SrpClient, srpTimestamp } from "../scenarios/srp.js";

// The library ships no types for these internals; these are the parts used here.
interface JsbnBigInteger {
  toString(radix: number): string;
}
interface AuthenticationHelperInstance {
  smallAValue: JsbnBigInteger;
  largeAValue: JsbnBigInteger | undefined;
  UValue: JsbnBigInteger | undefined;
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

// Loaded on first use: the library costs a few hundred milliseconds to load.
let loaded:
  | {
      lib: CognitoLib;
      BigInteger: new (hex: string, radix: number) => JsbnBigInteger;
      Sha256: new (key?: Uint8Array) => Sha256Instance;
    }
  | undefined;
function library() {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const lib = require("amazon-cognito-identity-js") as CognitoLib;
    const libRequire = createRequire(require.resolve("amazon-cognito-identity-js"));
    loaded = {
      lib,
      BigInteger: (libRequire("./BigInteger.js") as { default: new (hex: string, radix: number) => JsbnBigInteger })
        .default,
      Sha256: (libRequire("@aws-crypto/sha256-js") as { Sha256: new (key?: Uint8Array) => Sha256Instance }).Sha256,
    };
  }
  return loaded;
}

/** The library's own timestamp for now (what a real client sends). */
export function libraryTimestamp(): string {
  return new (library().lib.DateHelper)().getNowString();
}

/** One client-side SRP exchange computed by amazon-cognito-identity-js's AuthenticationHelper. */
export class LibrarySrpClient {
  /** The library's helper, for tests that look at its intermediate values (u, S). */
  readonly helper: AuthenticationHelperInstance;
  private readonly poolName: string;

  /** `a` (hex) replaces the helper's random secret exponent, for tests on fixed inputs. */
  constructor(poolId: string, options: { a?: string } = {}) {
    const { lib, BigInteger } = library();
    this.poolName = poolId.split("_")[1]!;
    this.helper = new lib.AuthenticationHelper(this.poolName);
    if (options.a !== undefined) {
      this.helper.smallAValue = new BigInteger(options.a, 16);
      this.helper.largeAValue = undefined;
    }
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

  /** The 16-byte key the library derives (HKDF of S and u). */
  key(userIdForSrp: string, password: string, hexB: string, hexSalt: string): Uint8Array {
    const { BigInteger } = library();
    void this.A; // the library needs A before u
    let key: Uint8Array | undefined;
    this.helper.getPasswordAuthenticationKey(
      userIdForSrp,
      password,
      new BigInteger(hexB, 16),
      new BigInteger(hexSalt, 16),
      (err, hkdf) => {
        if (err) throw err;
        key = hkdf;
      },
    );
    return key!;
  }

  /** The PASSWORD_VERIFIER ChallengeResponses, signed exactly as CognitoUser.authenticateUserDefaultAuth signs them. */
  answer(
    params: Record<string, string>,
    password: string,
    timestamp: string = libraryTimestamp(),
  ): Record<string, string> {
    return this.sign(this.key(params.USER_ID_FOR_SRP!, password, params.SRP_B!, params.SALT!), params, timestamp);
  }

  /** The ChallengeResponses for a key already derived (see {@link key}). */
  sign(key: Uint8Array, params: Record<string, string>, timestamp: string): Record<string, string> {
    const userId = params.USER_ID_FOR_SRP!;
    const hmac = new (library().Sha256)(key);
    hmac.update(
      Buffer.concat([
        Buffer.from(this.poolName, "utf8"),
        Buffer.from(userId, "utf8"),
        Buffer.from(params.SECRET_BLOCK!, "base64"),
        Buffer.from(timestamp, "utf8"),
      ]),
    );
    return {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: Buffer.from(hmac.digestSync()).toString("base64"),
    };
  }
}

/** Options of {@link srpSignIn}. */
export interface SrpSignInOptions {
  clientSecret?: string;
  /** AdminInitiateAuth + AdminRespondToAuthChallenge instead of the public calls. */
  admin?: boolean;
  timestamp?: string;
  /** Compute the client half with amazon-cognito-identity-js itself (slow) instead of SrpClient. */
  library?: boolean;
}

/** USER_SRP_AUTH end to end through SDK v3: InitiateAuth, then the PASSWORD_VERIFIER answer. */
export async function srpSignIn(
  cognito: CognitoIdentityProviderClient,
  ids: { poolId: string; clientId: string },
  username: string,
  password: string,
  opts: SrpSignInOptions = {},
): Promise<RespondToAuthChallengeCommandOutput> {
  const client = opts.library ? new LibrarySrpClient(ids.poolId) : new SrpClient(ids.poolId);
  const hash = (name: string): Record<string, string> =>
    opts.clientSecret ? { SECRET_HASH: secretHash(opts.clientSecret, name, ids.clientId) } : {};
  const AuthParameters: Record<string, string> = { USERNAME: username, SRP_A: client.A, ...hash(username) };
  const started: InitiateAuthCommandOutput = opts.admin
    ? await cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: ids.poolId,
          ClientId: ids.clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters,
        }),
      )
    : await cognito.send(
        new InitiateAuthCommand({ ClientId: ids.clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters }),
      );
  if (started.ChallengeName !== "PASSWORD_VERIFIER")
    throw new Error(`expected PASSWORD_VERIFIER, got ${String(started.ChallengeName)}`);
  const params = started.ChallengeParameters!;
  const ChallengeResponses: Record<string, string> = {
    ...client.answer(params, password, opts.timestamp),
    ...hash(params.USER_ID_FOR_SRP!),
  };
  return opts.admin
    ? await cognito.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: ids.poolId,
          ClientId: ids.clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses,
        }),
      )
    : await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: ids.clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses,
        }),
      );
}
