// A software WebAuthn authenticator and client in Node, for the quick tests of passkeys: it turns
// the options the emulator hands out (CredentialCreationOptions, CREDENTIAL_REQUEST_OPTIONS) into
// the JSON a browser's PublicKeyCredential.toJSON() gives (RegistrationResponseJSON,
// AuthenticationResponseJSON), with real keys (node:crypto) and real CBOR (cbor2): attestation
// "none" or "packed" (self attestation), ES256, RS256 or, for refusals, EdDSA. Each ceremony
// takes overrides that forge one thing (origin, challenge, RP ID, type, signature, counter) for
// the bad-input tests. The browser test (domain/webauthn/browser.test.ts) checks that the
// emulator takes its output as it takes Chromium's virtual authenticator's.
import { createHash, createSign, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { encode } from "cbor2";

/** The creation options' members this authenticator reads (as StartWebAuthnRegistration shapes them). */
export interface CreationOptionsJson {
  challenge: string;
  rp: { id: string; name?: string };
  user: { id: string; name: string; displayName?: string };
  pubKeyCredParams: { type: string; alg: number }[];
  excludeCredentials?: { id: string }[];
  authenticatorSelection?: { userVerification?: string };
}

/** The request options' members this authenticator reads (CREDENTIAL_REQUEST_OPTIONS). */
export interface RequestOptionsJson {
  challenge: string;
  rpId: string;
  allowCredentials?: { id: string }[];
  userVerification?: string;
}

/** COSE algorithms the authenticator can make keys for. */
type SoftAlgorithm = "ES256" | "RS256" | "EdDSA";

/** What one ceremony forges (all optional: by default, everything is right). */
export interface Forgery {
  /** clientDataJSON's origin. */
  origin?: string;
  /** clientDataJSON's challenge. */
  challenge?: string;
  /** clientDataJSON's type. */
  type?: string;
  /** The RP ID whose hash goes into the authenticator data. */
  rpId?: string;
  /** The signature counter to report (registration and assertion). */
  counter?: number;
  /** Flip a bit of the signature (assertion, or the packed attestation's). */
  badSignature?: boolean;
  /** Report user verification (UV flag); default: the authenticator's `userVerification`. */
  userVerified?: boolean;
  /** Sign with another key than the credential's (assertion). */
  foreignKey?: boolean;
  /** A user handle other than the one registered (assertion). */
  userHandle?: string;
}

/** A credential the authenticator holds (a resident key). */
export interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  alg: SoftAlgorithm;
  privateKey: KeyObject;
  counter: number;
}

/** How the authenticator is built. */
export interface SoftAuthenticatorOptions {
  /** The web origin the "browser" is on, e.g. `https://auth.example.com`. */
  origin: string;
  /** "none" (default) or "packed" (self attestation). */
  attestation?: "none" | "packed";
  /** The key type of new credentials (default ES256). */
  algorithm?: SoftAlgorithm;
  /** Whether the authenticator verifies the user (PIN, biometrics): the UV flag. Default true. */
  userVerification?: boolean;
  /** How much the counter moves per use; 0 for an authenticator that keeps none (like passkey managers). */
  counterStep?: number;
  /** The AAGUID (16 bytes, hex); default all zeros. */
  aaguid?: string;
  /** What `authenticatorAttachment` the "browser" reports. */
  attachment?: "platform" | "cross-platform";
  /** The transports the "browser" reports. */
  transports?: string[];
}

const COSE_ALG: Record<SoftAlgorithm, number> = { ES256: -7, RS256: -257, EdDSA: -8 };

const b64url = (data: Uint8Array | string) => Buffer.from(data).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
/** A plain Uint8Array: cbor2 writes a byte string for one, and a Buffer as its toJSON() object. */
const bstr = (data: Uint8Array) => new Uint8Array(data);

/** A COSE_Key (RFC 9053) of a public key, as a CBOR map with integer labels. */
function coseKey(alg: SoftAlgorithm, publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  const bytes = (v: string | undefined) => bstr(Buffer.from(v ?? "", "base64url"));
  if (alg === "ES256") {
    return encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, bytes(jwk.x)],
        [-3, bytes(jwk.y)],
      ]),
    );
  }
  if (alg === "RS256") {
    return encode(
      new Map<number, number | Uint8Array>([
        [1, 3],
        [3, -257],
        [-1, bytes(jwk.n)],
        [-2, bytes(jwk.e)],
      ]),
    );
  }
  return encode(
    new Map<number, number | Uint8Array>([
      [1, 1],
      [3, -8],
      [-1, 6],
      [-2, bytes(jwk.x)],
    ]),
  );
}

function newKeyPair(alg: SoftAlgorithm): { publicKey: KeyObject; privateKey: KeyObject } {
  if (alg === "ES256") return generateKeyPairSync("ec", { namedCurve: "P-256" });
  if (alg === "RS256") return generateKeyPairSync("rsa", { modulusLength: 2048 });
  return generateKeyPairSync("ed25519");
}

