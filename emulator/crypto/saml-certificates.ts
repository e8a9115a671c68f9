// The user pool's own SAML key pairs: the signing certificate GetSigningCertificate answers (which
// signs AuthnRequests and LogoutRequests) and the encryption certificate of a SAML provider with
// EncryptedResponses (to which the IdP encrypts its assertions). Made at run time, never
// committed: a 2048-bit RSA key and a self-signed X.509 certificate valid for ten years, as
// Cognito documents its certificates ("SAML signing and encryption"). The certificate is built
// by @peculiar/x509 (node:crypto makes keys but no certificates), loaded on first use: most runs
// never need one (docs/decisions/0018-federation.md).
import { webcrypto } from "node:crypto";

/** A key pair for SAML: the private key as PKCS#8 PEM, the certificate as base64 DER. */
export interface SamlKeyPair {
  /** PKCS#8 PEM: what node-saml takes as `privateKey` / `decryptionPvk`. */
  readonly privateKey: string;
  /** The X.509 certificate, base64 DER without PEM armour (as GetSigningCertificate answers it). */
  readonly certificate: string;
}

/** The part of @peculiar/x509 used here; its declarations pull in the DOM library (see saml.ts). */
interface PeculiarX509 {
  cryptoProvider: { set(crypto: unknown): void };
  X509CertificateGenerator: {
    createSelfSigned(params: {
      serialNumber: string;
      name: string;
      notBefore: Date;
      notAfter: Date;
      signingAlgorithm: unknown;
      keys: unknown;
      extensions?: unknown[];
    }): Promise<{ rawData: ArrayBuffer }>;
  };
  BasicConstraintsExtension: new (ca: boolean, pathLength?: number, critical?: boolean) => unknown;
  KeyUsagesExtension: new (usages: number, critical?: boolean) => unknown;
  KeyUsageFlags: { digitalSignature: number; keyEncipherment: number; dataEncipherment: number };
}
/** The package's name in a variable: the compiler and the bundler leave it alone. */
const PECULIAR_X509 = "@peculiar/x509";
let loaded: Promise<PeculiarX509> | undefined;

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

/** How long Cognito's SAML certificates are valid: ten years from issue. */
const SAML_CERTIFICATE_YEARS = 10;

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${body.replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

/**
 * A new RSA key and a self-signed certificate for `commonName`, valid from `now` (epoch ms) for
 * ten years; `use` sets its key usage (a signing or an encryption certificate).
 */
export async function newSamlKeyPair(
  commonName: string,
  use: "signing" | "encryption",
  now: number,
): Promise<SamlKeyPair> {
  loaded ??= (async () => {
    const lib = (await import(PECULIAR_X509)) as PeculiarX509;
    lib.cryptoProvider.set(webcrypto);
    return lib;
  })();
  const x509 = await loaded;
  const keys = await webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]);
  const notBefore = new Date(now);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + SAML_CERTIFICATE_YEARS);
  const usage =
    use === "signing"
      ? x509.KeyUsageFlags.digitalSignature
      : x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // Positive and random, as a serial number should be.
    serialNumber: `01${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString("hex")}`,
    name: `CN=${commonName.replace(/[,+="\\<>;#]/g, "_")}`,
    notBefore,
    notAfter,
    signingAlgorithm: RSA,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(usage, true)],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { privateKey: pem("PRIVATE KEY", pkcs8), certificate: Buffer.from(cert.rawData).toString("base64") };
}