/** A WebAuthn signature by a key of `alg`: DER ECDSA, PKCS#1 v1.5 RSA, or Ed25519. */
function signWith(alg: SoftAlgorithm, key: KeyObject, data: Buffer): Buffer {
  if (alg === "EdDSA") return sign(null, data, key);
  const signer = createSign("SHA256");
  signer.update(data);
  return signer.sign(key);
}

function flip(signature: Buffer): Buffer {
  const copy = Buffer.from(signature);
  copy[copy.length - 1] = copy[copy.length - 1]! ^ 0x01;
  return copy;
}

/** An authenticator and the browser in front of it, in one object. */
export class SoftAuthenticator {
  readonly origin: string;
  readonly credentials: SoftCredential[] = [];
  private readonly options: Required<Omit<SoftAuthenticatorOptions, "attachment" | "transports">> &
    Pick<SoftAuthenticatorOptions, "attachment" | "transports">;

  constructor(options: SoftAuthenticatorOptions) {
    this.origin = options.origin;
    this.options = {
      attestation: "none",
      algorithm: "ES256",
      userVerification: true,
      counterStep: 1,
      aaguid: "00".repeat(16),
      ...options,
    };
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const head = Buffer.alloc(37);
    sha256(rpId).copy(head, 0);
    head[32] = flags;
    head.writeUInt32BE(counter, 33);
    return attested ? Buffer.concat([head, attested]) : head;
  }

  private flags(uv: boolean, attested: boolean): number {
    // UP always; UV as asked; AT when credential data follows. BE/BS stay clear (single-device).
    return 0x01 | (uv ? 0x04 : 0) | (attested ? 0x40 : 0);
  }

  private clientDataJSON(type: string, challenge: string, forge: Forgery): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: forge.type ?? type,
        challenge: forge.challenge ?? challenge,
        origin: forge.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  /** navigator.credentials.create(), then PublicKeyCredential.toJSON(). */
  create(options: CreationOptionsJson, forge: Forgery = {}): Record<string, unknown> {
    const alg = this.options.algorithm;
    const { publicKey, privateKey } = newKeyPair(alg);
    const id = randomBytes(16);
    const rpId = options.rp.id;
    // Like Chromium's virtual authenticator, the counter moves on registration too (1 after it).
    const counter = forge.counter ?? this.options.counterStep;
    const cose = coseKey(alg, publicKey);
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.from(this.options.aaguid, "hex"), credIdLength, id, Buffer.from(cose)]);
    const uv = forge.userVerified ?? this.options.userVerification;
    const authData = this.authData(forge.rpId ?? rpId, this.flags(uv, true), counter, attested);
    const clientDataJSON = this.clientDataJSON("webauthn.create", options.challenge, forge);
    let attStmt: Map<string, unknown> = new Map();
    if (this.options.attestation === "packed") {
      const signed = signWith(alg, privateKey, Buffer.concat([authData, sha256(clientDataJSON)]));
      attStmt = new Map<string, unknown>([
        ["alg", COSE_ALG[alg]],
        ["sig", bstr(forge.badSignature ? flip(signed) : signed)],
      ]);
    }
    const attestationObject = encode(
      new Map<string, unknown>([
        ["fmt", this.options.attestation],
        ["attStmt", attStmt],
        ["authData", bstr(authData)],
      ]),
    );
    this.credentials.push({ id, rpId, userHandle: options.user.id, alg, privateKey, counter });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: this.options.transports ?? ["internal"],
        publicKeyAlgorithm: COSE_ALG[alg],
        authenticatorData: b64url(authData),
      },
      clientExtensionResults: {},
      ...(this.options.attachment ? { authenticatorAttachment: this.options.attachment } : {}),
    };
  }

  /** navigator.credentials.get(), then PublicKeyCredential.toJSON(): the first allowed credential it holds. */
  get(options: RequestOptionsJson, forge: Forgery = {}): Record<string, unknown> {
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential = this.credentials.find(
      (c) => c.rpId === options.rpId && (allowed.size === 0 || allowed.has(b64url(c.id))),
    );
    if (!credential) throw new Error(`no credential for ${options.rpId}`);
    credential.counter = forge.counter ?? credential.counter + this.options.counterStep;
    const uv = forge.userVerified ?? this.options.userVerification;
    const authData = this.authData(forge.rpId ?? options.rpId, this.flags(uv, false), credential.counter);
    const clientDataJSON = this.clientDataJSON("webauthn.get", options.challenge, forge);
    const key = forge.foreignKey ? newKeyPair(credential.alg).privateKey : credential.privateKey;
    const signed = signWith(credential.alg, key, Buffer.concat([authData, sha256(clientDataJSON)]));
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(forge.badSignature ? flip(signed) : signed),
        userHandle: forge.userHandle ?? credential.userHandle,
      },
      clientExtensionResults: {},
      ...(this.options.attachment ? { authenticatorAttachment: this.options.attachment } : {}),
    };
  }
}
